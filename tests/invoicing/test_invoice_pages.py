"""The programme office's invoice pages: the list with its filters and reminders, an invoice's page
with its payments, recording a payment (post/redirect/get, form errors) and removing one. Dutch and
English render; for everybody but the programme office the pages do not exist."""

import datetime
import re

import pytest
from django.utils import timezone

from leergang.invoicing import payments, reminders
from leergang.invoicing.models import Invoice, Payment

pytestmark = pytest.mark.django_db

LIST = "/{lang}/coordinatie/facturen/"
DETAIL = "/{lang}/coordinatie/facturen/{number}/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def documents(issue, credit, make_enrolment, coordinator):
    made = {
        "overdue": issue(make_enrolment(), issued_on=days_ago(40)),
        "partly": issue(make_enrolment(), issued_on=days_ago(10)),
        "open": issue(make_enrolment(), issued_on=days_ago(5)),
        "credited": issue(make_enrolment(), issued_on=days_ago(5)),
    }
    payments.record_payment(actor=coordinator, invoice_number=made["partly"].number, paid_on=days_ago(1), amount="995.00")
    made["credit_note"] = credit(made["credited"], issued_on=days_ago(1))
    return made


def numbers(response) -> list[str]:
    return re.findall(r'data-number="([0-9-]+)"', response.content.decode())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_list_renders_in_both_languages_with_filters(office, documents, lang):
    response = office.get(LIST.format(lang=lang))
    assert response.status_code == 200
    assert sorted(numbers(response)) == sorted(documents[k].number for k in ("overdue", "partly", "open", "credited"))

    expected = {"open": {"overdue", "open"}, "partly_paid": {"partly"}, "overdue": {"overdue"}}
    for value, keys in expected.items():
        response = office.get(LIST.format(lang=lang), {"status": value})
        assert response.status_code == 200
        assert sorted(numbers(response)) == sorted(documents[k].number for k in keys), value


def test_the_list_shows_paid_owed_and_the_reminder_date(office, documents):
    reminders.send_overdue_reminders()
    page = office.get(LIST.format(lang="en")).content.decode()
    today = timezone.localdate().isoformat()
    row = page.split(f'data-number="{documents["overdue"].number}"')[1].split("</tr>")[0]
    assert 'data-overdue="true"' in page.split(f'data-number="{documents["overdue"].number}"')[1][:60]
    assert f'data-reminded="{today}"' in row and "sent " in row
    partly = page.split(f'data-number="{documents["partly"].number}"')[1].split("</tr>")[0]
    assert 'data-paid="995.00"' in partly, partly
    assert 'data-owed="2000.00"' in partly and "€2,000" in partly, partly
    credited = page.split(f'data-number="{documents["credited"].number}"')[1].split("</tr>")[0]
    assert 'data-owed="0.00"' in credited and documents["credit_note"].number in credited


def test_the_detail_page_has_the_facts_the_payments_and_a_prefilled_form(office, documents):
    invoice = documents["partly"]
    for lang in ("nl", "en"):
        response = office.get(DETAIL.format(lang=lang, number=invoice.number))
        assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="partly_paid"' in page
    assert f'href="/api/v1/invoices/{invoice.number}.pdf"' in page
    assert re.search(r'name="payment-amount"[^>]*value="2000.00"|value="2000.00"[^>]*name="payment-amount"', page)
    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert page.count("data-payment=") == 1


