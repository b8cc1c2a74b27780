"""The stamp of a participant's part of the overview: one query whose result changes whenever
anything the part shows changes, so the rendered part can be kept under it
(leergang/core/fragment_cache.py; accounts.views._participant_parts).

The query is put together from the models' table names once, when the module is imported; the only
value in it, the user, is a query parameter.
"""

# ruff: noqa: S608 - the SQL is built from the models' table names, never from input

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, Location, Programme, Room, Session
from leergang.core import fragment_cache
from leergang.enrolment.models import Enrolment
from leergang.invoicing.models import Invoice

from .models import CaseEntry, LiteratureItem, OwnCase, PaperSubmission, PresentationSlot, TimeEntry


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _count_and_latest(model: Any, where: str) -> str:
    table = _table(model)
    return f"(SELECT COUNT(*) FROM {table} WHERE {where}), (SELECT MAX(updated_at) FROM {table} WHERE {where})"


def _participant_stamp_sql() -> str:
    """Everything a participant's part of the overview shows (their cards and their places) comes
    from these rows: their enrolments; the editions of those with their programmes, rooms,
    locations, sessions, the literature of those sessions and the presentation order; and per
    enrolment the attendance, papers, own case with its entries, hours and invoices. For each table
    the row count (deletions) and the latest `updated_at` (every other change); the invoices only
    count, as an issued one never changes what the overview shows (a link to "Your invoices")."""
    places = f"SELECT id FROM {_table(Enrolment)} WHERE participant_id = %(user)s"
    editions = f"SELECT edition_id FROM {_table(Enrolment)} WHERE participant_id = %(user)s"
    rooms = f"SELECT room_id FROM {_table(Edition)} WHERE id IN ({editions})"
    sessions = f"SELECT id FROM {_table(Session)} WHERE edition_id IN ({editions})"
    cases = f"SELECT id FROM {_table(OwnCase)} WHERE enrolment_id IN ({places})"
    columns = [
        _count_and_latest(Enrolment, "participant_id = %(user)s"),
        f"(SELECT MAX(updated_at) FROM {_table(Edition)} WHERE id IN ({editions}))",
        f"(SELECT MAX(updated_at) FROM {_table(Programme)} WHERE id IN (SELECT programme_id FROM {_table(Edition)} WHERE id IN ({editions})))",
        f"(SELECT MAX(updated_at) FROM {_table(Room)} WHERE id IN ({rooms}))",
        f"(SELECT MAX(updated_at) FROM {_table(Location)} WHERE id IN (SELECT location_id FROM {_table(Room)} WHERE id IN ({rooms})))",
        _count_and_latest(Session, f"edition_id IN ({editions})"),
        _count_and_latest(LiteratureItem, f"session_id IN ({sessions})"),
        _count_and_latest(PresentationSlot, f"edition_id IN ({editions})"),
        _count_and_latest(Attendance, f"enrolment_id IN ({places})"),
        _count_and_latest(PaperSubmission, f"enrolment_id IN ({places})"),
        _count_and_latest(OwnCase, f"enrolment_id IN ({places})"),
        _count_and_latest(CaseEntry, f"case_id IN ({cases})"),
        _count_and_latest(TimeEntry, f"enrolment_id IN ({places})"),
        f"(SELECT COUNT(*) FROM {_table(Invoice)} WHERE enrolment_id IN ({places}))",
    ]
    return "SELECT " + ",\n  ".join(columns)


_PARTICIPANT_STAMP_SQL = _participant_stamp_sql()


def participant_stamp(user: Any) -> tuple:
    """The stamp of a participant's part of the overview (one query; see _participant_stamp_sql),
    with the local date: the next session and the standing move on with the calendar. Its second
    value is the number of the user's enrolments."""
    return (timezone.localdate(), *fragment_cache.stamp(_PARTICIPANT_STAMP_SQL, {"user": user.pk}))
