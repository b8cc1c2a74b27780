"""The finance export (M7): every invoice and credit note issued in a period, for the bookkeeping.

`documents_for_period(start, end)` returns one `FinanceRow` per document whose `issued_on` lies in
[start, end] (both included), ordered by year and sequence (the order of the series), in one query
whatever the size of the period. `period_totals(rows)` adds them up; `export_csv(rows)` writes the
CSV that both `GET /api/v1/finance/documents.csv` and the programme office's page serve, and the
JSON of `GET /api/v1/finance/documents` has the same keys (`FinanceRow.record()`).

Columns, in this order; the keys are stable English snake_case (whatever the reader's language)
and are the CSV's header:

    number              the document's number in the series ("2027-0012")
    kind                invoice | credit_note
    purpose             participation | cancellation_fee (a credit note: that of the invoice it corrects)
    issued_on, due_on   YYYY-MM-DD (a credit note is due on the day it is issued)
    corrects            a credit note: the number of the invoice it corrects; empty (JSON null) for an invoice
    debtor_organisation, debtor_contact, debtor_address, debtor_postal_code, debtor_city, debtor_email,
    po_number           the recipient as it was at issue (the document's snapshot)
    participant, programme, edition_start_date (YYYY-MM-DD, may be empty)
    amount_excl_vat, vat_amount, amount_incl_vat
                        "2995.00": a point, two decimals, no thousands separator; a credit note's are
                        negative ("-2995.00"). The programmes are VAT-exempt, so vat_amount is "0.00"
                        and the two amounts are the same.
    vat_exemption_note  the legal ground of the exemption, as printed on the document
    currency            EUR
    status              open | partly_paid | paid | credited | cancelled (see models.py), now
    paid                what was received on an invoice ("0.00" for a credit note), now
    refunded            what was given back on a credit note ("0.00" for an invoice), now
    balance             still to settle now: positive when the debtor owes it, negative when it is
                        owed back to them, "0.00" otherwise (see balances.py)

The documents are chosen by their date of issue; status, paid, refunded and balance are as they are
at the moment of the export (a payment in the next month shows), as a bookkeeper reconciling the
ledger with the bank expects.

CSV: RFC 4180 (comma, double quotes where needed, CRLF line ends, written by the csv module),
UTF-8 without a byte order mark. The file is meant for an import into bookkeeping software, whose
import screens ask for the separator and the encoding and where a BOM would stick to the first
column's name ("\\ufeffnumber"); the amounts use a decimal point, which Dutch Excel misreads when a
file is simply double-clicked anyway. In Excel, use Data > From Text/CSV, which recognises UTF-8 and
the comma. Free-text cells (names, addresses, the purchase order number, ...) are neutralised
against formula injection (leergang.core.csvsafe); the amounts, dates, numbers and enum values are
our own and written as they are (a credit note's "-2995.00" stays a number). The JSON carries the
text unaltered.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from leergang.core.csvsafe import neutralise
from leergang.core.errors import Invalid
from leergang.core.formatting import long_date

from .balances import ZERO, balance_of, with_balances
from .models import Invoice, InvoiceKind
from .rules import amount_text, cents

# At most a (leap) year per export, so one request never reads the whole history at once.
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class FinanceRow:
    number: str
    kind: str
    purpose: str
    issued_on: datetime.date
    due_on: datetime.date
    corrects: str | None
    debtor_organisation: str
    debtor_contact: str
    debtor_address: str
    debtor_postal_code: str
    debtor_city: str
    debtor_email: str
    po_number: str
    participant: str
    programme: str
    edition_start_date: datetime.date | None
    amount_excl_vat: Decimal
    vat_amount: Decimal
    amount_incl_vat: Decimal
    vat_exemption_note: str
    currency: str
    status: str
    paid: Decimal
    refunded: Decimal
    balance: Decimal

    def record(self) -> dict[str, str | None]:
        """The row as JSON and CSV write it: dates YYYY-MM-DD, amounts "2995.00", None where empty."""
        # Not dataclasses.asdict, which deep-copies every value: a month's CSV spent most of its time there.
        return {name: _text(getattr(self, name)) for name in COLUMNS}


COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(FinanceRow))
# Cells whose content comes from people (applicants, the office): neutralised in the CSV.
FREE_TEXT = frozenset(
    {
        "debtor_organisation",
        "debtor_contact",
        "debtor_address",
        "debtor_postal_code",
        "debtor_city",
        "debtor_email",
        "po_number",
        "participant",
        "programme",
        "vat_exemption_note",
    }
)


def _text(value: object) -> str | None:
    if value is None or type(value) is str:  # most cells: the quickest test first
        return value
    if isinstance(value, Decimal):
        return f"{cents(value) + ZERO:.2f}"  # as amount_text; + 0.00: never "-0.00"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _is_date(value: object) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)


def check_period(start: object, end: object) -> tuple[datetime.date, datetime.date]:
    """The period as given, or Invalid naming the field ("from" or "to") to change: both dates,
    the end not before the start, at most MAX_PERIOD_DAYS days (both ends included)."""
    errors = [
        {"field": name, "message": _("Enter a date as YYYY-MM-DD.")}
        for name, value in (("from", start), ("to", end))
        if not _is_date(value)
    ]
    if errors:
        raise Invalid(_("Some fields are not valid; see errors for what to change."), errors)
    assert isinstance(start, datetime.date) and isinstance(end, datetime.date)  # for the type checker
    if end < start:
        raise Invalid(
            _("The period ends before it starts."),
            [{"field": "to", "message": _("Choose %(date)s or later.") % {"date": long_date(start)}}],
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        last = start + datetime.timedelta(days=MAX_PERIOD_DAYS - 1)
        raise Invalid(
            _("The period is too long: export at most %(days)s days at a time.") % {"days": MAX_PERIOD_DAYS},
            [{"field": "to", "message": _("Choose %(date)s or earlier.") % {"date": long_date(last)}}],
        )
    return start, end


# The columns each row is made of (a dict per document, no Invoice objects: a month is hundreds).
_VALUES = (
    "number",
    "kind",
    "purpose",
    "issued_on",
    "due_on",
    "corrects_number",
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
    "total",
    "vat_amount",
    "vat_exemption_note",
    "currency",
    "status",
    "paid",
    "refunded",
    "paid_on_corrected",
)


def _row(document: dict) -> FinanceRow:
    total = cents(document["total"])
    vat = cents(document["vat_amount"])
    return FinanceRow(
        number=document["number"],
        kind=document["kind"],
        purpose=document["purpose"],
        issued_on=document["issued_on"],
        due_on=document["due_on"],
        corrects=document["corrects_number"],
        debtor_organisation=document["recipient_organisation"],
        debtor_contact=document["recipient_contact_name"],
        debtor_address=document["recipient_address"],
        debtor_postal_code=document["recipient_postal_code"],
        debtor_city=document["recipient_city"],
        debtor_email=document["recipient_email"],
        po_number=document["recipient_po_number"],
        participant=document["participant_name"],
        programme=document["programme_title"],
        edition_start_date=document["edition_start_date"],
        amount_excl_vat=total - vat,
        vat_amount=vat,
        amount_incl_vat=total,
        vat_exemption_note=document["vat_exemption_note"],
        currency=document["currency"],
        status=document["status"],
        paid=cents(document["paid"]),
        refunded=cents(document["refunded"]),
        balance=_balance(document),
    )


def _balance(document: dict) -> Decimal:
    keys = ("kind", "status", "total", "paid", "refunded", "paid_on_corrected")
    return balance_of(**{key: document[key] for key in keys})


def _issued_in(start: datetime.date, end: datetime.date):
    """The documents issued in the checked period, with what was paid and refunded, in the series' order."""
    start, end = check_period(start, end)
    return with_balances(Invoice.objects.filter(issued_on__gte=start, issued_on__lte=end)).order_by("year", "sequence")


