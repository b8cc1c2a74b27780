"""The finance export (finance_export.py, GET /api/v1/finance/documents[.csv], the office's page).

A month of documents is generated with the real services (issue_invoice, issue_credit_note,
record_payment, record_refund) from seeded random choices: two dozen enrolments, partial and full
payments, credit notes before and after payments, refunds, documents just outside the month on both
sides. The export of the
month, as JSON and CSV from the API and as CSV from the page, then reconciles with the database:
exactly the month's numbers, gapless, the amounts and per-document status and payments as stored,
and totals that add up. Also: who may export, bad periods, formula cells, languages.
"""

import csv
import datetime
import io
import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from leergang.core.errors import Invalid
from leergang.invoicing import balances, finance_export, payments, refunds
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.invoicing.rules import cents
from tests import factories
from tests.api.helpers import assert_error

from .conftest import RECIPIENT

pytestmark = pytest.mark.django_db

D = Decimal
ZERO = D("0.00")
API = "/api/v1/finance/documents"
PAGE = "/{lang}/coordinatie/facturen/export/"
PAGE_CSV = "/{lang}/coordinatie/facturen/export/facturen.csv"
START, END = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
MONTH = {"from": START.isoformat(), "to": END.isoformat()}
ORGANISATIONS = [
    "Gemeente Utrecht",
    "Gemeente 's-Hertogenbosch",
    'Stichting "De Brug", Utrecht',
    "Zorggroep Élan",
    '=HYPERLINK("https://example.org","klik")',
    "",
]


def day(month: int, day_: int) -> datetime.date:
    return datetime.date(2026, month, day_)


def generate(*, issue, credit, coordinator, make_enrolment, edition, seed: int = 7) -> dict:
    """Issue, pay, credit and refund documents from mid-February to mid-April 2026 in date order (so
    the numbers follow the dates), from fixed edge cases plus seeded random plans."""
    rng = random.Random(seed)
    second = factories.EditionFactory(programme=edition.programme, start_date=day(9, 2), fee=D("1850.00"))
    plans = [
        # Invoiced just before the month, credited in it after a partial payment (an open credit note).
        {"issued_on": day(2, 27), "payments": [(day(3, 1), "500.00")], "credit_on": day(3, 2), "refund": (day(3, 9), "200.00")},
        # Paid in full, credited in the month and refunded in full (a settled credit note).
        {"issued_on": day(3, 3), "payments": [(day(3, 4), "2995.00")], "credit_on": day(3, 6), "refund": (day(3, 8), "2995.00")},
        # The month's first and last day; the last is credited the day after the month.
        {"issued_on": day(3, 1), "payments": [(day(3, 20), "2995.00")], "credit_on": None},
        {"issued_on": day(3, 31), "payments": [], "credit_on": day(4, 1)},
        # Just outside on both sides.
        {"issued_on": day(2, 28), "payments": [(day(3, 5), "2995.00")], "credit_on": None},
        {"issued_on": day(4, 1), "payments": [], "credit_on": None},
        # Credited in the same month with nothing paid (the two cancel out).
        {"issued_on": day(3, 10), "payments": [], "credit_on": day(3, 12)},
    ]
    for _ in range(20):
        issued_on = day(2, 15) + datetime.timedelta(days=rng.randrange(0, 60))
        fee_edition = rng.choice([edition, second])
        fee = fee_edition.fee
        kind = rng.choice(["none", "partial", "full", "two"])
        credit_on = issued_on + datetime.timedelta(days=rng.randrange(0, 20)) if rng.random() < 0.3 else None
        last = credit_on or day(4, 30)
        paid_on = [issued_on + datetime.timedelta(days=rng.randrange(0, (last - issued_on).days + 1)) for _ in range(2)]
        paid_on.sort()
        amounts = {
            "none": [],
            "partial": [D(rng.randrange(1, int(fee))).quantize(D("0.01"))],
            "full": [fee],
            "two": [D("1000.00"), fee - D("1000.00")],
        }[kind]
        refund = None
        if credit_on and amounts and rng.random() < 0.6:
            paid = sum(amounts, ZERO)
            refund = (
                credit_on + datetime.timedelta(days=rng.randrange(0, 10)),
                str(rng.choice([paid, (paid / 2).quantize(ZERO)])),
            )
        plans.append(
            {
                "issued_on": issued_on,
                "edition": fee_edition,
                "payments": [(paid_on[i], str(a)) for i, a in enumerate(amounts)],
                "credit_on": credit_on,
                "refund": refund,
            }
        )

    events = []
    for index, plan in enumerate(plans):
        events.append((plan["issued_on"], 0, index, "issue", None))
        for paid_on, amount in plan["payments"]:
            events.append((paid_on, 1, index, "pay", amount))
        if plan["credit_on"]:
            events.append((plan["credit_on"], 2, index, "credit", None))
        if plan.get("refund"):
            events.append((plan["refund"][0], 3, index, "refund", plan["refund"][1]))
    invoices: dict[int, Invoice] = {}
    credit_notes: dict[int, Invoice] = {}
    for when, _order, index, action, amount in sorted(events, key=lambda e: e[:3]):
        plan = plans[index]
        if action == "issue":
            recipient = {
                **RECIPIENT,
                "organisation": rng.choice(ORGANISATIONS),
                "po_number": rng.choice(["", f"PO-{index:03d}"]),
            }
            invoices[index] = issue(
                make_enrolment(edition=plan.get("edition", edition)),
                issued_on=when,
                recipient=recipient,
                language=rng.choice(["nl", "en"]),
            )
        elif action == "pay":
            payments.record_payment(actor=coordinator, invoice_number=invoices[index].number, paid_on=when, amount=amount)
        elif action == "credit":
            credit_notes[index] = credit(invoices[index], issued_on=when)
        else:
            refunds.record_refund(actor=coordinator, credit_note_number=credit_notes[index].number, paid_on=when, amount=amount)
    return {"plans": plans, "invoices": invoices, "credit_notes": credit_notes}


