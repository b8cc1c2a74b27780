"""The office's invoice list reads and writes leaner (performance bar P2) and still shows the same.

- What is still owed on the whole selection (views._OwedSum, SQL written out) is what the former
  Sum(Greatest(total - payments.paid_sum(), 0), filter=open or partly paid) gave, for every filter
  and a search, on SQLite and PostgreSQL, with FILTER and with the CASE Django writes without it.
- What was paid per invoice (payments.PaidColumn in views._documents) is what payments.with_paid gives.
- The dates in the rows (views._long_dates) are formatting.long_date's, every day of a year, both languages.
- The links (views._list_url) are pagination.list_url's.
- balances.with_balances (balances.Summed) and selectors.documents (CreditNoteNumber) give what the
  nested querysets they replace gave, written alike (0.00, not 0, on PostgreSQL too).
- The page is the page the former code wrote: same rows, caption, filters and page links.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone, translation

from leergang.core import formatting, pagination
from leergang.invoicing import balances, payment_rules, payments, selectors
from leergang.invoicing import views as invoice_views
from leergang.invoicing.models import Invoice, Payment, Refund
from tests.invoicing.test_perf_invoicing import documents  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

SELECTIONS = [("", ""), ("open", ""), ("partly_paid", ""), ("overdue", ""), ("", "utrecht"), ("overdue", "2027")]


def former_summary(invoices):
    """The list's count and what is still owed as views.invoice_list read them before _OwedSum."""
    money = DecimalField(max_digits=13, decimal_places=2)
    owed = Greatest(F("total") - payments.paid_sum(), Value(payment_rules.ZERO), output_field=money)
    return invoices.aggregate(
        count=Count("pk"),
        owed=Sum(owed, filter=Q(status__in=payment_rules.OUTSTANDING), default=payment_rules.ZERO, output_field=money),
    )


def summaries(shown: str, words: str):
    today = timezone.localdate()
    invoices = invoice_views._narrowed(Invoice.objects.all(), shown=shown, words=words, today=today)
    lean = invoices.aggregate(count=Count("pk"), owed=invoice_views._OwedSum())
    return lean, former_summary(invoices)


@pytest.mark.parametrize("filter_clause", [True, False])
@pytest.mark.parametrize(("shown", "words"), SELECTIONS)
def test_what_is_owed_on_the_selection_is_what_the_former_sum_gave(
    documents,  # noqa: F811
    monkeypatch,
    filter_clause,
    shown,
    words,
):
    monkeypatch.setattr(connection.features, "supports_aggregate_filter_clause", filter_clause)
    lean, former = summaries(shown, words)
    assert lean["count"] == former["count"]
    assert invoice_views.cents(lean["owed"]) == invoice_views.cents(former["owed"])


def test_the_selections_owe_something_and_nothing(documents):  # noqa: F811
    """The comparison above proves something: the selections owe different amounts, an empty one nothing."""
    owed = {selection: invoice_views.cents(summaries(*selection)[0]["owed"]) for selection in SELECTIONS}
    assert owed[("", "")] > owed[("partly_paid", "")] > 0
    assert owed[("overdue", "2027")] >= 0
    assert invoice_views.cents(summaries("", "no such words")[0]["owed"]) == Decimal("0.00")


def test_what_was_paid_per_invoice_is_what_with_paid_gives(documents):  # noqa: F811
    lean = {number: invoice_views.cents(paid) for number, paid in invoice_views._documents().values_list("number", "paid")}
    former = {
        number: invoice_views.cents(paid)
        for number, paid in payments.with_paid(Invoice.objects.all()).values_list("number", "paid")
    }
    assert lean == former and any(paid > 0 for paid in lean.values()) and any(paid == 0 for paid in lean.values())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_rows_dates_are_formatting_long_date(lang):
    days = [datetime.date(2028, 1, 1) + datetime.timedelta(days=n) for n in range(366)] + [datetime.date(999, 3, 9)]
    with translation.override(lang):
        long_date = invoice_views._long_dates()
        assert [long_date(day) for day in days] == [formatting.long_date(day) for day in days]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_links_are_pagination_list_url(lang):
    with translation.override(lang):
        list_url = invoice_views._list_url()
        for params in [
            {},
            {"status": "open"},
            {"status": "", "q": "a b&c"},
            {"page": 1},
            {"page": 2, "q": "ü", "status": "overdue"},
        ]:
            assert list_url(**params) == pagination.list_url("invoices:list", **params)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_is_the_page_the_former_code_wrote(client, coordinator, documents, lang, monkeypatch):  # noqa: F811
    """The whole page for several selections, against the page with the former reads (and the date
    written by Django's formatter): same bytes."""
    client.force_login(coordinator)
    url = f"/{lang}/coordinatie/facturen/"
    monkeypatch.setattr(invoice_views, "PAGE_SIZE", 1)  # pages enough for the page links
    queries = ["", *(f"?page={number}" for number in range(2, 9)), "?page=99", "?page=x", "?status=open"]
    queries += ["?status=overdue&page=2", "?status=partly_paid"]
    queries += ["?q=Utrecht", "?q=%3Cb%3E", "?q=2027&page=2"]
    lean = {query: page(client, url + query) for query in queries}
    monkeypatch.setattr(invoice_views, "_long_dates", lambda: formatting.long_date)
    monkeypatch.setattr(invoice_views, "_list_url", lambda: lambda **params: pagination.list_url("invoices:list", **params))
    monkeypatch.setattr(invoice_views, "_documents", lambda invoices=None: former_documents(invoices))
    monkeypatch.setattr(invoice_views, "_OwedSum", FormerOwed)
    for query in queries:
        assert page(client, url + query) == lean[query], query
    every = "".join(lean[query] for query in queries)
    assert 'data-status="partly_paid"' in every and "data-reminded=" in every and documents["credit_note"].number in every
    assert 'rel="next"' in lean[""] and 'rel="prev"' in lean["?page=3"] and "…" in lean[""]


