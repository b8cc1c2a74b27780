"""The completed 2021 demo edition as it ended: the register of every session, the final papers
handed in and assessed, the presentations at the closing session, and the diplomas (and one
certificate of participation) issued at the ceremony, so the verification pages show real documents.

Everything goes through the real services with the demo's people as actors. Afterwards the rows are
dated back to when they happened, as activity.py does for the running edition; the audit log keeps
the real moment of loading. The awards are dated to the closing session's evening and their PDF and
signed credential made again for that moment (as issuing then would have made them), so what the
documents say and what the database says agree. The e-mails issuing queued are dropped before they
were ever committed: in the demo's story they went out in 2021.
"""

from __future__ import annotations

import datetime
import json

import typst
from django.core.files.uploadedfile import SimpleUploadedFile

from leergang.accounts.models import User
from leergang.attendance import register
from leergang.attendance import services as absences
from leergang.attendance.models import Attendance
from leergang.awards import pdf as award_pdf
from leergang.awards import services as awards
from leergang.awards.models import Award
from leergang.catalog.models import Edition
from leergang.learning import presentations
from leergang.learning import services as papers
from leergang.learning.models import PaperSubmission, PresentationSlot
from leergang.notifications.models import OutboxEmail

from . import content
from .activity import AMSTERDAM, Cast

# A short paper as a real PDF; its texts arrive as data, never as Typst source.
PAPER_SOURCE = b"""#let d = json(bytes(sys.inputs.data))
#set text(font: "Libertinus Serif", lang: "nl")
#set document(title: d.title, author: d.author)
#text(size: 18pt, weight: "bold", d.title)

#d.author

#d.body
"""


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


def _paper_file(name: str, title: str, author: str) -> SimpleUploadedFile:
    body = "Eindopdracht van de opleiding Sturen en leidinggeven vanuit vertrouwen (demo)."
    data = json.dumps({"title": title, "author": author, "body": body}, ensure_ascii=False)
    return SimpleUploadedFile(name, typst.compile(PAPER_SOURCE, sys_inputs={"data": data}), "application/pdf")


def _register(sessions: list, cast: Cast, enrolments: dict) -> None:
    """The teacher's register of every session: the exceptions first, then everyone else present."""
    for session in sessions:
        for email, missed in content.MISSED_2021.items():
            if session.number not in missed:
                continue
            status, note = missed[session.number]
            if status == "excused":  # reported ahead by the participant, a week before
                absences.report_absence(
                    actor=cast.participants[email],
                    session_id=session.pk,
                    enrolment_id=enrolments[email].pk,
                    note=note,
                    today=session.date - datetime.timedelta(days=7),
                )
            else:
                register.record_attendance(
                    actor=cast.teacher, session_id=session.pk, enrolment_id=enrolments[email].pk, status=status, note=note
                )
        register.mark_unrecorded_present(actor=cast.teacher, session_id=session.pk)
        Attendance.objects.filter(session=session).update(recorded_at=_moment(session.date, 19))


def _papers(closing, cast: Cast, enrolments: dict) -> None:
    handed_in = _moment(closing.date - datetime.timedelta(days=21), 21)
    assessed = _moment(closing.date - datetime.timedelta(days=10), 10)
    for email, (filename, title, feedback) in content.PAPERS_2021.items():
        person, enrolment = cast.participants[email], enrolments[email]
        paper = papers.submit_paper(
            actor=person, enrolment_id=enrolment.pk, uploaded_file=_paper_file(filename, title, person.get_full_name())
        )
        papers.assess_paper(actor=cast.teacher, enrolment_id=enrolment.pk, result="sufficient", feedback=feedback)
        PaperSubmission.objects.filter(pk=paper.pk).update(submitted_at=handed_in, assessed_at=assessed)


def _presentations(closing, cast: Cast, enrolments: dict) -> None:
    for email in content.PAPERS_2021:
        presentations.record_presentation(actor=cast.teacher, enrolment_id=enrolments[email].pk, presented=True)
    PresentationSlot.objects.filter(edition=closing.edition).update(recorded_at=_moment(closing.date, 16))


def _awards(edition: Edition, closing, coordinator: User) -> None:
    # Dated the evening of the closing session, when they were handed out.
    results = awards.issue_for_edition(actor=coordinator, edition_id=edition.pk, issued_at=_moment(closing.date, 18))
    issued = [result.award for result in results if result.award is not None]
    # Their e-mails went out long ago (and made the PDFs on the way): the documents exist, the mail is history.
    for award in issued:
        award_pdf.document(award)
    OutboxEmail.objects.filter(related_type=Award._meta.label_lower, related_id__in=[str(award.pk) for award in issued]).delete()


def complete(edition: Edition, cast: Cast, coordinator: User) -> None:
    """The 2021 edition from its register to its diplomas."""
    sessions = list(edition.sessions.order_by("number"))
    closing = sessions[-1]
    by_person = {e.participant_id: e for e in edition.enrolments.all()}
    enrolments = {email: by_person[person.pk] for email, person in cast.participants.items()}
    _register(sessions, cast, enrolments)
    _papers(closing, cast, enrolments)
    _presentations(closing, cast, enrolments)
    _awards(edition, closing, coordinator)
