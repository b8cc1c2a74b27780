"""An edition's money overview (overview.edition_money, the page money:edition and GET
/api/v1/editions/{id}/money): documents made with the real services (invoices, partial and full
payments, credit notes with and without payment, refunds, a cancellation with a fee and money carried
over) give figures equal to the rows in the database, computed here independently; the totals
reconcile; the query count does not grow with the participants; only the programme office sees it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.enrolment import changes
from leergang.invoicing import overview, payments, refunds
from leergang.invoicing.models import Invoice, InvoiceStatus, Payment, Refund
from tests import factories
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db

D = Decimal
PAGE = "/{lang}/coordinatie/edities/{id}/geld/"
API = "/api/v1/editions/{id}/money"
TOTALS = ("invoiced", "credited", "paid", "refunded", "open", "owed_back", "net")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def pay(coordinator):
    def make(invoice, amount, *, days=1):
        return payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=days_ago(days), amount=amount)

    return make


@pytest.fixture
def refund(coordinator):
    def make(credit_note, amount):
        return refunds.record_refund(
            actor=coordinator, credit_note_number=credit_note.number, paid_on=timezone.localdate(), amount=amount
        )

    return make


@pytest.fixture
def scenario(edition, issue, credit, pay, refund, make_enrolment, coordinator):
    """Every kind of document and money movement in one edition, plus one document elsewhere."""
    edition.cancellation_free_until = days_ago(100)
    edition.cancellation_fee_kind = "percentage"
    edition.cancellation_fee_value = D("10")
    edition.save()

    def enrolled(name, organisation=""):
        first, last = name.split(" ", 1)
        return make_enrolment(participant=factories.UserFactory(first_name=first, last_name=last), organisation=organisation)

    made = {}
    made["open"] = issue(enrolled("Ada Aalders", "Gemeente Ede"), issued_on=days_ago(40))  # overdue
    made["partly"] = issue(enrolled("Bas Bakker"), issued_on=days_ago(10))
    pay(made["partly"], "1000.00")
    made["paid"] = issue(enrolled("Cor Claassen"), issued_on=days_ago(10))
    pay(made["paid"], "995.00", days=5)
    pay(made["paid"], "2000.00")
    made["credited"] = issue(enrolled("Dirk Dekker"), issued_on=days_ago(10))
    made["credited_note"] = credit(made["credited"], issued_on=days_ago(2))
    made["partly_credited"] = issue(enrolled("Eva Evers"), issued_on=days_ago(10))
    pay(made["partly_credited"], "500.00", days=3)
    made["partly_credited_note"] = credit(made["partly_credited"], issued_on=days_ago(2))
    refund(made["partly_credited_note"], "200.00")
    made["refunded"] = issue(enrolled("Fien Fransen"), issued_on=days_ago(10))
    pay(made["refunded"], "2995.00", days=3)
    made["refunded_note"] = credit(made["refunded"], issued_on=days_ago(2))
    refund(made["refunded_note"], "2995.00")
    cancelled = enrolled("Gijs Gerritsen")
    made["cancelled"] = issue(cancelled, issued_on=days_ago(10))
    pay(made["cancelled"], "100.00", days=3)
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=cancelled.pk, reason="Past de planning niet.")
    made["cancelled_note"], made["fee"] = result.credit_note, result.fee_invoice
    made["cancelled_enrolment"] = cancelled
    made["no_invoice"] = enrolled("Henk Hendriks")
    elsewhere = factories.EditionFactory(programme=edition.programme, fee=D("1000.00"))
    made["elsewhere"] = issue(factories.EnrolmentFactory(edition=elsewhere), issued_on=days_ago(10))
    pay(made["elsewhere"], "1000.00")
    return made


def database_figures(edition) -> dict[str, Decimal]:
    """The edition's totals straight from the rows (not through balances.py)."""
    documents = list(Invoice.objects.filter(enrolment__edition=edition))
    paid = {d.pk: sum((p.amount for p in Payment.objects.filter(invoice=d)), D("0")) for d in documents}
    refunded = {d.pk: sum((r.amount for r in Refund.objects.filter(credit_note=d)), D("0")) for d in documents}
    invoices = [d for d in documents if d.kind == "invoice"]
    notes = [d for d in documents if d.kind == "credit_note"]
    figures = {
        "invoiced": sum((d.total for d in invoices), D("0")),
        "credited": -sum((d.total for d in notes), D("0")),
        "paid": sum(paid.values(), D("0")),
        "refunded": sum(refunded.values(), D("0")),
        "open": sum((d.total - paid[d.pk] for d in invoices if d.status in ("open", "partly_paid")), D("0")),
        "owed_back": sum((paid[d.corrects_id] - refunded[d.pk] for d in notes if d.status == "open"), D("0")),
    }
    figures["net"] = figures["invoiced"] - figures["credited"]
    return {key: value.quantize(D("0.01")) for key, value in figures.items()}


