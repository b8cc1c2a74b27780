"""Giving back what was paid on a credited invoice (M7).

An open credit note owes back what was paid on the invoice it corrects. The programme office records
a refund paid by bank (`record_refund`), or a change of plan carries the money over to the debtor's
new invoice (`carry_over`: a refund on the credit note that becomes a payment on the new invoice,
both recorded at once). The credit note is `paid` once its refunds add up to what was paid.

Lock order: the credit note's row, then the invoice receiving a carry-over (as everywhere: the
document being corrected before the one being issued or paid).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, NotFound

from . import payment_rules
from .balances import owed_back
from .models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund, RefundMethod
from .payments import _follow, _paid, _require_office, paid_of
from .rules import amount_text
from .selectors import NUMBER

REFUND_FIELDS = ["credit_note", "paid_on", "amount", "method", "reference", "offset_payment", "recorded_at", "recorded_by"]
CARRIED_OVER = _("Carried over from credit note %(number)s")


def _locked_credit_note(number: str) -> Invoice:
    document = Invoice.objects.select_for_update().filter(number=number).first() if NUMBER.fullmatch(str(number)) else None
    if document is None:
        raise NotFound(_("There is no credit note with this number."))
    if document.kind != InvoiceKind.CREDIT_NOTE:
        raise Conflict(_("%(number)s is an invoice; refunds are recorded on credit notes.") % {"number": document.number})
    return document


def _refunded(credit_note: Invoice) -> Decimal:
    total = Refund.objects.filter(credit_note=credit_note).aggregate(s=Sum("amount"))["s"]
    return total if total is not None else payment_rules.ZERO


def still_owed_back(credit_note: Invoice) -> Decimal:
    """What the credit note still gives back (0.00 once refunded, or when nothing was paid): from the
    amounts it carries when its read annotated them (balances.with_balances) or the service that
    issued it in this action kept them (services.py, "Amounts kept"), else summed now (two queries)."""
    paid_on_corrected = getattr(credit_note, "paid_on_corrected", None)
    refunded = getattr(credit_note, "refunded", None)
    if paid_on_corrected is None or refunded is None:
        paid_on_corrected, refunded = _paid(credit_note.corrects), _refunded(credit_note)
    return owed_back(paid_on_corrected=paid_on_corrected, refunded=refunded)


def _settle(actor: Any, credit_note: Invoice) -> None:
    """A credit note whose refunds reach what was paid is `paid`."""
    if credit_note.status == InvoiceStatus.OPEN and still_owed_back(credit_note) <= 0:
        credit_note.status = InvoiceStatus.PAID
        sql_rows.update(credit_note, "status", "updated_at")
        audit.record(
            actor=actor, action="credit_note.refunded", obj=credit_note, before={"status": "open"}, after={"status": "paid"}
        )


def _check_open(credit_note: Invoice) -> Decimal:
    owed = still_owed_back(credit_note) if credit_note.status == InvoiceStatus.OPEN else payment_rules.ZERO
    if owed <= 0:
        raise Conflict(_("Nothing is owed back on credit note %(number)s.") % {"number": credit_note.number})
    return owed


@transaction.atomic
def record_refund(*, actor: Any, credit_note_number: str, paid_on: datetime.date, amount: Any, reference: str = "") -> Refund:
    """Record money paid back by bank on an open credit note; returns the refund (its `credit_note`
    has the new status). PermissionDenied for anybody but the programme office; NotFound for an
    unknown number; Invalid for a bad amount, date or reference (as for payments); Conflict for an
    invoice, a credit note on which nothing is owed back, or more than is owed back."""
    _require_office(actor)
    credit_note = _locked_credit_note(credit_note_number)
    amount = payment_rules.clean_amount(amount)
    paid_on = payment_rules.check_paid_on(paid_on, issued_on=credit_note.issued_on, today=timezone.localdate())
    reference = payment_rules.clean_reference(reference)
    owed = _check_open(credit_note)
    if amount > owed:
        raise Conflict(
            _("This is more than is owed back on credit note %(number)s: %(owed)s. Record at most that amount.")
            % {"number": credit_note.number, "owed": amount_text(owed)},
            [{"field": "amount", "message": str(_("Enter at most %(owed)s.") % {"owed": amount_text(owed)})}],
        )
    refund = Refund.objects.create(
        credit_note=credit_note,
        paid_on=paid_on,
        amount=amount,
        method=RefundMethod.BANK,
        reference=reference,
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    audit.record(actor=actor, action="refund.recorded", obj=refund, after=audit.snapshot(refund, REFUND_FIELDS))
    _settle(actor, credit_note)
    return refund


def carry_over(*, actor: Any, credit_note: Invoice, invoice: Invoice, on: datetime.date | None = None) -> Refund | None:
    """Move what the credit note owes back onto `invoice` (the same debtor's new invoice), as far as
    that invoice is still owed: a refund on the one and a payment on the other. Call inside the
    transaction that issued both documents, with the documents those services returned: rows this
    transaction inserted, which no other transaction sees or locks before it commits, so they are
    used as they are (not read and locked again), with the amounts they carry (services.py,
    "Amounts kept"), which this keeps up to date. None when there is nothing to carry over."""
    if credit_note.status != InvoiceStatus.OPEN or invoice.status not in payment_rules.OUTSTANDING:
        return None
    paid = paid_of(invoice)
    amount = min(still_owed_back(credit_note), payment_rules.still_owed(invoice.total, paid))
    if amount <= 0:
        return None
    on = on or timezone.localdate()
    with translation.override(invoice.language):
        reference = str(CARRIED_OVER % {"number": credit_note.number})
    payment = sql_rows.insert(
        Payment(invoice=invoice, paid_on=on, amount=amount, reference=reference, recorded_at=timezone.now(), recorded_by=actor)
    )
    refund = sql_rows.insert(
        Refund(
            credit_note=credit_note,
            paid_on=on,
            amount=amount,
            method=RefundMethod.OFFSET,
            reference=invoice.number,
            offset_payment=payment,
            recorded_at=timezone.now(),
            recorded_by=actor,
        )
    )
    invoice.paid = paid + amount
    if getattr(credit_note, "refunded", None) is not None:
        credit_note.refunded += amount
    _follow(actor, invoice, paid + amount, payment)
    audit.record(
        actor=actor,
        action="refund.carried_over",
        obj=refund,
        after={**audit.snapshot(refund, REFUND_FIELDS), "credit_note": credit_note.number, "invoice": invoice.number},
    )
    _settle(actor, credit_note)
    return refund


def refunds_of(credit_note: Invoice) -> list[Refund]:
    return list(
        Refund.objects.filter(credit_note=credit_note).select_related("offset_payment__invoice").order_by("paid_on", "pk")
    )
