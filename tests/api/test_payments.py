"""GET and POST /api/v1/invoices/{number}/payments: the shapes, money as decimal strings, the status
following the payments, every refusal in the contract's error format with nothing changed, and the
programme office only."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.invoicing import services
from leergang.invoicing.models import Invoice, Payment
from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db

RECIPIENT = {"organisation": "Gemeente Zwolle", "address": "Grote Kerkplein 15", "postal_code": "8011 PK", "city": "Zwolle"}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def invoice(coordinator, today):
    edition = factories.EditionFactory(programme=factories.ProgrammeFactory(vat_exempt=True), fee=Decimal("2995.00"))
    enrolment = factories.EnrolmentFactory(edition=edition)
    return services.issue_invoice(
        actor=coordinator, enrolment=enrolment, recipient=RECIPIENT, language="en", issued_on=today - datetime.timedelta(days=20)
    )


def url(invoice_or_number) -> str:
    number = getattr(invoice_or_number, "number", invoice_or_number)
    return f"{API}/invoices/{number}/payments"


def post(client, headers, invoice, body):
    return client.post(url(invoice), body, content_type="application/json", **headers)


def stored():
    return (
        list(Payment.objects.order_by("pk").values()),
        list(Invoice.objects.order_by("pk").values("pk", "status")),
        AuditEntry.objects.count(),
    )


def test_recording_partial_payments_and_listing_them(client, as_coordinator, invoice, today):
    first = post(client, as_coordinator, invoice, {"paid_on": today.isoformat(), "amount": "1000.50", "reference": "Bank 1"})
    assert first.status_code == 201, first.content
    body = first.json()
    assert set(body) == {"id", "paid_on", "amount", "reference", "recorded_at", "invoice", "status", "total", "paid", "owed"}
    assert (body["amount"], body["reference"], body["paid_on"]) == ("1000.50", "Bank 1", today.isoformat())
    assert (body["invoice"], body["status"], body["total"], body["paid"], body["owed"]) == (
        invoice.number,
        "partly_paid",
        "2995.00",
        "1000.50",
        "1994.50",
    )
    assert datetime.datetime.fromisoformat(body["recorded_at"]).tzinfo is not None

    last = post(client, as_coordinator, invoice, {"paid_on": today.isoformat(), "amount": 1994.5})
    assert last.status_code == 201
    assert (last.json()["status"], last.json()["owed"], last.json()["reference"]) == ("paid", "0.00", "")

    listing = client.get(url(invoice), **as_coordinator)
    assert listing.status_code == 200
    data = listing.json()
    assert (data["number"], data["status"], data["total"], data["paid"], data["owed"]) == (
        invoice.number,
        "paid",
        "2995.00",
        "2995.00",
        "0.00",
    )
    assert [(p["amount"], p["reference"]) for p in data["payments"]] == [("1000.50", "Bank 1"), ("1994.50", "")]
    assert set(data["payments"][0]) == {"id", "paid_on", "amount", "reference", "recorded_at"}


def test_an_invoice_without_payments(client, as_coordinator, invoice):
    data = client.get(url(invoice), **as_coordinator).json()
    assert (data["status"], data["paid"], data["owed"], data["payments"]) == ("open", "0.00", "2995.00", [])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"paid_on": "TODAY", "amount": "2995.01"}, 409, "amount"),
        ({"paid_on": "TODAY", "amount": "0"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "12.345"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "twelve"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "NaN"}, 422, "amount"),
        ({"paid_on": "TODAY"}, 422, "amount"),
        ({"paid_on": "TOMORROW", "amount": "10.00"}, 422, "paid_on"),
        ({"paid_on": "2000-01-01", "amount": "10.00"}, 422, "paid_on"),
        ({"paid_on": "03-02-2027", "amount": "10.00"}, 422, "paid_on"),
        ({"paid_on": "TODAY", "amount": "10.00", "reference": "x" * 141}, 422, "reference"),
        ({"paid_on": "TODAY", "amount": "10.00", "reference": None}, 422, "reference"),
    ],
)
def test_refusals_in_the_error_format_change_nothing(client, as_coordinator, invoice, today, body, status, field):
    dates = {"TODAY": today.isoformat(), "TOMORROW": (today + datetime.timedelta(days=1)).isoformat()}
    body = {key: dates.get(value, value) if isinstance(value, str) else value for key, value in body.items()}
    before = stored()
    response = post(client, as_coordinator, invoice, body)
    assert_error(response, status, field)
    assert stored() == before


def test_a_body_that_is_not_json_is_a_400(client, as_coordinator, invoice):
    response = client.post(url(invoice), "{not json", content_type="application/json", **as_coordinator)
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code)
    assert not Payment.objects.exists()


def test_credit_notes_and_credited_invoices_are_a_409(client, as_coordinator, invoice, coordinator, today):
    credit_note = services.issue_credit_note(actor=coordinator, invoice=invoice, issued_on=today)
    for document in (invoice, credit_note):
        before = stored()
        assert_error(post(client, as_coordinator, document, {"paid_on": today.isoformat(), "amount": "1.00"}), 409)
        assert stored() == before


def test_an_unknown_invoice_is_a_404(client, as_coordinator, today):
    for number in ("2027-9999", "bogus"):
        assert_error(client.get(url(number), **as_coordinator), 404)
        assert_error(post(client, as_coordinator, number, {"paid_on": today.isoformat(), "amount": "1.00"}), 404)


def test_only_the_programme_office(client, bearer, invoice, today, participant, teacher_user):
    owner = invoice.enrolment.participant
    for person in (participant, teacher_user, owner):
        headers = bearer(person)
        assert_error(client.get(url(invoice), **headers), 403)
        assert_error(post(client, headers, invoice, {"paid_on": today.isoformat(), "amount": "1.00"}), 403)
        assert_error(client.get(url("2027-9999"), **headers), 403)  # the same answer: existence is not revealed
    assert_error(client.get(url(invoice)), 401)
    assert_error(
        post(client, {"HTTP_AUTHORIZATION": "Bearer nonsense"}, invoice, {"paid_on": today.isoformat(), "amount": "1"}), 401
    )
    assert not Payment.objects.exists()


def test_the_invoice_endpoint_answers_for_a_partly_paid_invoice(client, as_coordinator, invoice, today):
    post(client, as_coordinator, invoice, {"paid_on": today.isoformat(), "amount": "5.00"})
    response = client.get(f"{API}/invoices/{invoice.number}", **as_coordinator)
    assert response.status_code == 200 and response.json()["status"] == "partly_paid"


def test_the_openapi_document_describes_both_operations_with_their_errors(client):
    schema = client.get(f"{API}/openapi.json").json()
    path = schema["paths"]["/api/v1/invoices/{number}/payments"]
    assert set(path["get"]["responses"]) == {"200", "400", "401", "403", "404", "409", "422"}
    assert set(path["post"]["responses"]) == {"201", "400", "401", "403", "404", "409", "422"}
