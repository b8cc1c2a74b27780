"""Issuing invoices and credit notes: one gapless series of numbers per year, snapshots, audit.

Numbering: each year has one `InvoiceCounter` row. Taking a number locks that row
(`SELECT ... FOR UPDATE`), raises `last_number` by one and inserts the document, all in the caller's
transaction. The lock is held until that transaction ends, so a second issuer waits; a rollback
undoes the increment together with the document, so no number is lost or used twice. The counter is
always the last row an issuing transaction locks (after the enrolment or invoice it works on), which
keeps the lock order the same everywhere and the time the series is blocked short. The first number
of a year creates the row; two transactions doing that at once are resolved by its unique year (the
loser waits for the winner, gets an IntegrityError inside a savepoint, then locks the winner's row).

Both services may run inside another service's `transaction.atomic()` block (admission, cancellation):
they open a savepoint of their own and never commit. A change of plan (`locked`, `new_place`) joins
its caller's transaction without one: an error there ends the whole change, and the savepoints were
a tenth of its queries.

Amounts kept: a document these services issue carries what was paid on it (`paid`, 0.00) and a credit
note also what was paid on the invoice it corrects and refunded on it (`paid_on_corrected`,
`refunded`), under the names `balances.with_balances` annotates. The rest of the same action
(refunds.carry_over, sending, the page's message) reads them instead of summing payments again;
carry_over keeps them up to date.
"""

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Session
from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid, NotFound
from leergang.core.formatting import long_date
from leergang.core.transactions import atomic_unless_joined
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import discount_rules, discounts, rules
from .models import Invoice, InvoiceCounter, InvoiceKind, InvoicePurpose, InvoiceStatus
from .payments import paid_of

# What a credit note or a cancellation fee invoice takes over from the invoice it follows: the same
# place, debtor, language and texts (the issuer's details are always the current ones).
COPIED_FROM_INVOICE = (
    "enrolment_id",
    "language",
    "currency",
    "recipient_organisation",
    "recipient_contact_name",
    "recipient_address",
    "recipient_postal_code",
    "recipient_city",
    "recipient_email",
    "recipient_po_number",
    "participant_name",
    "programme_title",
    "edition_start_date",
    "edition_end_date",
    "vat_exemption_note",
)

# The states in which an invoice can be credited.
CREDITABLE = (InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID, InvoiceStatus.PAID)

# Everything an invoice shows, recorded in the audit log when it is issued.
SNAPSHOT_FIELDS = [field.name for field in Invoice._meta.concrete_fields if field.name not in {"id", "created_at", "updated_at"}]


_COUNTER = InvoiceCounter._meta.db_table
# One statement takes the number: the UPDATE locks the row until the transaction ends (a second issuer
# waits, then adds one to the number the first committed) and RETURNING reads what it set.
_NEXT_NUMBER = f'UPDATE "{_COUNTER}" SET "last_number" = "last_number" + 1 WHERE "year" = %s RETURNING "last_number"'  # noqa: S608 - names from the model


def _update_returning() -> bool:
    """Whether the database has UPDATE ... RETURNING: PostgreSQL, SQLite 3.35 and later."""
    return connection.features.can_return_columns_from_insert


def _take_number(year: int) -> tuple[int, str]:
    """The next sequence of `year`'s series, with the counter row locked until the transaction ends."""
    if _update_returning():
        with connection.cursor() as cursor:
            cursor.execute(_NEXT_NUMBER, [year])
            row = cursor.fetchone()
        if row is not None:
            return row[0], rules.invoice_number(year, row[0])
    # The year's first number (or an SQLite without RETURNING). get_or_create on a FOR UPDATE
    # queryset: the get locks an existing row; a new row is ours until commit; when another
    # transaction created it first, the IntegrityError is caught in a savepoint and the get (again
    # FOR UPDATE) waits for that transaction and locks its row.
    counter, _created = InvoiceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, rules.invoice_number(year, counter.last_number)


# The edition's last day (as in _enrolment_to_invoice), for a place created in this transaction.
_LAST_DAY = f'SELECT MAX("date") FROM "{Session._meta.db_table}" WHERE "edition_id" = %s'  # noqa: S608 - names from the model


