"""The public registration pages (M3): the form, its confirmation, and the answers when it cannot be used.

Public (no login). The form carries a random submission key, so a double submit makes one
application (R5); the POST is rate-limited (R7) and answers with a redirect to a confirmation
page whose address is signed, so only the browser that submitted the form knows it.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from leergang.accounts import ratelimit
from leergang.catalog.models import Edition, EditionStatus
from leergang.catalog.public_cache import cache_public_form
from leergang.core.errors import Conflict, Invalid, NotFound

from . import services
from .forms import ApplicationForm, new_submission_key
from .models import Application, ApplicationStatus
from .selectors import with_seats_taken

CONFIRMATION_SALT = "leergang.enrolment.confirmation"
# The confirmation page is for the moment after submitting (and a reload or a bookmark soon after);
# the e-mail is the lasting record. A leaked link stops working after this.
CONFIRMATION_MAX_AGE = 60 * 60 * 24 * 30


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=CONFIRMATION_SALT)


def confirmation_token(application: Application) -> str:
    """The signed part of the confirmation address: timestamp and signature of the application's number."""
    return _signer().sign(str(application.pk)).split(":", 1)[1]


def confirmation_url(application: Application) -> str:
    return reverse("enrolment:confirmation", kwargs={"application_id": application.pk, "token": confirmation_token(application)})


def _public_edition(edition_id: int) -> Edition:
    """The edition with its programme and seats taken (one query); 404 for drafts, unpublished and unknown."""
    edition = (
        with_seats_taken(Edition.objects.select_related("programme"))
        .filter(pk=edition_id, programme__published=True)
        .exclude(status=EditionStatus.DRAFT)
        .first()
    )
    if edition is None:
        raise Http404("There is no edition with this number.")
    return edition


def _next_open_edition(edition: Edition) -> Edition | None:
    return (
        Edition.objects.filter(programme_id=edition.programme_id, status=EditionStatus.OPEN).order_by("start_date", "id").first()
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@partial(cache_public_form, new_key=new_submission_key)
def apply(request, edition_id: int):
    """GET: the form with a fresh submission key. POST: one application, then the confirmation page."""
    if request.method == "POST" and ratelimit.hit("apply", request):
        return render(request, "enrolment/too_many_attempts.html", {"edition_id": edition_id}, status=429)
    edition = _public_edition(edition_id)
    if not edition.accepts_applications:
        context = {"edition": edition, "programme": edition.programme, "next_edition": _next_open_edition(edition)}
        return render(request, "enrolment/closed.html", context)

    if request.method == "POST":
        form = ApplicationForm(request.POST, edition=edition)
        if form.is_valid():
            try:
                application = services.submit_application(
                    edition_id=edition.id,
                    data=form.to_input(language=request.LANGUAGE_CODE),
                    submission_key=form.cleaned_data["submission_key"],
                )
            except (Conflict, Invalid) as exc:  # e.g. the last use of a discount code taken meanwhile
                form.add_domain_error(exc)
            except NotFound as exc:
                raise Http404(str(exc.detail)) from exc
            else:
                return redirect(confirmation_url(application))
    else:
        form = ApplicationForm(edition=edition)
    context = {
        "form": form,
        "edition": edition,
        "programme": edition.programme,
        "full": edition.seats_taken >= edition.capacity,
    }
    return render(request, "enrolment/apply.html", context)


@login_not_required
@never_cache
@require_GET
def confirmation(request, application_id: int, token: str):
    """What the applicant sent and what happens next; never the screening."""
    try:
        _signer().unsign(f"{application_id}:{token}", max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature as exc:  # also SignatureExpired
        raise Http404("Unknown confirmation.") from exc
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        raise Http404("Unknown confirmation.")
    edition = with_seats_taken(Edition.objects.select_related("programme", "room__location")).get(pk=application.edition_id)
    context = {
        "application": application,
        "edition": edition,
        "programme": edition.programme,
        # A full edition's new applications go on its waiting list; once decided, the e-mail says more.
        "waiting_list": edition.seats_taken >= edition.capacity
        and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.WAITLISTED),
    }
    return render(request, "enrolment/confirmation.html", context)
