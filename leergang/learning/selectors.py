"""Reads for the final paper, each with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from leergang.accounts import permissions
from leergang.catalog.models import Edition, Session, SessionKind
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import permissions as learning_permissions
from .models import LiteratureItem, PaperResult, PaperSubmission, PresentationSlot


def latest_paper(enrolment_id: int) -> PaperSubmission | None:
    """The current paper: the latest upload (one query)."""
    return PaperSubmission.objects.filter(enrolment_id=enrolment_id).order_by("-submitted_at", "-id").first()


def paper_status(enrolment_id: int) -> dict[str, Any]:
    """The contract's `paper` object of an enrolment: {"status", "submitted_at"} (one query)."""
    paper = latest_paper(enrolment_id)
    if paper is None:
        return {"status": "missing", "submitted_at": None}
    return {"status": paper.status, "submitted_at": paper.submitted_at}


def presented(enrolment_id: int) -> bool | None:
    """The contract's `presented` of an enrolment: true, false, or None while not recorded (one query)."""
    return PresentationSlot.objects.filter(enrolment_id=enrolment_id).values_list("presented", flat=True).first()


def paper_history(enrolment_id: int) -> list[PaperSubmission]:
    return list(PaperSubmission.objects.filter(enrolment_id=enrolment_id).order_by("-submitted_at", "-id"))


def visible_enrolment(user: Any, enrolment_id: int) -> Enrolment | None:
    """The enrolment if the user may see it (participant, the edition's teachers, coordinators), else None."""
    enrolment = Enrolment.objects.select_related("edition").filter(pk=enrolment_id).order_by().first()
    if enrolment is None or not learning_permissions.can_view_enrolment(user, enrolment):
        return None
    return enrolment


def can_view_literature(user: Any, session: Any) -> bool:
    """Who may read a session's literature (M11): the edition's enrolled participants (not cancelled),
    its teachers and the programme office. `session.edition` should be loaded (at most two queries)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if permissions.is_coordinator(user):
        return True
    enrolled = Enrolment.objects.filter(
        edition_id=session.edition_id, participant_id=user.pk, status=EnrolmentStatus.ENROLLED
    ).exists()
    return enrolled or learning_permissions.teaches_edition(user, session.edition)


def literature_item(item_id: int) -> LiteratureItem | None:
    """One literature item with its session and edition (one query)."""
    return LiteratureItem.objects.select_related("session__edition").filter(pk=item_id).order_by().first()


def session_literature(session_id: int) -> list[LiteratureItem]:
    """A session's literature in its order (one query); check can_view_literature first."""
    return list(LiteratureItem.objects.filter(session_id=session_id).order_by("order", "id"))


def literature_by_session(session_ids: Iterable[int]) -> dict[int, list[LiteratureItem]]:
    """The literature of several sessions by session id, each in its order (one query, none for no
    sessions); sessions without literature are left out. Check can_view_literature first."""
    ids = set(session_ids)
    result: dict[int, list[LiteratureItem]] = {}
    if ids:
        for item in LiteratureItem.objects.filter(session_id__in=ids).order_by("session_id", "order", "id"):
            result.setdefault(item.session_id, []).append(item)
    return result


# -- final paper pages (M14) ----------------------------------------------------------------------


def paper_enrolment(user: Any, enrolment_id: int) -> Enrolment | None:
    """The enrolment with its participant, edition and programme if the user may see its paper
    (the participant, the edition's teachers, coordinators), else None (one to three queries)."""
    enrolment = Enrolment.objects.select_related("participant", "edition__programme").filter(pk=enrolment_id).order_by().first()
    if enrolment is None or not learning_permissions.can_view_enrolment(user, enrolment):
        return None
    return enrolment


def paper_versions(enrolment_id: int) -> list[PaperSubmission]:
    """Every version, newest (the current paper) first, with who assessed it (one query)."""
    return list(
        PaperSubmission.objects.filter(enrolment_id=enrolment_id).select_related("assessed_by").order_by("-submitted_at", "-id")
    )


def paper_submission(submission_id: int) -> PaperSubmission | None:
    """One version with its enrolment and edition, for the download's access check (one query)."""
    return PaperSubmission.objects.select_related("enrolment__edition").filter(pk=submission_id).order_by().first()


