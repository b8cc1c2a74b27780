"""The page of one application (M4, M5, M6): everything the applicant gave, the screening, the
intakes, the history, and the actions: plan an intake, record its outcome, decide, cancel."""

import datetime
import re
import zoneinfo

import pytest

from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from leergang.enrolment import changes, services
from leergang.enrolment.models import Application, Enrolment, Intake, Offer
from leergang.invoicing.models import Invoice
from leergang.notifications.models import OutboxEmail

from .conftest import apply, detail_url, later, local_input, text_of, url, weak
from .test_inbox import UNMET_EN, UNMET_NL

pytestmark = pytest.mark.django_db

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def action_url(name: str, application: Application, language: str = "en", **kwargs) -> str:
    return url(f"applications:{name}", language, application_id=application.pk, **kwargs)


def counts() -> dict:
    """What a refused action must leave as it was."""
    return {
        "applications": list(Application.objects.order_by("pk").values_list("pk", "status", "decision_note")),
        "enrolments": list(Enrolment.objects.order_by("pk").values_list("pk", "status")),
        "invoices": Invoice.objects.count(),
        "mails": OutboxEmail.objects.count(),
        "offers": list(Offer.objects.values_list("pk", "status")),
        "audit": AuditEntry.objects.count(),
    }


# -- what the page shows -------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "unmet"), [("nl", UNMET_NL), ("en", UNMET_EN)])
def test_the_page_shows_the_challenge_and_every_unmet_criterion(office_client, edition, language, unmet):
    application = weak(edition, dietary_requirements="Veganistisch", invoice_po_number="PO-2027-9")
    response = office_client.get(detail_url(application, language))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    text = text_of(response)
    assert "Jan Jansen" in text
    assert (
        '<blockquote class="challenge"><p>Mijn team verantwoordt alles in formulieren.</p><p>Ik wil sturen op vertrouwen.</p>'
        in body
    )
    for message in unmet:
        assert message in text
    assert body.count("<li data-criterion=") == 3
    # Invoice address and practical details as the applicant gave them.
    for given in ("Gemeente Zwolle, Financiën", "Grote Kerkplein 15", "8011 PK Zwolle", "facturen@zwolle.example", "PO-2027-9"):
        assert given in text
    assert "Veganistisch" in text
    assert "MBO plus veel cursussen" in text
    assert "jan@example.org" in text and "06 12345678" in text


def test_the_page_says_when_the_profile_is_met(office_client, edition):
    application = apply(edition, "sanne@example.org")
    text = text_of(office_client.get(detail_url(application)))
    assert "<li data-criterion=" not in office_client.get(detail_url(application)).content.decode()
    english = text_of(office_client.get(detail_url(application, "en")))
    assert "Meets the profile: education level, experience and a leadership task or collaboration assignment." in english
    assert "Glutenvrij" in text


