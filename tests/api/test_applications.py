"""Applications, intake, decisions, direct enrolment, cancellation and offers through the API."""

import datetime

import pytest

from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Application, Enrolment, Offer
from leergang.notifications.models import OutboxEmail
from tests import factories

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


def application_body(**changes):
    body = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@gemeente.example",
        "phone": None,
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
            "po_number": "PO-123",
        },
        "discount_code": None,
        "privacy_consent": True,
    }
    body.update(changes)
    return body


@pytest.fixture
def open_edition(demo):
    return Edition.objects.get(status="open")


def apply(client, edition, body, **headers):
    return client.post(f"{API}/editions/{edition.id}/applications", body, content_type="application/json", **headers)


def decide(client, application_id, decision, headers, note=None):
    return client.post(
        f"{API}/applications/{application_id}/decision",
        {"decision": decision, "note": note},
        content_type="application/json",
        **headers,
    )


def test_apply_returns_the_screening_and_queues_the_confirmation(client, open_edition):
    response = apply(client, open_edition, application_body(years_experience=3, leadership_role=False), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["screening"]["meets_profile"] is False
    assert [u["criterion"] for u in body["screening"]["unmet"]] == ["experience", "leadership"]
    application = Application.objects.get(pk=body["id"])
    assert (application.language, application.invoice_po_number) == ("en", "PO-123")
    mail = OutboxEmail.objects.get(kind="application_received")
    assert mail.to == ["fatima@gemeente.example"] and mail.language == "en"


def test_a_second_application_with_the_same_address_is_a_409_naming_the_first(client, open_edition):
    first = apply(client, open_edition, application_body()).json()["id"]
    with nothing_changes():
        body = assert_error(apply(client, open_edition, application_body(email="FATIMA@gemeente.example")), 409, field="email")
    assert str(first) in body["detail"]


@pytest.mark.parametrize("status", ["draft", "running", "completed"])
def test_only_open_editions_take_applications(client, open_edition, status):
    Edition.objects.filter(pk=open_edition.pk).update(status=status)
    expected = 404 if status == "draft" else 409
    with nothing_changes():
        assert_error(apply(client, open_edition, application_body()), expected)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"first_name": ""}, "first_name"),
        ({"education_level": "mbo"}, "education_level"),
        ({"years_experience": -1}, "years_experience"),
        ({"years_experience": "ten"}, "years_experience"),
        ({"leadership_role": "maybe"}, "leadership_role"),
        ({"privacy_consent": False}, "privacy_consent"),
        ({"invoice": {"organisation": "X"}}, "invoice.address"),
        ({"invoice": None}, "invoice.organisation"),
    ],
)
def test_bad_applications_are_answered_field_by_field(client, open_edition, change, field):
    with nothing_changes():
        assert_error(apply(client, open_edition, application_body(**change)), 422, field=field)
    assert not Application.objects.exists()


def test_missing_fields_are_each_named(client, open_edition):
    body = application_body()
    for name in ("last_name", "organisation", "challenge"):
        del body[name]
    errors = assert_error(apply(client, open_edition, body), 422)["errors"]
    assert {"last_name", "organisation", "challenge"} <= {e["field"] for e in errors}


def test_the_full_path_admit_invoice_and_invitation(client, open_edition, as_coordinator, coordinator):
    application_id = apply(client, open_edition, application_body()).json()["id"]
    intake = client.post(
        f"{API}/applications/{application_id}/intake",
        {"scheduled_at": "2027-01-06T10:00:00+01:00", "mode": "online", "interviewer": "Dr. Tjerk Budding"},
        content_type="application/json",
        **as_coordinator,
    )
    assert intake.status_code == 201, intake.content
    assert client.get(f"{API}/applications/{application_id}", **as_coordinator).json()["status"] == "intake_planned"
    decided = decide(client, application_id, "admit", as_coordinator)
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert body["status"] == "admitted" and body["enrolment_id"] and body["invoice_number"]
    enrolment = Enrolment.objects.get(pk=body["enrolment_id"])
    assert enrolment.participant.email == "fatima@gemeente.example"
    kinds = set(OutboxEmail.objects.values_list("kind", flat=True))
    assert {"application_received", "intake_invitation", "decision_admitted", "invitation"} <= kinds
    assert AuditEntry.objects.filter(action="application.admit", actor=coordinator).exists()
    again = decide(client, application_id, "decline", as_coordinator)
    assert_error(again, 409)


def test_admission_into_a_full_edition_is_a_409(client, open_edition, as_coordinator):
    Edition.objects.filter(pk=open_edition.pk).update(capacity=1)
    first = apply(client, open_edition, application_body()).json()["id"]
    second = apply(client, open_edition, application_body(email="tweede@example.org")).json()["id"]
    assert decide(client, first, "admit", as_coordinator).status_code == 200
    with nothing_changes():
        assert_error(decide(client, second, "admit", as_coordinator), 409)
    assert decide(client, second, "waitlist", as_coordinator).json()["status"] == "waitlisted"


