"""The finance export page in Chromium at phone width: reached from the invoice list, no sideways
scrolling, axe finds no violations (Dutch and English, also with a form error), and the download
button gives the period's CSV."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.utils import timezone

from leergang.invoicing import finance_export, payments, services
from tests import factories
from tests.browser.conftest import assert_accessible, log_in

from .conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECIPIENT = {
    "organisation": "=Gemeente Utrecht met een lange naam voor de afdeling Crediteurenadministratie",
    "address": "Stadsplateau 1",
    "postal_code": "3521 AZ",
    "city": "Utrecht",
    "email": "facturen@utrecht.example.org",
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_office_exports_the_previous_month_on_a_phone(site, open_page, language):
    office = factories.CoordinatorFactory(email=f"financien-{language}@example.org")
    edition = factories.EditionFactory(programme=factories.ProgrammeFactory(vat_exempt=True))
    end = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    issued = [
        services.issue_invoice(
            actor=office,
            enrolment=factories.EnrolmentFactory(edition=edition),
            recipient=RECIPIENT,
            language=language,
            issued_on=issued_on,
        )
        for issued_on in (start, end)
    ]
    payments.record_payment(actor=office, invoice_number=issued[0].number, paid_on=end, amount="100.00")
    credit_note = services.issue_credit_note(actor=office, invoice=issued[1], reason="Geannuleerd.", issued_on=end)

    page = open_page("phone")
    log_in(page, site, office.email, language)
    page.goto(f"{site}/{language}/coordinatie/facturen/")
    page.locator(f'a[href="/{language}/coordinatie/facturen/export/"]').click()
    page.wait_for_url(f"{site}/{language}/coordinatie/facturen/export/")
    assert page.locator("#id_from").input_value() == start.isoformat()
    assert page.locator("#id_to").input_value() == end.isoformat()
    assert page.locator("[data-documents]").get_attribute("data-documents") == "3"
    assert page.locator('[data-total="paid"]').get_attribute("data-amount") == "100.00"
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)

    # A period that ends before it starts: a form error on the page, which stays accessible.
    page.locator("#id_from").fill(end.isoformat())
    page.locator("#id_to").fill(start.isoformat())
    page.locator("form[action$='/export/'] button[type=submit]").click()
    assert page.locator("#id_to_error").is_visible()
    assert page.locator("[data-documents]").count() == 0
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)

    page.locator("#id_from").fill(start.isoformat())
    page.locator("#id_to").fill(end.isoformat())
    page.locator("form[action$='/export/'] button[type=submit]").click()
    page.locator("[data-documents]").wait_for()
    with page.expect_download() as caught:
        page.locator("form.finance-download button[type=submit]").click()
    download = caught.value
    assert download.suggested_filename == f"leergang-financieel-{start.isoformat()}-{end.isoformat()}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == finance_export.COLUMNS
    assert [row["number"] for row in rows] == [issued[0].number, issued[1].number, credit_note.number]
    assert [row["status"] for row in rows] == ["partly_paid", "credited", "credited"]
    assert {row["debtor_organisation"] for row in rows} == {"'" + RECIPIENT["organisation"]}
