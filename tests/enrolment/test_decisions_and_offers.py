"""Decisions with the mail server away, offers answered through their link, and expired offers."""

import datetime

import pytest
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.enrolment import changes, services
from leergang.enrolment.models import Application, ApplicationStatus, Enrolment, Offer, OfferStatus
from leergang.notifications.delivery import deliver_due
from leergang.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def data(email: str, **changes) -> services.ApplicationInput:
    fields = dict(
        first_name="Sanne", last_name="de Wit", email=email, organisation="Gemeente Zwolle", job_title="Manager",
        education_level="hbo", years_experience=9, leadership_role=True, challenge="Vertrouwen.",
        invoice_organisation="Gemeente Zwolle", invoice_address="Grote Kerkplein 15", invoice_postal_code="8011 PK",
        invoice_city="Zwolle", invoice_email="facturen@zwolle.example", privacy_consent=True, terms_accepted=True,
    )  # fmt: skip
    fields.update(changes)
    return services.ApplicationInput(**fields)


@pytest.fixture
def edition(demo):
    return Edition.objects.get(status="open")


def test_smtp_down_while_deciding_the_decision_stands_and_mail_follows_once(edition, coordinator, smtp_server):
    application = services.submit_application(edition_id=edition.pk, data=data("sanne@example.org"))
    smtp_server.stop()
    result = services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    assert deliver_due() == 0
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ADMITTED
    assert Enrolment.objects.filter(pk=result.enrolment.pk, status="enrolled").exists()
    assert result.invoice.number
    pending = OutboxEmail.objects.filter(status="pending")
    assert pending.count() == 3  # confirmation, decision, invitation
    assert any("Connection" in mail.last_error or "refused" in mail.last_error.lower() for mail in pending)

    smtp_server.start()
    later = timezone.now() + datetime.timedelta(hours=2)
    assert deliver_due(now=later) == 3
    assert deliver_due(now=later + datetime.timedelta(hours=2)) == 0
    ids = [message["Message-ID"] for message in smtp_server.messages]
    assert len(ids) == len(set(ids)) == 3
    subjects = " | ".join(message["Subject"] for message in smtp_server.messages)
    assert "toegelaten" in subjects


def test_an_offer_accepted_through_its_link_admits_into_the_held_seat(client, edition, coordinator):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    first = services.submit_application(edition_id=edition.pk, data=data("eerste@example.org"))
    waiting = services.submit_application(edition_id=edition.pk, data=data("wacht@example.org", language="en"))
    enrolment = services.decide(actor=coordinator, application_id=first.pk, decision="admit").enrolment
    services.decide(actor=coordinator, application_id=waiting.pk, decision="waitlist")
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    offer = Offer.objects.get(application=waiting)
    mail = OutboxEmail.objects.get(kind="seat_offered")
    assert mail.language == "en" and f"/en/aanbod/{offer.token}/" in mail.body

    page = client.get(f"/en/aanbod/{offer.token}/")
    assert page.status_code == 200 and b"Accept the place" in page.content
    answered = client.post(f"/en/aanbod/{offer.token}/", {"answer": "accept"})
    assert answered.status_code == 200 and b"You accepted the place" in answered.content
    waiting.refresh_from_db()
    offer.refresh_from_db()
    assert waiting.status == ApplicationStatus.ADMITTED and offer.status == OfferStatus.ACCEPTED
    assert Enrolment.objects.filter(application=waiting, status="enrolled").exists()
    again = client.post(f"/en/aanbod/{offer.token}/", {"answer": "accept"})
    assert b"no longer open" in again.content
    assert Enrolment.objects.filter(application=waiting).count() == 1
    assert client.get("/en/aanbod/not-a-token/").status_code == 404


def test_a_refused_offer_passes_to_the_next_on_the_waiting_list(client, edition, coordinator):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    first = services.submit_application(edition_id=edition.pk, data=data("een@example.org"))
    second = services.submit_application(edition_id=edition.pk, data=data("twee@example.org"))
    third = services.submit_application(edition_id=edition.pk, data=data("drie@example.org"))
    enrolment = services.decide(actor=coordinator, application_id=first.pk, decision="admit").enrolment
    services.decide(actor=coordinator, application_id=second.pk, decision="waitlist")
    services.decide(actor=coordinator, application_id=third.pk, decision="waitlist")
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    offer = Offer.objects.get(application=second)
    client.post(f"/nl/aanbod/{offer.token}/", {"answer": "refuse"})
    assert Application.objects.get(pk=second.pk).status == ApplicationStatus.WITHDRAWN
    assert Offer.objects.get(application=third).status == OfferStatus.OPEN
    assert Application.objects.get(pk=third.pk).status == ApplicationStatus.OFFERED


