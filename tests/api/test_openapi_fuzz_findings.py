"""What the schemathesis run (test_schemathesis.py) found, each as a plain request that shows it fixed."""

import json

import pytest

from leergang.accounts.models import User
from leergang.catalog.models import Edition
from leergang.enrolment.models import Enrolment, Intake

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_headers(demo, bearer):
    return bearer(User.objects.get(email="coordinator@example.org"))


def reject_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicates, f"duplicate keys in the OpenAPI document: {duplicates}"
    return dict(pairs)


@pytest.fixture
def document(client):
    return json.loads(client.get(f"{API}/openapi.json").content, object_pairs_hook=reject_duplicate_keys)


def test_cancel_with_a_null_body_is_a_documented_400_and_the_document_does_not_offer_null(client, coordinator_headers, document):
    """The document offered `null` as the cancellation body, the API (rightly, like everywhere)
    answered 400, and 400 was not among the documented statuses."""
    enrolment = Enrolment.objects.filter(status="enrolled").order_by("id").first()
    with nothing_changes():
        response = client.post(
            f"{API}/enrolments/{enrolment.id}/cancel", "null", content_type="application/json", **coordinator_headers
        )
    assert_error(response, 400)
    operation = document["paths"]["/api/v1/enrolments/{enrolment_id}/cancel"]["post"]
    assert "400" in operation["responses"]
    assert operation["requestBody"]["required"] is False  # the body may still be left out
    body_schema = json.dumps(operation["requestBody"]["content"]["application/json"]["schema"])
    assert '"type": "null"' not in body_schema, body_schema


def test_cancel_without_a_body_still_works(client, coordinator_headers):
    enrolment = Enrolment.objects.filter(status="enrolled").order_by("id").first()
    response = client.post(f"{API}/enrolments/{enrolment.id}/cancel", **coordinator_headers)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"


def test_paper_file_with_an_id_that_is_not_a_number_is_a_documented_422(client, coordinator_headers, document):
    assert_error(client.get(f"{API}/enrolments/abc/paper/file", **coordinator_headers), 422)
    assert "422" in document["paths"]["/api/v1/enrolments/{enrolment_id}/paper/file"]["get"]["responses"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/editions/{edition_id}/participants.csv",
        "/api/v1/editions/{edition_id}/attendance.csv",
        "/api/v1/finance/documents.csv",
    ],
)
def test_csv_downloads_document_one_200_as_text_csv(document, path):
    """The CSV operations had their 200 response twice in the JSON text ("200" from the route and
    again from openapi_extra); the document is now free of duplicate keys (checked while parsing)."""
    assert list(document["paths"][path]["get"]["responses"]["200"]["content"]) == ["text/csv"]


@pytest.fixture
def application_id(client):
    edition = Edition.objects.get(status="open")
    body = {"first_name": "Fuzz", "last_name": "Gevonden", "email": "gevonden@example.org", "organisation": "Gemeente",
            "job_title": "Teamleider", "education_level": "wo", "years_experience": 8, "leadership_role": True,
            "challenge": "Vertrouwen.", "privacy_consent": True,
            "invoice": {"organisation": "Gemeente", "address": "Plein 1", "postal_code": "1000 AA", "city": "Utrecht",
                        "email": "facturen@example.org"}}  # fmt: skip
    response = client.post(f"{API}/editions/{edition.id}/applications", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize(
    "moment",
    [
        "2030-01-08T10:00:00",  # no offset: was a 500 (localtime() of a naive datetime), on every database
        "2030-01-08T10:00:00-19:07",  # an offset no time zone has: was a 500 on PostgreSQL (displacement out of range)
        "9999-12-31T23:59:59-12:00",  # at the calendar's end: was a 500 (OverflowError converting to UTC)
        "0001-01-01T00:00:00+14:00",  # at its start: the same
    ],
)
def test_an_intake_moment_that_cannot_be_stored_is_a_422(client, coordinator_headers, application_id, moment):
    with nothing_changes():
        response = client.post(
            f"{API}/applications/{application_id}/intake",
            {"scheduled_at": moment, "mode": "online", "interviewer": "Coördinator"},
            content_type="application/json",
            **coordinator_headers,
        )
    assert_error(response, 422, field="scheduled_at")
    assert not Intake.objects.filter(application_id=application_id).exists()


def test_an_intake_with_an_offset_is_still_planned(client, coordinator_headers, application_id):
    response = client.post(
        f"{API}/applications/{application_id}/intake",
        {"scheduled_at": "2030-01-08T10:00:00-05:00", "mode": "online", "interviewer": "Coördinator"},
        content_type="application/json",
        **coordinator_headers,
    )
    assert response.status_code == 201, response.content
    assert Intake.objects.get(application_id=application_id).scheduled_at.isoformat() == "2030-01-08T15:00:00+00:00"


def test_text_with_a_nul_character_is_a_422_naming_the_fields(client, coordinator_headers):
    """PostgreSQL cannot store a NUL character: a direct enrolment with one was a 500 there."""
    edition = Edition.objects.get(status="open")
    body = {"first_name": "Jan\x00", "last_name": "Jansen", "email": "jan.nul@example.org",
            "invoice": {"organisation": "Gemeente\x00", "address": "Plein 1", "postal_code": "1000 AA", "city": "Utrecht",
                        "email": "facturen@example.org"}}  # fmt: skip
    with nothing_changes():
        response = client.post(
            f"{API}/editions/{edition.id}/enrolments", json.dumps(body), content_type="application/json", **coordinator_headers
        )
    body = assert_error(response, 422)
    assert [item["field"] for item in body["errors"]] == ["first_name", "invoice.organisation"]


def test_a_programme_slug_with_a_nul_character_is_a_404(client):
    """On PostgreSQL, looking the slug up was a 500."""
    assert_error(client.get(f"{API}/programmes/sturen%00vanuit"), 404)
