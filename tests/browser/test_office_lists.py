"""The programme office's paginated lists in Chromium (issue 9): the invoice list with its search
and page links, and the archive of all editions, in Dutch and English, at desktop and phone width:
no axe violations, nothing scrolls sideways, and the page links work by keyboard-reachable links."""

import datetime

import pytest
from django.utils import timezone

from leergang.catalog.models import EditionStatus
from leergang.demo import content
from leergang.invoicing import services
from tests import factories
from tests.browser.conftest import assert_accessible, assert_no_horizontal_scroll, log_in

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


@pytest.fixture
def office_with_history(site):  # noqa: F811 - the fixture imported above
    """A coordinator, 55 invoices (two pages) and 55 old editions (two archive pages)."""
    office = factories.CoordinatorFactory(email="kantoor@example.org")
    programme = factories.ProgrammeFactory(slug="lange-geschiedenis", vat_exempt=True)
    edition = factories.EditionFactory(programme=programme, start_date=days_ago(-30))
    for index in range(55):
        enrolment = factories.EnrolmentFactory(edition=edition)
        services.issue_invoice(actor=office, enrolment=enrolment, recipient=RECIPIENT, language="nl", issued_on=days_ago(index))
        factories.EditionFactory(programme=programme, start_date=days_ago(100 + 90 * index), status=EditionStatus.COMPLETED)
    return site, office


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_invoice_list_pages_and_searches(office_with_history, open_page, language, viewport):
    base, office = office_with_history
    page = open_page(viewport)
    log_in(page, base, office.email, language)
    page.goto(f"{base}/{language}/coordinatie/facturen/")
    assert page.locator("tr[data-number]").count() == 50
    assert_accessible(page)
    assert_no_horizontal_scroll(page, viewport)

    pages = page.locator("nav.pagination")
    assert pages.locator('[aria-current="page"]').inner_text().strip().endswith("1")
    pages.locator('a[rel="next"]').click()
    page.wait_for_url("**/coordinatie/facturen/?page=2")
    assert page.locator("tr[data-number]").count() == 5
    assert pages.locator('[aria-current="page"]').inner_text().strip().endswith("2")

    page.locator("#invoice-search").fill("Crediteurenadministratie")
    page.locator("form[role=search] button").click()
    page.wait_for_url("**/coordinatie/facturen/?q=Crediteurenadministratie")
    assert page.locator("tr[data-number]").count() == 50
    assert_accessible(page)
    assert_no_horizontal_scroll(page, viewport)


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_archive_of_editions(office_with_history, open_page, language, viewport):
    base, office = office_with_history
    page = open_page(viewport)
    log_in(page, base, office.email, language)
    page.goto(f"{base}/{language}/account/")
    page.locator('a[href$="/coordinatie/edities/?programma=lange-geschiedenis"]').click()
    page.wait_for_url("**/coordinatie/edities/?programma=lange-geschiedenis")
    assert page.locator("tr[data-edition]").count() == 50
    assert_accessible(page)
    assert_no_horizontal_scroll(page, viewport)
    page.locator('nav.pagination a[rel="next"]').click()
    page.wait_for_url("**/coordinatie/edities/?programma=lange-geschiedenis&page=2")
    assert page.locator("tr[data-edition]").count() == 6

    page.goto(f"{base}/{language}/coordinatie/edities/?programma={content.SLUG}&status=completed")
    assert page.locator("tr[data-edition]").count() >= 1
    assert_accessible(page)
    assert_no_horizontal_scroll(page, viewport)
