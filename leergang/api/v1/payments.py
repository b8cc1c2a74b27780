"""Payments on an invoice (M7): the list with the invoice's totals, and recording one. No business logic here."""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from leergang.accounts import permissions
from leergang.core.errors import NotFound, PermissionDenied
from leergang.invoicing import payment_rules, payments
from leergang.invoicing.models import Invoice, InvoiceKind, Payment
from leergang.invoicing.rules import amount_text
from leergang.invoicing.selectors import NUMBER

from .auth import bearer
from .schemas import ErrorOut

router = Router(tags=["payments"])

MONEY = 'EUR, two decimals, e.g. "2995.00"'
StatusName = Literal["open", "partly_paid", "paid", "credited", "cancelled"]
STATUS = "open, partly_paid (some but not all paid), paid, credited (a credit note corrects it) or cancelled."


class PaymentIn(Schema):
    paid_on: datetime.date = Field(description="The day the money arrived: not in the future, not before the invoice's date.")
    amount: Decimal = Field(description=f"{MONEY}; more than 0 and at most what is still owed.")
    reference: str = Field("", max_length=payment_rules.MAX_REFERENCE_LENGTH, description="The bank's description; may be empty.")


class PaymentOut(Schema):
    id: int
    paid_on: datetime.date
    amount: str = Field(description=MONEY)
    reference: str
    recorded_at: datetime.datetime


class InvoicePaymentsOut(Schema):
    number: str
    status: StatusName = Field(description=STATUS)
    total: str = Field(description=MONEY)
    paid: str = Field(description=f"{MONEY}: the sum of the payments.")
    owed: str = Field(description=f'{MONEY}: what is still to be paid; "0.00" once paid or credited.')
    payments: list[PaymentOut]


class PaymentRecordedOut(PaymentOut):
    invoice: str = Field(description="The invoice's number.")
    status: StatusName = Field(description=f"The invoice's status with this payment: {STATUS}")
    total: str = Field(description=MONEY)
    paid: str = Field(description=MONEY)
    owed: str = Field(description=MONEY)


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _require_office(user) -> None:
    # Before any lookup: whether an invoice number exists is nobody else's business.
    if not permissions.is_coordinator(user):
        raise PermissionDenied(_("Only the programme office can see and record payments."))


def _totals(invoice: Invoice) -> dict:
    owed = (
        payment_rules.still_owed(invoice.total, invoice.paid)
        if invoice.kind == InvoiceKind.INVOICE and invoice.status in payment_rules.OUTSTANDING
        else payment_rules.ZERO
    )
    return {
        "status": invoice.status,
        "total": amount_text(invoice.total),
        "paid": amount_text(invoice.paid),
        "owed": amount_text(owed),
    }


def _payment(payment: Payment) -> dict:
    return {
        "id": payment.pk,
        "paid_on": payment.paid_on,
        "amount": amount_text(payment.amount),
        "reference": payment.reference,
        "recorded_at": payment.recorded_at,
    }


def _invoice(number: str) -> Invoice:
    invoice = payments.with_paid(Invoice.objects.filter(number=number)).first() if NUMBER.fullmatch(number) else None
    if invoice is None:
        raise NotFound(_("There is no invoice with this number."))
    return invoice


@router.get(
    "/invoices/{number}/payments",
    response={200: InvoicePaymentsOut, **ERRORS},
    auth=bearer,
    url_name="invoice_payments",
    summary="An invoice's payments with its status, total, paid and still owed (coordinator)",
)
def list_payments(request, number: str):
    _require_office(request.user)
    invoice = _invoice(number)
    return {"number": invoice.number, **_totals(invoice), "payments": [_payment(p) for p in payments.payments_of(invoice)]}


@router.post(
    "/invoices/{number}/payments",
    response={201: PaymentRecordedOut, **ERRORS},
    auth=bearer,
    summary=(
        "Record a payment on an invoice (coordinator); partial payments add up and the status follows. "
        "409 for a credit note, a credited or cancelled invoice, or more than is still owed"
    ),
)
def record_payment(request, number: str, payload: PaymentIn):
    _require_office(request.user)
    payment = payments.record_payment(
        actor=request.user,
        invoice_number=number,
        paid_on=payload.paid_on,
        amount=payload.amount,
        reference=payload.reference,
    )
    invoice = _invoice(payment.invoice.number)
    return Status(201, {**_payment(payment), "invoice": invoice.number, **_totals(invoice)})
