"""Changes of plan (M7): a colleague taking over a place, a transfer to a later edition, a place's
history, and refunds on credit notes. No business logic here: each endpoint checks who asks, calls
one service (leergang.enrolment.changes, leergang.invoicing.refunds) and presents the outcome.
Cancelling (with the edition's terms and the waivable fee) is `POST /enrolments/{id}/cancel`."""

import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from leergang.accounts import permissions
from leergang.core.errors import Conflict, NotFound, PermissionDenied
from leergang.enrolment import changes
from leergang.enrolment.models import Enrolment
from leergang.invoicing import payment_rules, refunds
from leergang.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Refund
from leergang.invoicing.rules import MAX_REASON_LENGTH, amount_text
from leergang.invoicing.selectors import NUMBER

from .auth import BearerToken, bearer
from .enrolment_schemas import EmailStr
from .schemas import ErrorOut, WholeNumber

router = Router(tags=["Money"])

MONEY = 'EUR, two decimals, e.g. "2995.00"'
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
READ_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# -- schemas -------------------------------------------------------------------------------------


class NewInvoiceAddressIn(Schema):
    """An invoice address as in applications, with an optional contact person."""

    organisation: str = Field(min_length=1, max_length=200)
    contact_name: str | None = Field(None, max_length=200, description="For the attention of; may be left out.")
    address: str = Field(min_length=1, max_length=200)
    postal_code: str = Field(min_length=1, max_length=20)
    city: str = Field(min_length=1, max_length=100)
    email: EmailStr
    po_number: str | None = Field(None, max_length=100)


class SubstituteIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=150)
    email: EmailStr = Field(description="The colleague's address: their account is created (or found) and invited.")
    organisation: str | None = Field(None, max_length=200, description="Left out or null: the current place's organisation.")
    invoice: NewInvoiceAddressIn | None = Field(
        None,
        description=(
            "Left out or null: the new invoice goes to the current debtor with the colleague as contact, and money "
            "paid is carried over to it. Given: the new invoice goes to this address and money paid is owed back "
            "on the credit note instead."
        ),
    )
    reason: str | None = Field(None, max_length=MAX_REASON_LENGTH, description="Printed on the credit note.")


class TransferIn(Schema):
    edition: WholeNumber = Field(description="The id of a later edition of the same programme, not completed, with a free seat.")
    reason: str | None = Field(None, max_length=MAX_REASON_LENGTH, description="Printed on the credit note.")


class ChangeOut(Schema):
    enrolment_id: int = Field(description="The new place.")
    previous_enrolment_id: int = Field(description="The place that was closed (status cancelled).")
    credit_note_number: str | None = Field(description="The credit note of the old invoice; null when the place had none.")
    invoice_number: str | None = Field(description="The new place's invoice; null when the place had none.")


class HistoryItemOut(Schema):
    kind: Literal["substitution", "transfer"]
    from_enrolment_id: int
    to_enrolment_id: int
    from_edition: int
    to_edition: int
    reason: str
    credit_note_number: str | None
    invoice_number: str | None
    at: datetime.datetime


class HistoryOut(Schema):
    changes: list[HistoryItemOut] = Field(description="Earliest first: the changes before this place and after it.")


class RefundIn(Schema):
    paid_on: datetime.date = Field(description="The day the money was paid back: not in the future, not before the credit note.")
    amount: Decimal = Field(description=f"{MONEY}; more than 0 and at most what is still owed back.")
    reference: str = Field("", max_length=payment_rules.MAX_REFERENCE_LENGTH, description="The bank's description; may be empty.")


class RefundOut(Schema):
    id: int
    paid_on: datetime.date
    amount: str = Field(description=MONEY)
    method: Literal["bank", "offset"] = Field(description="bank: paid back by bank; offset: carried over to another invoice.")
    reference: str
    invoice_number: str | None = Field(description="For method offset: the invoice the money was carried over to.")


