"""The money pages in Chromium, in Dutch and English: a participant on a phone sees their invoices and
downloads a PDF from their page; the programme office opens an edition's money overview on a phone
and on a desktop. No sideways scrolling at 360 px, and axe finds no violations."""

import datetime

import pytest
from django.utils import timezone

from leergang.enrolment import changes
from leergang.invoicing import payments, services
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


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def edition_with_money(office, language: str):
    """An edition with an overdue invoice, a partly paid one, a credited one with money to refund and
    a cancellation fee; returns (edition, the partly paid participant, their invoice)."""
    edition = factories.EditionFactory(
        programme=factories.ProgrammeFactory(vat_exempt=True),
        cancellation_free_until=days_ago(100),
        cancellation_fee_kind="percentage",
        cancellation_fee_value=10,
    )

    def issue(enrolment, days):
        return services.issue_invoice(
            actor=office, enrolment=enrolment, recipient=RECIPIENT, language=language, issued_on=days_ago(days)
        )

    def pay(invoice, amount):
        payments.record_payment(actor=office, invoice_number=invoice.number, paid_on=days_ago(1), amount=amount)

    participant = factories.UserFactory(email=f"deelnemer-{language}@example.org")
    mine = issue(factories.EnrolmentFactory(edition=edition, participant=participant, organisation="Gemeente Utrecht"), 10)
    pay(mine, "250.00")
    issue(factories.EnrolmentFactory(edition=edition), 45)  # overdue
    leaving = factories.EnrolmentFactory(edition=edition)
    pay(issue(leaving, 20), "1000.00")
    changes.cancel_enrolment(actor=office, enrolment_id=leaving.pk)  # a credit note and a fee invoice
    factories.EnrolmentFactory(edition=edition)  # no invoice
    return edition, participant, mine


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_participant_downloads_an_invoice_on_a_phone(site, open_page, language):
    office = factories.CoordinatorFactory(email=f"kantoor-{language}@example.org")
    edition, participant, invoice = edition_with_money(office, language)
    paid_back = services.issue_invoice(
        actor=office,
        enrolment=factories.EnrolmentFactory(
            edition=factories.EditionFactory(programme=edition.programme), participant=participant
        ),
        recipient=RECIPIENT,
        language=language,
        issued_on=days_ago(20),
    )
    payments.record_payment(actor=office, invoice_number=paid_back.number, paid_on=days_ago(2), amount="100.00")
    changes.cancel_enrolment(actor=office, enrolment_id=paid_back.enrolment_id)

    page = open_page("phone")
    log_in(page, site, participant.email, language)
    page.goto(f"{site}/{language}/account/facturen/")
    assert page.locator("[data-number]").count() >= 3
    assert page.locator(f'[data-number="{invoice.number}"] .how-to-pay').is_visible()
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)

    with page.expect_download() as caught:
        page.locator(f'[data-number="{invoice.number}"] a[href$="/{invoice.number}.pdf"]').click()
    download = caught.value
    assert download.suggested_filename.endswith(f"{invoice.number}.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_office_opens_an_editions_money_overview(site, open_page, language, viewport):
    office = factories.CoordinatorFactory(email=f"geld-{language}-{viewport}@example.org")
    edition, participant, invoice = edition_with_money(office, language)

    page = open_page(viewport)
    log_in(page, site, office.email, language)
    page.goto(f"{site}/{language}/coordinatie/edities/{edition.pk}/geld/")
    assert page.locator("[data-total]").count() == 7
    assert page.locator("tr[data-overdue]").count() == 1
    assert page.locator(f'tr[data-number="{invoice.number}"] td[data-paid="250.00"]').count() == 1
    assert_no_horizontal_scroll(page, viewport)
    assert_accessible(page)

    page.locator(f'tr[data-number="{invoice.number}"] a[href$="/facturen/{invoice.number}/"]').click()
    page.wait_for_url(f"{site}/{language}/coordinatie/facturen/{invoice.number}/")