def test_an_expired_offer_passes_on_and_is_no_longer_accepted(client, edition, coordinator):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    first = services.submit_application(edition_id=edition.pk, data=data("een@example.org"))
    second = services.submit_application(edition_id=edition.pk, data=data("twee@example.org"))
    third = services.submit_application(edition_id=edition.pk, data=data("drie@example.org"))
    enrolment = services.decide(actor=coordinator, application_id=first.pk, decision="admit").enrolment
    for waiting in (second, third):
        services.decide(actor=coordinator, application_id=waiting.pk, decision="waitlist")
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    offer = Offer.objects.get(application=second)
    assert services.expire_offers(now=offer.expires_at - datetime.timedelta(minutes=1)) == 0
    assert services.expire_offers(now=offer.expires_at + datetime.timedelta(minutes=1)) == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert Offer.objects.get(application=third).status == OfferStatus.OPEN
    response = client.post(f"/nl/aanbod/{offer.token}/", {"answer": "accept"})
    assert not Enrolment.objects.filter(application=second).exists()
    assert response.status_code == 200


def test_a_double_submit_makes_one_application(edition):
    first = services.submit_application(edition_id=edition.pk, data=data("dubbel@example.org"), submission_key="k-1")
    second = services.submit_application(edition_id=edition.pk, data=data("dubbel@example.org"), submission_key="k-1")
    assert first.pk == second.pk
    assert Application.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="application_received").count() == 1


def test_the_invoice_is_a_snapshot_of_the_application_at_admission(edition, coordinator):
    from leergang.invoicing.models import Invoice

    application = services.submit_application(edition_id=edition.pk, data=data("snap@example.org", invoice_po_number="PO-9"))
    invoice = services.decide(actor=coordinator, application_id=application.pk, decision="admit").invoice
    Application.objects.filter(pk=application.pk).update(
        invoice_organisation="Andere gemeente", invoice_address="Nieuwe straat 1", invoice_po_number="PO-10"
    )
    Edition.objects.filter(pk=edition.pk).update(fee="3500.00")
    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.total == invoice.total and str(stored.total) == "2995.00"
    assert stored.vat_amount == 0
    assert "artikel 11, lid 1, onderdeel o, Wet OB 1968" in stored.vat_exemption_note
    snapshot = (stored.recipient_organisation, stored.recipient_address, stored.recipient_po_number)
    assert snapshot == ("Gemeente Zwolle", "Grote Kerkplein 15", "PO-9")


def test_invoice_pdf_with_the_session_only_for_its_participant_and_the_office(client, edition, coordinator):
    from tests import factories

    application = services.submit_application(edition_id=edition.pk, data=data("pdf@example.org"))
    result = services.decide(actor=coordinator, application_id=application.pk, decision="admit")
    url = f"/api/v1/invoices/{result.invoice.number}.pdf"
    assert client.get(url).status_code == 401
    client.force_login(factories.UserFactory(email="other@example.org"))
    assert client.get(url).status_code == 404
    client.force_login(result.enrolment.participant)
    own = client.get(url)
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    client.force_login(coordinator)
    assert client.get(url).status_code == 200


def test_a_post_without_a_clear_answer_leaves_the_offer_open(client, edition, coordinator):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    first = services.submit_application(edition_id=edition.pk, data=data("een@example.org"))
    waiting = services.submit_application(edition_id=edition.pk, data=data("twee@example.org"))
    enrolment = services.decide(actor=coordinator, application_id=first.pk, decision="admit").enrolment
    services.decide(actor=coordinator, application_id=waiting.pk, decision="waitlist")
    changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    offer = Offer.objects.get(application=waiting)
    for body in ({}, {"answer": "maybe"}):
        response = client.post(f"/nl/aanbod/{offer.token}/", body)
        assert response.status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN
