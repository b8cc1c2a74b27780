"""Retention (M23): declined applications are anonymised two years (730 days) after the decision, by
the worker's daily job; a younger one is kept; a second run changes nothing; each is audited once."""

import datetime

import pytest
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment import services as enrolment_services
from leergang.enrolment.models import Application
from leergang.notifications import jobs
from leergang.notifications.models import OutboxEmail
from leergang.privacy import retention

from .conftest import application_input, edition

pytestmark = pytest.mark.django_db


def declined(office, email: str, first_name: str, last_name: str, days_ago: float) -> Application:
    application = enrolment_services.submit_application(
        edition_id=edition("open").pk, data=application_input(email, first_name, last_name)
    )
    enrolment_services.decide(
        actor=office, application_id=application.pk, decision="decline", note=f"Niet passend voor {first_name}"
    )
    Application.objects.filter(pk=application.pk).update(decided_at=timezone.now() - datetime.timedelta(days=days_ago))
    return Application.objects.get(pk=application.pk)


def test_declined_more_than_two_years_ago_is_anonymised_younger_is_kept(office):
    old = declined(office, "oud@example.org", "Olga", "Oudenaarde", 731)
    young = declined(office, "jong@example.org", "Joost", "Jongerius", 729)
    admitted_long_ago = enrolment_services.submit_application(
        edition_id=edition("open").pk, data=application_input("toegelaten@example.org", "Tom", "Toegelaten")
    )
    Application.objects.filter(pk=admitted_long_ago.pk).update(decided_at=timezone.now() - datetime.timedelta(days=1000))

    assert retention.anonymise_declined_applications() == 1

    old.refresh_from_db()
    assert old.status == "declined" and old.decided_at is not None
    assert (old.first_name, old.last_name) == ("Verwijderd", f"#A{old.pk}")
    assert old.email.endswith("@erased.invalid") and old.challenge == old.phone == old.decision_note == ""
    young.refresh_from_db()
    assert young.email == "jong@example.org" and young.challenge
    assert Application.objects.get(pk=admitted_long_ago.pk).email == "toegelaten@example.org"
    # Its e-mails (confirmation, decision) lost address and text; its audit entries their personal values.
    for email in OutboxEmail.objects.filter(related_type="enrolment.application", related_id=str(old.pk)):
        assert "oud@example.org" not in email.to and email.body == "[verwijderd]"
    for entry in AuditEntry.objects.filter(object_type="enrolment.application", object_id=str(old.pk)):
        assert "oud@example.org" not in str(entry.before) + str(entry.after)
        assert "Olga" not in str(entry.before) + str(entry.after)
    assert AuditEntry.objects.filter(action="application.anonymised", object_id=str(old.pk)).count() == 1


def test_running_twice_changes_nothing(office):
    old = declined(office, "oud@example.org", "Olga", "Oudenaarde", 800)
    assert retention.anonymise_declined_applications() == 1
    first = Application.objects.filter(pk=old.pk).values().get()
    assert retention.anonymise_declined_applications() == 0
    assert Application.objects.filter(pk=old.pk).values().get() == first
    assert AuditEntry.objects.filter(action="application.anonymised").count() == 1


def test_the_period_is_a_setting(office, settings):
    old = declined(office, "oud@example.org", "Olga", "Oudenaarde", 40)
    settings.PRIVACY_DECLINED_RETENTION_DAYS = 30
    assert retention.anonymise_declined_applications() == 1
    assert Application.objects.get(pk=old.pk).email.endswith("@erased.invalid")


def test_the_job_is_registered_for_the_worker(office):
    (job,) = [job for job in jobs.registered() if job.name == "privacy.retention"]
    assert job.every_seconds == 24 * 60 * 60
    old = declined(office, "oud@example.org", "Olga", "Oudenaarde", 731)
    assert "privacy.retention" in jobs.run_due_jobs()
    assert Application.objects.get(pk=old.pk).email.endswith("@erased.invalid")
