"""Privacy pages (M23): the privacy and accessibility statements (public), a person's own data
(their account) and erasure on request (the programme office).

Thin views: the export is `export.personal_data`, the erasure `erasure.erase_person`; a refused
erasure becomes a form error in the reader's language (409), a form left incomplete a 422. The
erasure page exists only for the programme office (404 for everybody else; the login middleware
sends anonymous visitors to the login page).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from leergang.accounts import permissions
from leergang.accounts.models import User
from leergang.core.errors import DomainError, NotFound

from . import anonymise, erasure, export, retention
from .forms import EraseForm

INVOICE_RETENTION_YEARS = 7


@login_not_required
@require_safe
def privacy_page(request: HttpRequest) -> HttpResponse:
    context = {
        "contact_email": settings.INVOICE_ISSUER_EMAIL,
        "organiser": settings.INVOICE_ISSUER_NAME,
        "declined_years": round(retention.retention_days() / 365),
        "invoice_years": INVOICE_RETENTION_YEARS,
    }
    return render(request, "privacy/statement.html", context)


@login_not_required
@require_safe
def accessibility_page(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/accessibility.html", {"contact_email": settings.INVOICE_ISSUER_EMAIL})


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"contact_email": settings.INVOICE_ISSUER_EMAIL})


@require_safe
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything kept about the logged-in person, as a JSON file to save."""
    data = export.personal_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"leergang-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _person(user_id: int) -> User:
    person = User.objects.filter(pk=user_id).first()
    if person is None:
        raise Http404("There is no person with this number.")
    return person


def _erase_page(request: HttpRequest, person: User, form: EraseForm, *, status: int = 200) -> HttpResponse:
    erased = anonymise.is_erased_email(person.email)
    objects = {} if erased else erasure.personal_objects(person)
    counts = {
        name: objects[label].count() if objects else 0
        for name, label in (
            ("applications", "enrolment.application"),
            ("papers", "learning.papersubmission"),
            ("invoices", "invoicing.invoice"),
            ("awards", "awards.award"),
        )
    }
    context = {
        "person": person,
        "erased": erased,
        "refusal": None if erased else erasure.refusal(actor=request.user, user=person),
        "form": form,
        "counts": counts,
        "invoice_years": INVOICE_RETENTION_YEARS,
    }
    return render(request, "privacy/erase.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def erase_person(request: HttpRequest, user_id: int) -> HttpResponse:
    if not permissions.can_manage_editions(request.user):
        raise Http404("not found")
    person = _person(user_id)
    if request.method != "POST":
        return _erase_page(request, person, EraseForm())
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _erase_page(request, person, form, status=422)
    try:
        erasure.erase_person(actor=request.user, user_id=person.pk, reason=form.cleaned_data["reason"])
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except DomainError as exc:
        form.add_domain_error(exc)
        return _erase_page(request, _person(user_id), form, status=exc.status)
    messages.success(request, _("The person's data has been erased. Invoices and issued diplomas are kept."))
    return redirect("erasure:erase", user_id=person.pk)
