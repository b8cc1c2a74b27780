"""Fixtures for the privacy tests: the demo content with one participant (Anna Jansen) given one of
everything through the real services: an application (declined), an invoice with a payment, an API
token, a response to a group member's case entry, besides what the demo gives her (2021: attendance,
paper, presentation, diploma; the running edition: case, progress notes, hours, group)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from leergang.accounts.models import User
from leergang.accounts.services import issue_api_token
from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.enrolment import changes
from leergang.enrolment import services as enrolment_services
from leergang.enrolment.models import Enrolment
from leergang.invoicing import payments
from leergang.invoicing import services as invoicing
from leergang.learning import cases
from leergang.learning.models import CaseEntry

ANNA = "anna.jansen@example.org"
BRAM = "bram.devries@example.org"
RECIPIENT = {
    "organisation": "Gemeente Utrecht",
    "contact_name": "Anna Jansen",
    "address": "Stadsplateau 1",
    "postal_code": "3521 AZ",
    "city": "Utrecht",
    "email": "facturen@utrecht.example.org",
    "po_number": "PO-2021-7",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def office(demo) -> User:
    return User.objects.get(email=content.COORDINATOR["email"])


@pytest.fixture
def anna(demo) -> User:
    return User.objects.get(email=ANNA)


@pytest.fixture
def bram(demo) -> User:
    return User.objects.get(email=BRAM)


def edition(status: str) -> Edition:
    return Edition.objects.get(programme__slug=content.SLUG, status=status)


def enrolment_of(user: User, status: str) -> Enrolment:
    return Enrolment.objects.get(participant=user, edition=edition(status))


def application_input(email: str, first_name: str = "Anna", last_name: str = "Jansen"):
    return enrolment_services.ApplicationInput(
        first_name=first_name, last_name=last_name, email=email, phone="06 11223344", organisation="Gemeente Utrecht",
        job_title="Teamleider subsidies", education_level="wo", years_experience=12, leadership_role=True,
        challenge="Minder verantwoording voor kleine buurtsubsidies.", invoice_organisation="Gemeente Utrecht",
        invoice_address="Stadsplateau 1", invoice_postal_code="3521 AZ", invoice_city="Utrecht",
        invoice_email="facturen@utrecht.example.org", dietary_requirements="Vegetarisch", privacy_consent=True,
        terms_accepted=True,
    )  # fmt: skip


@pytest.fixture
def full_anna(anna, bram, office):
    """Anna with one of everything (see the module's docstring); returns a dict of what was made."""
    application = enrolment_services.submit_application(edition_id=edition("open").pk, data=application_input(ANNA))
    enrolment_services.decide(
        actor=office, application_id=application.pk, decision="decline", note="Anna past beter in de volgende groep."
    )
    completed = enrolment_of(anna, "completed")
    invoice = invoicing.issue_invoice(
        actor=office, enrolment=completed, recipient=RECIPIENT, language="nl", issued_on=datetime.date(2021, 1, 20)
    )
    payment = payments.record_payment(
        actor=office, invoice_number=invoice.number, paid_on=timezone.localdate(), amount="1000.00", reference="Anna Jansen"
    )
    token = issue_api_token(actor=office, user=anna)
    bram_entry = CaseEntry.objects.filter(case__enrolment__participant=bram).order_by("session__number").first()
    response = None
    try:
        response = cases.respond(actor=anna, entry_id=bram_entry.pk, text="Herkenbaar, Bram! Groet van Anna Jansen.")
    except Exception:  # not in Bram's group in this demo's grouping
        response = None
    own_entry = CaseEntry.objects.filter(case__enrolment__participant=anna).order_by("session__number").first()
    own_response = cases.respond(actor=anna, entry_id=own_entry.pk, text="Aanvulling van Anna Jansen: de wethouder is positief.")
    return {
        "application": application,
        "invoice": invoice,
        "payment": payment,
        "token": token,
        "response": response,
        "own_response": own_response,
    }


@pytest.fixture
def cancel_running(office):
    def cancel(user: User) -> None:
        changes.cancel_enrolment(actor=office, enrolment_id=enrolment_of(user, "running").pk, reason="Op verzoek")

    return cancel
