"""The register (M17): the edition's teachers and the programme office record per participant and
session whether they were present, absent or excused. Atomic, actor explicit, audited (R8).

Who may do what:
* a teacher of the edition or the programme office records any status for any enrolled
  participant of the edition; present and absent from the session's date on (Europe/Amsterdam),
  excused at any time (an absence reported ahead);
* a participant of the edition gets PermissionDenied: the session is theirs to see, the register is not;
* anyone else gets NotFound, alike for a session or enrolment that does not exist.

Lock order (as in services.py): the enrolment's row, then the attendance row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Session
from leergang.core import audit, formatting
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import permissions as learning_permissions

from .models import Attendance, AttendanceStatus
from .services import AUDIT_FIELDS, ENROLMENT_CANCELLED, _clean_note

NOT_FOUND = _("There is no such session or participant.")
ONLY_STAFF = _("Only a teacher of this edition or the programme office can take attendance.")
UNKNOWN_STATUS = _("Choose present, absent or excused.")
# PostgreSQL refuses NUL in text: a clear 422 rather than a 500.
CONTROL_CHARACTERS = _("Remove the invisible control characters from this text.")
NOT_YET = _(
    "Present and absent can be recorded from the day of the session, %(date)s. An absence reported ahead can be "
    "recorded as excused now."
)
# Statuses that say something happened on the day: they need the day to have come.
ON_THE_DAY = {AttendanceStatus.PRESENT, AttendanceStatus.ABSENT}


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def session_for_staff(actor: Any, session_id: int) -> Session:
    """The session, for the edition's teachers and the programme office. A participant of the
    edition gets PermissionDenied; everyone else NotFound, alike for a session that does not exist."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(NOT_FOUND)
    session = Session.objects.select_related("edition__programme").filter(pk=session_id).order_by().first()
    if session is None:
        raise NotFound(NOT_FOUND)
    if learning_permissions.is_staff_of(actor, session.edition):
        return session
    if learning_permissions.enrolment_of(actor, session.edition_id) is not None:
        raise PermissionDenied(ONLY_STAFF)
    raise NotFound(NOT_FOUND)


def not_yet_message(session: Session) -> str:
    """Why present and absent cannot be recorded yet, in the current language."""
    return str(NOT_YET) % {"date": formatting.long_date(session.date, with_weekday=True)}


def recording_open(session: Session, today: datetime.date | None = None) -> bool:
    """Whether present and absent may be recorded: from the session's date on."""
    return session.date <= _today(today)


def _write(actor: Any, row: Attendance, status: str, note: str, action: str) -> Attendance:
    before = audit.snapshot(row, AUDIT_FIELDS) if row.pk else None
    row.status = status
    row.note = note
    row.recorded_at = timezone.now()
    row.recorded_by = actor
    # The foreign keys come from rows just read and locked: checking them again would only cost queries.
    row.full_clean(exclude=["session", "enrolment", "recorded_by"], validate_unique=False, validate_constraints=False)
    row.save()
    audit.record(actor=actor, action=action, obj=row, before=before, after=audit.snapshot(row, AUDIT_FIELDS))
    return row


@transaction.atomic
def record_attendance(
    *,
    actor: Any,
    session_id: int,
    enrolment_id: int,
    status: str,
    note: str | None = None,
    today: datetime.date | None = None,
) -> Attendance:
    """Record the participant's attendance at the session. `note` None keeps the note while the
    status stays the same and clears it when the status changes (a reason for an excuse does not
    explain presence). The same status and note again change nothing and are not audited.
    `today` is for tests."""
    session = session_for_staff(actor, session_id)
    enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment_id, edition_id=session.edition_id).order_by().first()
    if enrolment is None:
        raise NotFound(NOT_FOUND)
    if status not in AttendanceStatus.values:
        raise Invalid(UNKNOWN_STATUS, [{"field": "status", "message": str(UNKNOWN_STATUS)}])
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(ENROLMENT_CANCELLED)
    if status in ON_THE_DAY and not recording_open(session, today):
        raise Conflict(not_yet_message(session))
    row = Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).order_by().first()
    kept = row.note if row is not None and row.status == status else ""
    if note is not None and "\x00" in str(note):
        raise Invalid(CONTROL_CHARACTERS, [{"field": "note", "message": str(CONTROL_CHARACTERS)}])
    text = kept if note is None else _clean_note(note)
    if row is not None and row.status == status and row.note == text:
        return row
    return _write(actor, row or Attendance(session=session, enrolment=enrolment), status, text, "attendance.recorded")


@transaction.atomic
def mark_unrecorded_present(*, actor: Any, session_id: int, today: datetime.date | None = None) -> int:
    """Record every enrolled participant without a row for the session as present (one tap in the
    register), from the session's date on. Returns how many were recorded; each row is audited."""
    session = session_for_staff(actor, session_id)
    if not recording_open(session, today):
        raise Conflict(not_yet_message(session))
    enrolments = list(
        Enrolment.objects.select_for_update()
        .filter(edition_id=session.edition_id, status=EnrolmentStatus.ENROLLED)
        .order_by("pk")
    )
    recorded = set(
        Attendance.objects.select_for_update()
        .filter(session=session, enrolment__in=enrolments)
        .order_by()
        .values_list("enrolment_id", flat=True)
    )
    count = 0
    for enrolment in enrolments:
        if enrolment.pk in recorded:
            continue
        _write(actor, Attendance(session=session, enrolment=enrolment), AttendanceStatus.PRESENT, "", "attendance.recorded")
        count += 1
    return count