class CreditNoteRefundsOut(Schema):
    number: str
    status: Literal["open", "partly_paid", "paid", "credited", "cancelled"] = Field(
        description="credited: nothing was paid, nothing to give back; open: money to give back; paid: all given back."
    )
    owed_back: str = Field(description=f"{MONEY}: what is still to be paid back.")
    refunds: list[RefundOut]


class RefundRecordedOut(RefundOut):
    credit_note: str = Field(description="The credit note's number.")
    status: Literal["open", "paid"] = Field(description="The credit note's status with this refund.")
    owed_back: str = Field(description=MONEY)


# -- helpers -------------------------------------------------------------------------------------


def _require_office(user) -> None:
    # Before any lookup: whether a place or a document exists is nobody else's business.
    if not permissions.is_coordinator(user):
        raise PermissionDenied(_("Only the programme office can change places and record refunds."))


class OfficeBearer(BearerToken):
    """A valid token of the programme office, checked before the body is read: anybody else gets a 403
    whatever they send, without learning which inputs, places or documents exist."""

    def authenticate(self, request, token):
        user = super().authenticate(request, token)
        if user is not None:
            _require_office(user)
        return user


office_bearer = OfficeBearer()


def _changed(change: changes.Change) -> dict:
    return {
        "enrolment_id": change.new.pk,
        "previous_enrolment_id": change.old.pk,
        "credit_note_number": change.credit_note.number if change.credit_note else None,
        "invoice_number": change.invoice.number if change.invoice else None,
    }


def _refund(refund: Refund) -> dict:
    payment = refund.offset_payment
    return {
        "id": refund.pk,
        "paid_on": refund.paid_on,
        "amount": amount_text(refund.amount),
        "method": refund.method,
        "reference": refund.reference,
        "invoice_number": payment.invoice.number if payment is not None else None,
    }


def _credit_note(number: str) -> Invoice:
    document = Invoice.objects.select_related("corrects").filter(number=number).first() if NUMBER.fullmatch(number) else None
    if document is None:
        raise NotFound(_("There is no credit note with this number."))
    if document.kind != InvoiceKind.CREDIT_NOTE:
        raise Conflict(_("%(number)s is an invoice; refunds are recorded on credit notes.") % {"number": document.number})
    return document


def _owed_back(credit_note: Invoice) -> str:
    owed = refunds.still_owed_back(credit_note) if credit_note.status == InvoiceStatus.OPEN else payment_rules.ZERO
    return amount_text(owed)


# -- places --------------------------------------------------------------------------------------


@router.post(
    "/enrolments/{enrolment_id}/substitute",
    response={201: ChangeOut, **ERRORS},
    auth=office_bearer,
    url_name="enrolment_substitute",
    summary="A colleague takes over a place (coordinator): the invoice is credited and reissued, the colleague invited",
    description=(
        "The place is closed (status cancelled, its records kept) and the colleague is enrolled in the same seat "
        "(the waiting list is not involved). The place's invoice is credited in full and a new invoice follows in "
        "the same gapless series, by default to the same debtor with the colleague as contact (money paid carried "
        "over), or to `invoice`. 404 for an unknown place; 409 when it is cancelled, its edition completed, or "
        "the colleague is already enrolled in the edition; 422 for a missing name, a bad address, or the current "
        "participant's own address."
    ),
)
def substitute(request, enrolment_id: int, payload: SubstituteIn):
    _require_office(request.user)
    recipient = None
    if payload.invoice is not None:
        recipient = {key: (value or "") for key, value in payload.invoice.dict().items()}
    change = changes.substitute(
        actor=request.user,
        enrolment_id=enrolment_id,
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=str(payload.email),
        organisation=payload.organisation,
        recipient=recipient,
        reason=payload.reason or "",
    )
    return Status(201, _changed(change))