def test_the_history_comes_from_the_audit_log(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    intake = services.plan_intake(
        actor=office, application_id=application.pk, scheduled_at=later(), mode="on_site", interviewer="Ria Vos"
    )
    services.record_intake_outcome(actor=office, intake_id=intake.pk, outcome="positive", note="Sterke casus.")
    services.decide(actor=office, application_id=application.pk, decision="waitlist", note="Eerst de wachtlijst.")
    body = office_client.get(detail_url(application, "en")).content.decode()
    actions = re.findall(r'<li data-action="([^"]+)"', body)
    assert actions == [
        "application.submitted",
        "application.intake_planned",
        "application.intake_outcome",
        "application.waitlist",
    ]
    text = text_of(office_client.get(detail_url(application, "en")))
    assert "Application submitted (by the applicant)" in text
    assert "on site, with Ria Vos (by Carla Coördinator)" in text
    assert "Intake outcome recorded: positive (by Carla Coördinator) Sterke casus." in text
    assert "Put on the waiting list (by Carla Coördinator) Eerst de wachtlijst." in text


# -- intake --------------------------------------------------------------------------------------


def test_planning_an_intake_stores_it_and_queues_the_invitation(office_client, edition):
    application = apply(edition, "sanne@example.org")
    page = office_client.get(detail_url(application, "en")).content.decode()
    assert 'type="datetime-local" name="intake-scheduled_at"' in page
    assert 'value="Carla Coördinator"' in page  # who plans is the default interviewer

    moment = later(days=10, hour=10, minute=30)
    response = office_client.post(
        action_url("intake", application),
        {"intake-scheduled_at": local_input(moment), "intake-mode": "online", "intake-interviewer": "  Ria Vos "},
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(application, "en")
    intake = Intake.objects.get(application=application)
    assert intake.scheduled_at == moment
    assert intake.scheduled_at.astimezone(AMSTERDAM).time() == datetime.time(10, 30)  # Dutch time, whatever the season
    assert (intake.mode, intake.interviewer, intake.outcome) == ("online", "Ria Vos", "pending")
    application.refresh_from_db()
    assert application.status == "intake_planned"
    mail = OutboxEmail.objects.get(kind="intake_invitation")
    assert mail.to == ["sanne@example.org"] and mail.language == "nl"
    assert "10.30" in mail.body and "Ria Vos" in mail.body

    shown = office_client.get(response["Location"])
    text = text_of(shown)
    assert "The intake is planned for" in text and "Sanne de Wit has been invited by e-mail." in text
    assert "10:30" in text and "Online · with Ria Vos" in text and "Outcome: Not held yet" in text


def test_an_intake_in_the_past_or_incomplete_is_refused(office_client, edition):
    application = apply(edition, "sanne@example.org")
    before = counts()
    yesterday = later(days=-1)
    response = office_client.post(
        action_url("intake", application),
        {"intake-scheduled_at": local_input(yesterday), "intake-mode": "online", "intake-interviewer": "Ria"},
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "Choose a moment that has not passed yet." in text
    body = response.content.decode()
    assert (
        'aria-invalid="true"' in body
        and 'aria-describedby="id_intake-scheduled_at_helptext id_intake-scheduled_at_error"' in body
    )
    empty = text_of(office_client.post(action_url("intake", application), {}))
    for message in ("Choose the date and time of the intake.", "Choose online or on site.", "Fill in who holds the intake."):
        assert message in empty
    assert counts() == before


def test_no_intake_can_be_planned_for_a_decided_application(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    services.decide(actor=office, application_id=application.pk, decision="decline")
    assert "Plan an intake" not in text_of(office_client.get(detail_url(application, "en")))
    before = counts()
    response = office_client.post(
        action_url("intake", application),
        {"intake-scheduled_at": local_input(later()), "intake-mode": "online", "intake-interviewer": "Ria"},
    )
    assert response.status_code == 409
    assert "An intake can only be planned for an application that is still open (now: Declined)." in text_of(response)
    assert counts() == before


def test_recording_the_outcome(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    intake = services.plan_intake(
        actor=office, application_id=application.pk, scheduled_at=later(), mode="online", interviewer="Ria"
    )
    prefix = f"outcome-{intake.pk}"
    response = office_client.post(
        action_url("outcome", application, intake_id=intake.pk),
        {f"{prefix}-outcome": "doubtful", f"{prefix}-note": "Weinig ervaring."},
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.outcome, intake.outcome_note) == ("doubtful", "Weinig ervaring.")
    text = text_of(office_client.get(response["Location"]))
    assert "The outcome of the intake has been saved." in text
    assert "Outcome: Doubtful" in text and "Weinig ervaring." in text
    assert "Change the outcome" in text
    assert AuditEntry.objects.filter(action="application.intake_outcome", object_id=str(application.pk)).count() == 1


def test_an_outcome_must_be_chosen(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    intake = services.plan_intake(
        actor=office, application_id=application.pk, scheduled_at=later(), mode="online", interviewer="Ria"
    )
    response = office_client.post(action_url("outcome", application, intake_id=intake.pk), {})
    assert response.status_code == 422
    assert "Choose the outcome of the intake." in text_of(response)
    intake.refresh_from_db()
    assert intake.outcome == "pending"


def test_an_intake_of_another_application_is_not_found(office_client, edition, office):
    one = apply(edition, "een@example.org")
    other = apply(edition, "ander@example.org")
    intake = services.plan_intake(actor=office, application_id=other.pk, scheduled_at=later(), mode="online", interviewer="Ria")
    response = office_client.post(action_url("outcome", one, intake_id=intake.pk), {f"outcome-{intake.pk}-outcome": "negative"})
    assert response.status_code == 404
    intake.refresh_from_db()
    assert intake.outcome == "pending"


# -- decisions -----------------------------------------------------------------------------------


def test_admitting_creates_the_enrolment_and_invoice_and_queues_the_mails(office_client, edition):
    application = apply(edition, "sanne@example.org")
    response = office_client.post(
        action_url("decision", application), {"decision-decision": "admit", "decision-note": "Past goed."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "admitted" and application.decision_note == "Past goed."
    enrolment = Enrolment.objects.get(application=application)
    assert enrolment.status == "enrolled" and enrolment.participant.email == "sanne@example.org"
    invoice = Invoice.objects.get(enrolment=enrolment, kind="invoice")
    assert invoice.recipient_organisation == "Gemeente Zwolle, Financiën"
    assert OutboxEmail.objects.filter(kind="decision_admitted", to=["sanne@example.org"]).count() == 1
    assert OutboxEmail.objects.filter(kind="invitation", to=["sanne@example.org"]).count() == 1

    page = office_client.get(response["Location"])
    text = text_of(page)
    assert f"Invoice {invoice.number} has been issued." in text
    assert "Sanne de Wit has been admitted and told by e-mail" in text
    assert f"Invoice {invoice.number} (open)" in text
    assert "Enrolled since" in text
    assert "Cancel this enrolment" in text
    assert "Save the decision" not in text and "Plan an intake" not in text  # decided
    # The invoice links to its PDF, which the logged-in coordinator may fetch with the session.
    body = page.content.decode()
    assert f'href="/api/v1/invoices/{invoice.number}.pdf"' in body
    pdf = office_client.get(f"/api/v1/invoices/{invoice.number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_admitting_into_a_full_edition_shows_the_error_and_changes_nothing(office_client, edition, office):
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    first = apply(edition, "eerste@example.org")
    services.decide(actor=office, application_id=first.pk, decision="admit")
    second = apply(edition, "tweede@example.org")
    before = counts()
    response = office_client.post(action_url("decision", second), {"decision-decision": "admit", "decision-note": "Graag."})
    assert response.status_code == 409
    text = text_of(response)
    assert "This edition is full: all 1 seats are taken or held for an offer." in text
    assert "Put the applicant on the waiting list instead." in text
    body = response.content.decode()
    assert 'class="form-errors" role="alert"' in body
    assert re.search(r'name="decision-decision" value="admit"[^>]*checked', body)  # what was chosen stays
    assert "Graag." in body
    assert counts() == before

    dutch = office_client.post(action_url("decision", second, "nl"), {"decision-decision": "admit"})
    assert "Deze editie is vol: alle 1 plaatsen zijn bezet of vastgehouden voor een aanbod." in text_of(dutch)
    assert "Zet de aanmelder in plaats daarvan op de wachtlijst." in text_of(dutch)
    assert counts() == before


@pytest.mark.parametrize(
    ("decision", "status", "kind"),
    [("waitlist", "waitlisted", "decision_waitlisted"), ("decline", "declined", "decision_declined")],
)
def test_waitlisting_and_declining(office_client, edition, decision, status, kind):
    application = apply(edition, "sanne@example.org")
    response = office_client.post(
        action_url("decision", application), {"decision-decision": decision, "decision-note": "Notitie."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_note) == (status, "Notitie.")
    assert OutboxEmail.objects.filter(kind=kind, to=["sanne@example.org"]).count() == 1
    assert not Enrolment.objects.filter(application=application).exists()
    assert not Invoice.objects.filter(enrolment__application=application).exists()
    text = text_of(office_client.get(response["Location"]))
    assert "has been told by e-mail." in text
    assert "Notitie." in text


def test_a_waitlisted_application_can_be_admitted_or_declined_not_waitlisted_again(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    services.decide(actor=office, application_id=application.pk, decision="waitlist")
    body = office_client.get(detail_url(application, "en")).content.decode()
    assert 'value="admit"' in body and 'value="decline"' in body and 'name="decision-decision" value="waitlist"' not in body
    before = counts()
    response = office_client.post(action_url("decision", application), {"decision-decision": "waitlist"})
    assert response.status_code == 422
    assert "Choose one of the decisions shown." in text_of(response)
    assert counts() == before


def test_deciding_twice_is_refused(office_client, edition, office):
    application = apply(edition, "sanne@example.org")
    services.decide(actor=office, application_id=application.pk, decision="decline")
    before = counts()
    response = office_client.post(action_url("decision", application), {"decision-decision": "admit"})
    assert response.status_code == 409
    assert "This application has already been decided (Declined)." in text_of(response)
    assert counts() == before


def test_a_decision_must_be_chosen(office_client, edition):
    application = apply(edition, "sanne@example.org")
    response = office_client.post(action_url("decision", application), {"decision-note": "?"})
    assert response.status_code == 422
    assert "Choose admit, waitlist or decline." in text_of(response)
    assert Application.objects.get(pk=application.pk).status == "submitted"


# -- cancelling ----------------------------------------------------------------------------------


@pytest.fixture
def admitted_with_waiting_list(edition, office):
    """A full edition of one seat: one admitted, two on the waiting list (the earlier one first)."""
    Edition.objects.filter(pk=edition.pk).update(capacity=1)
    admitted = apply(edition, "binnen@example.org", first_name="Binnen")
    services.decide(actor=office, application_id=admitted.pk, decision="admit")
    first = apply(edition, "eerste@example.org", first_name="Eerste")
    second = apply(edition, "tweede@example.org", first_name="Tweede")
    services.decide(actor=office, application_id=first.pk, decision="waitlist")
    services.decide(actor=office, application_id=second.pk, decision="waitlist")
    return admitted, first, second


def test_cancelling_asks_for_confirmation_first(office_client, admitted_with_waiting_list):
    admitted, _first, _second = admitted_with_waiting_list
    invoice = Invoice.objects.get(kind="invoice")
    page = office_client.get(action_url("cancel", admitted))
    assert page.status_code == 200
    text = text_of(page)
    assert f"Invoice {invoice.number} is credited in full with a credit note in the same series." in text
    assert "The freed seat is offered to the first on the waiting list" in text
    before = counts()
    refused = office_client.post(action_url("cancel", admitted), {"reason": "Ziek"})
    assert refused.status_code == 422
    assert "Tick the box to confirm the cancellation." in text_of(refused)
    assert counts() == before


def test_cancelling_issues_a_credit_note_and_offers_the_seat_to_the_first_waitlisted(office_client, admitted_with_waiting_list):
    admitted, first, second = admitted_with_waiting_list
    invoice = Invoice.objects.get(kind="invoice")
    response = office_client.post(action_url("cancel", admitted), {"reason": "Ziek geworden", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == detail_url(admitted, "en")
    enrolment = Enrolment.objects.get(application=admitted)
    assert enrolment.status == "cancelled"
    credit_note = Invoice.objects.get(kind="credit_note")
    assert credit_note.corrects_id == invoice.pk and credit_note.reason == "Ziek geworden"
    offer = Offer.objects.get()
    assert (offer.application_id, offer.status) == (first.pk, "open")
    assert Application.objects.get(pk=first.pk).status == "offered"
    assert Application.objects.get(pk=second.pk).status == "waitlisted"
    assert OutboxEmail.objects.filter(kind="seat_offered", to=["eerste@example.org"]).count() == 1

    text = text_of(office_client.get(response["Location"]))
    assert f"The enrolment has been cancelled and credit note {credit_note.number} issued." in text
    assert f"Credit note {credit_note.number}" in text and "Cancelled on" in text
    assert "Cancel this enrolment" not in text
    assert f"Enrolment cancelled; credit note {credit_note.number} issued (by Carla Coördinator) Ziek geworden" in text
    # The offered applicant's page shows the held seat.
    assert "A seat is held for this applicant until" in text_of(office_client.get(detail_url(first, "en")))


def test_a_cancelled_enrolment_cannot_be_cancelled_again(office_client, admitted_with_waiting_list, office):
    admitted, _first, _second = admitted_with_waiting_list
    changes.cancel_enrolment(actor=office, enrolment_id=Enrolment.objects.get(application=admitted).pk, reason="")
    before = counts()
    response = office_client.post(action_url("cancel", admitted), {"confirm": "on"}, follow=True)
    assert "This application has no enrolment to cancel." in text_of(response)
    assert counts() == before


def test_a_model_validation_error_from_a_service_becomes_a_form_error(office_client, edition, monkeypatch):
    """The forms check what the models check; should a service still refuse, the page says so (no 500)."""
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"interviewer": ["Use a shorter name."], "__all__": ["Something else is wrong."]})

    monkeypatch.setattr(services, "plan_intake", refuse)
    application = apply(edition, "sanne@example.org")
    response = office_client.post(
        action_url("intake", application),
        {"intake-scheduled_at": local_input(later()), "intake-mode": "online", "intake-interviewer": "Ria"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert '<p class="field-error" id="id_intake-interviewer_error">Use a shorter name.</p>' in body
    assert "Something else is wrong." in text_of(response)