@pytest.fixture
def month(issue, credit, coordinator, make_enrolment, edition):
    return generate(issue=issue, credit=credit, coordinator=coordinator, make_enrolment=make_enrolment, edition=edition)


@pytest.fixture
def office_headers(bearer, coordinator):
    return bearer(coordinator)


def api_json(client, headers, period=None, **extra):
    response = client.get(API, period or MONTH, **headers, **extra)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def parse_csv(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames) == finance_export.COLUMNS
    return list(reader)


def as_csv_cells(document: dict) -> dict:
    return {key: "" if value is None else value for key, value in document.items()}


def expected_balance(document: Invoice, paid: dict, refunded: dict) -> Decimal:
    """What is still to settle, worked out here from the stored rows (not through balances.py)."""
    if document.kind == "invoice":
        if document.status in ("open", "partly_paid"):
            return cents(document.total) - paid.get(document.pk, ZERO)
        return ZERO
    if document.status == "open":
        return refunded.get(document.pk, ZERO) - paid.get(document.corrects_id, ZERO)
    return ZERO


def test_the_export_of_a_generated_month_reconciles_with_the_database(client, month, office_headers, coordinator):
    stored = list(Invoice.objects.filter(issued_on__range=(START, END)).order_by("year", "sequence"))
    kinds = {document.kind for document in stored}
    statuses = {document.status for document in stored}
    # The generator made what the reconciliation has to cope with.
    assert len(stored) >= 15 and kinds == {"invoice", "credit_note"}
    assert {"open", "partly_paid", "paid", "credited"} <= statuses, statuses
    assert any(d.kind == "credit_note" and d.status == "open" for d in stored)
    assert any(d.kind == "credit_note" and d.status == "paid" for d in stored)  # refunded in full
    assert Refund.objects.filter(credit_note__in=stored, credit_note__status="open").exists()  # refunded in part
    assert any(d.kind == "credit_note" and d.corrects.issued_on < START for d in stored)
    assert Invoice.objects.filter(issued_on__lt=START).exists() and Invoice.objects.filter(issued_on__gt=END).exists()
    assert Invoice.objects.filter(kind="credit_note", issued_on__gt=END, corrects__issued_on__range=(START, END)).exists()

    body = api_json(client, office_headers)
    documents = body["documents"]
    api_csv = client.get(f"{API}.csv", MONTH, **office_headers)
    client.force_login(coordinator)
    page_csv = client.get(PAGE_CSV.format(lang="nl"), MONTH)

    # Exactly the month's numbers, in the series' order, the same in the three files.
    numbers = [document.number for document in stored]
    assert [d["number"] for d in documents] == numbers
    assert body["from"] == MONTH["from"] and body["to"] == MONTH["to"]
    for response in (api_csv, page_csv):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="leergang-financieel-2026-03-01-2026-03-31.csv"'
        assert response.content == api_csv.content
    rows = parse_csv(api_csv.content)
    assert [row["number"] for row in rows] == numbers
    neutral = finance_export.FREE_TEXT
    for row, document in zip(rows, documents, strict=True):
        for key, value in as_csv_cells(document).items():
            if key in neutral and value[:1] in "=+-@" and value:
                assert row[key] == "'" + value, key
            else:
                assert row[key] == value, (key, row[key], value)

    # Gapless: the month holds one unbroken stretch of its year's series, and the neighbours on
    # both sides were issued outside the month.
    sequences = [document.sequence for document in stored]
    assert sequences == list(range(sequences[0], sequences[-1] + 1))
    assert {document.year for document in stored} == {2026}
    assert Invoice.objects.get(year=2026, sequence=sequences[0] - 1).issued_on < START
    assert Invoice.objects.get(year=2026, sequence=sequences[-1] + 1).issued_on > END

    # Per document: the stored facts, status, payments and balance.
    paid = {row["invoice"]: cents(row["s"]) for row in Payment.objects.values("invoice").annotate(s=Sum("amount")).order_by()}
    refunded = {
        row["credit_note"]: cents(row["s"]) for row in Refund.objects.values("credit_note").annotate(s=Sum("amount")).order_by()
    }
    for document, out in zip(stored, documents, strict=True):
        assert out["kind"] == document.kind and out["status"] == document.status, document.number
        assert out["issued_on"] == document.issued_on.isoformat() and out["due_on"] == document.due_on.isoformat()
        assert out["amount_incl_vat"] == out["amount_excl_vat"] == f"{document.total:.2f}"
        assert out["vat_amount"] == "0.00" and out["currency"] == "EUR"
        assert out["debtor_organisation"] == document.recipient_organisation
        assert out["debtor_address"] == document.recipient_address and out["po_number"] == document.recipient_po_number
        assert out["participant"] == document.participant_name and out["programme"] == document.programme_title
        assert out["vat_exemption_note"] == document.vat_exemption_note and out["vat_exemption_note"]
        assert out["corrects"] == (document.corrects.number if document.corrects_id else None)
        assert D(out["paid"]) == (paid.get(document.pk, ZERO) if document.kind == "invoice" else ZERO)
        assert D(out["refunded"]) == refunded.get(document.pk, ZERO)
        assert D(out["balance"]) == expected_balance(document, paid, refunded), document.number
        if document.kind == "credit_note":
            assert D(out["amount_incl_vat"]) < 0 and out["amount_incl_vat"].startswith("-")

    # The sums: the invoices' and credit notes' amounts against the database's own aggregates.
    def aggregate(kind: str) -> Decimal:
        return cents(Invoice.objects.filter(issued_on__range=(START, END), kind=kind).aggregate(s=Sum("total"))["s"])

    invoiced = sum((D(d["amount_excl_vat"]) for d in documents if d["kind"] == "invoice"), ZERO)
    credited = sum((D(d["amount_excl_vat"]) for d in documents if d["kind"] == "credit_note"), ZERO)
    assert invoiced == aggregate("invoice") and credited == aggregate("credit_note")
    assert sum((D(row["amount_incl_vat"]) for row in rows), ZERO) == invoiced + credited

    totals = {key: D(value) for key, value in body["totals"].items()}
    assert set(body["totals"]) == {"invoiced", "credited", "net", "paid", "refunded", "open"}
    assert totals["invoiced"] == invoiced and totals["credited"] == -credited
    assert totals["net"] == totals["invoiced"] - totals["credited"]
    paid_in_month = cents(Payment.objects.filter(invoice__in=stored).aggregate(s=Sum("amount"))["s"] or 0)
    assert totals["paid"] == paid_in_month > 0
    refunded_in_month = cents(Refund.objects.filter(credit_note__in=stored).aggregate(s=Sum("amount"))["s"] or 0)
    assert totals["refunded"] == refunded_in_month == sum((D(d["refunded"]) for d in documents), ZERO) > 0
    assert totals["open"] == sum((expected_balance(d, paid, refunded) for d in stored), ZERO)


