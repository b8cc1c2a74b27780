"""Reporting an absence ahead (M17): a participant lets the programme know they cannot attend a
session, and may take that back while the session's date has not come. Atomic, actor explicit,
audited (R8).

Only `excused` is recorded here. Present and absent belong to the register that teachers take on
the day (a separate service); this module never writes them.

Who may do what:
* the participant themselves, for their own active enrolment, for a session whose date lies after
  today (Europe/Amsterdam); from the session's day on their report is refused with a message;
* a teacher of the edition or the programme office, for any enrolment of the edition, any time
  (a participant who called in sick; an excuse recorded afterwards replaces "absent");
* anyone else gets NotFound, alike for a session or enrolment that does not exist.

Lock order (as elsewhere for a participant's records): the enrolment's row, then the attendance row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Session
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, NotFound
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import permissions as learning_permissions

from .models import Attendance, AttendanceStatus

NOTE_MAX = 300
AUDIT_FIELDS = ["session", "enrolment", "status", "note", "recorded_at", "recorded_by"]

NOT_FOUND = _("There is no such session for this participant.")
DATE_PASSED = _(
    "The session is today or has already taken place, so you can no longer change your absence here. "
    "Please contact the programme office."
)
ENROLMENT_CANCELLED = _("This participant's enrolment was cancelled; there is nothing to record.")
NOTE_TOO_LONG = _("Keep the reason to at most %(max)s characters.")
NOTHING_TO_WITHDRAW = _("No absence has been reported for this session, so there is nothing to withdraw.")
NOT_AN_EXCUSE = _("The register for this session says present or absent; change it in the register.")


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _load(actor: Any, session_id: int, enrolment_id: int) -> tuple[Session, Enrolment, bool]:
    """The session and the (locked) enrolment, and whether the actor runs the edition (a teacher of
    it or the programme office). NotFound for everyone else, alike for what does not exist."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(NOT_FOUND)
    session = Session.objects.select_related("edition").filter(pk=session_id).order_by().first()
    enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment_id).order_by().first()
    if session is None or enrolment is None or enrolment.edition_id != session.edition_id:
        raise NotFound(NOT_FOUND)
    staff = learning_permissions.is_staff_of(actor, session.edition)
    own = enrolment.participant_id == actor.pk and enrolment.status == EnrolmentStatus.ENROLLED
    if not (staff or own):
        raise NotFound(NOT_FOUND)
    return session, enrolment, staff


def _clean_note(note: Any) -> str:
    text = " ".join(str(note or "").split())
    if len(text) > NOTE_MAX:
        message = NOTE_TOO_LONG % {"max": NOTE_MAX}
        raise Invalid(message, [{"field": "note", "message": message}])
    return text


@transaction.atomic
def report_absence(
    *, actor: Any, session_id: int, enrolment_id: int, note: str = "", today: datetime.date | None = None
) -> Attendance:
    """Record that the participant cannot attend the session (status excused), with an optional
    reason. Creates the row or updates it (a second report changes the reason). `today` is for tests."""
    session, enrolment, staff = _load(actor, session_id, enrolment_id)
    if not staff and session.date <= _today(today):
        raise Conflict(DATE_PASSED)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(ENROLMENT_CANCELLED)
    text = _clean_note(note)
    existing = Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).order_by().first()
    if existing is not None and existing.status != AttendanceStatus.EXCUSED and not staff:
        raise Conflict(NOT_AN_EXCUSE)
    before = audit.snapshot(existing, AUDIT_FIELDS) if existing is not None else None
    if existing is not None and existing.status == AttendanceStatus.EXCUSED and existing.note == text:
        return existing  # the same report again: nothing changes, nothing to audit
    row = existing or Attendance(session=session, enrolment=enrolment)
    row.status = AttendanceStatus.EXCUSED
    row.note = text
    row.recorded_at = timezone.now()
    row.recorded_by = actor
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    audit.record(actor=actor, action="attendance.excused", obj=row, before=before, after=audit.snapshot(row, AUDIT_FIELDS))
    return row


@transaction.atomic
def withdraw_absence(*, actor: Any, session_id: int, enrolment_id: int, today: datetime.date | None = None) -> None:
    """Take back a reported absence: the excused row is deleted (the audit entry keeps it). The
    participant before the session's date; the edition's teachers and the programme office any time."""
    session, enrolment, staff = _load(actor, session_id, enrolment_id)
    if not staff and session.date <= _today(today):
        raise Conflict(DATE_PASSED)
    existing = Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).order_by().first()
    if existing is None:
        raise Conflict(NOTHING_TO_WITHDRAW)
    if existing.status != AttendanceStatus.EXCUSED:
        raise Conflict(NOT_AN_EXCUSE)
    before = audit.snapshot(existing, AUDIT_FIELDS)
    audit.record(actor=actor, action="attendance.excuse_withdrawn", obj=existing, before=before, after=None)
    existing.delete()
