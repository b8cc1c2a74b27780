"""What each invoice or credit note still settles: one place for the arithmetic every money view uses.

`with_balances(queryset)` annotates, in the same query:
- `paid`: the payments received on the document (0.00 for a credit note);
- `refunded`: the refunds recorded on it (0.00 for an invoice);
- `paid_on_corrected`: for a credit note, what was paid on the invoice it corrects (0.00 otherwise).

`balance(document)` then says what is still to settle: positive when the debtor owes it (an open or
partly paid invoice), negative when it is owed back to them (an open credit note), 0.00 otherwise.
Over any set of documents: invoiced - credited - (paid - refunded) = sum of balances, which
`ledger()` returns for the whole series and the tests reconcile.
"""

from decimal import Decimal

from django.db.models import DecimalField, F, Func, QuerySet

from .models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund
from .rules import cents

ZERO = Decimal("0.00")
OUTSTANDING = (InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID)
_MONEY = DecimalField(max_digits=13, decimal_places=2)


class Summed(Func):
    """The sum of the `amount`s of `model` whose `link` is the document (or, with outer="corrects",
    the invoice it corrects), 0.00 without any: a correlated subquery written as SQL. The former
    Coalesce(Subquery(model.objects.filter(link=OuterRef(outer))...Sum("amount"))) gave the same
    values (a test holds them equal), but building and compiling three nested querysets cost about
    a millisecond on every read."""

    output_field = _MONEY

    def __init__(self, model, link: str, outer: str = "pk") -> None:
        table, column = model._meta.db_table, model._meta.get_field(link).column
        # 0.00, not 0: PostgreSQL keeps the literal's two decimals (Decimal("0.00"), as before).
        self.template = f'(SELECT COALESCE(SUM(s."amount"), 0.00) FROM "{table}" s WHERE s."{column}" = %(expressions)s)'  # noqa: S608 - names from the models
        super().__init__(F(outer))


def with_balances(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return queryset.annotate(
        paid=Summed(Payment, "invoice"),
        refunded=Summed(Refund, "credit_note"),
        paid_on_corrected=Summed(Payment, "invoice", outer="corrects"),
    )


def owed_back(*, paid_on_corrected: Decimal, refunded: Decimal) -> Decimal:
    """What an open credit note still gives back: what was paid on its invoice, less the refunds."""
    return max(cents(paid_on_corrected) - cents(refunded), ZERO)


def balance(document: Invoice) -> Decimal:
    """Still to settle on an annotated document (see the module's docstring for the sign)."""
    return balance_of(
        kind=document.kind,
        status=document.status,
        total=document.total,
        paid=document.paid,
        refunded=document.refunded,
        paid_on_corrected=document.paid_on_corrected,
    )


def balance_of(
    *, kind: str, status: str, total: Decimal, paid: Decimal, refunded: Decimal, paid_on_corrected: Decimal
) -> Decimal:
    """`balance` from the values themselves (for reads that load no Invoice objects)."""
    if kind == InvoiceKind.INVOICE:
        if status in OUTSTANDING:
            return max(cents(total) - cents(paid), ZERO)
        return ZERO
    if status == InvoiceStatus.OPEN:
        return -owed_back(paid_on_corrected=paid_on_corrected, refunded=refunded)
    return ZERO


def totals(documents) -> dict[str, Decimal]:
    """Sums over annotated documents: invoiced, credited (positive), paid, refunded, owed (the balance)."""
    result = {"invoiced": ZERO, "credited": ZERO, "paid": ZERO, "refunded": ZERO, "owed": ZERO}
    for document in documents:
        if document.kind == InvoiceKind.INVOICE:
            result["invoiced"] += cents(document.total)
        else:
            result["credited"] -= cents(document.total)
        result["paid"] += cents(document.paid)
        result["refunded"] += cents(document.refunded)
        result["owed"] += balance(document)
    return result


def ledger() -> dict[str, Decimal]:
    """The totals over the whole series, which reconcile: invoiced - credited - (paid - refunded) = owed."""
    return totals(with_balances(Invoice.objects.all()))