def test_over_the_whole_series_the_export_reconciles_with_the_ledger(client, month, office_headers):
    """invoiced - credited - (paid - refunded) = open, and the same figures as balances.ledger()."""
    body = api_json(client, office_headers, {"from": "2026-01-01", "to": "2026-12-31"})
    totals = {key: D(value) for key, value in body["totals"].items()}
    ledger = balances.ledger()
    assert len(body["documents"]) == Invoice.objects.count()
    assert (totals["invoiced"], totals["credited"], totals["paid"], totals["refunded"], totals["open"]) == (
        ledger["invoiced"],
        ledger["credited"],
        ledger["paid"],
        ledger["refunded"],
        ledger["owed"],
    )
    assert totals["net"] - (totals["paid"] - totals["refunded"]) == totals["open"]


def test_the_rows_are_one_query_whatever_the_period(month, django_assert_num_queries):
    with django_assert_num_queries(1):
        small = finance_export.documents_for_period(day(3, 1), day(3, 1))
    with django_assert_num_queries(1):
        large = finance_export.documents_for_period(day(1, 1), day(12, 31))
    assert len(small) < len(large) == Invoice.objects.count()


def test_the_api_takes_as_many_queries_for_an_empty_period_as_for_a_month(client, month, office_headers):
    def count(period) -> int:
        with CaptureQueriesContext(connection) as captured:
            api_json(client, office_headers, period)
        return len(captured.captured_queries)

    assert count({"from": "2025-03-01", "to": "2025-03-31"}) == count(MONTH)


