"""Money overviews (M7), reads only: an edition's invoices and credit notes per enrolment with the
edition's totals (for the programme office), and a participant's own documents (for their account).

The arithmetic is balances.py's: `with_balances` annotates what was paid and refunded, `balance`
says what is still to settle, `totals` adds them up. Here the documents are only grouped and the
balances split into what debtors still owe (`open`) and what is owed back to them (`owed_back`), so
per edition: invoiced - credited - (paid - refunded) = open - owed_back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Edition
from leergang.core.errors import NotFound
from leergang.core.transactions import single_row
from leergang.enrolment.models import Enrolment

from . import balances, payment_rules, selectors
from .models import Invoice, InvoiceKind, InvoiceStatus
from .rules import cents, iban_groups

ZERO = balances.ZERO

# What a document means for the person it is addressed to (see `state`).
PAID = "paid"
NOTHING_TO_PAY = "nothing_to_pay"
OPEN = "open"
PARTLY_PAID = "partly_paid"
OVERDUE = "overdue"
CREDITED = "credited"
REFUND_DUE = "refund_due"
REFUNDED = "refunded"
SETTLED = "settled"
WITHDRAWN = "withdrawn"


def state(*, kind: str, status: str, total: Decimal, overdue: bool) -> str:
    """One word for where a document stands, for the participant's page: an invoice is paid (or had
    nothing to pay), open, partly paid, overdue (open or partly paid after its due date) or credited;
    a credit note has a refund still due, was refunded, or settles its invoice with nothing to give
    back; `cancelled` (withdrawn before it was sent) is `withdrawn` for both."""
    if status == InvoiceStatus.CANCELLED:
        return WITHDRAWN
    if kind == InvoiceKind.CREDIT_NOTE:
        return {InvoiceStatus.OPEN: REFUND_DUE, InvoiceStatus.PAID: REFUNDED}.get(status, SETTLED)
    if status == InvoiceStatus.CREDITED:
        return CREDITED
    if status == InvoiceStatus.PAID:
        return NOTHING_TO_PAY if total == 0 else PAID
    if overdue:
        return OVERDUE
    return PARTLY_PAID if status == InvoiceStatus.PARTLY_PAID else OPEN


@dataclass(frozen=True)
class DocumentRow:
    """An invoice or credit note (annotated by balances.with_balances and selectors.documents) with
    its figures as Decimals with two places."""

    document: Invoice
    paid: Decimal
    refunded: Decimal
    balance: Decimal  # > 0: the debtor owes it; < 0: owed back to them (balances.balance)
    overdue: bool

    @property
    def owed(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def owed_back(self) -> Decimal:
        return max(-self.balance, ZERO)

    @property
    def iban(self) -> str:
        """The IBAN to pay to, from the document's snapshot, in groups of four."""
        return iban_groups(self.document.issuer_iban)

    @property
    def state(self) -> str:
        d = self.document
        return state(kind=d.kind, status=d.status, total=d.total, overdue=self.overdue)


@dataclass
class EnrolmentMoney:
    enrolment: Enrolment
    documents: list[DocumentRow] = field(default_factory=list)

    @property
    def participant_name(self) -> str:
        participant = self.enrolment.participant
        return participant.get_full_name() or participant.email


@dataclass
class EditionMoney:
    edition: Edition
    enrolments: list[EnrolmentMoney]
    totals: dict[str, Decimal]


def _row(document: Invoice, on: datetime.date) -> DocumentRow:
    return DocumentRow(
        document=document,
        paid=cents(document.paid),
        refunded=cents(document.refunded),
        balance=balances.balance(document),
        overdue=payment_rules.is_overdue(status=document.status, due_on=document.due_on, on=on)
        if document.kind == InvoiceKind.INVOICE
        else False,
    )


def money_totals(documents: list[Invoice]) -> dict[str, Decimal]:
    """invoiced, credited, paid, refunded (balances.totals); open: what debtors still owe; owed_back:
    what open credit notes still give back; net: invoiced - credited; owed: open - owed_back."""
    summed = balances.totals(documents)
    settle = [balances.balance(document) for document in documents]
    result = {key: summed[key] for key in ("invoiced", "credited", "paid", "refunded", "owed")}
    result["open"] = sum((b for b in settle if b > 0), ZERO)
    result["owed_back"] = -sum((b for b in settle if b < 0), ZERO)
    result["net"] = summed["invoiced"] - summed["credited"]
    return result


def _documents():
    return balances.with_balances(selectors.documents())


# What the edition's overview (page and API) shows of each document: the rest of the snapshot, and
# the enrolment (the rows are grouped by its id), are left unread.
EDITION_DOCUMENT_FIELDS = (
    "number",
    "kind",
    "purpose",
    "status",
    "issued_on",
    "due_on",
    "total",
    "year",
    "sequence",
    "enrolment_id",
    "corrects__number",
)


def edition_money(edition_id: int, *, on: datetime.date | None = None) -> EditionMoney:
    """Every enrolment of the edition (cancelled ones too) with its invoices, cancellation-fee
    invoices and credit notes, oldest first, and the edition's totals. Three queries whatever the
    number of participants. NotFound for an unknown edition."""
    on = on or timezone.localdate()
    edition = single_row(Edition.objects.select_related("programme").filter(pk=edition_id))
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    enrolments = {
        enrolment.pk: EnrolmentMoney(enrolment=enrolment)
        for enrolment in Enrolment.objects.filter(edition_id=edition.pk)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    }
    documents = list(
        _documents()
        .select_related(None)
        .select_related("corrects")
        .only(*EDITION_DOCUMENT_FIELDS)
        .filter(enrolment__edition_id=edition.pk)
        .order_by("year", "sequence")
    )
    for document in documents:
        enrolments[document.enrolment_id].documents.append(_row(document, on))
    return EditionMoney(edition=edition, enrolments=list(enrolments.values()), totals=money_totals(documents))


def participant_documents(user: Any, *, on: datetime.date | None = None) -> list[DocumentRow]:
    """The invoices and credit notes of `user`'s own enrolments, newest first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    on = on or timezone.localdate()
    documents = _documents().filter(enrolment__participant_id=user.pk).order_by("-issued_on", "-year", "-sequence")
    return [_row(document, on) for document in documents]


def has_documents(user: Any) -> bool:
    """Whether `user` has any invoice or credit note of their own (for a link on their overview)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Invoice.objects.filter(enrolment__participant_id=user.pk).exists()
