"""A place's changes of plan in Chromium (issue 7): the programme office, on a 360 px phone, opens a
place, has a colleague take it over and lands on the new place with its new invoice; the place page
and its three action pages (also showing a form error) have no axe violations in Dutch and English
and do not scroll sideways."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from leergang.enrolment.models import Enrolment
from leergang.invoicing import payments, services
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


def check(page) -> None:
    """No sideways scrolling at phone width, no axe violations."""
    assert_no_horizontal_scroll(page, "phone")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_colleague_takes_over_a_place_on_a_phone(site, open_page, language):
    office = factories.CoordinatorFactory(email=f"kantoor-{language}@example.org")
    programme = factories.ProgrammeFactory(vat_exempt=True)
    today = timezone.localdate()
    edition = factories.EditionFactory(
        programme=programme,
        start_date=today + datetime.timedelta(days=60),
        cancellation_free_until=today - datetime.timedelta(days=1),
        cancellation_fee_kind="percentage",
        cancellation_fee_value=Decimal("50"),
    )
    factories.EditionFactory(programme=programme, start_date=today + datetime.timedelta(days=240), capacity=12)
    enrolment = factories.EnrolmentFactory(edition=edition, organisation="Gemeente Utrecht")
    invoice = services.issue_invoice(actor=office, enrolment=enrolment, recipient=RECIPIENT, language=language)
    payments.record_payment(actor=office, invoice_number=invoice.number, paid_on=today, amount="1000.00")

    page = open_page("phone")
    log_in(page, site, office.email, language)
    base = f"{site}/{language}/coordinatie/inschrijvingen"
    page.goto(f"{base}/{enrolment.pk}/")
    assert page.locator(f'[data-document="{invoice.number}"]').count() == 1
    check(page)

    # The cancel and transfer pages: what they say, and a form error.
    page.locator(f'a[href$="/inschrijvingen/{enrolment.pk}/annuleren/"]').click()
    assert page.locator("#id_waive_fee").count() == 1  # the fee applies: it can be waived
    check(page)
    page.locator(".form-card button[type=submit]").click()
    assert page.locator("#id_confirm_error").is_visible()
    check(page)
    page.goto(f"{base}/{enrolment.pk}/verplaatsen/")
    assert page.locator("input[name=edition]").count() == 1
    check(page)

    # A colleague takes over.
    page.goto(f"{base}/{enrolment.pk}/")
    page.locator(f'a[href$="/inschrijvingen/{enrolment.pk}/overdragen/"]').click()
    check(page)
    page.locator("#id_first_name").fill("Karin")
    page.locator("#id_last_name").fill("Bos")
    page.locator("#id_email").fill(f"karin-{language}@example.org")
    page.locator("#id_confirm").check()
    page.locator(".form-card button[type=submit]").click()
    new = Enrolment.objects.get(participant__email=f"karin-{language}@example.org")
    page.wait_for_url(f"{base}/{new.pk}/")

    reissued = Invoice.objects.get(enrolment=new)
    credit_note = Invoice.objects.get(corrects=invoice)
    assert [credit_note.sequence, reissued.sequence] == [invoice.sequence + 1, invoice.sequence + 2]
    assert page.locator(f'[data-document="{reissued.number}"]').is_visible()
    assert page.locator('[data-place-status="enrolled"]').is_visible()
    assert page.locator('[data-change="substitution"]').is_visible()
    assert reissued.number in page.locator(".messages").inner_text()
    check(page)