def documents_for_period(start: datetime.date, end: datetime.date) -> list[FinanceRow]:
    """Every invoice and credit note issued from `start` to `end` (both included), in the series'
    order, with what was paid, refunded and is still to settle: one query. Invalid for a bad period."""
    documents = _issued_in(start, end).annotate(corrects_number=F("corrects__number")).values(*_VALUES)
    return [_row(document) for document in documents]


@dataclass(frozen=True)
class PeriodSummary:
    """What the office's export page shows of a period: how many documents of each kind, the first
    and last number, and `period_totals`' sums."""

    documents: int
    invoices: int
    credit_notes: int
    first_number: str
    last_number: str
    totals: dict[str, Decimal]


def period_summary(start: datetime.date, end: datetime.date) -> PeriodSummary:
    """The summary of the documents `documents_for_period` would return, from the few columns it
    needs (one query, no rows built). Invalid for a bad period."""
    columns = ("number", "kind", "status", "total", "paid", "refunded", "paid_on_corrected")
    documents = list(_issued_in(start, end).values_list(*columns))
    invoiced = credited = paid = refunded = settle = ZERO
    invoices = 0
    # The amounts come from the database with two decimals, so they are added as they are and
    # rounded once (period_totals rounds each row first: the same sums).
    for _number, kind, status, total, paid_on, refunded_on, paid_on_corrected in documents:
        if kind == InvoiceKind.INVOICE:
            invoices += 1
            invoiced += total
        else:
            credited -= total
        paid += paid_on
        refunded += refunded_on
        settle += balance_of(
            kind=kind, status=status, total=total, paid=paid_on, refunded=refunded_on, paid_on_corrected=paid_on_corrected
        )
    totals = {"invoiced": cents(invoiced), "credited": cents(credited)}
    totals["net"] = totals["invoiced"] - totals["credited"]
    totals.update(paid=cents(paid), refunded=cents(refunded), open=cents(settle))
    return PeriodSummary(
        documents=len(documents),
        invoices=invoices,
        credit_notes=len(documents) - invoices,
        first_number=documents[0][0] if documents else "",
        last_number=documents[-1][0] if documents else "",
        totals=totals,
    )


