"""Changes of plan (M7): cancelling a place under the edition's terms, a colleague taking over a
place, and a move to a later edition of the same programme.

Every change leaves a trail of documents and never alters one (the debtor gets them by e-mail,
`invoicing.sending`): the place's invoice is credited in
full by a credit note, and whatever replaces it is a new invoice in the same gapless series (the
cancellation fee, or the place's invoice for the colleague or the later edition). Money already
paid is carried over to the same debtor's new invoice (`invoicing.refunds.carry_over`); what is
left is owed back on the open credit note until the programme office records the refund.

A place that changes hands or editions is closed (status `cancelled`, keeping its own records such
as attendance) and a new enrolment takes the seat; `EnrolmentChange` links the two with the
documents involved.

Lock order, as in services.py: the edition(s) first (by id when there are two), then the
enrolment, then invoice rows, then the invoice counter.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Edition, EditionStatus
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid, NotFound
from leergang.core.formatting import long_date
from leergang.invoicing import refunds, sending
from leergang.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from leergang.invoicing.services import issue_credit_note, issue_fee_invoice, issue_invoice

from . import cancellation_rules, locked_rows
from .models import ChangeKind, Enrolment, EnrolmentChange, EnrolmentStatus
from .selectors import SeatsTaken
from .services import _require_office, offer_next_seat

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class Cancellation:
    enrolment: Enrolment
    credit_note: Invoice | None = None
    fee_invoice: Invoice | None = None
    fee: Any = cancellation_rules.ZERO  # the fee under the terms, invoiced or waived


@dataclass
class Change:
    """The outcome of a substitution or transfer: the closed place, the new one and the documents."""

    old: Enrolment
    new: Enrolment
    credit_note: Invoice | None = None
    invoice: Invoice | None = None


def standing_invoice(enrolment: Enrolment) -> Invoice | None:
    """The place's invoice that still counts (not credited), if any."""
    return Invoice.objects.filter(enrolment=enrolment, kind=InvoiceKind.INVOICE).exclude(status=InvoiceStatus.CREDITED).first()


def _locked_standing_invoice(enrolment: Enrolment) -> Invoice | None:
    """The place's standing invoice, locked (after the place: the lock order above); it is what a
    change of plan credits (issue_credit_note with `locked`, which then does not read it again)."""
    return locked_rows.standing_invoice(enrolment.pk)


def standing_language(enrolment: Enrolment, invoice: Invoice | None = None) -> str:
    """The language of the place's invoice (a default reason is printed on its credit note); pass the
    standing invoice when it is loaded already."""
    invoice = invoice if invoice is not None else standing_invoice(enrolment)
    return invoice.language if invoice is not None else (enrolment.participant.preferred_language or "nl")


def cancellation_fee_for(enrolment: Enrolment, on: datetime.date | None = None) -> Any:
    """What cancelling this place on `on` (today) would cost under its edition's terms."""
    return fee_on(standing_invoice(enrolment), cancellation_rules.Terms.of(enrolment.edition), on or timezone.localdate())


def fee_on(invoice: Invoice | None, terms: cancellation_rules.Terms, on: datetime.date) -> Any:
    """The fee for cancelling on `on` a place whose standing invoice is `invoice` (already loaded):
    only an invoice for participation counts; no invoice, nothing to pay."""
    invoiced = invoice.total if invoice is not None and invoice.purpose == "participation" else 0
    return cancellation_rules.fee(terms, invoiced=invoiced, on=on)


def _locked_enrolment(enrolment_id: int) -> tuple[Edition, Enrolment]:
    """The place's edition (with its programme), then the place (with its holder), each locked."""
    edition = next(iter(locked_rows.editions(place_id=enrolment_id).values()), None)
    enrolment = locked_rows.place(enrolment_id) if edition is not None else None
    if enrolment is None:
        raise NotFound(_("There is no enrolment with this number."))
    return edition, enrolment