def test_recording_a_payment_redirects_back_with_a_message(office, documents):
    invoice = documents["partly"]
    url = DETAIL.format(lang="en", number=invoice.number)
    response = office.post(
        url + "betalingen/",
        {"payment-paid_on": days_ago(0).isoformat(), "payment-amount": "2.000,00", "payment-reference": "Bank 9"},
    )
    assert response.status_code == 302 and response["Location"] == url
    page = office.get(url).content.decode()
    assert f"Invoice {invoice.number} is now paid" in page
    assert Invoice.objects.get(pk=invoice.pk).status == "paid"
    assert "Record a payment" not in page  # nothing left to record


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"payment-amount": "0"}, "amount", "Enter an amount of more than 0.00."),
        ({"payment-amount": ""}, "amount", "Enter the amount that was paid."),
        ({"payment-amount": "2000.01"}, "amount", "Enter at most 2000.00."),
        ({"payment-paid_on": "2999-01-01"}, "paid_on", "Choose today"),
        ({"payment-paid_on": "gisteren"}, "paid_on", "Enter a date, for example 2027-02-03."),
    ],
)
def test_form_errors_in_the_readers_language_and_nothing_stored(office, documents, fields, field, message):
    invoice = documents["partly"]
    data = {"payment-paid_on": days_ago(0).isoformat(), "payment-amount": "10.00", **fields}
    response = office.post(DETAIL.format(lang="en", number=invoice.number) + "betalingen/", data)
    assert response.status_code in (409, 422)
    page = response.content.decode()
    assert f'id="id_payment-{field}_error"' in page and message in page
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_the_dutch_form_errors_render(office, documents):
    response = office.post(DETAIL.format(lang="nl", number=documents["partly"].number) + "betalingen/", {"payment-amount": "x"})
    assert response.status_code == 422 and 'id="id_payment-amount_error"' in response.content.decode()


def test_removing_a_payment(office, documents):
    invoice = documents["partly"]
    payment = Payment.objects.get(invoice=invoice)
    url = DETAIL.format(lang="en", number=invoice.number)
    response = office.post(f"{url}betalingen/{payment.pk}/verwijderen/")
    assert response.status_code == 302
    assert Invoice.objects.get(pk=invoice.pk).status == "open" and not Payment.objects.exists()
    assert "The payment was removed." in office.get(url).content.decode()
    again = office.post(f"{url}betalingen/{payment.pk}/verwijderen/", follow=True)
    assert "This payment does not exist (any more)." in again.content.decode()


def test_a_credited_invoice_and_a_credit_note_have_no_form(office, documents):
    for key in ("credited", "credit_note"):
        page = office.get(DETAIL.format(lang="en", number=documents[key].number)).content.decode()
        assert 'name="payment-amount"' not in page


def test_for_everybody_else_the_pages_do_not_exist(client, documents, participant_user, teacher_user):
    invoice = documents["partly"]
    own = Invoice.objects.filter(enrolment__participant=participant_user).first()
    urls = [LIST.format(lang="nl"), DETAIL.format(lang="nl", number=invoice.number)]
    if own:
        urls.append(DETAIL.format(lang="nl", number=own.number))
    for person in (participant_user, teacher_user):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code == 404, url
        response = client.post(DETAIL.format(lang="nl", number=invoice.number) + "betalingen/", {"payment-amount": "5"})
        assert response.status_code == 404
        payment = Payment.objects.get(invoice=invoice)
        assert (
            client.post(DETAIL.format(lang="nl", number=invoice.number) + f"betalingen/{payment.pk}/verwijderen/").status_code
            == 404
        )
    client.logout()
    assert client.get(LIST.format(lang="nl")).status_code in (302, 404)
    assert Payment.objects.count() == 1


def test_an_unknown_number_is_a_404(office, documents):
    assert office.get(DETAIL.format(lang="en", number="2099-0001")).status_code == 404
    assert office.get("/en/coordinatie/facturen/abc/").status_code == 404


def test_the_list_is_a_fixed_number_of_queries(office, documents, django_assert_max_num_queries, issue, make_enrolment):
    for _ in range(5):
        issue(make_enrolment(), issued_on=days_ago(3))
    with django_assert_max_num_queries(8):
        assert office.get(LIST.format(lang="en")).status_code == 200


def test_the_coordinators_overview_links_to_the_invoices(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/en/account/").content.decode()
    assert 'href="/en/coordinatie/facturen/"' in page
    assert 'href="/en/coordinatie/facturen/?status=overdue"' in page