def _issuer() -> dict[str, str]:
    return {
        "issuer_name": settings.INVOICE_ISSUER_NAME,
        "issuer_address": settings.INVOICE_ISSUER_ADDRESS,
        "issuer_postal_code": settings.INVOICE_ISSUER_POSTAL_CODE,
        "issuer_city": settings.INVOICE_ISSUER_CITY,
        "issuer_kvk": settings.INVOICE_ISSUER_KVK,
        "issuer_vat_id": settings.INVOICE_ISSUER_VAT_ID,
        "issuer_iban": "".join(settings.INVOICE_ISSUER_IBAN.split()).upper(),
        "issuer_bic": settings.INVOICE_ISSUER_BIC,
        "issuer_email": settings.INVOICE_ISSUER_EMAIL,
    }


def _standing_invoice(enrolment_id: int) -> Invoice | None:
    return (
        Invoice.objects.filter(enrolment_id=enrolment_id, kind=InvoiceKind.INVOICE)
        .exclude(status=InvoiceStatus.CREDITED)
        .only("number")
        .first()
    )


def _refuse_credited_twice(original: Invoice) -> None:
    existing = Invoice.objects.filter(corrects=original).only("number").first()
    if existing is not None:
        raise Conflict(
            _("Invoice %(number)s has already been credited by %(credit_note)s.")
            % {"number": original.number, "credit_note": existing.number}
        )


def _insert(
    invoice: Invoice, *, enrolment_id: int | None = None, corrects: Invoice | None = None, contended: bool = True
) -> None:
    """Insert in a savepoint, so a lost race on a constraint is a Conflict and leaves the caller's transaction usable.

    `contended=False`: the caller's locks (or a place created in its own transaction) leave no race to
    lose, so no savepoint is needed; a constraint error would then be a bug, and ends the transaction."""
    if not contended:
        sql_rows.insert(invoice)
        return
    try:
        with transaction.atomic():
            sql_rows.insert(invoice)
    except IntegrityError:
        if corrects is not None:
            _refuse_credited_twice(corrects)
        existing = _standing_invoice(enrolment_id) if enrolment_id else None
        if existing is not None:
            raise Conflict(
                _("This enrolment already has invoice %(number)s; credit it before issuing a new one.")
                % {"number": existing.number}
            ) from None
        raise


def _record(actor: Any, action: str, invoice: Invoice) -> None:
    audit.record(actor=actor, action=action, obj=invoice, after=audit.snapshot(invoice, SNAPSHOT_FIELDS))


@atomic_unless_joined("new_place")
def issue_invoice(
    *,
    actor: Any,
    enrolment: Enrolment,
    recipient: dict[str, Any],
    language: str,
    issued_on: datetime.date | None = None,
    discount_application_id: int | None = None,
    new_place: bool = False,
) -> Invoice:
    """Invoice an enrolment's fee to `recipient` (keys: organisation, contact_name, address,
    postal_code, city, email, po_number), written in `language` ("nl" or "en").

    A discount code redeemed with the enrolment's application (or, for a place that changed hands or
    editions, with `discount_application_id`, the application the place came from) is a line of its own after the fee
    (negative, naming the code; the total never below 0.00). A 100% discount is still issued, as a
    0.00 invoice, so the series shows every admission.

    Copies everything the invoice shows at this moment. Raises Invalid for a bad address or
    language, Conflict when the enrolment is cancelled, already has an invoice that was not credited,
    or its programme is not VAT-exempt (VAT-liable invoices are not supported yet).

    `new_place`: the caller created `enrolment` in its own transaction, with its edition (and the
    edition's programme) and participant loaded, so it is not read again (a change of plan).
    """
    language = rules.check_language(language)
    address = rules.clean_recipient(recipient)
    issued_on = issued_on or timezone.localdate()

    if new_place:
        # Created in the caller's transaction, its edition and participant in hand: enrolled and
        # without an invoice by construction, so only the edition's last day is read.
        edition_end_date = sql_rows.scalar(_LAST_DAY, [enrolment.edition_id], Session._meta.get_field("date"))
    else:
        enrolment = _enrolment_to_invoice(enrolment.pk)
        edition_end_date = enrolment.edition_end_date
    edition = enrolment.edition
    programme = edition.programme
    if not programme.vat_exempt:
        raise Conflict(_("Only VAT-exempt programmes can be invoiced for now; this programme is not marked VAT-exempt."))

    with translation.override(language):
        title = programme.title
        description = str(rules.PARTICIPATION_LINE) % {"programme": title, "date": long_date(edition.start_date)}
        includes = programme.fee_includes
        exemption_note = str(rules.VAT_EXEMPTION_NOTE)
    if includes:
        description = f"{description} ({includes})"
    lines = [rules.line(description, edition.fee)]
    application_id = discount_application_id or enrolment.application_id
    redemption = discounts.redemption_for(application_id) if application_id else None
    if redemption is not None:
        discount = discounts.amount_for(redemption, edition.fee)
        if discount > 0:
            with translation.override(language):
                text = str(discount_rules.DISCOUNT_LINE) % {"code": redemption.discount.code}
            lines.append(rules.line(text, -discount))
    term = settings.INVOICE_PAYMENT_TERM_DAYS

    sequence, number = _take_number(issued_on.year)
    invoice = Invoice(
        number=number,
        year=issued_on.year,
        sequence=sequence,
        kind=InvoiceKind.INVOICE,
        enrolment=enrolment,
        # A place discounted to nothing is issued all the same (the series shows every admission),
        # with nothing to pay: settled from the start, never reminded.
        status=InvoiceStatus.PAID if rules.lines_total(lines) == 0 else InvoiceStatus.OPEN,
        issued_on=issued_on,
        due_on=rules.due_date(issued_on, term),
        payment_term_days=term,
        language=language,
        currency="EUR",
        **_issuer(),
        **{f"recipient_{key}": value for key, value in address.items()},
        participant_name=enrolment.participant.get_full_name() or enrolment.participant.email,
        programme_title=title,
        edition_start_date=edition.start_date,
        edition_end_date=edition_end_date,
        lines=lines,
        total=rules.lines_total(lines),
        vat_amount=rules.cents(0),
        vat_exemption_note=exemption_note,
    )
    invoice.full_clean(exclude=["enrolment", "corrects"], validate_unique=False, validate_constraints=False)
    _insert(invoice, enrolment_id=enrolment.pk, contended=not new_place)
    _record(actor, "invoice.issued", invoice)
    invoice.paid = rules.cents(0)  # nothing paid yet (see "Amounts kept" above)
    return invoice


