"""The money overview of an edition (M7), under /<language>/coordinatie/edities/<id>/geld/.

What was invoiced, credited, paid and refunded, what debtors still owe and what is owed back to them,
as totals and per enrolment with each document. Only the programme office may see it; for everybody
else, and for an unknown edition, the page does not exist (404).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from leergang.accounts import permissions
from leergang.core import formatting
from leergang.core.errors import NotFound

from . import overview
from .models import InvoiceKind, InvoicePurpose, InvoiceStatus


@require_safe
def edition_money(request: HttpRequest, edition_id: int) -> HttpResponse:
    if not permissions.is_coordinator(request.user):  # as views._require_office
        raise Http404("not found")
    try:
        money = overview.edition_money(edition_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    context = {"money": money, "edition": money.edition, "enrolments": _enrolments(money)}
    return render(request, "invoicing/edition_money.html", context)


def _link(name: str, **kwargs: Any) -> str:
    """A URL pattern reversed once, with "{}" where the (only) argument goes."""
    ((key, value),) = kwargs.items()
    return reverse(name, kwargs={key: value}).replace(str(value), "{}")


def _enrolments(money: overview.EditionMoney) -> list[dict[str, Any]]:
    """Each enrolment with its documents' links and texts made here, once per page, rather than by
    `{% url %}`, `{% blocktranslate %}` and an include per row in the template."""
    place_url = _link("places:detail", enrolment_id=999999)
    detail_url = _link("invoices:detail", number="0000-0000")
    pdf_url = _link("api-v1:invoice_pdf", number="0000-0000")
    statuses = dict(InvoiceStatus.choices)
    kinds = dict(InvoiceKind.choices)
    purposes = dict(InvoicePurpose.choices)
    enrolments = []
    for item in money.enrolments:
        lines = []
        for row in item.documents:
            document = row.document
            about = [str(kinds.get(document.kind, document.kind))]
            if document.purpose != InvoicePurpose.PARTICIPATION:
                about.append(str(purposes.get(document.purpose, document.purpose)).lower())
            if document.corrects_id:
                about.append(_("corrects %(number)s") % {"number": document.corrects.number})
            credit_note = getattr(document, "credit_note_number", None)
            lines.append(
                {
                    "row": row,
                    "url": detail_url.format(document.number),
                    "pdf_url": pdf_url.format(document.number),
                    "about": " · ".join(about),
                    "issued": formatting.long_date(document.issued_on),
                    # The messages the template's blocktranslate tags had (their translations hold no markup).
                    "due": "" if document.is_credit_note else _("due %(date)s") % {"date": formatting.long_date(document.due_on)},
                    "status": statuses.get(document.status, document.status),
                    "credited_by": _("by credit note %(number)s") % {"number": credit_note} if credit_note else "",
                }
            )
        enrolments.append({"item": item, "url": place_url.format(item.enrolment.pk), "lines": lines})
    return enrolments
