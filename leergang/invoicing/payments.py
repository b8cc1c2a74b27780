"""Recording payments on invoices (M7): the programme office records what arrived, partial payments
included, and the invoice's status follows (open, partly paid, paid). A payment recorded by mistake
is removed again. Credit notes and credited or cancelled invoices take no payments.

Both services lock the invoice row first, so two payments recorded at once are added up one after
the other (an overpayment cannot slip in between), and the reminder job, which locks the same row,
sees either the state before a payment or after it.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, F, Func, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, NotFound, PermissionDenied

from . import payment_rules
from .models import Invoice, InvoiceKind, InvoiceStatus, Payment
from .rules import amount_text
from .selectors import NUMBER

PAYMENT_FIELDS = ["invoice", "paid_on", "amount", "reference", "recorded_at", "recorded_by"]
ONLY_OFFICE = _("Only the programme office can record payments.")


def paid_sum() -> Coalesce:
    """An annotation: the sum of an invoice's payments (0.00 without any), as a subquery."""
    rows = Payment.objects.filter(invoice=OuterRef("pk")).order_by().values("invoice").annotate(s=Sum("amount")).values("s")
    money = DecimalField(max_digits=13, decimal_places=2)
    return Coalesce(Subquery(rows, output_field=money), Value(Decimal("0.00")), output_field=money)