def period_totals(rows: Iterable[FinanceRow]) -> dict[str, Decimal]:
    """invoiced (the invoices), credited (the credit notes, positive), net = invoiced - credited,
    paid, refunded, and open: the sum of the balances (owed minus owed back)."""
    result = dict.fromkeys(("invoiced", "credited", "net", "paid", "refunded", "open"), ZERO)
    for row in rows:
        if row.kind == InvoiceKind.INVOICE:
            result["invoiced"] += row.amount_incl_vat
        else:
            result["credited"] -= row.amount_incl_vat
        result["paid"] += row.paid
        result["refunded"] += row.refunded
        result["open"] += row.balance
    result["net"] = result["invoiced"] - result["credited"]
    return result


def totals_record(totals: dict[str, Decimal]) -> dict[str, str]:
    return {name: amount_text(value + ZERO) for name, value in totals.items()}


def export_csv_rows(rows: Iterable[FinanceRow]) -> Iterator[list[str]]:
    """The header, then a list of cells per document (free text neutralised, empty for None)."""
    yield list(COLUMNS)
    for row in rows:
        record = row.record()
        yield [
            neutralise(value) if name in FREE_TEXT and value else (value or "")
            for name, value in ((name, record[name]) for name in COLUMNS)
        ]


def export_csv(rows: Iterable[FinanceRow]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(export_csv_rows(rows))
    return buffer.getvalue()


def filename(start: datetime.date, end: datetime.date) -> str:
    return f"leergang-financieel-{start.isoformat()}-{end.isoformat()}.csv"
