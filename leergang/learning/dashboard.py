"""What the dashboard shows about learning: per enrolment the next session, what to read, the own
case, the hours and the standing toward the diploma; for teachers their editions and what waits
for them (case entries to respond to, papers to assess). Reads only; a fixed number of queries
whatever the number of enrolments, editions, participants or entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from leergang.attendance.models import AttendanceStatus
from leergang.awards import rules as award_rules
from leergang.awards import selectors as award_selectors
from leergang.catalog.models import Edition, EditionStatus, Session, SessionKind
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import cases, selectors, timelog
from .models import CaseEntry, LiteratureItem, OwnCase, PresentationSlot


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


def dashboard_enrolments(user: Any) -> list[Enrolment]:
    """All the user's enrolments, the earliest edition first, with what the dashboard shows of them
    loaded along (one query): the edition with its programme, room and location, the own case with
    `case_entries` (its number of progress entries), and the presentation slot with
    `positioned_slots` (how many participants of the edition have a place in the order)."""
    entries = (
        CaseEntry.objects.filter(case__enrolment_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    positioned = (
        PresentationSlot.objects.filter(edition_id=OuterRef("edition_id"), position__isnull=False)
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Enrolment.objects.filter(participant_id=user.pk)
        .select_related("edition__programme", "edition__room__location", "own_case", "presentation_slot")
        .annotate(case_entries=Coalesce(Subquery(entries), 0), positioned_slots=Coalesce(Subquery(positioned), 0))
        .order_by("edition__start_date")
    )


def _closing_session(sessions: list[Session]) -> Session | None:
    """As selectors.closing_session: the last closing session by date, then number."""
    closing = [session for session in sessions if session.kind == SessionKind.CLOSING]
    return max(closing, key=lambda session: (session.date, session.number), default=None)


def _presentation(enrolment: Enrolment, sessions: list[Session]) -> selectors.PresentationTurn | None:
    """As selectors.presentation_for, from what dashboard_enrolments loaded."""
    slot = getattr(enrolment, "presentation_slot", None)
    if slot is None or slot.position is None or enrolment.status != EnrolmentStatus.ENROLLED:
        return None
    return selectors.PresentationTurn(
        position=slot.position,
        total=enrolment.positioned_slots,
        closing_session=_closing_session(sessions),
        presented=slot.presented,
    )


def participant_cards(user: Any, enrolments: list[Enrolment] | None = None) -> list[ParticipantCard]:
    """A card per active enrolment in an edition that is not completed yet. `enrolments` are the
    user's as `dashboard_enrolments` loads them (read when not given). Six queries at most with
    them, whatever the number of enrolments: the sessions, the standings' three, the literature
    for the next sessions and the hours."""
    if enrolments is None:
        enrolments = dashboard_enrolments(user)
    hidden = (EditionStatus.COMPLETED, EditionStatus.DRAFT)
    active = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED and e.edition.status not in hidden]
    if not active:
        return []
    today = timezone.localdate()
    sessions: dict[int, list[Session]] = {}
    for session in Session.objects.filter(edition_id__in={e.edition_id for e in active}).order_by("edition_id", "number"):
        sessions.setdefault(session.edition_id, []).append(session)
    rows = {edition_id: [(s.pk, s.kind, s.date) for s in found] for edition_id, found in sessions.items()}
    standings = award_selectors.standings_for(active, today=today, sessions=rows, with_awards=False)
    next_sessions = {}
    for enrolment in active:
        upcoming = [s for s in sessions.get(enrolment.edition_id, []) if s.date >= today]
        next_sessions[enrolment.pk] = upcoming[0] if upcoming else None
    literature = selectors.literature_by_session(s.pk for s in next_sessions.values() if s is not None)
    times = timelog.time_summaries(active, sessions=sessions)
    cards = []
    for enrolment, standing in zip(active, standings, strict=True):
        next_session = next_sessions[enrolment.pk]
        reading = literature.get(next_session.pk, []) if next_session else []
        case = getattr(enrolment, "own_case", None)
        cards.append(
            ParticipantCard(
                enrolment=enrolment,
                next_session=next_session,
                excused_next=bool(next_session and dict(standing.attendance).get(next_session.pk) == AttendanceStatus.EXCUSED),
                reading=reading,
                reading_minutes=sum(item.preparation_minutes for item in reading),
                case=case,
                entries_written=enrolment.case_entries if case else 0,
                time=times[enrolment.pk],
                standing=standing.outcome,
                paper=standing.paper_info,
                out_of_reach=standing.out_of_reach,
                prospect=standing.prospect,
                presentation=_presentation(enrolment, sessions.get(enrolment.edition_id, [])),
                sessions_total=len(sessions.get(enrolment.edition_id, [])),
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
    """Editions (open or running) the user teaches: as a lead teacher of the programme or of a part.
    Each with `participants`, its number of enrolled participants (one query)."""
    if not getattr(user, "is_teacher", False):
        return []
    enrolled = (
        Enrolment.objects.filter(edition_id=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("edition_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Edition.objects.filter(status__in=[EditionStatus.OPEN, EditionStatus.RUNNING])
        .filter(Q(programme__teacher_links__teacher__user_id=user.pk) | Q(sessions__parts__teacher__user_id=user.pk))
        .select_related("programme")
        .annotate(participants=Coalesce(Subquery(enrolled), 0))
        .distinct()
        .order_by("start_date")
    )


def teacher_overview(user: Any) -> TeacherOverview:
    """For teachers; the programme office reaches the same pages from its edition list. Four
    queries, whatever the number of editions."""
    if not getattr(user, "is_teacher", False):
        return TeacherOverview([], [], [])
    editions = taught_editions(user)
    today = timezone.localdate()
    next_sessions: dict[int, Session] = {}
    if editions:
        for session in Session.objects.filter(edition__in=editions, date__gte=today).order_by("edition_id", "number"):
            next_sessions.setdefault(session.edition_id, session)
    rows = [TeachingEdition(edition, next_sessions.get(edition.pk), edition.participants) for edition in editions]
    return TeacherOverview(rows, cases.entries_awaiting_response(user), selectors.papers_to_assess(user))
