"""Fixtures for the invoicing tests: the seed's programme and an edition of it, enrolments, an issuer."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from leergang.invoicing import rules, services
from tests import factories

ISSUED_ON = datetime.date(2027, 1, 4)

RECIPIENT = {
    "organisation": "Gemeente Utrecht",
    "contact_name": "Crediteurenadministratie",
    "address": "Stadsplateau 1",
    "postal_code": "3521 AZ",
    "city": "Utrecht",
    "email": "facturen@utrecht.example.org",
    "po_number": "PO-2027-118",
}

NOTE_EN = "Exempt from VAT under article 11, paragraph 1, sub o, of the Dutch VAT Act 1968 (Wet OB 1968)."
NOTE_NL = "Vrijgesteld van btw op grond van artikel 11, lid 1, onderdeel o, Wet OB 1968."


def dutch_invoice_texts_translated() -> bool:
    with translation.override("nl"):
        return str(rules.VAT_EXEMPTION_NOTE) == NOTE_NL


@pytest.fixture
def dutch_texts():
    """Tests of the Dutch wording need the invoice texts in leergang/locale/nl (django.po): a
    missing translation is a failure, since an invoice keeps the text it was issued with."""
    assert dutch_invoice_texts_translated(), "the Dutch invoice texts are missing from django.po"


@pytest.fixture
def programme(db):
    return factories.ProgrammeFactory(
        slug="sturen-vanuit-vertrouwen",
        title_nl="Sturen en leidinggeven vanuit vertrouwen",
        title_en="Steering and leading from trust",
        fee_includes_nl="inclusief studiemateriaal en maaltijden",
        fee_includes_en="including study material and meals",
        vat_exempt=True,
    )


@pytest.fixture
def edition(programme):
    edition = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), fee=Decimal("2995.00"))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2027, 1, 13))
    factories.SessionFactory(edition=edition, number=7, kind="closing", date=datetime.date(2027, 6, 30))
    return edition


@pytest.fixture
def participant_user(db):
    return factories.UserFactory(email="anna@example.org", first_name="Anna", last_name="de Vries")


@pytest.fixture
def enrolment(edition, participant_user):
    return factories.EnrolmentFactory(edition=edition, participant=participant_user)


@pytest.fixture
def make_enrolment(edition):
    def make(**fields):
        return factories.EnrolmentFactory(edition=fields.pop("edition", edition), **fields)

    return make


@pytest.fixture
def issue(coordinator):
    """issue(enrolment, language="nl", issued_on=ISSUED_ON, recipient=RECIPIENT) -> Invoice, as the programme office."""

    def make(enrolment, *, language="nl", issued_on=ISSUED_ON, recipient=None, actor=coordinator):
        return services.issue_invoice(
            actor=actor, enrolment=enrolment, recipient=dict(recipient or RECIPIENT), language=language, issued_on=issued_on
        )

    return make


@pytest.fixture
def credit(coordinator):
    def make(invoice, *, reason="Geannuleerd door de deelnemer.", issued_on=None, actor=coordinator):
        return services.issue_credit_note(actor=actor, invoice=invoice, reason=reason, issued_on=issued_on or invoice.issued_on)

    return make