def test_cancellation_credits_the_invoice_and_offers_the_seat(client, open_edition, as_coordinator):
    Edition.objects.filter(pk=open_edition.pk).update(capacity=1)
    first = apply(client, open_edition, application_body()).json()["id"]
    waiting = apply(client, open_edition, application_body(email="wacht@example.org")).json()["id"]
    enrolment_id = decide(client, first, "admit", as_coordinator).json()["enrolment_id"]
    decide(client, waiting, "waitlist", as_coordinator)
    response = client.post(f"{API}/enrolments/{enrolment_id}/cancel", **as_coordinator)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled" and body["credit_note_number"] and body["offered_application_id"] == waiting
    offer = Offer.objects.get(application_id=waiting)
    assert offer.status == "open"
    assert datetime.timedelta(days=6) < offer.expires_at - offer.created_at <= datetime.timedelta(days=7, seconds=5)
    assert client.get(f"{API}/applications/{waiting}", **as_coordinator).json()["status"] == "offered"
    # The held seat counts: nobody else can be admitted into it.
    assert client.get(f"{API}/editions/{open_edition.id}").json()["seats_taken"] == 1
    other = apply(client, open_edition, application_body(email="derde@example.org")).json()["id"]
    assert_error(decide(client, other, "admit", as_coordinator), 409)
    assert decide(client, waiting, "admit", as_coordinator).status_code == 200
    assert OutboxEmail.objects.filter(kind="seat_offered", to=["wacht@example.org"]).exists()
    assert_error(client.post(f"{API}/enrolments/{enrolment_id}/cancel", **as_coordinator), 409)


def test_direct_enrolment_with_and_without_invoice(client, open_edition, as_coordinator):
    url = f"{API}/editions/{open_edition.id}/enrolments"
    with_invoice = client.post(
        url,
        {"first_name": "Jan", "last_name": "Jansen", "email": "jan@example.org", "organisation": "Provincie",
         "invoice": {"organisation": "Provincie", "address": "Plein 1", "postal_code": "1000 AA", "city": "Haarlem",
                     "email": "facturen@provincie.example"}},
        content_type="application/json",
        **as_coordinator,
    )  # fmt: skip
    assert with_invoice.status_code == 201, with_invoice.content
    assert with_invoice.json()["invoice_number"]
    without = client.post(
        url, {"first_name": "Piet", "last_name": "Pietersen", "email": "piet@example.org", "invoice": False},
        content_type="application/json", **as_coordinator,
    )  # fmt: skip
    assert without.status_code == 201 and without.json()["invoice_number"] is None
    Edition.objects.filter(pk=open_edition.pk).update(capacity=2)
    with nothing_changes():
        full = client.post(
            url, {"first_name": "Kees", "last_name": "K", "email": "kees@example.org"}, content_type="application/json",
            **as_coordinator,
        )  # fmt: skip
        assert_error(full, 409)


def test_who_sees_an_enrolment(client, open_edition, as_coordinator, bearer, participant, teacher_user):
    enrolment = factories.EnrolmentFactory(edition=open_edition)
    url = f"{API}/enrolments/{enrolment.id}"
    assert client.get(url, **as_coordinator).status_code == 200
    own = client.get(url, **bearer(enrolment.participant))
    assert own.status_code == 200 and own.json()["participant"]["email"] == enrolment.participant.email
    assert_error(client.get(url, **bearer(participant)), 404)
    assert_error(client.get(url, **bearer(teacher_user)), 404)
    assert_error(client.get(url), 401)
    docent = factories.TeacherUserFactory(email="docent-x@example.org")
    teacher = factories.TeacherFactory(user=docent)
    open_edition.programme.teacher_links.create(teacher=teacher, order=9)
    assert client.get(url, **bearer(docent)).status_code == 200


def test_participants_csv(client, open_edition, as_coordinator, as_participant):
    factories.EnrolmentFactory(edition=open_edition, organisation='=HYPERLINK("x")')
    response = client.get(f"{API}/editions/{open_edition.id}/participants.csv", **as_coordinator)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("enrolment_id,first_name")
    assert "'=HYPERLINK" in lines[1]
    assert_error(client.get(f"{API}/editions/{open_edition.id}/participants.csv", **as_participant), 403)


def test_application_endpoints_are_for_the_office(client, open_edition, as_participant):
    application_id = apply(client, open_edition, application_body()).json()["id"]
    with nothing_changes():
        assert_error(client.get(f"{API}/applications/{application_id}", **as_participant), 403)
        assert_error(decide(client, application_id, "admit", as_participant), 403)
        assert_error(decide(client, application_id, "admit", {}), 401)
        assert_error(client.get(f"{API}/applications/999999", HTTP_AUTHORIZATION="Bearer x"), 401)


def test_the_public_application_endpoint_is_rate_limited_like_the_form(client, open_edition, settings):
    from django.core.cache import cache

    cache.clear()
    settings.APPLY_RATE_LIMIT = 2
    for number in range(2):
        assert apply(client, open_edition, application_body(email=f"r{number}@example.org")).status_code == 201
    with nothing_changes():
        body = assert_error(apply(client, open_edition, application_body(email="r3@example.org"), HTTP_ACCEPT_LANGUAGE="en"), 429)
    assert "Too many applications" in body["detail"]
    cache.clear()
