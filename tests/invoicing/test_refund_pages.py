"""Refunds on the invoice pages (issue 7), through HTTP: an open credit note shows what is still owed
back and takes refunds paid by bank until it is settled (post/redirect/get, form errors in the
reader's language, nothing stored on bad input); its refunds are listed, money carried over to
another invoice with a link to it; that invoice shows which payment came from which credit note
(and offers no button to remove it). For everybody but the programme office the form does not exist."""

import datetime
import html
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leergang.enrolment import changes
from leergang.invoicing import payments
from leergang.invoicing.models import Invoice, Payment, Refund

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def detail(number: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("invoices:detail", kwargs={"number": number})


def refund_url(number: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse("invoices:record_refund", kwargs={"number": number})


def text_of(response) -> str:
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content).replace("\xa0", " ").split())


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def paid_and_credited(issue, credit, make_enrolment, coordinator):
    """An invoice of 2995.00 on which 1000.00 was paid, then credited: 1000.00 to be paid back."""
    invoice = issue(make_enrolment(), issued_on=TODAY - datetime.timedelta(days=20))
    payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount="1000.00")
    return credit(invoice, issued_on=TODAY)


def refund_data(**fields) -> dict:
    return {"refund-paid_on": TODAY.isoformat(), "refund-amount": "400,00", "refund-reference": "NL12 BANK 77", **fields}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_open_credit_note_shows_what_is_owed_back_and_a_prefilled_form(office, paid_and_credited, language):
    response = office.get(detail(paid_and_credited.number, language))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-owed-back="1000.00"' in page and 'data-paid-on-corrected="1000.00"' in page
    assert f'action="{refund_url(paid_and_credited.number, language)}"' in page
    assert re.search(r'name="refund-amount"[^>]*value="1000.00"|value="1000.00"[^>]*name="refund-amount"', page)
    assert f'value="{TODAY.isoformat()}"' in page
    if language == "en":
        assert "Record money paid back by bank to the debtor; €1,000 is still to be paid back." in text_of(response)


def test_refunds_are_recorded_until_the_credit_note_is_settled(office, paid_and_credited):
    number = paid_and_credited.number
    response = office.post(refund_url(number), refund_data())
    assert response.status_code == 302 and response["Location"] == detail(number)
    page = office.get(detail(number))
    text = text_of(page)
    assert f"Refund of €400 recorded. Credit note {number} is now open." in text
    assert 'data-owed-back="600.00"' in page.content.decode() and 'data-method="bank"' in page.content.decode()
    assert "NL12 BANK 77" in text and "Bank transfer" in text

    office.post(refund_url(number), refund_data(**{"refund-amount": "600.00", "refund-reference": ""}))
    settled = office.get(detail(number))
    assert f"Credit note {number} is now paid." in text_of(settled)
    assert Invoice.objects.get(pk=paid_and_credited.pk).status == "paid"
    assert 'name="refund-amount"' not in settled.content.decode()  # nothing left to record
    assert settled.content.decode().count("data-refund=") == 2
    assert [r.amount for r in Refund.objects.order_by("pk")] == [D("400.00"), D("600.00")]


@pytest.mark.parametrize(
    ("fields", "status", "field", "message"),
    [
        ({"refund-amount": "1000.01"}, 409, "amount", "Enter at most 1000.00."),
        ({"refund-amount": "0"}, 422, "amount", "Enter an amount of more than 0.00."),
        ({"refund-amount": ""}, 422, "amount", "Enter the amount that was paid back."),
        ({"refund-paid_on": "2999-01-01"}, 422, "paid_on", "Choose today"),
        ({"refund-paid_on": "gisteren"}, 422, "paid_on", "Enter a date, for example 2027-02-03."),
        ({"refund-paid_on": ""}, 422, "paid_on", "Enter the date the money was paid back."),
    ],
)
def test_bad_refunds_are_form_errors_and_store_nothing(office, paid_and_credited, fields, status, field, message):
    response = office.post(refund_url(paid_and_credited.number), refund_data(**fields))
    assert response.status_code == status
    page = response.content.decode()
    assert f'id="id_refund-{field}_error"' in page and message in text_of(response)
    assert not Refund.objects.exists() and Invoice.objects.get(pk=paid_and_credited.pk).status == "open"


