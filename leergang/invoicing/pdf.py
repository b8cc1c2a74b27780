"""An invoice or credit note as an A4 PDF, typeset by Typst from templates/invoicing/invoice.typ.

The template is fixed Typst source; every text (labels translated, amounts and dates formatted, the
snapshot's own texts) reaches it as one JSON document through `sys.inputs`, where Typst reads strings
as plain text. Nothing a user typed is ever part of Typst source, so it cannot run as markup or code.
"""

import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import typst
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from segno import helpers as segno_helpers

from leergang.core.formatting import long_date

from . import rules
from .models import Invoice, InvoiceStatus

TEMPLATE = Path(__file__).resolve().parent / "templates" / "invoicing" / "invoice.typ"


# The rendered bytes, kept under a key made of everything they are made from (content addressed):
# a PDF that would look different (a payment changed the status, a credit note was issued) has
# another key, so a kept copy is never stale and nothing needs deleting. Typst takes 15-20 ms a PDF.
CACHE_TIMEOUT = 7 * 24 * 60 * 60
_TEMPLATE_SOURCE = TEMPLATE.read_bytes()


def invoice_pdf(invoice: Invoice) -> bytes:
    """The document in the invoice's own language; pass an invoice loaded by `selectors.documents()`."""
    timestamp = datetime.datetime.combine(invoice.issued_on, datetime.time(12, 0), tzinfo=datetime.UTC)
    # The QR code is drawn only when the PDF is made: its inputs stand in for it in the key.
    data = document_data(invoice, with_qr=False)
    inputs = [data, _payment_qr_inputs(invoice), timestamp.isoformat()]
    key = _cache_key(json.dumps(inputs, ensure_ascii=False, default=str))  # default: the QR amount, a Decimal
    content = cache.get(key)
    if content is None:
        content = _compile(document_data(invoice), timestamp)
        cache.set(key, content, CACHE_TIMEOUT)
    return content


def _cache_key(inputs: str) -> str:
    digest = hashlib.sha256(_TEMPLATE_SOURCE + b"\x00" + typst.__version__.encode() + b"\x00" + inputs.encode())
    return f"invoice-pdf:{digest.hexdigest()}"


def _compile(data: dict[str, Any], timestamp: datetime.datetime) -> bytes:
    return typst.compile(
        _TEMPLATE_SOURCE,
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        ignore_system_fonts=True,  # the fonts inside the wheel: the same output on every machine
        timestamp=timestamp,  # the same bytes every time the same invoice is rendered
    )


def filename(invoice: Invoice) -> str:
    with translation.override(invoice.language):
        stem = (
            pgettext("file name of a credit note", "credit-note") if invoice.is_credit_note else pgettext("file name", "invoice")
        )
    return f"{stem}-{invoice.number}.pdf"


def _lines(*parts: str) -> list[str]:
    return [part for part in parts if part]


def _payment_qr_inputs(invoice: Invoice) -> dict[str, Any] | None:
    """What the EPC QR code encodes, on open invoices only (None: no code)."""
    if invoice.is_credit_note or invoice.status != InvoiceStatus.OPEN or invoice.total <= 0:
        return None
    return {
        "name": invoice.issuer_name[:70],
        "iban": invoice.issuer_iban,
        "amount": invoice.total,
        "text": invoice.number,
        "bic": invoice.issuer_bic or None,
    }


def _payment_qr(invoice: Invoice) -> str | None:
    """An EPC ("SEPA credit transfer") QR code as SVG for banking apps, on open invoices only."""
    inputs = _payment_qr_inputs(invoice)
    if inputs is None:
        return None
    try:
        code = segno_helpers.make_epc_qr(**inputs)
    except ValueError:  # an IBAN or name the EPC format does not take: the printed instruction suffices
        return None
    return code.svg_inline(scale=1, border=0, dark="#1a1a1a", omitsize=True)


