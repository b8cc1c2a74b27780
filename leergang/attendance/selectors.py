"""Reads about attendance, each with a fixed number of queries (no query per participant or session)."""

from __future__ import annotations

from collections.abc import Iterable

from leergang.enrolment.models import EnrolmentStatus

from .models import Attendance, AttendanceStatus


def attendance_for(session_id: int, enrolment_id: int) -> Attendance | None:
    """The participant's row for the session, whatever its status (one query)."""
    return Attendance.objects.filter(session_id=session_id, enrolment_id=enrolment_id).first()


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