def test_a_period_across_new_year_is_in_the_order_of_the_series(client, issue, make_enrolment, office_headers):
    late = issue(make_enrolment(), issued_on=datetime.date(2025, 12, 30))
    early = issue(make_enrolment(), issued_on=datetime.date(2026, 1, 2))
    body = api_json(client, office_headers, {"from": "2025-12-15", "to": "2026-01-15"})
    assert [d["number"] for d in body["documents"]] == [late.number, early.number] == ["2025-0001", "2026-0001"]


def test_an_empty_period_is_an_empty_export(client, office_headers, db):
    body = api_json(client, office_headers)
    assert body["documents"] == []
    assert body["totals"] == dict.fromkeys(("invoiced", "credited", "net", "paid", "refunded", "open"), "0.00")
    response = client.get(f"{API}.csv", MONTH, **office_headers)
    assert response.content.decode() == ",".join(finance_export.COLUMNS) + "\r\n"


# Who may export.


@pytest.mark.parametrize("path", [API, f"{API}.csv"])
def test_without_a_valid_token_it_is_a_401(client, path, db):
    assert_error(client.get(path, MONTH), 401)
    assert_error(client.get(path, MONTH, HTTP_AUTHORIZATION="Bearer nonsense"), 401)


@pytest.mark.parametrize("path", [API, f"{API}.csv"])
def test_participants_and_teachers_get_a_403_whatever_they_send(client, bearer, participant_user, teacher_user, path):
    for user in (participant_user, teacher_user):
        assert_error(client.get(path, MONTH, **bearer(user)), 403)
        assert_error(client.get(path, {"from": "nonsense"}, **bearer(user)), 403)


