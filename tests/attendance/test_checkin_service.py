"""Self check-in through the service (M17): the teacher's code, and participants typing it."""

import datetime

import pytest
from django.utils import timezone

from leergang.attendance import checkin
from leergang.attendance.models import Attendance, CheckInCode
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from tests import factories

from .helpers import enrol, excuse, session_in

pytestmark = pytest.mark.django_db


def open_code(actor, session, **kwargs):
    return checkin.open_check_in(actor=actor, session_id=session.pk, **kwargs)


def checked_in():
    return list(AuditEntry.objects.filter(action="attendance.checked_in"))


# -- the code ----------------------------------------------------------------------------------------


def test_a_teacher_opens_a_six_digit_code_valid_for_the_set_minutes(settings, today_session, teacher_user):
    settings.CHECK_IN_CODE_MINUTES = 20
    before = timezone.now()
    code = open_code(teacher_user, today_session)
    assert len(code.code) == 6 and code.code.isdigit()
    assert code.created_by == teacher_user and code.created_at >= before
    assert code.expires_at - code.created_at == datetime.timedelta(minutes=20)
    assert checkin.current_code(today_session.pk) == code


def test_the_coordinator_opens_a_code_too(today_session, coordinator):
    assert open_code(coordinator, today_session).session == today_session


@pytest.mark.parametrize("which", ["ahead", "past"])
def test_a_code_only_on_the_session_day(request, teacher_user, which):
    session = request.getfixturevalue(which)
    with pytest.raises(Conflict):
        open_code(teacher_user, session)
    assert not CheckInCode.objects.exists()


def test_the_today_argument_moves_the_day(ahead, teacher_user):
    assert open_code(teacher_user, ahead, today=ahead.date).session == ahead


def test_only_the_editions_staff_open_a_code(today_session, enrolment, participant, other_teacher, outsider):
    with pytest.raises(PermissionDenied):
        open_code(participant, today_session)
    for actor in (other_teacher, outsider):
        with pytest.raises(NotFound):
            open_code(actor, today_session)
    assert not CheckInCode.objects.exists()


def test_renewing_replaces_the_code_and_the_old_one_stops_working(today_session, enrolment, participant, teacher_user):
    old = open_code(teacher_user, today_session).code
    new = open_code(teacher_user, today_session).code
    assert new != old and CheckInCode.objects.count() == 1
    with pytest.raises(Invalid):
        checkin.check_in(actor=participant, code=old)
    assert checkin.check_in(actor=participant, code=new).status == "present"


def test_closing_ends_the_code_now(today_session, enrolment, participant, teacher_user):
    code = open_code(teacher_user, today_session).code
    checkin.close_check_in(actor=teacher_user, session_id=today_session.pk)
    assert checkin.current_code(today_session.pk) is None
    with pytest.raises(Invalid):
        checkin.check_in(actor=participant, code=code)
    assert not Attendance.objects.exists()
    checkin.close_check_in(actor=teacher_user, session_id=today_session.pk)  # again: nothing to do


# -- checking in -------------------------------------------------------------------------------------


def test_a_participant_checks_in_with_the_current_code(today_session, enrolment, participant, teacher_user):
    code = open_code(teacher_user, today_session).code
    row = checkin.check_in(actor=participant, code=f" {code[:3]} {code[3:]} ")
    assert (row.session, row.enrolment, row.status, row.recorded_by) == (today_session, enrolment, "present", participant)
    [entry] = checked_in()
    assert entry.actor == participant and entry.before is None and entry.after["status"] == "present"


def test_checking_in_twice_is_fine_and_audited_once(today_session, enrolment, participant, teacher_user):
    code = open_code(teacher_user, today_session).code
    first = checkin.check_in(actor=participant, code=code)
    again = checkin.check_in(actor=participant, code=code)
    assert again.pk == first.pk and again.recorded_at == first.recorded_at
    assert len(checked_in()) == 1


@pytest.mark.parametrize("status", ["absent", "excused"])
def test_checking_in_overrides_absent_and_excused(today_session, enrolment, participant, teacher_user, status):
    if status == "excused":
        excuse(today_session, enrolment, note="Ziek")
    else:
        Attendance.objects.create(
            session=today_session, enrolment=enrolment, status="absent", recorded_at=timezone.now(), recorded_by=teacher_user
        )
    code = open_code(teacher_user, today_session).code
    row = checkin.check_in(actor=participant, code=code)
    assert (row.status, row.note) == ("present", "")
    [entry] = checked_in()
    assert (entry.before["status"], entry.after["status"]) == (status, "present")


def test_an_expired_code_is_refused(today_session, enrolment, participant, teacher_user):
    code = open_code(teacher_user, today_session)
    CheckInCode.objects.filter(pk=code.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30), expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(Invalid) as caught:
        checkin.check_in(actor=participant, code=code.code)
    assert "This code is not valid (any more)." in str(caught.value.detail)
    assert caught.value.errors[0]["field"] == "code"
    assert not Attendance.objects.exists() and not checked_in()


def test_a_code_of_another_edition_is_refused(today_session, enrolment, participant, coordinator):
    other_session = session_in(factories.EditionFactory(), 0)
    code = open_code(coordinator, other_session).code
    with pytest.raises(Invalid):
        checkin.check_in(actor=participant, code=code)
    assert not Attendance.objects.exists()


def test_a_person_not_enrolled_is_refused(today_session, edition, teacher_user, outsider):
    gone = enrol(edition, "gone@example.org", status="cancelled")
    code = open_code(teacher_user, today_session).code
    for actor in (outsider, gone.participant, teacher_user):
        with pytest.raises(Invalid):
            checkin.check_in(actor=actor, code=code)
    assert not Attendance.objects.exists()


def test_a_code_left_over_from_an_earlier_day_is_refused(past, enrolment, participant, teacher_user):
    code = open_code(teacher_user, past, today=past.date)
    CheckInCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() + datetime.timedelta(minutes=5))
    with pytest.raises(Invalid):
        checkin.check_in(actor=participant, code=code.code)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", None, "１２３４５６", "12\x003456"])
def test_nonsense_is_refused_alike(today_session, enrolment, participant, teacher_user, typed):
    open_code(teacher_user, today_session)
    with pytest.raises(Invalid):
        checkin.check_in(actor=participant, code=typed)
    assert not Attendance.objects.exists()
