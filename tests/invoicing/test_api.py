"""GET /api/v1/invoices/{number} and .pdf: the contract's shape; coordinators and the invoice's own participant only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.api.helpers import assert_error

from .conftest import NOTE_EN
from .helpers import pdf_text

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def invoice(issue, enrolment):
    return issue(enrolment, language="en")


def get(client, path, headers=None, **extra):
    return client.get(f"{API}{path}", **(headers or {}), **extra)


def test_an_invoice_in_the_contracts_shape(client, bearer, coordinator, invoice):
    response = get(client, f"/invoices/{invoice.number}", bearer(coordinator))

    assert response.status_code == 200
    body = response.json()
    assert {"number", "issued_on", "lines", "total", "vat_amount", "vat_exemption_note", "status"} <= set(body)
    assert body["number"] == "2027-0001"
    assert body["kind"] == "invoice"
    assert body["status"] == "open"
    assert body["issued_on"] == "2027-01-04"
    assert body["due_on"] == "2027-02-03"
    assert body["currency"] == "EUR"
    assert body["lines"] == [
        {
            "description": "Participation in Steering and leading from trust, edition starting 13 January 2027 "
            "(including study material and meals)",
            "amount": "2995.00",
        }
    ]
    assert (body["total"], body["vat_amount"]) == ("2995.00", "0.00")
    assert body["vat_exemption_note"] == NOTE_EN
    assert "article 11, paragraph 1, sub o" in body["vat_exemption_note"] and "Wet OB 1968" in body["vat_exemption_note"]
    assert (body["corrects"], body["credit_note"]) == (None, None)
    assert body["issuer"]["kvk"] == "00000000"
    assert body["issuer"]["iban"] == "NL91ABNA0417164300"
    assert body["recipient"]["organisation"] == "Gemeente Utrecht"
    assert body["recipient"]["po_number"] == "PO-2027-118"
    assert body["participant_name"] == "Anna de Vries"
    assert body["pdf_url"].endswith("/api/v1/invoices/2027-0001.pdf")


def test_a_credit_note_and_its_invoice_name_each_other(client, bearer, coordinator, invoice, credit):
    credit_note = credit(invoice)
    headers = bearer(coordinator)

    note = get(client, f"/invoices/{credit_note.number}", headers).json()
    original = get(client, f"/invoices/{invoice.number}", headers).json()

    assert (note["kind"], note["corrects"], note["total"], note["lines"][0]["amount"]) == (
        "credit_note",
        "2027-0001",
        "-2995.00",
        "-2995.00",
    )
    assert (original["status"], original["credit_note"]) == ("credited", "2027-0002")


def test_the_participant_it_belongs_to_sees_it(client, bearer, invoice, participant_user):
    response = get(client, f"/invoices/{invoice.number}", bearer(participant_user))

    assert response.status_code == 200
    assert response.json()["number"] == invoice.number


@pytest.mark.parametrize("who", ["other participant", "teacher", "inactive coordinator"])
def test_anybody_else_is_told_it_does_not_exist(client, bearer, invoice, who):
    user = {
        "other participant": lambda: factories.UserFactory(),
        "teacher": lambda: factories.TeacherUserFactory(),
        "inactive coordinator": lambda: factories.CoordinatorFactory(is_active=False),
    }[who]()
    headers = bearer(user)

    for path in (f"/invoices/{invoice.number}", f"/invoices/{invoice.number}.pdf"):
        response = get(client, path, headers)
        if who == "inactive coordinator":
            assert_error(response, 401)  # an inactive account's token no longer works
        else:
            unknown = get(client, path.replace("2027-0001", "2027-0999"), headers)
            assert assert_error(response, 404)["detail"] == assert_error(unknown, 404)["detail"]


def test_without_a_token_it_is_a_401(client, invoice):
    assert_error(get(client, f"/invoices/{invoice.number}"), 401)
    assert_error(get(client, f"/invoices/{invoice.number}.pdf"), 401)
    assert_error(get(client, f"/invoices/{invoice.number}", {"HTTP_AUTHORIZATION": "Bearer wrong"}), 401)


def test_an_unknown_number_is_a_404_in_the_error_format(client, bearer, coordinator, invoice):
    headers = bearer(coordinator)
    for path in (
        "/invoices/2027-0002",
        "/invoices/2027-0002.pdf",
        "/invoices/nonsense",
        "/invoices/%20.pdf",
        "/invoices/20%0027-0001",
    ):
        body = assert_error(get(client, path, headers), 404)
        assert body["errors"] == []


def test_the_error_speaks_the_language_of_accept_language(client, bearer, coordinator, invoice):
    english = assert_error(get(client, "/invoices/2027-0002", bearer(coordinator), HTTP_ACCEPT_LANGUAGE="en"), 404)

    assert english["detail"] == "There is no invoice with this number, or you may not see it."


def test_the_pdf_for_the_coordinator_and_the_participant(client, bearer, coordinator, participant_user, invoice):
    for user in (coordinator, participant_user):
        response = get(client, f"/invoices/{invoice.number}.pdf", bearer(user))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="invoice-2027-0001.pdf"'
        assert "no-store" in response["Cache-Control"]
        assert response.content.startswith(b"%PDF")
        assert "Invoice 2027-0001" in pdf_text(response.content)


def test_the_pdf_is_in_the_invoices_language_whatever_accept_language_says(client, bearer, coordinator, invoice):
    response = get(client, f"/invoices/{invoice.number}.pdf", bearer(coordinator), HTTP_ACCEPT_LANGUAGE="nl")

    assert "€2,995.00" in pdf_text(response.content)


def test_the_openapi_document_describes_both_endpoints_with_their_errors(client):
    schema = client.get(f"{API}/openapi.json").json()

    for path in ("/api/v1/invoices/{number}", "/api/v1/invoices/{number}.pdf"):
        operation = schema["paths"][path]["get"]
        assert {"200", "401", "404"} <= set(operation["responses"]), path
        for status in ("401", "404"):
            ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut")
    assert schema["paths"]["/api/v1/invoices/{number}"]["get"]["security"] == [{"BearerToken": []}]
    # The PDF may also be fetched with the session of a logged-in coordinator or participant.
    assert schema["paths"]["/api/v1/invoices/{number}.pdf"]["get"]["security"] == [{"BearerToken": []}, {"SessionAuth": []}]
    pdf = schema["paths"]["/api/v1/invoices/{number}.pdf"]["get"]["responses"]["200"]
    assert "application/pdf" in pdf["content"]


def count_queries(client, path, headers) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, path, headers)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_reading_an_invoice_takes_a_fixed_number_of_queries(
    client, bearer, coordinator, participant_user, issue, credit, make_enrolment, invoice
):
    coordinator_headers, participant_headers = bearer(coordinator), bearer(participant_user)
    small = count_queries(client, f"/invoices/{invoice.number}", coordinator_headers)

    for _ in range(15):
        credit(issue(make_enrolment()))

    # The token's user, then the invoice with what it corrects, its enrolment and its credit note.
    assert small == 2
    assert count_queries(client, f"/invoices/{invoice.number}", coordinator_headers) == 2
    assert count_queries(client, f"/invoices/{invoice.number}", participant_headers) == 2
    assert count_queries(client, "/invoices/2027-0031", coordinator_headers) == 2
    assert count_queries(client, f"/invoices/{invoice.number}.pdf", coordinator_headers) == 2