@pytest.mark.parametrize("url", [PAGE, PAGE_CSV])
def test_the_page_and_its_download_exist_only_for_the_programme_office(client, participant_user, teacher_user, url):
    anonymous = client.get(url.format(lang="nl"), MONTH)
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    for user in (participant_user, teacher_user):
        client.force_login(user)
        assert client.get(url.format(lang="nl"), MONTH).status_code == 404


# Bad periods.


@pytest.mark.parametrize(
    ("period", "field"),
    [
        ({"to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "yesterday", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01", "to": "31-03-2026"}, "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "2026-01-01", "to": "2027-01-02"}, "to"),
    ],
)
@pytest.mark.parametrize("path", [API, f"{API}.csv"])
def test_a_bad_period_is_a_422_naming_the_field(client, office_headers, path, period, field):
    assert_error(client.get(path, period, **office_headers), 422, field)


def test_a_leap_year_fits_and_a_day_more_does_not(client, office_headers, db):
    api_json(client, office_headers, {"from": "2024-01-01", "to": "2024-12-31"})
    body = assert_error(client.get(API, {"from": "2025-01-01", "to": "2026-01-02"}, **office_headers), 422, "to")
    assert "366" in body["detail"]


def test_the_service_checks_the_period_itself():
    with pytest.raises(Invalid) as caught:
        finance_export.documents_for_period("2026-03-01", datetime.datetime(2026, 3, 31, 12))
    assert [error["field"] for error in caught.value.errors] == ["from", "to"]
    with pytest.raises(Invalid) as caught:
        finance_export.documents_for_period(END, START)
    assert caught.value.errors[0]["field"] == "to"


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("url", [PAGE, PAGE_CSV])
def test_bad_dates_on_the_page_are_form_errors_in_the_readers_language(client, coordinator, lang, url):
    client.force_login(coordinator)
    response = client.get(url.format(lang=lang), {"from": "31-02-2026", "to": "2026-03-31"})
    assert response.status_code == 422 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    message = {"nl": "Vul een datum in, bijvoorbeeld 2027-02-03.", "en": "Enter a date, for example 2027-02-03."}[lang]
    assert f'id="id_from_error">{message}</p>' in page
    assert f'<html lang="{lang}"' in page

    response = client.get(url.format(lang=lang), {"from": "2026-03-31", "to": "2026-03-01"})
    assert response.status_code == 422
    page = response.content.decode()
    later = {"nl": "Kies 31 maart 2026 of later.", "en": "Choose 31 March 2026 or later."}[lang]
    assert f'id="id_to_error">{later}</p>' in page
    assert 'id="id_from_error"' not in page

    response = client.get(url.format(lang=lang), {"from": "", "to": ""})
    assert response.status_code == 422 and 'id="id_to_error"' in response.content.decode()


# What the files contain.


def test_formula_cells_are_neutralised_in_the_csv_and_left_alone_in_the_json(
    client, issue, credit, make_enrolment, office_headers
):
    participant = factories.UserFactory(first_name="@SUM(A1)", last_name="Jansen")
    recipient = {
        **RECIPIENT,
        "organisation": '=HYPERLINK("https://evil.example","Betaal hier")',
        "contact_name": "+31 20 123 4567",
        "po_number": "-PO-1",
    }
    invoice = issue(make_enrolment(participant=participant), issued_on=day(3, 3), recipient=recipient)
    credit(invoice, issued_on=day(3, 4))

    body = api_json(client, office_headers)
    assert body["documents"][0]["debtor_organisation"] == recipient["organisation"]
    rows = parse_csv(client.get(f"{API}.csv", MONTH, **office_headers).content)
    for row in rows:
        assert row["debtor_organisation"] == "'" + recipient["organisation"]
        assert row["debtor_contact"] == "'+31 20 123 4567" and row["po_number"] == "'-PO-1"
        assert row["participant"].startswith("'@SUM(A1)")
    # Our own numbers are not text: a credit note's amounts stay negative numbers.
    assert [row["amount_incl_vat"] for row in rows] == ["2995.00", "-2995.00"]
    assert [row["corrects"] for row in rows] == ["", invoice.number]
    raw = client.get(f"{API}.csv", MONTH, **office_headers).content.decode()
    assert '"\'=HYPERLINK(""https://evil.example"",""Betaal hier"")"' in raw


def test_accept_language_changes_no_key_and_no_value(client, issue, make_enrolment, office_headers):
    issue(make_enrolment(), issued_on=day(3, 3), language="en")
    issue(make_enrolment(), issued_on=day(3, 4), language="nl")
    dutch = api_json(client, office_headers, HTTP_ACCEPT_LANGUAGE="nl")
    english = api_json(client, office_headers, HTTP_ACCEPT_LANGUAGE="en")
    assert dutch == english
    assert list(dutch["documents"][0]) == list(finance_export.COLUMNS)
    assert [d["status"] for d in dutch["documents"]] == ["open", "open"]
    csv_nl = client.get(f"{API}.csv", MONTH, **office_headers, HTTP_ACCEPT_LANGUAGE="nl").content
    csv_en = client.get(f"{API}.csv", MONTH, **office_headers, HTTP_ACCEPT_LANGUAGE="en").content
    assert csv_nl == csv_en


# The page.


def previous_month_period() -> tuple[datetime.date, datetime.date]:
    from django.utils import timezone

    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_shows_the_previous_month_with_its_totals_and_a_download(
    client, coordinator, issue, credit, make_enrolment, lang
):
    start, end = previous_month_period()
    first = issue(make_enrolment(), issued_on=start)
    second = issue(make_enrolment(), issued_on=end)
    payments.record_payment(actor=coordinator, invoice_number=first.number, paid_on=end, amount="995.00")
    credit(second, issued_on=end)
    issue(make_enrolment(), issued_on=end + datetime.timedelta(days=1))  # the current month: not shown

    client.force_login(coordinator)
    response = client.get(PAGE.format(lang=lang))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{start.isoformat()}"' in page and f'value="{end.isoformat()}"' in page
    assert 'data-documents="3"' in page and 'data-invoices="2"' in page and 'data-credit-notes="1"' in page
    amounts = dict(re.findall(r'data-total="(\w+)" data-amount="([-0-9.]+)"', page))
    assert amounts == {
        "invoiced": "5990.00",
        "credited": "2995.00",
        "net": "2995.00",
        "paid": "995.00",
        "refunded": "0.00",
        "open": "2000.00",
    }
    assert {"nl": "€\u00a05.990", "en": "€5,990"}[lang] in page
    download = f'action="{PAGE_CSV.format(lang=lang)}"'
    assert download in page

    response = client.get(PAGE_CSV.format(lang=lang), {"from": start.isoformat(), "to": end.isoformat()})
    assert response.status_code == 200
    rows = parse_csv(response.content)
    assert [row["number"] for row in rows] == [first.number, second.number, Invoice.objects.get(corrects=second).number]


def test_the_invoice_list_links_to_the_export(client, coordinator):
    client.force_login(coordinator)
    for lang in ("nl", "en"):
        page = client.get(f"/{lang}/coordinatie/facturen/").content.decode()
        assert f'href="{PAGE.format(lang=lang)}"' in page


def test_the_openapi_document_describes_both_endpoints(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path in (API, f"{API}.csv"):
        operation = schema["paths"][path]["get"]
        assert {"200", "401", "403", "422"} <= set(operation["responses"]), path
        for status in ("401", "403", "422"):
            ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut")
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert parameters["from"]["required"] and parameters["to"]["required"]
        assert parameters["from"]["in"] == "query"
        (requirement,) = operation["security"]
        for name in requirement:
            assert schema["components"]["securitySchemes"][name] == {"type": "http", "scheme": "bearer"}
    assert "text/csv" in schema["paths"][f"{API}.csv"]["get"]["responses"]["200"]["content"]
    out = schema["components"]["schemas"]["FinanceExportOut"]
    assert set(out["properties"]) == {"from", "to", "documents", "totals"}
    document = schema["components"]["schemas"]["FinanceDocumentOut"]
    assert tuple(document["properties"]) == finance_export.COLUMNS
