from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from ninja import Router

from leergang.invoicing import pdf, selectors
from leergang.invoicing.models import Invoice
from leergang.invoicing.rules import amount_text

from .auth import bearer, session
from .invoice_schemas import InvoiceOut
from .schemas import ErrorOut

router = Router(tags=["invoices"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The invoice or credit note as an A4 PDF, in the language it was issued in.",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def present(invoice: Invoice) -> dict:
    """An invoice in the contract's shape; `invoice` comes from selectors.visible_invoice (no queries here)."""
    return {
        "number": invoice.number,
        "kind": invoice.kind,
        "status": invoice.status,
        "corrects": invoice.corrects.number if invoice.corrects_id else None,
        "credit_note": getattr(invoice, "credit_note_number", None),
        "issued_on": invoice.issued_on,
        "due_on": invoice.due_on,
        "payment_term_days": invoice.payment_term_days,
        "language": invoice.language,
        "currency": invoice.currency,
        "issuer": {
            "name": invoice.issuer_name,
            "address": invoice.issuer_address,
            "postal_code": invoice.issuer_postal_code,
            "city": invoice.issuer_city,
            "kvk": invoice.issuer_kvk,
            "vat_id": invoice.issuer_vat_id,
            "iban": invoice.issuer_iban,
            "bic": invoice.issuer_bic,
            "email": invoice.issuer_email,
        },
        "recipient": {
            "organisation": invoice.recipient_organisation,
            "contact_name": invoice.recipient_contact_name,
            "address": invoice.recipient_address,
            "postal_code": invoice.recipient_postal_code,
            "city": invoice.recipient_city,
            "email": invoice.recipient_email,
            "po_number": invoice.recipient_po_number,
        },
        "participant_name": invoice.participant_name,
        "programme_title": invoice.programme_title,
        "edition_start_date": invoice.edition_start_date,
        "edition_end_date": invoice.edition_end_date,
        "enrolment_id": invoice.enrolment_id,
        "lines": [{"description": item["description"], "amount": item["amount"]} for item in invoice.lines],
        "total": amount_text(invoice.total),
        "vat_amount": amount_text(invoice.vat_amount),
        "vat_exemption_note": invoice.vat_exemption_note,
        "reason": invoice.reason,
        "pdf_url": settings.PUBLIC_BASE_URL + reverse("api-v1:invoice_pdf", kwargs={"number": invoice.number}),
    }


# Registered before `/invoices/{number}`, which would otherwise take "2027-0001.pdf" as a number.
@router.get(
    "/invoices/{number}.pdf",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    auth=[bearer, session],
    openapi_extra=PDF_RESPONSE,
    url_name="invoice_pdf",
    summary="An invoice or credit note as PDF (coordinator, the participant it belongs to; token or session)",
)
def invoice_pdf(request, number: str):
    invoice = selectors.visible_invoice(user=request.user, number=number)
    response = HttpResponse(pdf.invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(invoice)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/invoices/{number}",
    response={200: InvoiceOut, 401: ErrorOut, 404: ErrorOut},
    auth=bearer,
    url_name="invoice",
    summary="An invoice or credit note (coordinator, the participant it belongs to)",
)
def get_invoice(request, number: str):
    return present(selectors.visible_invoice(user=request.user, number=number))
