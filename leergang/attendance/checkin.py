"""Self check-in (M17): on the session's day a teacher shows a code (and a QR code) on screen, and
participants record themselves present by typing it. Atomic, actor explicit, audited (R8).

* `open_check_in`: the edition's teachers and the programme office, only on the session's date;
  creates the session's code or replaces it (the old one stops working at once).
* `close_check_in`: ends the code now.
* `check_in`: a logged-in participant with an active enrolment in the session's edition; the code
  must be the current, unexpired code of a session held today. A code that does not qualify is
  refused with one message, whatever the reason, so a wrong guess teaches nothing.

Lock order (as in services.py): the enrolment's row, then the attendance row.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.core import audit, formatting
from leergang.core.errors import Conflict, Invalid, NotFound
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import register
from .models import Attendance, AttendanceStatus, CheckInCode
from .services import AUDIT_FIELDS

CODE_DIGITS = 6
INVALID_CODE = _("This code is not valid (any more). Check the code on the screen, or ask the teacher.")
NOT_TODAY = _("A check-in code can be shown only on the day of the session, %(date)s.")


def _new_code(now: datetime.datetime, old: str) -> str:
    """Six random digits, different from the code it replaces and from every code valid right now
    (a participant enrolled in two editions meeting today must not be able to mix them up)."""
    while True:
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        if code != old and not CheckInCode.objects.filter(code=code, expires_at__gt=now).exists():
            return code


def current_code(session_id: int, now: datetime.datetime | None = None) -> CheckInCode | None:
    """The session's code while it works (one query)."""
    return CheckInCode.objects.filter(session_id=session_id, expires_at__gt=now or timezone.now()).first()


@transaction.atomic
def open_check_in(*, actor: Any, session_id: int, today: datetime.date | None = None) -> CheckInCode:
    """Show a new check-in code for the session, valid CHECK_IN_CODE_MINUTES; replaces the current one."""
    session = register.session_for_staff(actor, session_id)
    if session.date != (today or timezone.localdate()):
        raise Conflict(str(NOT_TODAY) % {"date": formatting.long_date(session.date, with_weekday=True)})
    now = timezone.now()
    row = CheckInCode.objects.select_for_update().filter(session=session).first() or CheckInCode(session=session)
    row.code = _new_code(now, row.code)
    row.created_at = now
    row.expires_at = now + datetime.timedelta(minutes=settings.CHECK_IN_CODE_MINUTES)
    row.created_by = actor
    row.save()
    return row


@transaction.atomic
def close_check_in(*, actor: Any, session_id: int) -> None:
    """Stop the session's code now (nothing to do when none works)."""
    session = register.session_for_staff(actor, session_id)
    now = timezone.now()
    row = CheckInCode.objects.select_for_update().filter(session=session, expires_at__gt=now).first()
    if row is None:
        return
    # The row stays (who showed it, when); it only stops working. The database wants the end after the start.
    row.expires_at = max(now, row.created_at + datetime.timedelta(microseconds=1))
    row.save(update_fields=["expires_at"])


def normalise(code: Any) -> str:
    """What a person typed, without the spaces a phone or a person may add ("123 456")."""
    return "".join(str(code or "").split())


@transaction.atomic
def check_in(*, actor: Any, code: str) -> Attendance:
    """Record the participant present at the session whose current code this is, also over an
    absent or excused status (they are here after all). Checking in twice changes nothing."""
    if not getattr(actor, "is_authenticated", False):
        raise NotFound(INVALID_CODE)
    text = normalise(code)
    refused = Invalid(INVALID_CODE, [{"field": "code", "message": str(INVALID_CODE)}])
    if len(text) != CODE_DIGITS or not (text.isascii() and text.isdigit()):
        raise refused
    now = timezone.now()
    match = (
        CheckInCode.objects.select_related("session__edition")
        .filter(
            code=text,
            expires_at__gt=now,
            session__date=timezone.localdate(),
            session__edition__enrolments__participant=actor,
            session__edition__enrolments__status=EnrolmentStatus.ENROLLED,
        )
        .first()
    )
    if match is None:
        raise refused
    session = match.session
    enrolment = (
        Enrolment.objects.select_for_update()
        .filter(edition_id=session.edition_id, participant=actor, status=EnrolmentStatus.ENROLLED)
        .first()
    )
    if enrolment is None:  # cancelled between the two queries
        raise refused
    row = Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).order_by().first()
    if row is not None and row.status == AttendanceStatus.PRESENT:
        return row
    before = audit.snapshot(row, AUDIT_FIELDS) if row is not None else None
    row = row or Attendance(session=session, enrolment=enrolment)
    row.status = AttendanceStatus.PRESENT
    row.note = ""
    row.recorded_at = now
    row.recorded_by = actor
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()
    audit.record(actor=actor, action="attendance.checked_in", obj=row, before=before, after=audit.snapshot(row, AUDIT_FIELDS))
    return row
