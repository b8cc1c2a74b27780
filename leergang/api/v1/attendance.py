"""Attendance (M17): recording a participant's status at a session, and the edition's attendance as
CSV. No business logic here."""

import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from leergang.attendance import export, register
from leergang.catalog.models import Edition
from leergang.core.errors import NotFound

from .auth import bearer, coordinator_bearer
from .schemas import ErrorOut

router = Router(tags=["attendance"])


class AttendanceIn(Schema):
    status: Literal["present", "absent", "excused"]
    note: str | None = Field(
        None, max_length=300, description="A reason, e.g. for an excuse; left out, it stays while the status stays."
    )


class AttendanceOut(Schema):
    session: int
    enrolment: int
    status: Literal["present", "absent", "excused"]
    note: str
    recorded_at: datetime.datetime


@router.put(
    "/sessions/{session_id}/attendance/{enrolment_id}",
    response={200: AttendanceOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary=(
        "Record a participant's attendance at a session (the edition's teachers, coordinator); `present` and "
        "`absent` only once the session's date has come (409 before it), `excused` also ahead"
    ),
)
def record(request, session_id: int, enrolment_id: int, payload: AttendanceIn):
    row = register.record_attendance(
        actor=request.user, session_id=session_id, enrolment_id=enrolment_id, status=payload.status, note=payload.note
    )
    return {
        "session": row.session_id,
        "enrolment": row.enrolment_id,
        "status": row.status,
        "note": row.note,
        "recorded_at": row.recorded_at,
    }


@router.get(
    "/editions/{edition_id}/attendance.csv",
    response={200: None, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
    summary=(
        "The edition's attendance as CSV (coordinator): a row per enrolled participant, a column per session "
        "(present, absent, excused or empty) and the number of content sessions attended"
    ),
)
def attendance_csv(request, edition_id: int):
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    response = HttpResponse(export.attendance_csv(edition), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename(edition)}"'
    return response
