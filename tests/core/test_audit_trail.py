"""R8: every change to a decision, attendance, assessment, presentation, award or invoice leaves
who, when, before and after; the programme office sees it per person on the person page."""

import datetime

import pytest
from django.utils import timezone

from leergang.accounts.models import User
from leergang.attendance import register
from leergang.attendance.models import Attendance
from leergang.awards import services as awards
from leergang.awards.models import Award
from leergang.catalog.models import Edition
from leergang.core import audit_trail
from leergang.core.models import AuditEntry
from leergang.demo import content
from leergang.enrolment import services as enrolment
from leergang.enrolment.models import Enrolment
from leergang.invoicing import payments

pytestmark = pytest.mark.django_db

ANNA, BRAM = content.PARTICIPANTS[0]["email"], content.PARTICIPANTS[1]["email"]


def person(email):
    return User.objects.get(email=email)


def latest(action, **where):
    return AuditEntry.objects.filter(action=action, **where).latest("at", "id")


def assert_complete(entry, *, actor, before=True):
    assert entry.actor_id == (actor.pk if actor else None)
    assert entry.at is not None and abs(timezone.now() - entry.at) < datetime.timedelta(minutes=5)
    assert entry.after, entry.action
    if before:
        assert entry.before, entry.action


@pytest.fixture
def coordinator(demo):
    return person(content.COORDINATOR["email"])


@pytest.fixture
def teacher(demo):
    return person(content.TEACHER_USER["email"])


def applicant(edition, email):
    data = enrolment.ApplicationInput(
        first_name="Noor", last_name="Visser", email=email, organisation="Gemeente Zwolle", job_title="Manager",
        education_level="hbo", years_experience=9, leadership_role=True, challenge="Vertrouwen.",
        invoice_organisation="Gemeente Zwolle", invoice_address="Grote Kerkplein 15", invoice_postal_code="8011 PK",
        invoice_city="Zwolle", invoice_email="facturen@zwolle.example", privacy_consent=True, terms_accepted=True,
    )  # fmt: skip
    return enrolment.submit_application(edition_id=edition.pk, data=data)


def test_a_decision_and_the_invoice_leave_who_when_before_and_after(coordinator):
    edition = Edition.objects.get(status="open")
    application = applicant(edition, "noor@example.org")
    result = enrolment.decide(actor=coordinator, application_id=application.pk, decision="admit", note="Goed gesprek")
    entry = latest("application.admit", object_id=str(application.pk))
    assert_complete(entry, actor=coordinator)
    assert (entry.before["status"], entry.after["status"]) == ("submitted", "admitted")

    issued = latest("invoice.issued", object_id=str(result.invoice.pk))
    assert_complete(issued, actor=coordinator, before=False)  # a new document: nothing before it
    assert issued.after["number"] == result.invoice.number and issued.after["total"] == "2995.00"

    payments.record_payment(actor=coordinator, invoice_number=result.invoice.number, paid_on=timezone.localdate(), amount="100")
    changed = latest("invoice.status_changed", object_id=str(result.invoice.pk))
    assert_complete(changed, actor=coordinator)
    assert (changed.before["status"], changed.after["status"]) == ("open", "partly_paid")


def test_attendance_assessment_presentation_and_awards_leave_who_when_before_and_after(coordinator, teacher):
    running = Edition.objects.get(status="running")
    anna = Enrolment.objects.get(edition=running, participant__email=ANNA)
    held = running.sessions.filter(date__lte=timezone.localdate()).order_by("date").first()
    register.record_attendance(actor=teacher, session_id=held.pk, enrolment_id=anna.pk, status="absent")
    row = Attendance.objects.get(session=held, enrolment=anna)
    entry = latest("attendance.recorded", object_id=str(row.pk))
    assert_complete(entry, actor=teacher)
    assert entry.after["status"] == "absent" and entry.before["status"] != "absent"

    # The demo's 2021 edition went through the real services: its papers, presentations and awards.
    completed = Edition.objects.get(status="completed")
    bram = Enrolment.objects.get(edition=completed, participant__email=BRAM)
    for action in ("paper.assessed", "presentation.recorded"):
        entry = AuditEntry.objects.filter(action=action).filter(
            object_id__in=[str(pk) for pk in audit_trail.related_objects(bram.participant)[_label(action)]]
        )
        assert entry.exists(), action
        assert entry.latest("id").actor_id == teacher.pk and entry.latest("id").after
    award = Award.objects.get(enrolment=bram, revoked_at__isnull=True)
    assert latest("award.issued", object_id=str(award.pk)).actor_id == coordinator.pk
    awards.revoke_award(actor=coordinator, code=award.code, reason="Fraude vastgesteld")
    revoked = latest("award.revoked", object_id=str(award.pk))
    assert_complete(revoked, actor=coordinator)
    assert "Fraude vastgesteld" in str(revoked.after)


def _label(action):
    return {"paper.assessed": "learning.papersubmission", "presentation.recorded": "learning.presentationslot"}[action]


def test_the_trail_holds_everything_about_the_person_and_nothing_about_anyone_else(coordinator, teacher):
    anna, bram = person(ANNA), person(BRAM)
    entries = audit_trail.entries_for(anna)
    actions = {entry.action for entry in entries}
    assert {"attendance.recorded", "paper.assessed", "presentation.recorded", "award.issued"} <= actions
    related = audit_trail.related_objects(anna)
    for entry in entries:
        if entry.actor_id == anna.pk:
            continue
        assert int(entry.object_id) in related[entry.object_type], entry
    # Not one of Bram's rows: his attendance, paper, award.
    bram_related = audit_trail.related_objects(bram)
    for label in ("attendance.attendance", "learning.papersubmission", "awards.award", "enrolment.enrolment"):
        assert not (related[label] & bram_related[label]), label


def test_the_person_page_shows_the_history_to_the_programme_office_only(
    client, coordinator, teacher, django_assert_max_num_queries
):
    anna = person(ANNA)
    url = f"/nl/coordinatie/personen/{anna.pk}/"
    client.force_login(coordinator)
    client.get(url)
    with django_assert_max_num_queries(10):  # P1: the whole history is one query, however much hangs off a person
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for action in ("attendance.recorded", "paper.assessed", "presentation.recorded", "award.issued"):
        assert f'data-action="{action}"' in html, action
    assert "Diploma of certificaat uitgereikt" in html  # the action in words, in the reader's language
    assert client.get(f"/en/coordinatie/personen/{anna.pk}/").status_code == 200
    assert client.get("/nl/coordinatie/personen/999999/").status_code == 404

    for other in (teacher, person(BRAM), anna):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"]
