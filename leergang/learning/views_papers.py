"""The final paper pages (M14): the participant hands in (and again after an insufficient result),
the edition's teachers and the programme office assess, everyone allowed downloads the versions.

Who may see a paper page: the participant, the edition's teachers and the programme office;
everyone else gets a 404, alike for an enrolment or a file that does not exist. The services decide
(content checks, deadline, who may); their refusals become form errors in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from leergang.accounts import permissions
from leergang.catalog.models import Edition
from leergang.core.errors import DomainError, NotFound, PermissionDenied
from leergang.enrolment.inbox_forms import DomainErrorsMixin
from leergang.enrolment.models import Enrolment

from . import permissions as learning_permissions
from . import selectors, services, uploads
from .models import PaperResult

CHOOSE_FILE = gettext_lazy("Choose your paper as a PDF or Word (.docx) file.")


class PaperUploadForm(DomainErrorsMixin, forms.Form):
    # Empty files pass here so that the content check says what to do about them.
    file = forms.FileField(
        label=gettext_lazy("Your paper"),
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}),
        error_messages={"required": CHOOSE_FILE, "invalid": CHOOSE_FILE, "missing": CHOOSE_FILE},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF or Word (.docx) file of at most %(limit)s MB.") % {
            "limit": uploads.human_megabytes(settings.UPLOAD_MAX_BYTES)
        }


class AssessmentForm(DomainErrorsMixin, forms.Form):
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=[
            (PaperResult.SUFFICIENT, PaperResult.SUFFICIENT.label),
            (PaperResult.INSUFFICIENT, PaperResult.INSUFFICIENT.label),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose sufficient or insufficient."),
            "invalid_choice": gettext_lazy("Choose sufficient or insufficient."),
        },
    )
    feedback = forms.CharField(
        label=gettext_lazy("Feedback for the participant"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Required when the paper is insufficient: say what to improve."),
    )
    submission = forms.IntegerField(widget=forms.HiddenInput)


def _enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    enrolment = selectors.paper_enrolment(request.user, enrolment_id)
    if enrolment is None:
        raise Http404("not found")
    return enrolment


def _may_upload(user: Any, enrolment: Enrolment) -> bool:
    return enrolment.participant_id == user.pk or permissions.is_coordinator(user)


def _context(
    request: HttpRequest,
    enrolment: Enrolment,
    *,
    upload_form: PaperUploadForm | None = None,
    assessment_form: AssessmentForm | None = None,
) -> dict[str, Any]:
    user = request.user
    versions = selectors.paper_versions(enrolment.pk)
    current = versions[0] if versions else None
    own = enrolment.participant_id == user.pk
    staff = learning_permissions.can_assess_papers(user, enrolment.edition)
    refusal = services.upload_refusal(actor=user, enrolment=enrolment, previous=current) if _may_upload(user, enrolment) else None
    can_upload = _may_upload(user, enrolment) and refusal is None
    can_assess = staff and current is not None and current.result == PaperResult.PENDING
    if can_assess and assessment_form is None:
        assessment_form = AssessmentForm(initial={"submission": current.pk})
    deadline = enrolment.edition.paper_deadline
    refusal_text = (
        str(refusal.detail) if refusal is not None and not (current and current.result == PaperResult.SUFFICIENT) else ""
    )
    # A refused form that is no longer offered (a colleague assessed first, the deadline passed):
    # its message still has to be read.
    shown = {"upload": can_upload, "assessment": can_assess}
    refused = [
        str(error)
        for name, form in (("upload", upload_form), ("assessment", assessment_form))
        if form is not None and not shown[name]
        for error in form.non_field_errors()
        if str(error) != refusal_text
    ]
    return {
        "enrolment": enrolment,
        "edition": enrolment.edition,
        "programme": enrolment.edition.programme,
        "participant": enrolment.participant,
        "own": own,
        "staff": staff,
        "versions": versions,
        "current": current,
        "status": current.status if current is not None else "missing",
        "deadline": deadline,
        "deadline_passed": services.deadline_passed(deadline, services.today()),
        # Nothing to say after a sufficient result: the status says it all.
        "refusal": refusal_text,
        "refused": refused,
        "can_upload": can_upload,
        "upload_form": (upload_form if upload_form is not None else PaperUploadForm()) if can_upload else None,
        "can_assess": can_assess,
        "assessment_form": assessment_form if can_assess else None,
    }


def _page(request: HttpRequest, enrolment: Enrolment, status: int = 200, **forms_: Any) -> HttpResponse:
    return render(request, "learning/paper.html", _context(request, enrolment, **forms_), status=status)


def _to_page(enrolment: Enrolment) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("papers:paper", kwargs={"enrolment_id": enrolment.pk}))


@require_safe
def paper_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _page(request, _enrolment(request, enrolment_id))


@require_POST
def upload(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    if not _may_upload(request.user, enrolment):
        raise Http404("not found")
    form = PaperUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, enrolment, status=422, upload_form=form)
    try:
        paper = services.submit_paper(actor=request.user, enrolment_id=enrolment.pk, uploaded_file=form.cleaned_data["file"])
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, enrolment, status=exc.status, upload_form=form)
    messages.success(request, _("“%(name)s” was handed in; it is waiting for assessment.") % {"name": paper.original_filename})
    return _to_page(enrolment)


@require_POST
def assess(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(request, enrolment_id)
    if not learning_permissions.can_assess_papers(request.user, enrolment.edition):
        raise Http404("not found")
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return _page(request, enrolment, status=422, assessment_form=form)
    try:
        services.assess_paper(
            actor=request.user,
            enrolment_id=enrolment.pk,
            result=form.cleaned_data["result"],
            feedback=form.cleaned_data["feedback"],
            submission_id=form.cleaned_data["submission"],
        )
    except (NotFound, PermissionDenied) as exc:
        raise Http404("not found") from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        # A refused assessment of a version that is no longer waiting: show the page as it is now.
        return _page(request, enrolment, status=exc.status, assessment_form=form)
    messages.success(request, _("The assessment was saved. The participant sees it on their paper page."))
    return _to_page(enrolment)


@require_safe
def paper_file(request: HttpRequest, submission_id: int) -> HttpResponse:
    """One version as a download, from UPLOAD_ROOT (never the static files), for the participant,
    the edition's teachers and the programme office; a 404 for everyone else, alike for a missing one."""
    paper = selectors.paper_submission(submission_id)
    if paper is None or not learning_permissions.can_view_enrolment(request.user, paper.enrolment):
        raise Http404("not found")
    try:
        handle = services.paper_file(paper).open("rb")
    except (NotFound, OSError):
        raise Http404("not found") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=paper.original_filename or f"paper{uploads.EXTENSIONS[paper.content_type]}",
        content_type=uploads.CONTENT_TYPES[paper.content_type],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def edition_papers(request: HttpRequest, edition_id: int) -> HttpResponse:
    """The edition's participants with their paper, waiting ones first (its teachers and the office)."""
    edition = Edition.objects.select_related("programme").filter(pk=edition_id).first()
    if edition is None or not learning_permissions.can_assess_papers(request.user, edition):
        raise Http404("not found")
    rows = selectors.edition_papers(edition.pk)
    counts = {status: 0 for status in selectors.URGENCY}
    for row in rows:
        counts[row.status] += 1
    context = {
        "edition": edition,
        "programme": edition.programme,
        "rows": rows,
        "counts": counts,
        "deadline": edition.paper_deadline,
    }
    return render(request, "learning/paper_edition.html", context)
