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

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund
from .rules import cents

ZERO = Decimal("0.00")
OUTSTANDING = (InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID)
_MONEY = DecimalField(max_digits=13, decimal_places=2)


def _sum_of(model, link: str, outer: str = "pk") -> Coalesce:
    rows = model.objects.filter(**{link: OuterRef(outer)}).order_by().values(link).annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(rows, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def with_balances(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    return queryset.annotate(
        paid=_sum_of(Payment, "invoice"),
        refunded=_sum_of(Refund, "credit_note"),
        paid_on_corrected=_sum_of(Payment, "invoice", outer="corrects"),
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
