"""POST /editions/{id}/applications with a discount code: 422 on `discount_code` and nothing stored
when it cannot be used; used once when it can, and on the invoice after admission."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application
from leergang.invoicing.models import DiscountCode, DiscountRedemption, Invoice
from leergang.notifications.models import OutboxEmail
from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


def body(**changes) -> dict:
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@gemeente.example",
        "organisation": "Gemeente Utrecht",
        "job_title": "Teamleider sociaal domein",
        "education_level": "wo",
        "years_experience": 12,
        "leadership_role": True,
        "challenge": "Minder verantwoording, meer vertrouwen in mijn team.",
        "invoice": {
            "organisation": "Gemeente Utrecht",
            "address": "Stadsplateau 1",
            "postal_code": "3521 AZ",
            "city": "Utrecht",
            "email": "facturen@utrecht.example",
        },
        "privacy_consent": True,
    }
    data.update(changes)
    return data


def apply(client, edition, data):
    return client.post(
        f"{API}/editions/{edition.id}/applications", data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def make_code(code="EARLY2027", **fields) -> DiscountCode:
    return DiscountCode.objects.create(code=code, kind=fields.pop("kind", "percentage"), value=fields.pop("value", 10), **fields)


def stored() -> tuple:
    return (
        Application.objects.count(),
        DiscountRedemption.objects.count(),
        OutboxEmail.objects.count(),
        AuditEntry.objects.count(),
    )


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (None, "We do not know this discount code; check it for typing errors."),
        ({"valid_until": -1}, "This discount code has expired."),
        ({"valid_from": 3}, "This discount code is not valid yet; you can use it from"),
        ({"active": False}, "This discount code can no longer be used."),
        ({"other_edition": True}, "This discount code is not valid for this edition."),
        ({"other_programme": True}, "This discount code is not valid for this programme."),
    ],
)
def test_a_code_that_cannot_be_used_is_a_422_on_the_field_and_stores_nothing(client, edition, fields, message):
    if fields is not None:
        fields = dict(fields)
        if fields.pop("other_edition", False):
            fields["edition"] = factories.EditionFactory(programme=edition.programme, start_date=datetime.date(2029, 1, 10))
        if fields.pop("other_programme", False):
            fields["programme"] = factories.ProgrammeFactory()
        for name in ("valid_from", "valid_until"):
            if name in fields:
                fields[name] = days(fields[name])
        make_code(**fields)
    before = stored()

    response = apply(client, edition, body(discount_code="early2027"))

    error = assert_error(response, 422, field="discount_code")
    assert error["errors"][0]["message"].startswith(message)
    assert stored() == before


def test_the_last_use_is_taken_once(client, edition):
    make_code(max_uses=1)
    assert apply(client, edition, body(discount_code="EARLY2027")).status_code == 201
    before = stored()
    response = apply(client, edition, body(discount_code="EARLY2027", email="second@gemeente.example"))
    error = assert_error(response, 422, field="discount_code")
    assert error["errors"] == [{"field": "discount_code", "message": "This discount code has been used up."}]
    assert stored() == before


@pytest.mark.parametrize("code", [None, ""])
def test_no_code_is_no_discount(client, edition, code):
    response = apply(client, edition, body(discount_code=code))
    assert response.status_code == 201
    assert not DiscountRedemption.objects.exists()


def test_a_good_code_is_used_and_shows_on_the_invoice_after_admission(client, edition, coordinator, bearer):
    make_code(kind="amount", value=Decimal("400.00"), edition=edition)
    response = apply(client, edition, body(discount_code=" Early 2027"))
    assert response.status_code == 201, response.content
    application = Application.objects.get(pk=response.json()["id"])
    assert application.discount_code == "EARLY2027"
    assert DiscountRedemption.objects.get().application == application

    decided = client.post(
        f"{API}/applications/{application.pk}/decision",
        {"decision": "admit"},
        content_type="application/json",
        **bearer(coordinator),
    )
    assert decided.status_code == 200, decided.content
    invoice = Invoice.objects.get(number=decided.json()["invoice_number"])
    assert [line["amount"] for line in invoice.lines] == ["2995.00", "-400.00"]
    assert invoice.lines[1]["description"] == "Discount (code EARLY2027)"
    assert invoice.total == Decimal("2595.00")


def test_the_openapi_document_describes_the_discount_code(client):
    schema = client.get(f"{API}/openapi.json").json()
    operation = schema["paths"]["/api/v1/editions/{edition_id}/applications"]["post"]
    assert "422" in operation["responses"]
    assert "discount_code" in operation["description"]