def _enrolment_to_invoice(enrolment_id: int) -> Enrolment:
    """The enrolment with what its invoice copies, checked: enrolled, without a standing invoice."""
    last_session = Session.objects.filter(edition=OuterRef("edition")).order_by("-date").values("date")[:1]
    standing = Invoice.objects.filter(enrolment=OuterRef("pk"), kind=InvoiceKind.INVOICE).exclude(status=InvoiceStatus.CREDITED)
    enrolment = (
        Enrolment.objects.select_related("edition__programme", "participant")
        .annotate(edition_end_date=Subquery(last_session), has_standing_invoice=Exists(standing))
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise NotFound(_("This enrolment does not exist."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise Conflict(_("A cancelled enrolment is not invoiced."))
    if enrolment.has_standing_invoice:
        existing = _standing_invoice(enrolment.pk)
        raise Conflict(
            _("This enrolment already has invoice %(number)s; credit it before issuing a new one.")
            % {"number": existing.number if existing else "?"}
        )
    return enrolment


@atomic_unless_joined("locked")
def issue_credit_note(
    *, actor: Any, invoice: Invoice, reason: str = "", issued_on: datetime.date | None = None, locked: bool = False
) -> Invoice:
    """Correct `invoice` in full with a credit note in the same series: its lines with opposite amounts,
    the same recipient and language, naming the invoice it corrects. Marks the invoice `credited`.

    The credit note itself is `credited` when nothing was paid on the invoice (the two cancel out) and
    `open` when something was (what was paid is to be refunded). Conflict for a credit note, a cancelled
    invoice, or an invoice that already has a credit note.

    `locked`: the caller read `invoice` with select_for_update in this transaction (a change of plan),
    so it is used as it is instead of being read and locked again; its status is updated in place.
    """
    reason = rules.clean_reason(reason)
    original = invoice if locked else Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    if original is None:
        raise NotFound(_("This invoice does not exist."))
    if original.kind != InvoiceKind.INVOICE:
        raise Conflict(_("%(number)s is a credit note; only an invoice can be credited.") % {"number": original.number})
    if original.status not in CREDITABLE:
        # Crediting is what makes an invoice `credited`: look for the credit note only then (an
        # invoice that could still be credited has none; the unique constraint backs that up, see _insert).
        _refuse_credited_twice(original)
        raise Conflict(_("Invoice %(number)s cannot be credited in its current state.") % {"number": original.number})
    issued_on = issued_on or timezone.localdate()
    if issued_on < original.issued_on:
        raise Invalid(
            _("A credit note cannot be dated before the invoice it corrects."),
            [{"field": "issued_on", "message": str(_("Choose %(date)s or later.") % {"date": original.issued_on.isoformat()})}],
        )

    lines = rules.credited_lines(original.lines)
    paid = paid_of(original)  # under the invoice's lock, which recording a payment takes too
    sequence, number = _take_number(issued_on.year)
    copied = {name: getattr(original, name) for name in ("purpose", *COPIED_FROM_INVOICE)}
    credit_note = Invoice(
        number=number,
        year=issued_on.year,
        sequence=sequence,
        kind=InvoiceKind.CREDIT_NOTE,
        corrects=original,
        # Open while money received on the invoice is to be refunded; settled at once when none was.
        status=InvoiceStatus.OPEN if paid > 0 else InvoiceStatus.CREDITED,
        reason=reason,
        issued_on=issued_on,
        due_on=issued_on,
        payment_term_days=0,
        **_issuer(),
        **copied,
        lines=lines,
        total=rules.lines_total(lines),
        vat_amount=rules.cents(0) - original.vat_amount,
    )
    credit_note.full_clean(exclude=["enrolment", "corrects"], validate_unique=False, validate_constraints=False)
    _insert(credit_note, corrects=original, contended=not locked)

    before = {"status": original.status}
    original.status = InvoiceStatus.CREDITED
    sql_rows.update(original, "status", "updated_at")
    audit.record(
        actor=actor,
        action="invoice.credited",
        obj=original,
        before=before,
        after={"status": original.status, "credit_note": credit_note.number},
    )
    _record(actor, "credit_note.issued", credit_note)
    credit_note.paid, credit_note.refunded, credit_note.paid_on_corrected = rules.cents(0), rules.cents(0), paid
    return credit_note


@atomic_unless_joined("locked")
def issue_fee_invoice(
    *,
    actor: Any,
    credited: Invoice,
    amount: Any,
    cancelled_on: datetime.date,
    issued_on: datetime.date | None = None,
    locked: bool = False,
) -> Invoice:
    """Invoice the cancellation fee of a place whose invoice `credited` was just credited in full: the
    same series, recipient, language and exemption note, purpose `cancellation_fee`, one line naming
    the programme, the edition and the day of cancellation. Conflict when `credited` is not a credited
    participation invoice; Invalid for an amount that is not more than 0.00 or more than was invoiced.

    `locked`: `credited` is the row the caller locked and credited (issue_credit_note with `locked`)
    in this transaction, as it is now; it is not read again."""
    original = credited if locked else Invoice.objects.filter(pk=credited.pk).first()
    if original is None:
        raise NotFound(_("This invoice does not exist."))
    if original.kind != InvoiceKind.INVOICE or original.status != InvoiceStatus.CREDITED:
        raise Conflict(_("A cancellation fee is invoiced only after the place's invoice has been credited."))
    amount = rules.cents(amount)
    if amount <= 0 or amount > original.total:
        raise Invalid(
            _("The cancellation fee is not valid."),
            [{"field": "fee", "message": str(_("Enter an amount between 0.01 and %(max)s.") % {"max": original.total})}],
        )
    issued_on = issued_on or timezone.localdate()
    with translation.override(original.language):
        description = str(rules.CANCELLATION_FEE_LINE) % {
            "programme": original.programme_title,
            "date": long_date(original.edition_start_date),
            "cancelled": long_date(cancelled_on),
        }
    lines = [rules.line(description, amount)]
    term = settings.INVOICE_PAYMENT_TERM_DAYS
    sequence, number = _take_number(issued_on.year)
    copied = {name: getattr(original, name) for name in COPIED_FROM_INVOICE}
    invoice = Invoice(
        number=number,
        year=issued_on.year,
        sequence=sequence,
        kind=InvoiceKind.INVOICE,
        purpose=InvoicePurpose.CANCELLATION_FEE,
        status=InvoiceStatus.OPEN,
        issued_on=issued_on,
        due_on=rules.due_date(issued_on, term),
        payment_term_days=term,
        **_issuer(),
        **copied,
        lines=lines,
        total=rules.lines_total(lines),
        vat_amount=rules.cents(0),
    )
    invoice.full_clean(exclude=["enrolment", "corrects"], validate_unique=False, validate_constraints=False)
    _insert(invoice, enrolment_id=original.enrolment_id, contended=not locked)
    _record(actor, "invoice.issued", invoice)
    invoice.paid = rules.cents(0)  # nothing paid yet (see "Amounts kept" above)
    return invoice
