"""What an award's documents say, frozen at issue (the snapshot).

An edition's programme, learning goals, lead teachers and session dates are the same for all its
participants, so they are read once (`EditionDocument.load`, three queries) and copied into each
award's snapshot; issuing a whole edition reads them once for all.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from leergang.catalog.models import Edition, LearningGoal, ProgrammeTeacher, SessionKind, Teacher
from leergang.enrolment.models import Enrolment

# The snapshot's keys, exactly; the PDF, the credential and the verification page read only these.
KEYS = (
    "holder_name",
    "holder_email",
    "programme",
    "programme_slug",
    "organiser",
    "start_date",
    "end_date",
    "goals",
    "signatories",
    "kind",
    "edition_id",
)


def both(nl: str, en: str) -> dict[str, str]:
    """A text in both content languages; one written only in Dutch is Dutch in English too."""
    return {"nl": nl or en or "", "en": en or nl or ""}


def holder_name(person: Any) -> str:
    return person.get_full_name() or person.email


def _shared_sql() -> str:
    """The programme's learning goals (0, Dutch, English text) and then its lead teachers (1, name,
    Dutch and English position), each in their order, in one query written as SQL (given the
    programme's id twice): issuing one award reads them for every award, and building and compiling
    the ORM's two queries took longer than running them."""
    table = connection.ops.quote_name
    goal, link, teacher = (table(model._meta.db_table) for model in (LearningGoal, ProgrammeTeacher, Teacher))
    return (
        f'SELECT 0, g."order", g.id, g.text_nl, g.text_en, NULL FROM {goal} g WHERE g.programme_id = %s'  # noqa: S608
        f' UNION ALL SELECT 1, l."order", l.id, t.name, t.position_nl, t.position_en FROM {link} l'
        f" JOIN {teacher} t ON t.id = l.teacher_id WHERE l.programme_id = %s"
        " ORDER BY 1, 2, 3"
    )


@dataclass(frozen=True)
class EditionDocument:
    """Everything an award of this edition shares with the others, as the snapshot stores it."""

    edition: Edition
    sessions: tuple[tuple[int, str, datetime.date], ...]  # (pk, kind, date) in number order
    goals: tuple[dict[str, str], ...]
    signatories: tuple[dict[str, str], ...]

    @classmethod
    def load(cls, edition: Edition, *, sessions: Iterable[tuple[int, str, datetime.date]] | None = None) -> EditionDocument:
        """Two queries (one when the edition's `sessions`, (pk, kind, date) in number order, are
        given); `edition.programme` should be loaded already."""
        if sessions is None:
            sessions = edition.sessions.order_by("number").values_list("pk", "kind", "date")
        sessions = tuple(sessions)
        goals, signatories = [], []
        with connection.cursor() as cursor:
            cursor.execute(_shared_sql(), [edition.programme_id] * 2)
            for part, _order, _pk, first, second, third in cursor.fetchall():
                if part == 0:  # a goal: its Dutch and English text
                    goals.append(both(first, second))
                else:  # a signatory: the teacher's name, Dutch and English position
                    signatories.append({"name": first, "position_nl": second or third, "position_en": third or second})
        return cls(edition=edition, sessions=sessions, goals=tuple(goals), signatories=tuple(signatories))

    @property
    def start_date(self) -> datetime.date:
        return min((day for _pk, _kind, day in self.sessions), default=self.edition.start_date)

    @property
    def end_date(self) -> datetime.date:
        return max((day for _pk, _kind, day in self.sessions), default=self.edition.start_date)

    def final(self, today: datetime.date) -> bool:
        """Whether the closing session's date has come, as `selectors.facts_for` judges it."""
        closing = [day for _pk, kind, day in self.sessions if kind == SessionKind.CLOSING]
        return bool(closing) and max(closing) <= today

    def snapshot(self, enrolment: Enrolment, kind: str) -> dict[str, Any]:
        """The award's frozen data; `enrolment.participant` should be loaded."""
        programme = self.edition.programme
        person = enrolment.participant
        return {
            "holder_name": holder_name(person),
            "holder_email": person.email,
            "programme": both(programme.title_nl, programme.title_en),
            "programme_slug": programme.slug,
            "organiser": programme.organiser or settings.INVOICE_ISSUER_NAME,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat(),
            "goals": [dict(goal) for goal in self.goals],
            "signatories": [dict(signatory) for signatory in self.signatories],
            "kind": kind,
            "edition_id": self.edition.pk,
        }
