"""A participant's own invoices and credit notes (M7), under /<language>/account/facturen/.

The list says for each document what it is for, the amount and where it stands in words, how to pay
what is still open, and links to its PDF. The PDF is the same document the API serves
(`GET /api/v1/invoices/{number}.pdf`): rendered by pdf.py in the invoice's own language. Someone
else's number is a 404, the same as a number that does not exist. Logging in is required (the
middleware sends anonymous visitors to the login page).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from leergang.core.errors import NotFound

from . import overview, pdf, selectors


@require_safe
def my_invoices(request: HttpRequest) -> HttpResponse:
    return render(request, "invoicing/my_invoices.html", {"rows": overview.participant_documents(request.user)})


@require_safe
def my_invoice_pdf(request: HttpRequest, number: str) -> HttpResponse:
    try:
        invoice = selectors.visible_invoice(user=request.user, number=number)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    # As the API's invoice_pdf (leergang/api/v1/invoices.py) answers.
    response = HttpResponse(pdf.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(invoice)}"'
    response["Cache-Control"] = "private, no-store"
    return response
