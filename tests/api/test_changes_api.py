"""The changes-of-plan API (issue 7): POST /enrolments/{id}/substitute and /transfer, GET
/enrolments/{id}/history, GET and POST /invoices/{number}/refunds. Each works through the real
services and leaves the right trail (the credit note and the new invoice numbered consecutively);
every refusal is in the contract's error format, changes nothing and is declared in OpenAPI; only
the programme office changes places and records refunds, and a participant reads only their own
place's history."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment import changes
from leergang.enrolment.models import Enrolment, EnrolmentChange
from leergang.invoicing import payments, services
from leergang.invoicing.models import Invoice, Payment, Refund
from leergang.notifications.models import OutboxEmail
from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECIPIENT = {
    "organisation": "Gemeente Zwolle",
    "contact_name": "",
    "address": "Grote Kerkplein 15",
    "postal_code": "8011 PK",
    "city": "Zwolle",
    "email": "facturen@zwolle.example",
    "po_number": "",
}
OTHER_DEBTOR = {
    "organisation": "Provincie Overijssel",
    "address": "Luttenbergstraat 2",
    "postal_code": "8012 EE",
    "city": "Zwolle",
    "email": "facturen@overijssel.example",
    "po_number": "PO-9",
}


def stored() -> dict:
    return {
        "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "status", "participant_id", "edition_id")),
        "invoices": list(Invoice.objects.order_by("pk").values_list("pk", "number", "status")),
        "payments": Payment.objects.count(),
        "refunds": Refund.objects.count(),
        "changes": EnrolmentChange.objects.count(),
        "mails": OutboxEmail.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def post(client, path, body, headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


@pytest.fixture
def later_edition(programme):
    edition = factories.EditionFactory(
        programme=programme, status="open", start_date=datetime.date(2027, 9, 1), capacity=1, fee=D("3195.00")
    )
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 9, 1))
    return edition


@pytest.fixture
def make_place(edition, coordinator):
    def make(*, paid=None, participant=None, edition=edition):
        enrolment = factories.EnrolmentFactory(
            edition=edition, participant=participant or factories.UserFactory(), organisation="Gemeente Zwolle"
        )
        invoice = services.issue_invoice(actor=coordinator, enrolment=enrolment, recipient=dict(RECIPIENT), language="nl")
        if paid:
            payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount=paid)
        return enrolment, Invoice.objects.get(pk=invoice.pk)

    return make


# -- a colleague takes over ----------------------------------------------------------------------


def test_a_colleague_takes_over_a_place(client, as_coordinator, make_place):
    enrolment, invoice = make_place(paid="1000.00")
    response = post(
        client,
        f"/enrolments/{enrolment.pk}/substitute",
        {"first_name": "Karin", "last_name": "Bos", "email": "karin@example.org", "reason": "Andere functie"},
        as_coordinator,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"enrolment_id", "previous_enrolment_id", "credit_note_number", "invoice_number"}
    new = Enrolment.objects.get(pk=body["enrolment_id"])
    assert body["previous_enrolment_id"] == enrolment.pk and new.participant.email == "karin@example.org"
    assert new.edition_id == enrolment.edition_id and new.organisation == "Gemeente Zwolle"
    credit_note = Invoice.objects.get(number=body["credit_note_number"])
    reissued = Invoice.objects.get(number=body["invoice_number"])
    assert credit_note.corrects_id == invoice.pk and reissued.enrolment_id == new.pk
    assert [credit_note.sequence, reissued.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert reissued.recipient_contact_name == "Karin Bos" and reissued.status == "partly_paid"
    assert credit_note.reason == "Andere functie"
    assert OutboxEmail.objects.filter(to__icontains="karin@example.org").exists()

    history = client.get(f"{API}/enrolments/{new.pk}/history", **as_coordinator)
    assert history.status_code == 200
    (item,) = history.json()["changes"]
    assert item == {
        "kind": "substitution",
        "from_enrolment_id": enrolment.pk,
        "to_enrolment_id": new.pk,
        "from_edition": enrolment.edition_id,
        "to_edition": enrolment.edition_id,
        "reason": "Andere functie",
        "credit_note_number": credit_note.number,
        "invoice_number": reissued.number,
        "at": item["at"],
    }
    assert client.get(f"{API}/enrolments/{enrolment.pk}/history", **as_coordinator).json() == history.json()


def test_a_colleague_with_another_invoice_address_and_organisation(client, as_coordinator, make_place):
    enrolment, invoice = make_place(paid="2995.00")
    response = post(
        client,
        f"/enrolments/{enrolment.pk}/substitute",
        {"first_name": "Piet", "last_name": "Jansen", "email": "piet@example.org", "organisation": "Provincie Overijssel",
         "invoice": {**OTHER_DEBTOR, "contact_name": "P. Jansen"}},
        as_coordinator,
    )  # fmt: skip
    assert response.status_code == 201, response.content
    reissued = Invoice.objects.get(number=response.json()["invoice_number"])
    assert (reissued.recipient_organisation, reissued.recipient_contact_name, reissued.recipient_po_number) == (
        "Provincie Overijssel",
        "P. Jansen",
        "PO-9",
    )
    assert reissued.status == "open"  # the money paid belongs to the first debtor: owed back, not carried over
    assert Enrolment.objects.get(pk=response.json()["enrolment_id"]).organisation == "Provincie Overijssel"
    refunds = client.get(f"{API}/invoices/{response.json()['credit_note_number']}/refunds", **as_coordinator).json()
    assert refunds["owed_back"] == "2995.00" and refunds["status"] == "open" and refunds["refunds"] == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"last_name": "Bos", "email": "k@example.org"}, 422, "first_name"),
        ({"first_name": "", "last_name": "Bos", "email": "k@example.org"}, 422, "first_name"),
        ({"first_name": "K", "last_name": "Bos", "email": "geen adres"}, 422, "email"),
        ({"first_name": "K", "last_name": "Bos", "email": "anna@example.org"}, 422, "email"),  # the current participant
        ({"first_name": "K", "last_name": "Bos", "email": "bert@example.org"}, 409, "email"),  # already enrolled here
        (
            {"first_name": "K", "last_name": "Bos", "email": "k@example.org", "invoice": {**OTHER_DEBTOR, "city": ""}},
            422,
            "invoice.city",
        ),
        (
            {"first_name": "K", "last_name": "Bos", "email": "k@example.org", "invoice": {"organisation": "X"}},
            422,
            "invoice.address",
        ),
        ({"first_name": "K", "last_name": "Bos", "email": "k@example.org", "reason": "x" * 1001}, 422, "reason"),
    ],
)
def test_bad_substitutions_change_nothing(client, as_coordinator, make_place, body, status, field):
    enrolment, _invoice = make_place(participant=factories.UserFactory(email="anna@example.org"))
    make_place(participant=factories.UserFactory(email="bert@example.org"))
    before = stored()
    response = post(client, f"/enrolments/{enrolment.pk}/substitute", body, as_coordinator)
    assert_error(response, status, field)
    assert stored() == before


def test_a_cancelled_place_or_an_unknown_one_cannot_be_taken_over(client, as_coordinator, make_place, coordinator):
    enrolment, _invoice = make_place()
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    body = {"first_name": "K", "last_name": "Bos", "email": "k@example.org"}
    before = stored()
    assert_error(post(client, f"/enrolments/{enrolment.pk}/substitute", body, as_coordinator), 409)
    assert_error(post(client, "/enrolments/99999/substitute", body, as_coordinator), 404)
    assert_error(post(client, "/enrolments/abc/substitute", body, as_coordinator), 422)
    assert stored() == before


# -- transfer ------------------------------------------------------------------------------------


def test_a_transfer_to_a_later_edition(client, as_coordinator, make_place, later_edition):
    enrolment, invoice = make_place(paid="2995.00")
    response = post(client, f"/enrolments/{enrolment.pk}/transfer", {"edition": later_edition.pk}, as_coordinator)
    assert response.status_code == 201, response.content
    body = response.json()
    new = Enrolment.objects.get(pk=body["enrolment_id"])
    assert new.edition_id == later_edition.pk and new.participant_id == enrolment.participant_id
    credit_note, reissued = (
        Invoice.objects.get(number=body["credit_note_number"]),
        Invoice.objects.get(number=body["invoice_number"]),
    )
    assert [credit_note.sequence, reissued.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert reissued.total == D("3195.00") and reissued.status == "partly_paid"
    (item,) = client.get(f"{API}/enrolments/{enrolment.pk}/history", **as_coordinator).json()["changes"]
    assert (item["kind"], item["from_edition"], item["to_edition"]) == ("transfer", enrolment.edition_id, later_edition.pk)
    assert item["reason"].startswith("Verplaatst") or item["reason"].startswith("Moved")


def test_a_transfer_to_a_full_edition_is_a_409_and_changes_nothing(client, as_coordinator, make_place, later_edition):
    factories.EnrolmentFactory(edition=later_edition)  # its only seat
    enrolment, _invoice = make_place()
    before = stored()
    assert_error(post(client, f"/enrolments/{enrolment.pk}/transfer", {"edition": later_edition.pk}, as_coordinator), 409)
    assert stored() == before


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("same", 422),
        ("earlier", 422),
        ("other_programme", 422),
        ("completed", 409),
        ("unknown", 422),
        ("text", 422),
        ("true", 422),
        ("missing", 422),
    ],
)
def test_bad_transfers_change_nothing(client, as_coordinator, make_place, edition, programme, target, status):
    editions = {
        "same": edition.pk,
        "earlier": factories.EditionFactory(programme=programme, start_date=datetime.date(2026, 9, 2)).pk,
        "other_programme": factories.EditionFactory(start_date=datetime.date(2027, 9, 1)).pk,
        "completed": factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 9, 1), status="completed").pk,
        "unknown": 99999,
        "text": "soon",
        "true": True,
    }
    enrolment, _invoice = make_place()
    before = stored()
    body = {} if target == "missing" else {"edition": editions[target]}
    assert_error(post(client, f"/enrolments/{enrolment.pk}/transfer", body, as_coordinator), status, "edition")
    assert stored() == before


# -- permissions ---------------------------------------------------------------------------------


def test_only_the_programme_office_changes_places(client, make_place, later_edition, as_teacher, bearer):
    enrolment, _invoice = make_place()
    own = bearer(enrolment.participant)
    before = stored()
    for path, body in (
        (f"/enrolments/{enrolment.pk}/substitute", {"first_name": "K", "last_name": "B", "email": "k@example.org"}),
        (f"/enrolments/{enrolment.pk}/transfer", {"edition": later_edition.pk}),
        (f"/enrolments/{enrolment.pk}/transfer", {}),  # refused before the body is looked at
    ):
        assert_error(post(client, path, body, {}), 401)
        assert_error(post(client, path, body, {"HTTP_AUTHORIZATION": "Bearer nonsense"}), 401)
        assert_error(post(client, path, body, as_teacher), 403)
        assert_error(post(client, path, body, own), 403)
    assert stored() == before


def test_the_history_is_for_the_office_and_the_participant_themselves(
    client, make_place, coordinator, as_teacher, as_participant, bearer
):
    enrolment, _invoice = make_place()
    change = changes.substitute(
        actor=coordinator, enrolment_id=enrolment.pk, first_name="K", last_name="B", email="k@example.org"
    )
    path = f"{API}/enrolments/{enrolment.pk}/history"
    assert client.get(path, **bearer(enrolment.participant)).status_code == 200
    assert len(client.get(f"{API}/enrolments/{change.new.pk}/history", **bearer(change.new.participant)).json()["changes"]) == 1
    assert_error(client.get(path), 401)
    assert_error(client.get(path, **as_teacher), 404)
    assert_error(client.get(path, **as_participant), 404)  # somebody else's place
    assert_error(client.get(f"{API}/enrolments/99999/history", **bearer(coordinator)), 404)
    assert client.get(f"{API}/enrolments/{make_place()[0].pk}/history", **bearer(coordinator)).json() == {"changes": []}


# -- refunds -------------------------------------------------------------------------------------


@pytest.fixture
def open_credit_note(make_place, coordinator):
    """A credit note owing back 1000.00 (paid on an invoice that was then credited)."""
    _enrolment, invoice = make_place(paid="1000.00")
    return services.issue_credit_note(actor=coordinator, invoice=invoice, reason="Fout")


def refunds_url(number) -> str:
    return f"/invoices/{number}/refunds"


def test_refunds_by_bank_until_the_credit_note_is_settled(client, as_coordinator, open_credit_note):
    number = open_credit_note.number
    listed = client.get(f"{API}{refunds_url(number)}", **as_coordinator)
    assert listed.status_code == 200
    assert listed.json() == {"number": number, "status": "open", "owed_back": "1000.00", "refunds": []}

    first = post(
        client, refunds_url(number), {"paid_on": TODAY.isoformat(), "amount": "400", "reference": "NL12 BANK"}, as_coordinator
    )
    assert first.status_code == 201, first.content
    body = first.json()
    assert set(body) == {"id", "paid_on", "amount", "method", "reference", "invoice_number", "credit_note", "status", "owed_back"}
    assert (body["amount"], body["method"], body["invoice_number"], body["status"], body["owed_back"]) == (
        "400.00",
        "bank",
        None,
        "open",
        "600.00",
    )
    second = post(
        client, refunds_url(number), {"paid_on": TODAY.isoformat(), "amount": "600.00", "reference": ""}, as_coordinator
    )
    assert second.json()["status"] == "paid" and second.json()["owed_back"] == "0.00"
    listed = client.get(f"{API}{refunds_url(number)}", **as_coordinator).json()
    assert listed["status"] == "paid" and [r["amount"] for r in listed["refunds"]] == ["400.00", "600.00"]


def test_carried_over_refunds_name_the_invoice(client, as_coordinator, edition, make_place, coordinator):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = None, "amount", D("750")
    edition.save()
    enrolment, _invoice = make_place(paid="2995.00")
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    listed = client.get(f"{API}{refunds_url(result.credit_note.number)}", **as_coordinator).json()
    assert listed["owed_back"] == "2245.00"
    (refund,) = listed["refunds"]
    assert (refund["method"], refund["amount"], refund["invoice_number"]) == ("offset", "750.00", result.fee_invoice.number)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"paid_on": "TODAY", "amount": "1000.01"}, 409, "amount"),
        ({"paid_on": "TODAY", "amount": "0"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "-5"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "1.001"}, 422, "amount"),
        ({"paid_on": "TODAY", "amount": "veel"}, 422, "amount"),
        ({"paid_on": "2999-01-01", "amount": "10"}, 422, "paid_on"),
        ({"paid_on": "gisteren", "amount": "10"}, 422, "paid_on"),
        ({"amount": "10"}, 422, "paid_on"),
        ({"paid_on": "TODAY", "amount": "10", "reference": "x" * 141}, 422, "reference"),
    ],
)
def test_bad_refunds_change_nothing(client, as_coordinator, open_credit_note, body, status, field):
    body = {key: (TODAY.isoformat() if value == "TODAY" else value) for key, value in body.items()}
    before = stored()
    assert_error(post(client, refunds_url(open_credit_note.number), body, as_coordinator), status, field)
    assert stored() == before


def test_refunds_on_an_invoice_a_settled_or_unknown_credit_note(client, as_coordinator, make_place, coordinator):
    _enrolment, invoice = make_place()
    settled = services.issue_credit_note(actor=coordinator, invoice=make_place()[1])
    body = {"paid_on": TODAY.isoformat(), "amount": "10"}
    before = stored()
    assert_error(client.get(f"{API}{refunds_url(invoice.number)}", **as_coordinator), 409)
    assert_error(post(client, refunds_url(invoice.number), body, as_coordinator), 409)
    assert_error(post(client, refunds_url(settled.number), body, as_coordinator), 409)
    assert client.get(f"{API}{refunds_url(settled.number)}", **as_coordinator).json()["owed_back"] == "0.00"
    for unknown in ("2099-9999", "nonsense"):
        assert_error(client.get(f"{API}{refunds_url(unknown)}", **as_coordinator), 404)
        assert_error(post(client, refunds_url(unknown), body, as_coordinator), 404)
    assert stored() == before


def test_only_the_programme_office_sees_and_records_refunds(client, open_credit_note, as_teacher, bearer):
    own = bearer(open_credit_note.enrolment.participant)
    body = {"paid_on": TODAY.isoformat(), "amount": "10"}
    before = stored()
    for headers, status in (({}, 401), (as_teacher, 403), (own, 403)):
        assert_error(client.get(f"{API}{refunds_url(open_credit_note.number)}", **headers), status)
        assert_error(post(client, refunds_url(open_credit_note.number), body, headers), status)
    assert_error(post(client, refunds_url("2099-9999"), body, as_teacher), 403)  # nothing learnt about numbers
    assert stored() == before


# -- OpenAPI -------------------------------------------------------------------------------------


def test_every_endpoint_and_its_errors_are_in_the_openapi_document(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    expected = {
        ("/api/v1/enrolments/{enrolment_id}/substitute", "post"): {"201", "401", "403", "404", "409", "422"},
        ("/api/v1/enrolments/{enrolment_id}/transfer", "post"): {"201", "401", "403", "404", "409", "422"},
        ("/api/v1/enrolments/{enrolment_id}/history", "get"): {"200", "401", "404", "422"},
        ("/api/v1/invoices/{number}/refunds", "get"): {"200", "401", "403", "404", "409"},
        ("/api/v1/invoices/{number}/refunds", "post"): {"201", "401", "403", "404", "409", "422"},
    }
    for (path, method), statuses in expected.items():
        assert statuses <= set(paths[path][method]["responses"]), (path, method)
