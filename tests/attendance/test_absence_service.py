"""Reporting an absence ahead through the service: who may, until when, and the audit trail."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from leergang.attendance import selectors, services
from leergang.attendance.models import Attendance
from leergang.core.errors import Conflict, Invalid, NotFound
from leergang.core.models import AuditEntry
from tests import factories

from .helpers import day, enrol

pytestmark = pytest.mark.django_db


def report(actor, session, enrolment, note="", **kwargs):
    return services.report_absence(actor=actor, session_id=session.pk, enrolment_id=enrolment.pk, note=note, **kwargs)


def withdraw(actor, session, enrolment, **kwargs):
    return services.withdraw_absence(actor=actor, session_id=session.pk, enrolment_id=enrolment.pk, **kwargs)


def audit_entries(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# -- reporting ---------------------------------------------------------------------------------------


def test_a_participant_reports_an_absence_ahead_with_a_reason(ahead, enrolment, participant):
    assert not selectors.is_excused(ahead.pk, enrolment.pk)

    row = report(participant, ahead, enrolment, note="  Dienstreis   naar Brussel ")

    assert (row.status, row.note, row.recorded_by) == ("excused", "Dienstreis naar Brussel", participant)
    assert selectors.is_excused(ahead.pk, enrolment.pk)
    assert selectors.excused_session_ids(enrolment.pk) == {ahead.pk}
    [entry] = audit_entries("attendance.excused")
    assert entry.actor == participant and entry.before is None
    assert entry.after["status"] == "excused" and entry.after["note"] == "Dienstreis naar Brussel"


def test_reporting_again_changes_the_reason_and_is_audited_once_per_change(ahead, enrolment, participant):
    report(participant, ahead, enrolment, note="Ziek")
    report(participant, ahead, enrolment, note="Ziek")  # the same again: nothing changes
    report(participant, ahead, enrolment, note="Op vakantie")

    assert Attendance.objects.get().note == "Op vakantie"
    entries = audit_entries("attendance.excused")
    assert len(entries) == 2
    assert (entries[1].before["note"], entries[1].after["note"]) == ("Ziek", "Op vakantie")


@pytest.mark.parametrize("days_after", [0, 1])
def test_from_the_session_day_on_the_participant_is_refused_and_nothing_changes(ahead, enrolment, participant, days_after):
    with pytest.raises(Conflict):
        report(participant, ahead, enrolment, today=ahead.date + datetime.timedelta(days=days_after))
    assert not Attendance.objects.exists()


def test_the_day_before_is_still_in_time(ahead, enrolment, participant):
    report(participant, ahead, enrolment, today=ahead.date - datetime.timedelta(days=1))
    assert selectors.is_excused(ahead.pk, enrolment.pk)


def test_on_the_day_itself_and_after_it_the_participant_is_refused(today_session, past, enrolment, participant):
    for session in (today_session, past):
        with pytest.raises(Conflict):
            report(participant, session, enrolment)
    assert not Attendance.objects.exists()


def test_another_participant_gets_not_found(ahead, enrolment, other_enrolment):
    with pytest.raises(NotFound):
        report(other_enrolment.participant, ahead, enrolment)
    assert not Attendance.objects.exists()


def test_a_teacher_of_another_edition_and_an_anonymous_visitor_get_not_found(ahead, enrolment, other_teacher):
    for actor in (other_teacher, AnonymousUser()):
        with pytest.raises(NotFound):
            report(actor, ahead, enrolment)


def test_a_missing_session_or_an_enrolment_of_another_edition_is_not_found(ahead, enrolment, participant, coordinator):
    elsewhere = factories.EnrolmentFactory(participant=participant)
    with pytest.raises(NotFound):
        services.report_absence(actor=participant, session_id=999999, enrolment_id=enrolment.pk)
    with pytest.raises(NotFound):
        report(coordinator, ahead, elsewhere)


def test_teachers_of_the_edition_and_the_office_record_an_excuse_any_time(
    past, today_session, enrolment, teacher_user, coordinator
):
    report(teacher_user, past, enrolment, note="Belde af")
    report(coordinator, today_session, enrolment)
    assert selectors.excused_session_ids(enrolment.pk) == {past.pk, today_session.pk}


def test_an_excuse_afterwards_replaces_absent_with_the_change_audited(past, enrolment, teacher_user):
    Attendance.objects.create(
        session=past, enrolment=enrolment, status="absent", recorded_at=timezone.now(), recorded_by=teacher_user
    )
    report(teacher_user, past, enrolment, note="Was ziek")
    assert Attendance.objects.get().status == "excused"
    [entry] = audit_entries("attendance.excused")
    assert (entry.before["status"], entry.after["status"]) == ("absent", "excused")


def test_a_participant_cannot_overwrite_present_or_absent(ahead, enrolment, participant, coordinator):
    Attendance.objects.create(
        session=ahead, enrolment=enrolment, status="present", recorded_at=timezone.now(), recorded_by=coordinator
    )
    with pytest.raises(Conflict):
        report(participant, ahead, enrolment)
    with pytest.raises(Conflict):
        withdraw(participant, ahead, enrolment)
    assert Attendance.objects.get().status == "present"


def test_a_reason_longer_than_300_characters_is_refused(ahead, enrolment, participant):
    with pytest.raises(Invalid) as refused:
        report(participant, ahead, enrolment, note="x" * 301)
    assert refused.value.errors[0]["field"] == "note"
    report(participant, ahead, enrolment, note="x" * 300)


def test_a_cancelled_enrolment(ahead, coordinator):
    gone = enrol(ahead.edition, "gone@example.org", status="cancelled")
    with pytest.raises(NotFound):
        report(gone.participant, ahead, gone)
    with pytest.raises(Conflict):
        report(coordinator, ahead, gone)
    assert not Attendance.objects.exists()


# -- withdrawing -------------------------------------------------------------------------------------


def test_the_participant_withdraws_before_the_date_and_the_row_goes(ahead, enrolment, participant):
    row = report(participant, ahead, enrolment, note="Ziek")
    withdraw(participant, ahead, enrolment)

    assert not Attendance.objects.exists()
    assert not selectors.is_excused(ahead.pk, enrolment.pk)
    [entry] = audit_entries("attendance.excuse_withdrawn")
    assert entry.object_id == str(row.pk) and entry.actor == participant
    assert entry.before["status"] == "excused" and entry.before["note"] == "Ziek" and entry.after is None


def test_withdrawing_on_the_day_is_refused_and_the_excuse_stays(ahead, enrolment, participant):
    report(participant, ahead, enrolment)
    with pytest.raises(Conflict):
        withdraw(participant, ahead, enrolment, today=ahead.date)
    assert selectors.is_excused(ahead.pk, enrolment.pk)


def test_nothing_to_withdraw(ahead, enrolment, participant):
    with pytest.raises(Conflict):
        withdraw(participant, ahead, enrolment)


def test_another_participant_cannot_withdraw(ahead, enrolment, participant, other_enrolment):
    report(participant, ahead, enrolment)
    with pytest.raises(NotFound):
        withdraw(other_enrolment.participant, ahead, enrolment)
    assert selectors.is_excused(ahead.pk, enrolment.pk)


def test_the_office_withdraws_after_the_date(past, enrolment, coordinator):
    report(coordinator, past, enrolment)
    withdraw(coordinator, past, enrolment)
    assert not Attendance.objects.exists()


def test_excused_by_session_counts_only_active_enrolments(ahead, past, enrolment, participant, coordinator):
    gone = enrol(ahead.edition, "gone@example.org")
    report(participant, ahead, enrolment)
    report(coordinator, ahead, gone)
    gone.status = "cancelled"
    gone.save()
    report(coordinator, past, enrolment)
    assert selectors.excused_by_session([ahead.pk, past.pk]) == {ahead.pk: {enrolment.pk}, past.pk: {enrolment.pk}}
    assert day(0) < ahead.date
