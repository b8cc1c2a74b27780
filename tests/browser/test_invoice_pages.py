"""The invoice pages in Chromium: at phone width without sideways scrolling, recording a payment, and
axe finds no violations (Dutch and English)."""

import datetime

import pytest
from django.utils import timezone

from leergang.invoicing import payments, reminders, services
from leergang.invoicing.models import Invoice
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

from .conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECIPIENT = {
    "organisation": "Gemeente Utrecht met een lange naam voor de afdeling Crediteurenadministratie",
    "address": "Stadsplateau 1",
    "postal_code": "3521 AZ",
    "city": "Utrecht",
    "email": "facturen@utrecht.example.org",
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_office_records_a_payment_on_a_phone(site, open_page, language):  # noqa: F811
    office = factories.CoordinatorFactory(email=f"kantoor-{language}@example.org")
    edition = factories.EditionFactory(programme=factories.ProgrammeFactory(vat_exempt=True))
    today = timezone.localdate()
    overdue = services.issue_invoice(
        actor=office,
        enrolment=factories.EnrolmentFactory(edition=edition),
        recipient=RECIPIENT,
        language="nl",
        issued_on=today - datetime.timedelta(days=45),
    )
    payments.record_payment(actor=office, invoice_number=overdue.number, paid_on=today, amount="100.00", reference="NL12 INGB")
    reminders.send_overdue_reminders()

    page = open_page("phone")
    log_in(page, site, office.email, language)
    page.goto(f"{site}/{language}/coordinatie/facturen/")
    assert page.locator(f'tr[data-number="{overdue.number}"] [data-reminded]').count() == 1
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)

    page.locator(f'a[href$="/facturen/{overdue.number}/"]').click()
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)
    page.locator("#id_payment-amount").fill("99999")
    page.locator("form[action$='/betalingen/'] button[type=submit]").click()
    assert page.locator("#id_payment-amount_error").is_visible()
    assert_accessible(page)
    page.locator("#id_payment-amount").fill("895.00")
    page.locator("form[action$='/betalingen/'] button[type=submit]").click()
    page.wait_for_url(f"{site}/{language}/coordinatie/facturen/{overdue.number}/")
    assert page.locator("[data-payment]").count() == 2
    assert_no_horizontal_scroll(page, "phone")
    assert Invoice.objects.get(pk=overdue.pk).status == "partly_paid"