def with_paid(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return queryset.annotate(paid=paid_sum())


class PaidColumn(Func):
    """paid_sum() written as SQL: the same value (a test holds them equal) without building and
    compiling a nested queryset on every call (about 1 ms of Python), for pages that read one
    invoice. The invoice's id is a resolved column (F("pk")), so the alias follows the query."""

    template = f'(SELECT COALESCE(SUM(p."amount"), 0) FROM "{Payment._meta.db_table}" p WHERE p."invoice_id" = %(expressions)s)'  # noqa: S608 - names from the models
    output_field = DecimalField(max_digits=13, decimal_places=2)

    def __init__(self):
        super().__init__(F("pk"))


def _require_office(actor: Any) -> None:
    if not permissions.is_coordinator(actor):
        raise PermissionDenied(ONLY_OFFICE)


def _locked_invoice(number: str) -> Invoice:
    invoice = Invoice.objects.select_for_update().filter(number=number).first() if NUMBER.fullmatch(str(number)) else None
    if invoice is None:
        raise NotFound(_("There is no invoice with this number."))
    return invoice


_PAYMENTS = Payment._meta.db_table
_PAID = f'SELECT SUM("{_PAYMENTS}"."amount") FROM "{_PAYMENTS}" WHERE "{_PAYMENTS}"."invoice_id" = %s'  # noqa: S608 - names from the model


def _paid(invoice: Invoice) -> Decimal:
    # As SQL (core.sql_rows.scalar, converted as the ORM converts the amount column): a change of
    # plan sums the payments of the invoice it credits, and building the aggregate cost 0.3 ms.
    total = sql_rows.scalar(_PAID, [invoice.pk], Payment._meta.get_field("amount"))
    return total if total is not None else payment_rules.ZERO


def paid_of(invoice: Invoice) -> Decimal:
    """What was paid on `invoice`: its `paid` when the read annotated it (with_paid,
    balances.with_balances) or the service that issued it in this action set it (see
    services.py, "Amounts kept"); otherwise summed now (one query)."""
    paid = getattr(invoice, "paid", None)
    return paid if paid is not None else _paid(invoice)


def _follow(actor: Any, invoice: Invoice, paid: Decimal, payment: Payment) -> None:
    """Set the status the payments give the invoice; the change itself is audited on the invoice."""
    status = payment_rules.status_for(total=invoice.total, paid=paid, credited=invoice.status == InvoiceStatus.CREDITED)
    if status == invoice.status:
        return
    before = {"status": invoice.status}
    invoice.status = status
    sql_rows.update(invoice, "status", "updated_at")
    audit.record(
        actor=actor,
        action="invoice.status_changed",
        obj=invoice,
        before=before,
        after={"status": status, "paid": amount_text(paid), "payment": payment.pk},
    )


@transaction.atomic
def record_payment(*, actor: Any, invoice_number: str, paid_on: datetime.date, amount: Any, reference: str = "") -> Payment:
    """Record money received for an invoice; returns the payment (its `invoice` has the new status).

    PermissionDenied for anybody but the programme office; NotFound for an unknown number; Invalid
    for an amount that is not more than 0 with at most two decimals (field "amount"), a date in the
    future or before the invoice's (field "paid_on"), a reference that is too long; Conflict for a
    credit note, a credited or cancelled invoice, or more than is still owed.
    """
    _require_office(actor)
    invoice = _locked_invoice(invoice_number)
    amount = payment_rules.clean_amount(amount)
    paid_on = payment_rules.check_paid_on(paid_on, issued_on=invoice.issued_on, today=timezone.localdate())
    reference = payment_rules.clean_reference(reference)
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        raise Conflict(_("%(number)s is a credit note; payments are recorded on invoices.") % {"number": invoice.number})
    if invoice.status in (InvoiceStatus.CREDITED, InvoiceStatus.CANCELLED):
        raise Conflict(
            _("Invoice %(number)s is %(status)s; nothing is owed on it.")
            % {"number": invoice.number, "status": str(invoice.get_status_display()).lower()}
        )
    paid = _paid(invoice)
    owed = payment_rules.still_owed(invoice.total, paid)
    if owed <= 0:
        raise Conflict(_("Invoice %(number)s has been paid in full; nothing is owed on it.") % {"number": invoice.number})
    if amount > owed:
        raise Conflict(
            _("This is more than is still owed on invoice %(number)s: %(owed)s. Record at most that amount.")
            % {"number": invoice.number, "owed": amount_text(owed)},
            [{"field": "amount", "message": str(_("Enter at most %(owed)s.") % {"owed": amount_text(owed)})}],
        )
    payment = Payment.objects.create(
        invoice=invoice,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        recorded_at=timezone.now(),
        recorded_by=actor,
    )
    status_before = invoice.status
    _follow(actor, invoice, paid + amount, payment)
    audit.record(
        actor=actor,
        action="payment.recorded",
        obj=payment,
        before={"invoice_status": status_before},
        after={**audit.snapshot(payment, PAYMENT_FIELDS), "invoice_number": invoice.number, "invoice_status": invoice.status},
    )
    return payment


@transaction.atomic
def remove_payment(*, actor: Any, invoice_number: str, payment_id: int) -> Invoice:
    """Remove a payment recorded by mistake; returns the invoice with its status recomputed.

    PermissionDenied for anybody but the programme office; NotFound when the invoice or this payment
    on it does not exist; Conflict once the invoice has been credited (its credit note settled what
    was paid then).
    """
    _require_office(actor)
    invoice = _locked_invoice(invoice_number)
    payment = Payment.objects.filter(invoice=invoice, pk=payment_id).select_related("offset_from__credit_note").first()
    if payment is None:
        raise NotFound(_("This payment does not exist (any more)."))
    if hasattr(payment, "offset_from"):
        raise Conflict(
            _("This payment was carried over from credit note %(number)s by a change of plan; it cannot be removed.")
            % {"number": payment.offset_from.credit_note.number}
        )
    if invoice.status in (InvoiceStatus.CREDITED, InvoiceStatus.CANCELLED):
        raise Conflict(
            _("Invoice %(number)s is %(status)s; its payments can no longer be changed.")
            % {"number": invoice.number, "status": str(invoice.get_status_display()).lower()}
        )
    status_before = invoice.status
    audit.record(
        actor=actor,
        action="payment.removed",
        obj=payment,
        before={**audit.snapshot(payment, PAYMENT_FIELDS), "invoice_number": invoice.number, "invoice_status": status_before},
    )
    removed_pk = payment.pk
    payment.delete()
    payment.pk = removed_pk  # named in the invoice's audit entry
    _follow(actor, invoice, _paid(invoice), payment)
    return invoice


def payments_of(invoice: Invoice) -> list[Payment]:
    return list(Payment.objects.filter(invoice=invoice).order_by("paid_on", "pk"))


def ledger() -> dict[str, Decimal]:
    """The totals over every document (see balances.ledger)."""
    from .balances import ledger as _ledger

    return _ledger()