def test_the_scenario_is_what_the_services_made(scenario):
    """The documents this module's other tests rely on, as the services left them."""
    status = {key: Invoice.objects.get(pk=doc.pk).status for key, doc in scenario.items() if isinstance(doc, Invoice)}
    assert status == {
        "open": "open",
        "partly": "partly_paid",
        "paid": "paid",
        "credited": "credited",
        "credited_note": "credited",
        "partly_credited": "credited",
        "partly_credited_note": "open",
        "refunded": "credited",
        "refunded_note": "paid",
        "cancelled": "credited",
        "cancelled_note": "paid",  # the 100.00 paid was carried over to the fee invoice
        "fee": "partly_paid",
        "elsewhere": "paid",
    }
    assert scenario["fee"].purpose == "cancellation_fee" and scenario["fee"].total == D("299.50")


def test_the_totals_equal_the_documents_in_the_database_and_reconcile(scenario, edition):
    totals = overview.edition_money(edition.pk).totals
    expected = database_figures(edition)

    assert {key: totals[key] for key in TOTALS} == expected
    # By hand: 7 places at 2995.00 and a 10% fee; 4 credited; what was paid, refunded and is open.
    assert expected == {
        "invoiced": D("21264.50"),
        "credited": D("11980.00"),
        "paid": D("7690.00"),  # 1000 + 2995 + 500 + 2995 + 100 + 100 carried over to the fee
        "refunded": D("3295.00"),  # 200 + 2995 + 100 carried over
        "open": D("5189.50"),  # 2995 + 1995 + 199.50
        "owed_back": D("300.00"),
        "net": D("9284.50"),
    }
    assert totals["invoiced"] - totals["credited"] - (totals["paid"] - totals["refunded"]) == totals["open"] - totals["owed_back"]


def test_each_document_shows_its_own_figures_grouped_by_enrolment(scenario, edition):
    money = overview.edition_money(edition.pk)
    rows = {row.document.number: row for item in money.enrolments for row in item.documents}

    assert set(rows) == {d.number for key, d in scenario.items() if isinstance(d, Invoice) and key != "elsewhere"}
    for number, row in rows.items():
        paid = sum((p.amount for p in Payment.objects.filter(invoice__number=number)), D("0"))
        refunded = sum((r.amount for r in Refund.objects.filter(credit_note__number=number)), D("0"))
        assert (row.paid, row.refunded) == (paid, refunded), number
    balance = {
        key: rows[scenario[key].number].balance for key in scenario if isinstance(scenario[key], Invoice) and key != "elsewhere"
    }
    assert balance == {
        "open": D("2995.00"),
        "partly": D("1995.00"),
        "paid": D("0.00"),
        "credited": D("0.00"),
        "credited_note": D("0.00"),
        "partly_credited": D("0.00"),
        "partly_credited_note": D("-300.00"),
        "refunded": D("0.00"),
        "refunded_note": D("0.00"),
        "cancelled": D("0.00"),
        "cancelled_note": D("0.00"),
        "fee": D("199.50"),
    }
    assert [row.overdue for row in rows.values() if row.overdue] == [True]
    assert rows[scenario["open"].number].overdue

    names = [item.participant_name for item in money.enrolments]
    assert names == sorted(names) and len(names) == 8
    by_name = {item.participant_name: item for item in money.enrolments}
    assert [row.document.number for row in by_name["Gijs Gerritsen"].documents] == [
        scenario["cancelled"].number,
        scenario["cancelled_note"].number,
        scenario["fee"].number,
    ]
    assert by_name["Gijs Gerritsen"].enrolment.status == "cancelled"
    assert by_name["Henk Hendriks"].documents == []


