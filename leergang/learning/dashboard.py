"""What the dashboard shows about learning: per enrolment the next session, what to read, the own
case, the hours and the standing toward the diploma; for teachers their editions and what waits
for them (case entries to respond to, papers to assess). Reads only; a fixed number of queries per
enrolment or edition, never per participant or entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from leergang.attendance import selectors as attendance_selectors
from leergang.awards import rules as award_rules
from leergang.awards import selectors as award_selectors
from leergang.catalog.models import Edition, EditionStatus, Session
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import cases, selectors, timelog
from .models import LiteratureItem, OwnCase


@dataclass
class ParticipantCard:
    enrolment: Enrolment
    next_session: Session | None
    excused_next: bool
    reading: list[LiteratureItem]
    reading_minutes: int
    case: OwnCase | None
    entries_written: int
    time: Any
    standing: award_rules.Outcome
    paper: dict
    out_of_reach: bool = False  # the early warning: too many sessions missed for the diploma
    prospect: str = award_rules.NONE  # what the participant is on course for
    presentation: Any = None
    sessions_total: int = 0


def participant_cards(user: Any) -> list[ParticipantCard]:
    """A card per active enrolment in an edition that is not completed yet."""
    enrolments = list(
        Enrolment.objects.filter(participant_id=user.pk, status=EnrolmentStatus.ENROLLED)
        .exclude(edition__status__in=[EditionStatus.COMPLETED, EditionStatus.DRAFT])
        .select_related("edition__programme", "edition__room__location")
        .order_by("edition__start_date")
    )
    today = timezone.localdate()
    cards = []
    for enrolment in enrolments:
        standing = award_selectors.standing_for(enrolment)
        sessions = list(enrolment.edition.sessions.order_by("number"))
        upcoming = [s for s in sessions if s.date >= today]
        next_session = upcoming[0] if upcoming else None
        reading = selectors.session_literature(next_session.pk) if next_session else []
        excused = bool(next_session and attendance_selectors.is_excused(next_session.pk, enrolment.pk))
        case = OwnCase.objects.filter(enrolment=enrolment).first()
        cards.append(
            ParticipantCard(
                enrolment=enrolment,
                next_session=next_session,
                excused_next=excused,
                reading=reading,
                reading_minutes=sum(item.preparation_minutes for item in reading),
                case=case,
                entries_written=case.entries.count() if case else 0,
                time=timelog.time_summary(enrolment),
                standing=standing.outcome,
                paper=standing.paper_info,
                out_of_reach=standing.out_of_reach,
                prospect=standing.prospect,
                presentation=selectors.presentation_for(enrolment.pk),
                sessions_total=len(sessions),
            )
        )
    return cards


@dataclass
class TeachingEdition:
    edition: Edition
    next_session: Session | None
    participants: int


@dataclass
class TeacherOverview:
    editions: list[TeachingEdition]
    entries: list[Any]
    papers: list[Any]

    def __bool__(self) -> bool:
        return bool(self.editions or self.entries or self.papers)


def taught_editions(user: Any) -> list[Edition]:
    """Editions (open or running) the user teaches: as a lead teacher of the programme or of a part."""
    profile = getattr(user, "teacher_profile", None) if getattr(user, "is_teacher", False) else None
    if profile is None:
        return []
    from django.db.models import Q

    return list(
        Edition.objects.filter(status__in=[EditionStatus.OPEN, EditionStatus.RUNNING])
        .filter(Q(programme__teacher_links__teacher=profile) | Q(sessions__parts__teacher=profile))
        .select_related("programme")
        .distinct()
        .order_by("start_date")
    )


def teacher_overview(user: Any) -> TeacherOverview:
    """For teachers; the programme office reaches the same pages from its edition list."""
    if not getattr(user, "is_teacher", False):
        return TeacherOverview([], [], [])
    editions = taught_editions(user)
    today = timezone.localdate()
    rows = []
    for edition in editions:
        next_session = edition.sessions.filter(date__gte=today).order_by("number").first()
        participants = edition.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        rows.append(TeachingEdition(edition, next_session, participants))
    return TeacherOverview(rows, cases.entries_awaiting_response(user), selectors.papers_to_assess(user))
