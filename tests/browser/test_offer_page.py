"""The page behind the offer e-mail's link: readable and accessible in both languages, both widths."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from leergang.catalog.models import Edition
from leergang.enrolment.models import Application, Offer

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()


@pytest.fixture
def offer(site):
    edition = Edition.objects.get(status="open")
    application = Application.objects.create(
        edition=edition, first_name="Iris", last_name="Kok", email="iris@example.org", organisation="Gemeente",
        job_title="Manager", education_level="wo", years_experience=8, leadership_role=True, challenge="-",
        invoice_organisation="Gemeente", invoice_address="Plein 1", invoice_postal_code="1000 AA",
        invoice_city="Amsterdam", invoice_email="f@example.org", privacy_consent=True, status="offered",
    )  # fmt: skip
    return Offer.objects.create(application=application, edition=edition, expires_at=timezone.now() + datetime.timedelta(days=7))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_offer_page_is_accessible_and_accepting_works(site, open_page, offer, language, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/{language}/aanbod/{offer.token}/")
    accept = {"nl": "De plaats aanvaarden", "en": "Accept the place"}[language]
    assert page.get_by_role("button", name=accept).is_visible()
    failures = []
    result = AXE.run(page)
    if result.violations_count:
        failures.append(result.generate_report())
    assert_no_horizontal_scroll(page, viewport)
    page.get_by_role("button", name=accept).click()
    page.wait_for_load_state()
    assert page.locator("[role=status]").is_visible()
    result = AXE.run(page)
    if result.violations_count:
        failures.append(result.generate_report())
    assert not failures, "\n\n".join(failures)
    offer.refresh_from_db()
    assert offer.status == "accepted"