def page(client, url: str) -> str:
    """The page without its CSRF token (masked anew on every response)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def former_documents(invoices):
    invoices = Invoice.objects.all() if invoices is None else invoices
    return payments.with_paid(invoices).annotate(
        credit_note_number=F("credit_notes__number"), reminder_sent_at=F("payment_reminder__sent_at")
    )


def FormerOwed():  # noqa: N802 - stands in for the class
    money = DecimalField(max_digits=13, decimal_places=2)
    owed = Greatest(F("total") - payments.paid_sum(), Value(payment_rules.ZERO), output_field=money)
    return Sum(owed, filter=Q(status__in=payment_rules.OUTSTANDING), default=payment_rules.ZERO, output_field=money)


def test_an_overpaid_open_invoice_owes_nothing_as_before(documents, coordinator):  # noqa: F811
    """More paid than the total on an open invoice (which the services refuse, written here directly)
    counts as 0.00 owed, not as a negative amount, in both sums."""
    open_invoice = documents["open"]
    before, _ = summaries("open", "")
    Payment.objects.create(
        invoice=open_invoice,
        paid_on=timezone.localdate(),
        amount=open_invoice.total + Decimal("250.00"),
        recorded_at=timezone.now(),
        recorded_by=coordinator,
    )
    lean, former = summaries("open", "")
    assert invoice_views.cents(lean["owed"]) == invoice_views.cents(former["owed"])
    assert invoice_views.cents(lean["owed"]) == invoice_views.cents(before["owed"]) - open_invoice.total


def former_sum_of(model, link: str, outer: str = "pk"):
    """balances._sum_of as it was before balances.Summed: a nested queryset per sum."""
    money = DecimalField(max_digits=13, decimal_places=2)
    rows = model.objects.filter(**{link: OuterRef(outer)}).order_by().values(link).annotate(s=Sum("amount")).values("s")
    return Coalesce(Subquery(rows, output_field=money), Value(balances.ZERO), output_field=money)


def test_with_balances_gives_what_the_former_subqueries_gave(documents):  # noqa: F811
    """What was paid, refunded and paid on the corrected invoice, per document, and the credit note
    correcting an invoice (selectors.documents): the same as the nested querysets they replace."""
    columns = ("number", "paid", "refunded", "paid_on_corrected", "credit_note_number")
    lean = list(balances.with_balances(selectors.documents()).order_by("number").values_list(*columns))
    former_credit_note = Subquery(Invoice.objects.filter(corrects=OuterRef("pk")).values("number")[:1])
    former = list(
        Invoice.objects.annotate(
            paid=former_sum_of(Payment, "invoice"),
            refunded=former_sum_of(Refund, "credit_note"),
            paid_on_corrected=former_sum_of(Payment, "invoice", outer="corrects"),
            credit_note_number=former_credit_note,
        )
        .order_by("number")
        .values_list(*columns)
    )
    assert lean == former  # Decimal("0") == Decimal("0.00"): compared below as written
    assert [tuple(str(value) for value in row) for row in lean] == [tuple(str(value) for value in row) for row in former]
    assert any(row[2] > 0 for row in lean) and any(row[3] > 0 for row in lean) and any(row[4] for row in lean)
    assert balances.ledger() == balances.totals(
        Invoice.objects.annotate(
            paid=former_sum_of(Payment, "invoice"),
            refunded=former_sum_of(Refund, "credit_note"),
            paid_on_corrected=former_sum_of(Payment, "invoice", outer="corrects"),
        )
    )