@router.post(
    "/enrolments/{enrolment_id}/transfer",
    response={201: ChangeOut, **ERRORS},
    auth=office_bearer,
    url_name="enrolment_transfer",
    summary="Move a place to a later edition of the same programme (coordinator); 409 when that edition is full",
    description=(
        "A seat is taken in the later edition and freed here (offered to the applicant waitlisted earliest). The "
        "invoice is credited in full and reissued for the new edition (its fee and dates; a discount the place had "
        "still applies), money paid carried over. 404 for an unknown place; 409 when the place is cancelled, the "
        "edition is full or completed, or the participant is already enrolled there; 422 when `edition` is not a "
        "later edition of the same programme."
    ),
)
def transfer(request, enrolment_id: int, payload: TransferIn):
    _require_office(request.user)
    change = changes.transfer(
        actor=request.user, enrolment_id=enrolment_id, to_edition_id=payload.edition, reason=payload.reason or ""
    )
    return Status(201, _changed(change))


@router.get(
    "/enrolments/{enrolment_id}/history",
    response={200: HistoryOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=bearer,
    url_name="enrolment_history",
    summary="The changes a place went through: colleagues taking over, transfers (coordinator, the participant)",
)
def history(request, enrolment_id: int):
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    # 404 alike for a place that does not exist and one the asker may not see.
    if enrolment is None or not (permissions.is_coordinator(request.user) or enrolment.participant_id == request.user.pk):
        raise NotFound(_("There is no enrolment with this number."))
    chain = changes.history(enrolment)
    ids = {c.from_enrolment_id for c in chain} | {c.to_enrolment_id for c in chain}
    editions = dict(Enrolment.objects.filter(pk__in=ids).values_list("pk", "edition_id"))
    numbers = dict(
        Invoice.objects.filter(pk__in={c.credit_note_id for c in chain} | {c.invoice_id for c in chain}).values_list(
            "pk", "number"
        )
    )
    return {
        "changes": [
            {
                "kind": change.kind,
                "from_enrolment_id": change.from_enrolment_id,
                "to_enrolment_id": change.to_enrolment_id,
                "from_edition": editions[change.from_enrolment_id],
                "to_edition": editions[change.to_enrolment_id],
                "reason": change.reason,
                "credit_note_number": numbers.get(change.credit_note_id),
                "invoice_number": numbers.get(change.invoice_id),
                "at": change.created_at,
            }
            for change in chain
        ]
    }


# -- refunds -------------------------------------------------------------------------------------


@router.get(
    "/invoices/{number}/refunds",
    response={200: CreditNoteRefundsOut, **READ_ERRORS},
    auth=bearer,
    url_name="credit_note_refunds",
    summary="A credit note's refunds and what is still owed back (coordinator); 409 for an invoice",
)
def list_refunds(request, number: str):
    _require_office(request.user)
    credit_note = _credit_note(number)
    return {
        "number": credit_note.number,
        "status": credit_note.status,
        "owed_back": _owed_back(credit_note),
        "refunds": [_refund(refund) for refund in refunds.refunds_of(credit_note)],
    }


@router.post(
    "/invoices/{number}/refunds",
    response={201: RefundRecordedOut, **ERRORS},
    auth=office_bearer,
    url_name="credit_note_record_refund",
    summary=(
        "Record money paid back by bank on a credit note (coordinator); the credit note is paid once nothing is "
        "owed back. 409 for an invoice, a credit note on which nothing is owed back, or more than is owed back"
    ),
)
def record_refund(request, number: str, payload: RefundIn):
    _require_office(request.user)
    refund = refunds.record_refund(
        actor=request.user,
        credit_note_number=number,
        paid_on=payload.paid_on,
        amount=payload.amount,
        reference=payload.reference,
    )
    credit_note = _credit_note(refund.credit_note.number)
    return Status(
        201,
        {
            **_refund(refund),
            "credit_note": credit_note.number,
            "status": credit_note.status,
            "owed_back": _owed_back(credit_note),
        },
    )