def test_errors_in_dutch_on_the_dutch_page(office, paid_and_credited):
    response = office.post(refund_url(paid_and_credited.number, "nl"), refund_data(**{"refund-amount": "0"}))
    assert response.status_code == 422
    assert "Enter an amount of more than 0.00." not in text_of(response)
    assert not Refund.objects.exists()


def test_nothing_to_refund_on_a_settled_credit_note_or_an_invoice(office, issue, credit, make_enrolment):
    unpaid = issue(make_enrolment(), issued_on=TODAY)
    note = credit(unpaid, issued_on=TODAY)
    page = office.get(detail(note.number))
    assert "Nothing was paid on the corrected invoice, so nothing is to be paid back." in text_of(page)
    assert 'name="refund-amount"' not in page.content.decode()
    refused = office.post(refund_url(note.number), refund_data())
    assert refused.status_code == 409 and f"Nothing is owed back on credit note {note.number}." in text_of(refused)

    invoice = issue(make_enrolment(), issued_on=TODAY)
    assert office.post(refund_url(invoice.number), refund_data()).status_code == 404  # refunds only on credit notes
    assert not Refund.objects.exists()


def test_money_carried_over_is_shown_on_both_documents(office, edition, enrolment, issue, coordinator):
    edition.cancellation_free_until, edition.cancellation_fee_kind, edition.cancellation_fee_value = None, "amount", D("750")
    edition.save()
    invoice = issue(enrolment, issued_on=TODAY)
    payments.record_payment(actor=coordinator, invoice_number=invoice.number, paid_on=TODAY, amount="2995.00")
    result = changes.cancel_enrolment(actor=coordinator, enrolment_id=enrolment.pk)
    credit_note, fee = result.credit_note, result.fee_invoice

    fee_page = office.get(detail(fee.number))
    page = fee_page.content.decode()
    assert f'data-carried-from="{credit_note.number}"' in page
    assert f'href="{detail(credit_note.number)}"' in page
    assert f"Carried over from credit note {credit_note.number}" in text_of(fee_page)
    carried = Payment.objects.get(invoice=fee)
    assert f"/betalingen/{carried.pk}/verwijderen/" not in page  # part of the trail, not removable

    note_page = office.get(detail(credit_note.number))
    page = note_page.content.decode()
    assert 'data-method="offset"' in page and f'href="{detail(fee.number)}"' in page
    assert f"Carried over to invoice {fee.number}" in text_of(note_page)
    assert 'data-owed-back="2245.00"' in page  # the rest is to be paid back by bank
    with translation.override("en"):
        assert f'href="{reverse("places:detail", kwargs={"enrolment_id": enrolment.pk})}"' in page


def test_nobody_but_the_programme_office_records_refunds(client, paid_and_credited, teacher_user):
    owner = paid_and_credited.enrolment.participant
    anonymous = client.post(refund_url(paid_and_credited.number), refund_data())
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]
    for person in (teacher_user, owner):
        client.force_login(person)
        assert client.post(refund_url(paid_and_credited.number), refund_data()).status_code == 404
        assert client.get(detail(paid_and_credited.number)).status_code == 404
        client.logout()
    assert not Refund.objects.exists()


def test_the_credit_note_page_takes_a_fixed_number_of_queries(
    office, paid_and_credited, coordinator, django_assert_max_num_queries
):
    from leergang.invoicing import refunds

    refunds.record_refund(actor=coordinator, credit_note_number=paid_and_credited.number, paid_on=TODAY, amount="100")
    with django_assert_max_num_queries(10):
        assert office.get(detail(paid_and_credited.number)).status_code == 200
