"""What the programme office's overview reads (accounts:dashboard): every programme with its number
of editions, and the editions the office works on with their new applications. Two queries written
as SQL: the office opens this page first and often, and building and compiling the ORM's queries
and loading fifty editions as model instances took more than twice as long as running them.

They pick what catalog.selectors.programmes_with_current_editions picks for the office, which sees
every programme (tests/accounts/test_office_reads.py compares them); the editions' rule is the
catalogue's (RECENTLY_COMPLETED_DAYS there).
"""

# ruff: noqa: S608 - the SQL is built from the models' table names, never from input

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from leergang.catalog import selectors as catalog_selectors
from leergang.catalog.models import Edition, EditionStatus, Programme, Session
from leergang.enrolment.models import Application, ApplicationStatus

from . import permissions

_PROGRAMME_FIELDS = ("id", *catalog_selectors.OVERVIEW_PROGRAMME_FIELDS)


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _programmes_sql(*, with_drafts: bool) -> str:
    """Every programme by its Dutch title, with how many editions it has (drafts only `with_drafts`)."""
    drafts = f" AND status <> '{EditionStatus.DRAFT}'" if not with_drafts else ""
    columns = ", ".join(f"p.{connection.ops.quote_name(name)}" for name in _PROGRAMME_FIELDS)
    count = f"(SELECT COUNT(*) FROM {_table(Edition)} WHERE programme_id = p.id{drafts})"
    return f"SELECT {columns}, {count} FROM {_table(Programme)} p ORDER BY p.title_nl"


def _editions_sql(*, with_drafts: bool) -> str:
    """The current editions (catalog_selectors.current_editions: not completed, or completed with a
    start or a session on or after the cutoff) by start date, each with its applications still to be
    handled (status submitted; one probe of the index on edition and status)."""
    drafts = f" AND e.status <> '{EditionStatus.DRAFT}'" if not with_drafts else ""
    return (
        f"SELECT e.id, e.programme_id, e.start_date, e.status,"
        f" (SELECT COUNT(*) FROM {_table(Application)} WHERE edition_id = e.id AND status = '{ApplicationStatus.SUBMITTED}')"
        f" FROM {_table(Edition)} e"
        f" WHERE (e.status <> '{EditionStatus.COMPLETED}' OR e.start_date >= %s"
        f" OR EXISTS (SELECT 1 FROM {_table(Session)} WHERE edition_id = e.id AND date >= %s)){drafts}"
        " ORDER BY e.start_date, e.id"
    )


class OverviewEdition:
    """An edition as the overview lists it: what it shows and what the early warning's count reads
    (its `programme` with the award rule); lighter than a model instance, fifty of them a visit."""

    __slots__ = ("id", "programme", "programme_id", "start_date", "status", "new_applications", "out_of_reach")

    def __init__(self, pk: int, programme: Programme, start_date: datetime.date, status: str, new_applications: int):
        self.id, self.programme, self.programme_id = pk, programme, programme.pk
        self.start_date, self.status, self.new_applications, self.out_of_reach = start_date, status, new_applications, 0

    @property
    def pk(self) -> int:
        return self.id


def programmes_with_current_editions(user, today: datetime.date | None = None) -> list[Programme]:
    """For the office (`user` a coordinator: every programme is visible to them), the programmes with
    `edition_count` and `current_editions` (by start date, each an OverviewEdition with
    `new_applications`), as catalog_selectors.programmes_with_current_editions gives them."""
    with_drafts = permissions.can_see_draft_editions(user)
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=catalog_selectors.RECENTLY_COMPLETED_DAYS)
    fields = [Programme._meta.get_field(name) for name in _PROGRAMME_FIELDS]
    names = [field.attname for field in fields]
    programmes, by_id = [], {}
    with connection.cursor() as cursor:
        cursor.execute(_programmes_sql(with_drafts=with_drafts))
        for *values, edition_count in cursor.fetchall():
            # to_python: SQLite gives booleans as numbers
            programme = Programme.from_db(connection.alias, names, [f.to_python(v) for f, v in zip(fields, values, strict=True)])
            programme.edition_count, programme.current_editions = edition_count, []
            programmes.append(programme)
            by_id[programme.pk] = programme
        day = connection.ops.adapt_datefield_value(cutoff)
        cursor.execute(_editions_sql(with_drafts=with_drafts), [day, day])
        to_date = Edition._meta.get_field("start_date").to_python  # SQLite gives dates as text
        for pk, programme_id, start_date, status, new_applications in cursor.fetchall():
            programme = by_id[programme_id]
            programme.current_editions.append(OverviewEdition(pk, programme, to_date(start_date), status, new_applications))
    return programmes
