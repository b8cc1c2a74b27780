"""Reads about attendance, each with a fixed number of queries (no query per participant or session)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models.functions import Lower

from leergang.catalog.models import Session
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from .models import Attendance, AttendanceStatus


def attendance_for(session_id: int, enrolment_id: int) -> Attendance | None:
    """The participant's row for the session, whatever its status (one query)."""
    return Attendance.objects.filter(session_id=session_id, enrolment_id=enrolment_id).order_by().first()


def is_excused(session_id: int, enrolment_id: int) -> bool:
    """Whether the participant reported (or was recorded) absent with an excuse for the session (one query)."""
    return Attendance.objects.filter(session_id=session_id, enrolment_id=enrolment_id, status=AttendanceStatus.EXCUSED).exists()


def excused_session_ids(enrolment_id: int) -> set[int]:
    """The sessions the participant is excused for (one query): for a dashboard listing several sessions."""
    return set(
        Attendance.objects.filter(enrolment_id=enrolment_id, status=AttendanceStatus.EXCUSED).values_list("session_id", flat=True)
    )


def excused_by_session(session_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each session, the active (not cancelled) enrolments excused for it (one query).

    Sessions nobody is excused for are absent from the result."""
    result: dict[int, set[int]] = {}
    rows = Attendance.objects.filter(
        session_id__in=list(session_ids), status=AttendanceStatus.EXCUSED, enrolment__status=EnrolmentStatus.ENROLLED
    ).values_list("session_id", "enrolment_id")
    for session_id, enrolment_id in rows:
        result.setdefault(session_id, set()).add(enrolment_id)
    return result


# What a register line shows of an enrolment and its participant (the name, the organisation).
REGISTER_FIELDS = (
    "edition_id",
    "status",
    "organisation",
    "participant__first_name",
    "participant__last_name",
    "participant__email",
)


@dataclass
class RegisterRow:
    """One participant in a session's register: their enrolment and their row, if any."""

    enrolment: Enrolment
    attendance: Attendance | None
    error: str = ""

    @property
    def status(self) -> str:
        return self.attendance.status if self.attendance is not None else ""

    @property
    def name(self) -> str:
        person = self.enrolment.participant
        return person.get_full_name() or person.email


def register(session: Session) -> list[RegisterRow]:
    """The session's register: every enrolled participant of the edition in name order with their
    attendance (two queries)."""
    enrolments = list(
        Enrolment.objects.filter(edition_id=session.edition_id, status=EnrolmentStatus.ENROLLED)
        .select_related("participant")
        .order_by(Lower("participant__last_name"), Lower("participant__first_name"), "pk")
        .only(*REGISTER_FIELDS)
    )
    # Unordered: the model's default order (session, enrolment) joins five tables to sort rows keyed here.
    attendance = Attendance.objects.filter(session=session, enrolment_id__in=[enrolment.pk for enrolment in enrolments])
    rows = {row.enrolment_id: row for row in attendance.order_by()}
    return [RegisterRow(enrolment, rows.get(enrolment.pk)) for enrolment in enrolments]


def register_row(session: Session, enrolment_id: int) -> RegisterRow | None:
    """One participant's line of the register, also for a cancelled enrolment (two queries)."""
    enrolment = (
        Enrolment.objects.select_related("participant").filter(pk=enrolment_id, edition_id=session.edition_id).order_by().first()
    )
    if enrolment is None:
        return None
    return RegisterRow(enrolment, attendance_for(session.pk, enrolment.pk))


def summary(rows: Iterable[RegisterRow]) -> dict[str, int]:
    """How many participants are present, absent, excused and not yet recorded."""
    counts = {"present": 0, "absent": 0, "excused": 0, "unrecorded": 0}
    for row in rows:
        counts[row.status or "unrecorded"] += 1
    return counts
