"""Data for the standing, warning, page, API and browser tests of awards (no tests in here).

Editions with their sessions a number of days from today, participants, and their attendance,
final paper and presentation written as the database holds them (the services that record them
are tested on their own)."""

from __future__ import annotations

import datetime
import itertools
import uuid

from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, ProgrammeTeacher
from leergang.enrolment.models import Enrolment
from leergang.learning.models import PaperSubmission, PresentationSlot
from tests import factories

_positions = itertools.count(1)


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def edition_with_sessions(
    *, first: int, content: int = 6, closing: int | None = None, status: str = "running", programme=None, **programme_fields
) -> Edition:
    """An edition whose first content session is `first` days from today, the next ones 28 days
    apart, and the closing session `closing` days from today (28 days after the last content
    session when not given). `programme_fields` set the programme's award rule and the like."""
    programme = programme or factories.ProgrammeFactory(
        title_nl=programme_fields.pop("title_nl", "Sturen vanuit vertrouwen"),
        title_en=programme_fields.pop("title_en", "Leading through trust"),
        **programme_fields,
    )
    edition = factories.EditionFactory(programme=programme, status=status, start_date=day(first))
    for number in range(1, content + 1):
        factories.SessionFactory(edition=edition, number=number, kind="content", date=day(first + 28 * (number - 1)))
    closing_day = closing if closing is not None else first + 28 * content
    factories.SessionFactory(edition=edition, number=content + 1, kind="closing", date=day(closing_day))
    return edition


def finished_edition(**fields) -> Edition:
    """Every session past: the closing session a week ago, so the outcome is final."""
    content = fields.pop("content", 6)
    return edition_with_sessions(first=-7 - 28 * content, content=content, **fields)


def running_edition(*, held: int = 3, **fields) -> Edition:
    """`held` content sessions past (the last one a week ago), the rest and the closing session ahead."""
    return edition_with_sessions(first=-7 - 28 * (held - 1), **fields)


def teacher_of(edition: Edition, email: str = "teacher@example.org"):
    user = factories.TeacherUserFactory(email=email)
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=user))
    return user


def participant_in(
    edition: Edition, email: str, first_name: str = "Anna", last_name: str = "Jansen", *, language: str = "nl", **fields
) -> Enrolment:
    person = factories.UserFactory(email=email, first_name=first_name, last_name=last_name, preferred_language=language)
    return factories.EnrolmentFactory(edition=edition, participant=person, **fields)


def attend(enrolment: Enrolment, statuses, *, closing: str | None = None) -> None:
    """Attendance of the content sessions in order (None: nothing recorded), and of the closing one."""
    sessions = list(enrolment.edition.sessions.order_by("number"))
    content = [s for s in sessions if s.kind == "content"]
    rows = list(zip(content, statuses, strict=False))
    if closing is not None:
        rows += [(s, closing) for s in sessions if s.kind == "closing"]
    Attendance.objects.bulk_create(
        Attendance(
            session=session, enrolment=enrolment, status=status, recorded_at=timezone.now(), recorded_by=enrolment.participant
        )
        for session, status in rows
        if status is not None
    )


def hand_in(enrolment: Enrolment, result: str = "sufficient") -> PaperSubmission:
    """A paper version: `result` pending (handed in, waiting), sufficient or insufficient."""
    assessed = result != "pending"
    return PaperSubmission.objects.create(
        enrolment=enrolment,
        file_path=f"papers/{uuid.uuid4().hex}.pdf",
        original_filename="paper.pdf",
        content_type="pdf",
        size=1000,
        sha256="0" * 64,
        submitted_at=timezone.now(),
        submitted_by=enrolment.participant,
        result=result,
        assessed_at=timezone.now() if assessed else None,
        assessed_by=enrolment.participant if assessed else None,
    )


def record_presented(enrolment: Enrolment, presented: bool | None = True) -> PresentationSlot:
    return PresentationSlot.objects.create(
        enrolment=enrolment,
        edition=enrolment.edition,
        position=next(_positions),
        presented=presented,
        recorded_at=timezone.now() if presented is not None else None,
        recorded_by=enrolment.participant if presented is not None else None,
    )


def complete(
    enrolment: Enrolment, *, attended: int = 6, paper: str | None = "sufficient", presented: bool | None = True
) -> Enrolment:
    """A participant who attended `attended` of six content sessions (absent at the others), with
    the paper assessed as `paper` (None: not handed in) and `presented`."""
    attend(enrolment, ["present"] * attended + ["absent"] * (6 - attended))
    if paper is not None:
        hand_in(enrolment, paper)
    record_presented(enrolment, presented)
    return enrolment