def test_a_payment_moves_the_figures(scenario, edition, pay):
    before = overview.edition_money(edition.pk).totals
    pay(scenario["partly"], "1995.00")
    after = overview.edition_money(edition.pk).totals

    assert after["paid"] - before["paid"] == D("1995.00")
    assert before["open"] - after["open"] == D("1995.00")
    assert {k: after[k] for k in ("invoiced", "credited", "refunded", "owed_back", "net")} == {
        k: before[k] for k in ("invoiced", "credited", "refunded", "owed_back", "net")
    }
    assert {key: after[key] for key in TOTALS} == database_figures(edition)


def test_an_empty_edition_has_zero_totals(edition):
    money = overview.edition_money(edition.pk)
    assert money.enrolments == [] and set(money.totals.values()) == {D("0.00")}


def test_the_query_count_does_not_grow_with_the_participants(
    edition, issue, pay, credit, make_enrolment, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            invoice = issue(make_enrolment(), issued_on=days_ago(10))
            pay(invoice, "100.00")
            credit(invoice, issued_on=days_ago(1))
            issue(make_enrolment(), issued_on=days_ago(10))

    add(2)
    with django_assert_num_queries(3):  # the edition, its enrolments, their documents with balances
        assert len(overview.edition_money(edition.pk).enrolments) == 4
    add(10)
    with django_assert_num_queries(3):
        money = overview.edition_money(edition.pk)
        assert len(money.enrolments) == 24
        assert sum(len(item.documents) for item in money.enrolments) == 36


# --- the page -------------------------------------------------------------------------------------


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


def page_totals(html: str) -> dict[str, Decimal]:
    import re

    return {key: D(value) for key, value in re.findall(r'data-total="([a-z_]+)" data-amount="([0-9.-]+)"', html)}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_shows_the_totals_and_each_document_with_links(office, scenario, edition, lang):
    response = office.get(PAGE.format(lang=lang, id=edition.pk))
    assert response.status_code == 200
    html = response.content.decode()

    assert page_totals(html) == database_figures(edition)
    for key, document in scenario.items():
        if not isinstance(document, Invoice):
            continue
        if key == "elsewhere":
            assert f'data-number="{document.number}"' not in html
            continue
        assert f'data-number="{document.number}"' in html, key
        assert f'href="/{lang}/coordinatie/facturen/{document.number}/"' in html
        assert f'href="/api/v1/invoices/{document.number}.pdf"' in html
    row = html.split(f'data-number="{scenario["open"].number}"')[1].split("</tr>")[0]
    assert 'data-overdue="true"' in row
    assert ("Overdue" if lang == "en" else "Verlopen") in row
    partly_note = html.split(f'data-number="{scenario["partly_credited_note"].number}"')[1].split("</tr>")[0]
    assert 'data-balance="-300.00"' in partly_note and 'data-refunded="200.00"' in partly_note
    fee = html.split(f'data-number="{scenario["fee"].number}"')[1].split("</tr>")[0]
    assert 'data-purpose="cancellation_fee"' in html.split(f'data-number="{scenario["fee"].number}"')[1][:200]
    assert 'data-paid="100.00"' in fee and 'data-balance="199.50"' in fee
    assert "Henk Hendriks" in html and "Gemeente Ede" in html


def test_the_page_writes_money_the_way_people_do(office, scenario, edition):
    en = office.get(PAGE.format(lang="en", id=edition.pk)).content.decode()
    nl = office.get(PAGE.format(lang="nl", id=edition.pk)).content.decode()
    assert "€21,264.50" in en and "€5,189.50" in en
    assert "€\xa021.264,50" in nl and "€\xa05.189,50" in nl


def test_the_page_takes_as_many_queries_for_a_large_edition_as_for_a_small_one(office, edition, issue, make_enrolment):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(PAGE.format(lang="en", id=edition.pk)).status_code == 200
        return len(queries)

    issue(make_enrolment(), issued_on=days_ago(3))
    small = count()
    for _ in range(8):
        issue(make_enrolment(), issued_on=days_ago(3))
    assert count() == small


def test_an_unknown_edition_is_a_404(office):
    assert office.get(PAGE.format(lang="en", id=999999)).status_code == 404


def test_nobody_but_the_programme_office_sees_the_page(client, scenario, edition, teacher_user):
    participant = scenario["open"].enrolment.participant
    for user in (teacher_user, participant):
        client.force_login(user)
        assert client.get(PAGE.format(lang="nl", id=edition.pk)).status_code == 404
    client.logout()
    response = client.get(PAGE.format(lang="nl", id=edition.pk))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_the_page_only_answers_reads(office, edition):
    assert office.post(PAGE.format(lang="en", id=edition.pk)).status_code == 405


def test_the_dashboard_links_each_edition_to_its_money_overview(office, edition):
    html = office.get("/en/account/").content.decode()
    assert f'href="/en/coordinatie/edities/{edition.pk}/geld/"' in html


# --- the API --------------------------------------------------------------------------------------


def test_the_api_gives_the_totals_and_the_documents(client, bearer, coordinator, scenario, edition):
    response = client.get(API.format(id=edition.pk), **bearer(coordinator))
    assert response.status_code == 200, response.content
    body = response.json()

    assert (body["edition"], body["programme"], body["start_date"]) == (edition.pk, "sturen-vanuit-vertrouwen", "2027-01-13")
    assert body["totals"] == {key: f"{value:.2f}" for key, value in database_figures(edition).items()}
    enrolments = {item["participant"]["name"]: item for item in body["enrolments"]}
    assert len(enrolments) == 8
    gijs = enrolments["Gijs Gerritsen"]
    assert gijs["status"] == "cancelled" and gijs["enrolment_id"] == scenario["cancelled_enrolment"].pk
    assert [
        (d["number"], d["kind"], d["purpose"], d["status"], d["total"], d["paid"], d["refunded"], d["balance"])
        for d in gijs["documents"]
    ] == [
        (scenario["cancelled"].number, "invoice", "participation", "credited", "2995.00", "100.00", "0.00", "0.00"),
        (scenario["cancelled_note"].number, "credit_note", "participation", "paid", "-2995.00", "0.00", "100.00", "0.00"),
        (scenario["fee"].number, "invoice", "cancellation_fee", "partly_paid", "299.50", "100.00", "0.00", "199.50"),
    ]
    assert gijs["documents"][1]["corrects"] == scenario["cancelled"].number
    ada = enrolments["Ada Aalders"]
    assert ada["organisation"] == "Gemeente Ede"
    assert ada["documents"][0]["overdue"] is True and ada["documents"][0]["issued_on"] == days_ago(40).isoformat()
    assert enrolments["Henk Hendriks"]["documents"] == []
    all_documents = [d for item in body["enrolments"] for d in item["documents"]]
    assert sum(D(d["balance"]) for d in all_documents) == D(body["totals"]["open"]) - D(body["totals"]["owed_back"])


def test_the_api_answers_401_403_and_404_in_the_error_format(client, bearer, coordinator, teacher_user, participant, edition):
    assert_error(client.get(API.format(id=edition.pk)), 401)
    assert_error(client.get(API.format(id=edition.pk), HTTP_AUTHORIZATION="Bearer nonsense"), 401)
    for user in (teacher_user, participant):
        assert_error(client.get(API.format(id=edition.pk), **bearer(user)), 403)
        assert_error(client.get(API.format(id=999999), **bearer(user)), 403)  # existence is not revealed
    assert_error(client.get(API.format(id=999999), **bearer(coordinator)), 404)
    assert_error(client.get("/api/v1/editions/abc/money", **bearer(coordinator)), 422)


def test_the_endpoint_and_its_errors_are_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/editions/{edition_id}/money"]["get"]
    assert {"200", "401", "403", "404"} <= set(operation["responses"])
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/EditionMoneyOut")
    totals = document["components"]["schemas"]["MoneyTotalsOut"]["properties"]
    assert set(totals) == set(TOTALS)


def test_a_document_status_never_changes_by_looking(scenario, edition, office, client, bearer, coordinator):
    before = list(Invoice.objects.order_by("pk").values_list("number", "status", "updated_at"))
    office.get(PAGE.format(lang="nl", id=edition.pk))
    client.get(API.format(id=edition.pk), **bearer(coordinator))
    assert list(Invoice.objects.order_by("pk").values_list("number", "status", "updated_at")) == before
    assert InvoiceStatus.OPEN in {status for _, status, _ in before}