def _one_action(service: Callable[P, R]) -> Callable[P, R]:
    """The change as one transaction, its audit entries written together at the end (audit.batched):
    nothing inside goes on after an error, so an entry is written exactly when the change is."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), audit.batched():
            return service(*args, **kwargs)

    return run


def _close(enrolment: Enrolment) -> None:
    enrolment.status, enrolment.cancelled_at = EnrolmentStatus.CANCELLED, timezone.now()
    sql_rows.update(enrolment, "status", "cancelled_at", "updated_at")


class PlaceClosed(Conflict):
    """The place is no longer taken (cancelled, or handed on by an earlier change): nothing to change."""


def _require_enrolled(enrolment: Enrolment) -> None:
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise PlaceClosed(_("This enrolment has already been cancelled."))


def origin_application_id(enrolment: Enrolment) -> int | None:
    """The application a place came from, through any substitutions and transfers since."""
    seen = set()
    while enrolment.application_id is None and enrolment.pk not in seen:
        seen.add(enrolment.pk)
        change = EnrolmentChange.objects.select_related("from_enrolment").filter(to_enrolment=enrolment).first()
        if change is None:
            return None
        enrolment = change.from_enrolment
    return enrolment.application_id


@_one_action
def cancel_enrolment(
    *, actor: Any, enrolment_id: int, reason: str = "", waive_fee: bool = False, on: datetime.date | None = None
) -> Cancellation:
    """Free the seat and credit the invoice in full (same gapless series). After the edition's free
    period a cancellation fee is invoiced in the same series, to the same debtor, unless the
    programme office waives it (audited, with the reason); money paid on the credited invoice is
    carried over to the fee first. The seat is then offered to the waiting list."""
    _require_office(actor)
    edition, enrolment = _locked_enrolment(enrolment_id)
    _require_enrolled(enrolment)
    on = on or timezone.localdate()
    invoice = _locked_standing_invoice(enrolment)
    fee = cancellation_rules.ZERO
    if invoice is not None and invoice.purpose == "participation":
        fee = cancellation_rules.fee(cancellation_rules.Terms.of(edition), invoiced=invoice.total, on=on)
    _close(enrolment)
    result = Cancellation(enrolment=enrolment, fee=fee)
    if invoice is not None:
        result.credit_note = issue_credit_note(actor=actor, invoice=invoice, reason=reason, locked=True)
        if fee > 0 and not waive_fee:
            # `invoice` is the locked row, now credited (issue_credit_note updated it in place).
            result.fee_invoice = issue_fee_invoice(actor=actor, credited=invoice, amount=fee, cancelled_on=on, locked=True)
            refunds.carry_over(actor=actor, credit_note=result.credit_note, invoice=result.fee_invoice)
    audit.record(
        actor=actor,
        action="enrolment.cancelled",
        obj=enrolment,
        before={"status": "enrolled"},
        after={
            "status": "cancelled",
            "reason": reason,
            "credit_note": result.credit_note.number if result.credit_note else None,
            "fee": f"{fee:.2f}",
            "fee_waived": bool(fee > 0 and waive_fee),
            "fee_invoice": result.fee_invoice.number if result.fee_invoice else None,
        },
    )
    sending.send_documents([result.credit_note, result.fee_invoice], change="cancellation")
    offer_next_seat(edition=edition)
    return result


def _recipient_from(invoice: Invoice, **overrides: str) -> dict[str, str]:
    recipient = {
        "organisation": invoice.recipient_organisation,
        "contact_name": invoice.recipient_contact_name,
        "address": invoice.recipient_address,
        "postal_code": invoice.recipient_postal_code,
        "city": invoice.recipient_city,
        "email": invoice.recipient_email,
        "po_number": invoice.recipient_po_number,
    }
    recipient.update(overrides)
    return recipient


def same_debtor(invoice: Invoice, recipient: dict[str, Any]) -> bool:
    """Money carries over only to the same organisation and invoice address (a different debtor is
    refunded instead: their money is not someone else's payment)."""

    def norm(value: Any) -> str:
        return " ".join(str(value or "").split()).casefold()

    return all(
        norm(getattr(invoice, f"recipient_{key}")) == norm(recipient.get(key))
        for key in ("organisation", "address", "postal_code", "email")
    )


def _move_money(
    *,
    actor: Any,
    old: Enrolment,
    invoice: Invoice | None,
    new: Enrolment,
    reason: str,
    recipient: dict | None,
    contact_name: str | None = None,
) -> tuple[Invoice | None, Invoice | None]:
    """Credit the old place's invoice (`invoice`, its standing invoice, read and locked in this
    transaction after the place was locked) and invoice the new place (same debtor unless `recipient` names
    another), carrying over what was paid when the debtor is the same."""
    if invoice is None:
        return None, None
    if invoice.purpose != "participation":
        raise Conflict(_("This place's invoice is not for participation; credit it first."))
    credit_note = issue_credit_note(actor=actor, invoice=invoice, reason=reason, locked=True)
    if recipient is None:
        recipient = _recipient_from(invoice, **({"contact_name": contact_name} if contact_name else {}))
    new_invoice = issue_invoice(
        actor=actor,
        enrolment=new,
        recipient=recipient,
        language=invoice.language,
        discount_application_id=origin_application_id(old),
        new_place=True,  # created just now, with its (locked) edition and participant in hand
    )
    if same_debtor(invoice, recipient):
        refunds.carry_over(actor=actor, credit_note=credit_note, invoice=new_invoice)
    return credit_note, new_invoice


def _record_change(*, actor: Any, kind: str, old: Enrolment, new: Enrolment, reason: str, credit_note, invoice) -> None:
    sql_rows.insert(
        EnrolmentChange(
            kind=kind,
            from_enrolment=old,
            to_enrolment=new,
            reason=reason,
            credit_note=credit_note,
            invoice=invoice,
            created_at=timezone.now(),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    )
    audit.record(
        actor=actor,
        action=f"enrolment.{kind}",
        obj=old,
        before={"status": "enrolled", "edition": old.edition_id, "participant": old.participant_id},
        after={
            "status": "cancelled",
            "to_enrolment": new.pk,
            "edition": new.edition_id,
            "participant": new.participant_id,
            "reason": reason,
            "credit_note": credit_note.number if credit_note else None,
            "invoice": invoice.number if invoice else None,
        },
    )


def _require_not_finished(edition: Edition) -> None:
    if edition.status == EditionStatus.COMPLETED:
        raise Conflict(_("This edition has been completed; its places no longer change."))


@_one_action
def substitute(
    *,
    actor: Any,
    enrolment_id: int,
    first_name: str,
    last_name: str,
    email: str,
    organisation: str | None = None,
    recipient: dict | None = None,
    language: str | None = None,
    reason: str = "",
) -> Change:
    """A colleague takes over the place: the old enrolment closes, the newcomer is enrolled in the same
    seat (the waiting list is not involved), the invoice is credited and reissued, by default to the
    same debtor with the newcomer as contact, or to `recipient`; the newcomer is invited."""
    from leergang.accounts.services import get_or_create_participant, invite_user

    _require_office(actor)
    edition, old = _locked_enrolment(enrolment_id)
    _require_enrolled(old)
    _require_not_finished(edition)
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = [
        {"field": field, "message": str(_("Enter the colleague's %(what)s.") % {"what": what})}
        for field, value, what in (("first_name", first_name, _("first name")), ("last_name", last_name, _("last name")))
        if not value
    ]
    if errors:
        raise Invalid(_("Enter the colleague's name."), errors)
    language = language or old.participant.preferred_language or "nl"
    person, created = get_or_create_participant(
        email=email, first_name=first_name, last_name=last_name, language=language, joined=True
    )
    if person.pk == old.participant_id:
        raise Invalid(
            _("The colleague must be somebody else than the current participant."),
            [{"field": "email", "message": str(_("This is the current participant's address."))}],
        )
    if not created and Enrolment.objects.filter(edition=edition, participant=person, status=EnrolmentStatus.ENROLLED).exists():
        raise Conflict(
            _("This person is already enrolled in this edition."), [{"field": "email", "message": str(_("Already enrolled."))}]
        )
    _close(old)
    new = sql_rows.insert(
        Enrolment(
            edition=edition, participant=person, organisation=old.organisation if organisation is None else organisation.strip()
        )
    )
    # Read once: it decides the language of the default reason and is the invoice to credit.
    standing = _locked_standing_invoice(old)
    with translation.override(standing_language(old, standing)):
        reason = reason or str(_("Place taken over by %(name)s") % {"name": f"{first_name} {last_name}"})
    credit_note, invoice = _move_money(
        actor=actor,
        old=old,
        invoice=standing,
        new=new,
        reason=reason,
        recipient=recipient,
        contact_name=f"{first_name} {last_name}",
    )
    _record_change(
        actor=actor, kind=ChangeKind.SUBSTITUTION, old=old, new=new, reason=reason, credit_note=credit_note, invoice=invoice
    )
    invite_user(
        actor=actor, user=person, language=language, context={"programme": edition.programme, "edition": edition}, joined=True
    )
    sending.send_documents([credit_note, invoice], change="substitution")
    return Change(old=old, new=new, credit_note=credit_note, invoice=invoice)


# The seats taken in an edition (selectors.SeatsTaken) and whether a participant has a place there, in
# one query: written as SQL, as building the ORM's annotated query cost more than running it.
_SEATS = SeatsTaken.template % {"expressions": "%s"}
_PLACE_THERE = f'SELECT 1 FROM "{Enrolment._meta.db_table}" WHERE "edition_id" = %s AND "participant_id" = %s AND "status" = %s'  # noqa: S608 - names from the model
_SEATS_AND_PLACE = f"SELECT {_SEATS}, EXISTS({_PLACE_THERE})"


def _seats_and_place(edition_id: int, participant_id: int) -> tuple[int, bool]:
    """Call under the edition's lock, which every change of its seats takes first."""
    with connection.cursor() as cursor:
        cursor.execute(_SEATS_AND_PLACE, [edition_id, edition_id, edition_id, participant_id, EnrolmentStatus.ENROLLED])
        taken, already = cursor.fetchone()
    return taken, bool(already)


@_one_action
def transfer(*, actor: Any, enrolment_id: int, to_edition_id: int, reason: str = "") -> Change:
    """Move a place to a later edition of the same programme: a seat is taken there (409 when full)
    and freed here (offered to the waiting list); the invoice is credited and reissued for the new
    edition (its fee, its dates; a discount the place had still applies), money paid carried over."""
    _require_office(actor)
    to_edition_id = int(to_edition_id)  # the key of `locked` below
    # The place's edition and the target locked in one query, in id order, so two transfers in
    # opposite directions cannot deadlock; an unknown place or target is simply missing from the
    # result (the transaction then ends, and the lock with it).
    locked = locked_rows.editions(place_id=enrolment_id, also=to_edition_id)
    old = locked_rows.place(enrolment_id)
    if old is None:
        raise NotFound(_("There is no enrolment with this number."))
    if to_edition_id not in locked:
        raise Invalid(_("There is no edition with this number."), [{"field": "edition", "message": str(_("Choose an edition."))}])
    source, target = locked[old.edition_id], locked[to_edition_id]
    _require_enrolled(old)
    if target.programme_id != source.programme_id or target.start_date <= source.start_date or target.pk == source.pk:
        raise Invalid(
            _("A place moves only to a later edition of the same programme."),
            [
                {
                    "field": "edition",
                    "message": str(_("Choose a later edition of %(programme)s.") % {"programme": source.programme.title}),
                }
            ],
        )
    if target.status == EditionStatus.COMPLETED:
        raise Conflict(
            _("That edition has been completed."), [{"field": "edition", "message": str(_("Choose another edition."))}]
        )
    taken, already = _seats_and_place(target.pk, old.participant_id)
    if taken >= target.capacity:
        raise Conflict(
            _("That edition is full: all %(capacity)s seats are taken or held for an offer.") % {"capacity": target.capacity},
            [{"field": "edition", "message": str(_("Choose an edition with a free seat."))}],
        )
    if already:
        raise Conflict(
            _("This person is already enrolled in that edition."),
            [{"field": "edition", "message": str(_("Already enrolled there."))}],
        )
    _close(old)
    new = sql_rows.insert(Enrolment(edition=target, participant=old.participant, organisation=old.organisation))
    standing = _locked_standing_invoice(old)  # read once, as in substitute
    with translation.override(standing_language(old, standing)):
        reason = reason or str(_("Moved to the edition starting %(date)s") % {"date": long_date(target.start_date)})
    credit_note, invoice = _move_money(actor=actor, old=old, invoice=standing, new=new, reason=reason, recipient=None)
    _record_change(
        actor=actor, kind=ChangeKind.TRANSFER, old=old, new=new, reason=reason, credit_note=credit_note, invoice=invoice
    )
    sending.send_documents([credit_note, invoice], change="transfer")
    offer_next_seat(edition=source)
    return Change(old=old, new=new, credit_note=credit_note, invoice=invoice)


def history(enrolment: Enrolment) -> list[EnrolmentChange]:
    """The changes a place went through, earliest first: those before it and those after it."""
    chain, seen = [], {enrolment.pk}
    current = enrolment
    while (change := EnrolmentChange.objects.filter(to_enrolment=current).select_related("from_enrolment").first()) is not None:
        if change.from_enrolment_id in seen:
            break
        chain.insert(0, change)
        current = change.from_enrolment
        seen.add(current.pk)
    current = enrolment
    while (change := EnrolmentChange.objects.filter(from_enrolment=current).select_related("to_enrolment").first()) is not None:
        if change.to_enrolment_id in seen:
            break
        chain.append(change)
        current = change.to_enrolment
        seen.add(current.pk)
    return chain