def document_data(invoice: Invoice, *, with_qr: bool = True) -> dict[str, Any]:
    """Everything the template prints, translated and formatted in the invoice's language; without
    the QR code (slow to draw) when `with_qr` is false, for the cache key."""
    language = invoice.language
    with translation.override(language):
        money = lambda amount: rules.money(amount, language)  # noqa: E731
        corrects = invoice.corrects.number if invoice.corrects_id else ""
        if invoice.is_credit_note:
            title = _("Credit note")
            number_label = _("Credit note number")
            date_label = _("Credit note date")
        else:
            title = _("Invoice")
            number_label = _("Invoice number")
            date_label = _("Invoice date")

        meta = [[number_label, invoice.number], [date_label, long_date(invoice.issued_on)]]
        if invoice.is_credit_note:
            meta.append([_("Corrects invoice"), corrects])
        else:
            meta.append([_("Due date"), long_date(invoice.due_on)])
        if invoice.recipient_po_number:
            meta.append([_("Your reference (PO number)"), invoice.recipient_po_number])
        if invoice.participant_name:
            meta.append([_("Participant"), invoice.participant_name])
        if invoice.edition_start_date:
            dates = long_date(invoice.edition_start_date)
            if invoice.edition_end_date and invoice.edition_end_date != invoice.edition_start_date:
                dates = _("%(start)s to %(end)s") % {"start": dates, "end": long_date(invoice.edition_end_date)}
            meta.append([_("Edition"), dates])

        issuer_details = [["KvK", invoice.issuer_kvk], ["IBAN", rules.iban_groups(invoice.issuer_iban)]]
        if invoice.issuer_bic:
            issuer_details.append(["BIC", invoice.issuer_bic])
        if invoice.issuer_vat_id:
            issuer_details.append([_("VAT number"), invoice.issuer_vat_id])
        issuer_details.append([_("E-mail"), invoice.issuer_email])

        recipient_lines = _lines(
            invoice.recipient_organisation,
            _("Attn. %(name)s") % {"name": invoice.recipient_contact_name} if invoice.recipient_contact_name else "",
            invoice.recipient_address,
            f"{invoice.recipient_postal_code}\u2002{invoice.recipient_city}".strip(),
        )

        total = money(invoice.total)
        if invoice.is_credit_note:
            intro = _("This credit note corrects invoice %(number)s in full.") % {"number": corrects}
            if invoice.status == InvoiceStatus.CREDITED:
                payment = _("Invoice %(number)s is cancelled by this credit note: you need not pay it.") % {"number": corrects}
            else:
                payment = _("We will refund %(amount)s to you, stating credit note %(credit_note)s.") % {
                    "amount": money(-invoice.total),
                    "credit_note": invoice.number,
                }
        elif invoice.total == 0:
            intro = ""
            payment = _("There is nothing to pay for this invoice.")
        elif credited_by := getattr(invoice, "credit_note_number", None):  # annotated by selectors.documents()
            # Printed again after it was credited: say so, and ask for no payment.
            intro = _("Credited in full by credit note %(number)s.") % {"number": credited_by}
            payment = _("You need not pay this invoice.")
        else:
            intro = ""
            payment = _(
                "Please transfer %(amount)s by %(date)s to IBAN %(iban)s in the name of %(name)s, "
                "stating invoice number %(number)s."
            ) % {
                "amount": total,
                "date": long_date(invoice.due_on),
                "iban": rules.iban_groups(invoice.issuer_iban),
                "name": invoice.issuer_name,
                "number": invoice.number,
            }
        qr = _payment_qr(invoice) if with_qr else None

        return {
            "lang": language,
            "document_title": f"{title} {invoice.number}",
            "title": title,
            "number": invoice.number,
            "programme": invoice.programme_title,
            "programme_label": pgettext("a course, as offered", "Programme"),
            "issuer": {
                "name": invoice.issuer_name,
                "lines": _lines(
                    *invoice.issuer_address.splitlines(),
                    f"{invoice.issuer_postal_code}\u2002{invoice.issuer_city}".strip(),
                ),
                "details": issuer_details,
            },
            "recipient": {"label": _("Credit note to") if invoice.is_credit_note else _("Invoice to"), "lines": recipient_lines},
            "meta": meta,
            "intro": intro,
            "reason": _("Reason: %(reason)s") % {"reason": invoice.reason} if invoice.reason else "",
            "columns": [_("Description"), _("Amount")],
            "lines": [[item["description"], money(item["amount"])] for item in invoice.lines],
            "vat": [pgettext("label on an invoice", "VAT"), money(invoice.vat_amount)],
            "vat_note": invoice.vat_exemption_note,
            "total": [_("Total"), total],
            "payment": payment,
            "qr": qr or "",
            "qr_caption": _("Scan with your banking app to pay") if qr else "",
            "footer": "\u2002·\u2002".join(
                _lines(
                    invoice.issuer_name,
                    f"KvK {invoice.issuer_kvk}",
                    f"IBAN {rules.iban_groups(invoice.issuer_iban)}",
                )
            ),
            "page_label": _("Page"),
        }


RENDERER = "invoice_pdf"


def render_by_number(number: str) -> bytes:
    from .models import Invoice

    return invoice_pdf(Invoice.objects.get(number=number))


def attachment(invoice) -> tuple[str, Any, str]:
    """The invoice's PDF as an e-mail attachment, made when the e-mail is sent."""
    from leergang.notifications.services import Rendered

    return (filename(invoice), Rendered(RENDERER, invoice.number), "application/pdf")
