"""Business actions of the final paper (M14): submit and assess. Atomic, actor explicit, audited (R8).

The deadline (`Edition.paper_deadline`, inclusive, as a date in Europe/Amsterdam) stops a
participant's first paper; a new version after an insufficient result is still welcome after it
(feedback often comes after the deadline), and the programme office may always upload for them.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import audit, formatting
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import permissions as learning_permissions
from . import uploads
from .models import PaperResult, PaperSubmission

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AUDIT_FIELDS = ["enrolment", "file_path", "original_filename", "content_type", "size", "sha256", "result", "feedback"]
ASSESSMENT_FIELDS = ["result", "feedback", "assessed_at", "assessed_by"]


def _enrolment_for(actor: Any, enrolment_id: int, *, lock: bool = False) -> Enrolment:
    query = Enrolment.objects.select_related("edition")
    if lock:
        query = query.select_for_update(of=("self",))
    enrolment = query.filter(pk=enrolment_id).first()
    if enrolment is None or not learning_permissions.can_view_enrolment(actor, enrolment):
        raise NotFound(_("There is no enrolment with this number."))
    return enrolment


def _latest(enrolment: Enrolment) -> PaperSubmission | None:
    return enrolment.paper_submissions.order_by("-submitted_at", "-id").first()


def today() -> datetime.date:
    """The date in Amsterdam: deadlines are days there, whatever the server's clock zone."""
    return timezone.localdate(timezone=AMSTERDAM)


def deadline_passed(deadline: datetime.date | None, day: datetime.date) -> bool:
    """The deadline day itself still counts; no deadline never passes."""
    return deadline is not None and day > deadline


def deadline_conflict(deadline: datetime.date) -> Conflict:
    return Conflict(
        _("The deadline for the final paper was %(date)s; contact the programme office.")
        % {"date": formatting.long_date(deadline, with_weekday=True)}
    )


def upload_refusal(*, actor: Any, enrolment: Enrolment, previous: PaperSubmission | None, day: datetime.date | None = None):
    """Why `actor` (the participant or a coordinator) cannot upload a paper for the enrolment now, as
    the Conflict to raise, or None when they can. `previous` is the current (latest) paper."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return Conflict(_("This enrolment was cancelled; no paper can be uploaded for it."))
    if previous is not None and previous.result == PaperResult.SUFFICIENT:
        return Conflict(_("This paper was already assessed as sufficient; it cannot be replaced."))
    resubmission = previous is not None and previous.result == PaperResult.INSUFFICIENT
    deadline = enrolment.edition.paper_deadline
    if not resubmission and not permissions.is_coordinator(actor) and deadline_passed(deadline, day or today()):
        return deadline_conflict(deadline)
    return None


def upload_root() -> Path:
    return Path(settings.UPLOAD_ROOT)


def submit_paper(*, actor: Any, enrolment_id: int, uploaded_file: Any) -> PaperSubmission:
    """Store a new version of the participant's paper. The participant themselves or a coordinator;
    refused after a sufficient result and, for the participant, after the deadline unless the
    current version was insufficient. The file is written only after it passed the checks, and
    removed again when the row is not committed (a failed insert, audit or commit)."""
    stored: Path | None = None
    try:
        with transaction.atomic():
            enrolment = _enrolment_for(actor, enrolment_id, lock=True)
            if not (enrolment.participant_id == actor.pk or permissions.is_coordinator(actor)):
                raise PermissionDenied(_("Only the participant or the programme office can upload this paper."))
            previous = _latest(enrolment)
            refusal = upload_refusal(actor=actor, enrolment=enrolment, previous=previous)
            if refusal is not None:
                raise refusal

            checked = uploads.check(uploaded_file, max_bytes=settings.UPLOAD_MAX_BYTES)
            relative = uploads.random_relative_path(checked.kind)
            stored = uploads.store(uploaded_file, upload_root(), relative)
            paper = PaperSubmission.objects.create(
                enrolment=enrolment,
                file_path=relative,
                original_filename=uploads.clean_filename(getattr(uploaded_file, "name", "")),
                content_type=checked.kind,
                size=checked.size,
                sha256=checked.sha256,
                submitted_at=timezone.now(),
                submitted_by=actor,
            )
            audit.record(
                actor=actor,
                action="paper.submitted",
                obj=paper,
                before=(audit.snapshot(previous, AUDIT_FIELDS) | {"id": previous.pk}) if previous else None,
                after=audit.snapshot(paper, AUDIT_FIELDS) | {"id": paper.pk},
            )
    except BaseException:
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return paper


def assess_paper(
    *, actor: Any, enrolment_id: int, result: str, feedback: str, submission_id: int | None = None
) -> PaperSubmission:
    """Judge the current (pending) paper: a teacher of the edition or a coordinator. With
    `submission_id` (the version the assessor read), a newer upload in the meantime is a Conflict."""
    feedback = (feedback or "").strip()
    if result not in (PaperResult.SUFFICIENT, PaperResult.INSUFFICIENT):
        message = _("Choose sufficient or insufficient.")
        raise Invalid(message, [{"field": "result", "message": message}])
    with transaction.atomic():
        enrolment = _enrolment_for(actor, enrolment_id, lock=True)
        if not learning_permissions.is_staff_of(actor, enrolment.edition):
            raise PermissionDenied(_("Only a teacher of this edition or the programme office can assess the paper."))
        paper = _latest(enrolment)
        if paper is None:
            raise Conflict(_("No paper has been submitted yet, so there is nothing to assess."))
        if submission_id is not None and paper.pk != submission_id:
            raise Conflict(_("A newer version of this paper was handed in meanwhile; read it before you assess."))
        if paper.result != PaperResult.PENDING:
            raise Conflict(_("The latest paper was already assessed; wait for a new version before assessing again."))
        if result == PaperResult.INSUFFICIENT and not feedback:
            message = _("Explain what to improve when the paper is insufficient.")
            raise Invalid(message, [{"field": "feedback", "message": message}])
        before = audit.snapshot(paper, ASSESSMENT_FIELDS)
        paper.result = result
        paper.feedback = feedback
        paper.assessed_at = timezone.now()
        paper.assessed_by = actor
        paper.save(update_fields=["result", "feedback", "assessed_at", "assessed_by", "updated_at"])
        audit.record(
            actor=actor, action="paper.assessed", obj=paper, before=before, after=audit.snapshot(paper, ASSESSMENT_FIELDS)
        )
    return paper


def paper_file(paper: PaperSubmission) -> Path:
    """The stored file of a paper, never outside UPLOAD_ROOT."""
    root = upload_root().resolve()
    path = (root / paper.file_path).resolve()
    if root not in path.parents:
        raise NotFound(_("The file of this paper could not be found."))
    return path
