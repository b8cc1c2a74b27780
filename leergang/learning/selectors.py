"""Reads for the final paper, each with a fixed number of queries."""

from __future__ import annotations

from typing import Any

from leergang.accounts import permissions
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from .models import LiteratureItem, PaperSubmission, PresentationSlot


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
    enrolment = Enrolment.objects.select_related("edition").filter(pk=enrolment_id).first()
    if enrolment is None or not permissions.can_view_enrolment(user, enrolment):
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
    return enrolled or permissions.teaches_edition(user, session.edition)


def literature_item(item_id: int) -> LiteratureItem | None:
    """One literature item with its session and edition (one query)."""
    return LiteratureItem.objects.select_related("session__edition").filter(pk=item_id).first()


def session_literature(session_id: int) -> list[LiteratureItem]:
    """A session's literature in its order (one query); check can_view_literature first."""
    return list(LiteratureItem.objects.filter(session_id=session_id).order_by("order", "id"))