# The staff list: waiting for assessment first, then what is still to come, then what is done.
URGENCY = {"submitted": 0, "missing": 1, "insufficient": 2, "sufficient": 3}


@dataclass(frozen=True)
class PaperRow:
    enrolment: Enrolment
    latest: PaperSubmission | None
    versions: int

    @property
    def status(self) -> str:
        return self.latest.status if self.latest is not None else "missing"


def edition_papers(edition_id: int) -> list[PaperRow]:
    """The enrolled participants of an edition with their current paper, the most urgent first:
    papers waiting for assessment (longest waiting first), then missing, insufficient and sufficient
    ones in name order (two queries, whatever the number of participants or versions)."""
    enrolments = list(
        Enrolment.objects.filter(edition_id=edition_id, status=EnrolmentStatus.ENROLLED)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    latest: dict[int, PaperSubmission] = {}
    counts: dict[int, int] = {}
    for paper in PaperSubmission.objects.filter(
        enrolment__edition_id=edition_id, enrolment__status=EnrolmentStatus.ENROLLED
    ).order_by("enrolment_id", "-submitted_at", "-id"):
        latest.setdefault(paper.enrolment_id, paper)
        counts[paper.enrolment_id] = counts.get(paper.enrolment_id, 0) + 1
    rows = [PaperRow(enrolment, latest.get(enrolment.pk), counts.get(enrolment.pk, 0)) for enrolment in enrolments]

    def urgency(row: PaperRow) -> tuple[int, float]:
        waiting = row.latest.submitted_at.timestamp() if row.latest is not None and row.status == "submitted" else 0.0
        return (URGENCY[row.status], waiting)

    rows.sort(key=urgency)  # stable: within a group the name order stays
    return rows


def papers_to_assess(user: Any, *, limit: int | None = None) -> list[PaperSubmission]:
    """Current papers waiting for assessment, longest waiting first: in the editions the user teaches
    (as a lead teacher of the programme or of a session part), or all of them for a coordinator.
    Each with `enrolment.participant` and `enrolment.edition.programme` loaded (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    current = (
        PaperSubmission.objects.filter(enrolment_id=OuterRef("enrolment_id")).order_by("-submitted_at", "-id").values("pk")[:1]
    )
    papers = PaperSubmission.objects.filter(
        result=PaperResult.PENDING, enrolment__status=EnrolmentStatus.ENROLLED, pk=Subquery(current)
    )
    if not permissions.is_coordinator(user):
        if not getattr(user, "is_teacher", False):
            return []
        taught = Edition.objects.filter(
            Q(programme__teacher_links__teacher__user_id=user.pk) | Q(sessions__parts__teacher__user_id=user.pk)
        ).values("pk")
        papers = papers.filter(enrolment__edition_id__in=taught)
    papers = papers.select_related("enrolment__participant", "enrolment__edition__programme").order_by("submitted_at", "id")
    return list(papers[:limit] if limit is not None else papers)


# -- presentations (M15) --------------------------------------------------------------------------


def closing_session(edition_id: int) -> Session | None:
    """The edition's closing session (the last one if there are several), or None (one query)."""
    return Session.objects.filter(edition_id=edition_id, kind=SessionKind.CLOSING).order_by("-date", "-number").first()


@dataclass(frozen=True)
class PresentationTurn:
    """A participant's place in the order of presentations: number `position` of `total`."""

    position: int
    total: int
    closing_session: Session | None
    presented: bool | None


def presentation_for(enrolment_id: int) -> PresentationTurn | None:
    """Where the participant presents at the closing session, for their dashboard ("You present as
    number 3 of 12 on <date>"); None while the order has not been made or the enrolment was
    cancelled (three queries at most)."""
    slot = (
        PresentationSlot.objects.filter(
            enrolment_id=enrolment_id, position__isnull=False, enrolment__status=EnrolmentStatus.ENROLLED
        )
        .only("position", "presented", "edition_id")
        .first()
    )
    if slot is None:
        return None
    total = PresentationSlot.objects.filter(edition_id=slot.edition_id, position__isnull=False).count()
    return PresentationTurn(
        position=slot.position or 0,
        total=total,
        closing_session=closing_session(slot.edition_id),
        presented=slot.presented,
    )
