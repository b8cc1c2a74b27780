"""Money overviews (M7): per edition for the programme office. No business logic here."""

import datetime
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from leergang.accounts import permissions
from leergang.core.errors import PermissionDenied
from leergang.invoicing import overview
from leergang.invoicing.rules import amount_text

from .auth import bearer
from .schemas import ErrorOut

router = Router(tags=["Money"])

MONEY = 'EUR, two decimals, e.g. "2995.00"'


class MoneyTotalsOut(Schema):
    invoiced: str = Field(description=f"{MONEY}: the sum of the invoices (cancellation fees included).")
    credited: str = Field(description=f"{MONEY}: the sum of the credit notes, as a positive amount.")
    paid: str = Field(description=f"{MONEY}: the payments received on the invoices.")
    refunded: str = Field(description=f"{MONEY}: the refunds recorded on the credit notes.")
    open: str = Field(description=f"{MONEY}: what debtors still owe on open and partly paid invoices.")
    owed_back: str = Field(description=f"{MONEY}: what open credit notes still give back.")
    net: str = Field(description=f"{MONEY}: invoiced - credited.")


class MoneyDocumentOut(Schema):
    number: str
    kind: Literal["invoice", "credit_note"]
    purpose: Literal["participation", "cancellation_fee"] = Field(
        description="What it charges for; a credit note has the purpose of the invoice it corrects."
    )
    corrects: str | None = Field(description="For a credit note: the number of the invoice it corrects.")
    issued_on: datetime.date
    due_on: datetime.date
    status: Literal["open", "partly_paid", "paid", "credited", "cancelled"]
    overdue: bool = Field(description="An open or partly paid invoice past its due date.")
    total: str = Field(description=f"{MONEY}; negative for a credit note.")
    paid: str = Field(description=f'{MONEY}: received on it ("0.00" for a credit note).')
    refunded: str = Field(description=f'{MONEY}: given back on it ("0.00" for an invoice).')
    balance: str = Field(description=f"{MONEY}: still to settle; positive when the debtor owes it, negative when owed back.")


class MoneyParticipantOut(Schema):
    name: str
    email: str


class MoneyEnrolmentOut(Schema):
    enrolment_id: int
    participant: MoneyParticipantOut
    organisation: str
    status: Literal["enrolled", "cancelled"]
    documents: list[MoneyDocumentOut] = Field(description="Its invoices and credit notes, oldest first.")


class EditionMoneyOut(Schema):
    edition: int = Field(description="The edition's id.")
    programme: str = Field(description="The programme's slug.")
    start_date: datetime.date
    totals: MoneyTotalsOut = Field(
        description="Over the edition's documents: invoiced - credited - (paid - refunded) = open - owed_back."
    )
    enrolments: list[MoneyEnrolmentOut] = Field(description="Every enrolment, cancelled ones included, by participant's name.")


def _document(row: overview.DocumentRow) -> dict:
    document = row.document
    return {
        "number": document.number,
        "kind": document.kind,
        "purpose": document.purpose,
        "corrects": document.corrects.number if document.corrects_id else None,
        "issued_on": document.issued_on,
        "due_on": document.due_on,
        "status": document.status,
        "overdue": row.overdue,
        "total": amount_text(document.total),
        "paid": amount_text(row.paid),
        "refunded": amount_text(row.refunded),
        "balance": amount_text(row.balance),
    }


@router.get(
    "/editions/{edition_id}/money",
    response={200: EditionMoneyOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=bearer,
    url_name="edition_money",
    summary="An edition's money: totals and each enrolment's invoices and credit notes (coordinator)",
)
def edition_money(request, edition_id: int):
    # Before the lookup: whether an edition exists is nobody else's business here.
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied(_("Only the programme office can see an edition's money overview."))
    money = overview.edition_money(edition_id)
    edition = money.edition
    return {
        "edition": edition.pk,
        "programme": edition.programme.slug,
        "start_date": edition.start_date,
        "totals": {key: amount_text(money.totals[key]) for key in MoneyTotalsOut.model_fields},
        "enrolments": [
            {
                "enrolment_id": item.enrolment.pk,
                "participant": {"name": item.participant_name, "email": item.enrolment.participant.email},
                "organisation": item.enrolment.organisation,
                "status": item.enrolment.status,
                "documents": [_document(row) for row in item.documents],
            }
            for item in money.enrolments
        ],
    }
