"""Habit 7: an invoice is a snapshot. It keeps what it said at issue, in its own language."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from leergang.core.errors import Invalid
from leergang.invoicing.models import Invoice

from .conftest import NOTE_EN, NOTE_NL, RECIPIENT

pytestmark = pytest.mark.django_db


def test_an_invoice_copies_what_it_shows_at_issue(issue, enrolment):
    invoice = issue(enrolment, language="en")

    assert invoice.lines == [
        {
            "description": "Participation in Steering and leading from trust, edition starting 13 January 2027 "
            "(including study material and meals)",
            "amount": "2995.00",
        }
    ]
    assert (invoice.total, invoice.vat_amount, invoice.currency) == (Decimal("2995.00"), Decimal("0.00"), "EUR")
    assert invoice.participant_name == "Anna de Vries"
    assert invoice.programme_title == "Steering and leading from trust"
    assert (invoice.edition_start_date, invoice.edition_end_date) == (datetime.date(2027, 1, 13), datetime.date(2027, 6, 30))
    assert (invoice.issued_on, invoice.due_on, invoice.payment_term_days) == (
        datetime.date(2027, 1, 4),
        datetime.date(2027, 2, 3),
        30,
    )
    assert {key: getattr(invoice, f"recipient_{key}") for key in RECIPIENT} == RECIPIENT
    assert (invoice.issuer_kvk, invoice.issuer_iban, invoice.issuer_city) == ("00000000", "NL91ABNA0417164300", "Amsterdam")
    assert invoice.status == "open"


def test_later_changes_to_participant_edition_programme_and_issuer_leave_the_invoice_as_issued(issue, enrolment):
    invoice = issue(enrolment, language="en")
    issued = {f.attname: getattr(invoice, f.attname) for f in Invoice._meta.concrete_fields if f.name != "updated_at"}

    participant = enrolment.participant
    participant.first_name, participant.last_name = "Anna", "Jansen"
    participant.save()
    edition = enrolment.edition
    edition.fee, edition.start_date = Decimal("3250.00"), datetime.date(2027, 2, 10)
    edition.save()
    programme = edition.programme
    programme.title_en, programme.fee_includes_en = "Leading with trust", "study material only"
    programme.save()
    with override_settings(INVOICE_ISSUER_IBAN="NL02RABO0123456789", INVOICE_ISSUER_NAME="Another school"):
        stored = Invoice.objects.get(pk=invoice.pk)

    assert {name: getattr(stored, name) for name in issued} == issued


def test_no_vat_and_the_legal_ground_in_english(issue, enrolment):
    invoice = issue(enrolment, language="en")

    assert invoice.vat_amount == Decimal("0.00")
    assert invoice.vat_exemption_note == NOTE_EN


def test_no_vat_and_the_legal_ground_in_dutch(issue, enrolment, dutch_texts):
    invoice = issue(enrolment, language="nl")

    assert invoice.vat_amount == Decimal("0.00")
    assert invoice.vat_exemption_note == NOTE_NL
    assert invoice.lines[0]["description"] == (
        "Deelname Sturen en leidinggeven vanuit vertrouwen, editie 13 januari 2027 (inclusief studiemateriaal en maaltijden)"
    )
    assert invoice.programme_title == "Sturen en leidinggeven vanuit vertrouwen"


def test_the_invoice_language_not_the_active_one_decides(issue, enrolment):
    with translation.override("nl"):
        invoice = issue(enrolment, language="en")

    assert invoice.vat_exemption_note == NOTE_EN
    assert invoice.programme_title == "Steering and leading from trust"


@override_settings(INVOICE_PAYMENT_TERM_DAYS=14)
def test_the_payment_term_comes_from_the_settings(issue, enrolment):
    invoice = issue(enrolment)

    assert (invoice.payment_term_days, invoice.due_on) == (14, datetime.date(2027, 1, 18))


def test_the_recipient_is_checked_and_named_field_by_field(issue, enrolment):
    with pytest.raises(Invalid) as refused:
        issue(enrolment, recipient={"organisation": "", "address": "x" * 201, "email": "not-an-address", "colour": "blue"})

    fields = {item["field"] for item in refused.value.errors}
    assert fields == {
        "invoice.colour",
        "invoice.address",
        "invoice.postal_code",
        "invoice.city",
        "invoice.organisation",
        "invoice.email",
    }


def test_a_person_without_an_organisation_can_be_invoiced(issue, enrolment):
    recipient = {"contact_name": "Anna de Vries", "address": "Kade 1", "postal_code": "1011 AA", "city": "Amsterdam"}

    invoice = issue(enrolment, recipient=recipient)

    assert (invoice.recipient_organisation, invoice.recipient_contact_name, invoice.recipient_po_number) == (
        "",
        "Anna de Vries",
        "",
    )
