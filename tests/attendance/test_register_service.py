"""The register through the service (M17): who may record, from when, the audit trail (R8)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from leergang.attendance import register
from leergang.attendance.models import Attendance
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from tests import factories

from .helpers import enrol, excuse

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def record(actor, session, enrolment, status, **kwargs):
    return register.record_attendance(actor=actor, session_id=session.pk, enrolment_id=enrolment.pk, status=status, **kwargs)


def entries(action="attendance.recorded"):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# -- the date ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["present", "absent"])
@pytest.mark.parametrize("offset", [0, 1])
def test_present_and_absent_from_the_session_day_on(today_session, enrolment, teacher_user, status, offset):
    row = record(teacher_user, today_session, enrolment, status, today=today_session.date + offset * ONE_DAY)
    assert (row.status, row.recorded_by, row.note) == (status, teacher_user, "")
    assert Attendance.objects.get().status == status


@pytest.mark.parametrize("status", ["present", "absent"])
def test_present_and_absent_are_refused_the_day_before_and_nothing_is_stored(today_session, enrolment, teacher_user, status):
    with pytest.raises(Conflict) as caught:
        record(teacher_user, today_session, enrolment, status, today=today_session.date - ONE_DAY)
    assert "from the day of the session" in str(caught.value.detail)
    assert not Attendance.objects.exists() and not entries()


def test_excused_can_be_recorded_ahead(ahead, enrolment, coordinator):
    row = record(coordinator, ahead, enrolment, "excused", note="Ziek gemeld")
    assert (row.status, row.note) == ("excused", "Ziek gemeld")


# -- who ---------------------------------------------------------------------------------------------


def test_a_teacher_of_the_edition_and_the_coordinator_record(today_session, enrolment, teacher_user, coordinator):
    record(teacher_user, today_session, enrolment, "absent")
    record(coordinator, today_session, enrolment, "present")
    assert Attendance.objects.get().status == "present"
    assert [e.actor for e in entries()] == [teacher_user, coordinator]


def test_a_participant_of_the_edition_is_refused_with_403(today_session, enrolment, other_enrolment, participant):
    for target in (enrolment, other_enrolment):
        with pytest.raises(PermissionDenied):
            record(participant, today_session, target, "present")
    assert not Attendance.objects.exists()


def test_everyone_else_gets_not_found_alike_for_what_does_not_exist(
    today_session, enrolment, other_teacher, outsider, teacher_user
):
    for actor in (other_teacher, outsider, AnonymousUser()):
        with pytest.raises(NotFound):
            record(actor, today_session, enrolment, "present")
    with pytest.raises(NotFound):
        register.record_attendance(actor=teacher_user, session_id=999999, enrolment_id=enrolment.pk, status="present")
    with pytest.raises(NotFound):
        register.record_attendance(actor=teacher_user, session_id=today_session.pk, enrolment_id=999999, status="present")
    elsewhere = enrol(factories.EditionFactory(), "x@example.org")  # an enrolment of another edition
    with pytest.raises(NotFound):
        record(teacher_user, today_session, elsewhere, "present")
    assert not Attendance.objects.exists()


# -- what --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["late", "", "PRESENT", None])
def test_an_unknown_status_is_invalid_and_changes_nothing(today_session, enrolment, teacher_user, status):
    excuse(today_session, enrolment, note="Ziek")
    with pytest.raises(Invalid) as caught:
        record(teacher_user, today_session, enrolment, status)
    assert caught.value.status == 422
    assert [e["field"] for e in caught.value.errors] == ["status"]
    row = Attendance.objects.get()
    assert (row.status, row.note) == ("excused", "Ziek")
    assert not entries()


def test_a_cancelled_enrolment_is_a_conflict(today_session, edition, teacher_user):
    gone = enrol(edition, "gone@example.org", status="cancelled")
    with pytest.raises(Conflict):
        record(teacher_user, today_session, gone, "present")
    assert not Attendance.objects.exists()


def test_each_change_is_audited_with_before_and_after(today_session, enrolment, teacher_user):
    record(teacher_user, today_session, enrolment, "absent")
    record(teacher_user, today_session, enrolment, "present")
    first, second = entries()
    assert first.before is None and first.after["status"] == "absent"
    assert first.object_type == "attendance.attendance" and first.object_id == str(Attendance.objects.get().pk)
    assert (second.before["status"], second.after["status"]) == ("absent", "present")
    assert second.after["recorded_by"] == teacher_user.pk


def test_the_same_status_again_changes_nothing_and_writes_no_audit_entry(today_session, enrolment, teacher_user, coordinator):
    first = record(teacher_user, today_session, enrolment, "present")
    again = record(coordinator, today_session, enrolment, "present")
    assert again.recorded_at == first.recorded_at and again.recorded_by == teacher_user
    assert len(entries()) == 1


def test_an_excuse_reported_ahead_keeps_its_note_until_the_status_changes(today_session, enrolment, teacher_user):
    excuse(today_session, enrolment, note="Ziek")
    assert record(teacher_user, today_session, enrolment, "excused").note == "Ziek"
    assert not entries()  # nothing changed
    row = record(teacher_user, today_session, enrolment, "present")
    assert (row.status, row.note) == ("present", "")
    [entry] = entries()
    assert (entry.before["note"], entry.after["note"]) == ("Ziek", "")


# -- everyone not yet recorded is present ----------------------------------------------------------


def test_everyone_not_yet_recorded_is_marked_present(today_session, edition, enrolment, other_enrolment, teacher_user):
    third = enrol(edition, "third@example.org", "Cees", "Bakker")
    enrol(edition, "cancelled@example.org", status="cancelled")
    excuse(today_session, other_enrolment, note="Ziek")

    assert register.mark_unrecorded_present(actor=teacher_user, session_id=today_session.pk) == 2

    statuses = dict(Attendance.objects.values_list("enrolment_id", "status"))
    assert statuses == {enrolment.pk: "present", other_enrolment.pk: "excused", third.pk: "present"}
    assert sorted(int(e.object_id) for e in entries()) == sorted(
        Attendance.objects.filter(status="present").values_list("pk", flat=True)
    )
    assert register.mark_unrecorded_present(actor=teacher_user, session_id=today_session.pk) == 0
    assert len(entries()) == 2


def test_everyone_present_only_from_the_session_day_and_only_for_staff(today_session, enrolment, teacher_user, participant):
    with pytest.raises(Conflict):
        register.mark_unrecorded_present(actor=teacher_user, session_id=today_session.pk, today=today_session.date - ONE_DAY)
    with pytest.raises(PermissionDenied):
        register.mark_unrecorded_present(actor=participant, session_id=today_session.pk)
    assert not Attendance.objects.exists()
    assert (
        register.mark_unrecorded_present(actor=teacher_user, session_id=today_session.pk, today=today_session.date + ONE_DAY) == 1
    )
