"""M3 in a real browser: an applicant registers on a phone, and the form's pages pass axe (R10)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.enrolment.models import Application
from leergang.notifications.models import OutboxEmail

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()
CONFIRMATION = re.compile(r"/aanmelden/bevestiging/\d+/[^/]+/$")


def fill_in(page, email: str) -> None:
    """Everything a complete application needs, typed and tapped as a person would."""
    page.locator("#id_first_name").fill("Anna")
    page.locator("#id_last_name").fill("de Vries")
    page.locator("#id_email").fill(email)
    page.locator("#id_phone").fill("06 12345678")
    page.locator("#id_organisation").fill("Gemeente Voorbeeld")
    page.locator("#id_job_title").fill("Teamleider Sociaal Domein")
    page.locator("label[for='id_education_level_1']").click()  # HBO
    page.locator("#id_years_experience").fill("12")
    page.locator("label[for='id_leadership_role_0']").click()  # yes
    page.locator("#id_challenge").fill("Meer ruimte voor professionals, minder formulieren.")
    page.locator("#id_invoice_organisation").fill("Gemeente Voorbeeld, Financiën")
    page.locator("#id_invoice_address").fill("Postbus 1234")
    page.locator("#id_invoice_postal_code").fill("1000 AB")
    page.locator("#id_invoice_city").fill("Voorbeeld")
    page.locator("#id_invoice_email").fill("facturen@gemeente-voorbeeld.nl")
    page.locator("#id_dietary_requirements").fill("Vegetarisch")
    page.locator("label[for='id_terms_accepted']").click()
    page.locator("label[for='id_privacy_consent']").click()


def axe_failures(page, what: str) -> list[str]:
    result = AXE.run(page)
    return [f"{what}:\n{result.generate_report()}"] if result.violations_count else []


def test_an_applicant_registers_on_a_phone_in_dutch(site, open_page):
    page = open_page("phone")
    page.goto(f"{site}/nl/opleidingen/{content.SLUG}/")
    page.locator("#register-button").click()
    page.wait_for_url(re.compile(r"/nl/aanmelden/\d+/$"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Aanmelden"
    assert_no_horizontal_scroll(page, "phone")

    # The note about education shows only for "Other".
    note = page.locator("#id_education_note")
    assert not note.is_visible()
    page.locator("label[for='id_education_level_2']").click()
    assert note.is_visible()
    page.locator("label[for='id_education_level_0']").click()
    assert not note.is_visible()

    # Choices are easy to tap: each row at least 44 px high.
    for label in ("id_education_level_0", "id_leadership_role_1", "id_terms_accepted"):
        assert page.locator(f"label[for='{label}']").bounding_box()["height"] >= 44

    fill_in(page, "anna.telefoon@example.org")
    assert_no_horizontal_scroll(page, "phone")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(CONFIRMATION)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert "anna.telefoon@example.org" in page.locator("main").inner_text()
    assert_no_horizontal_scroll(page, "phone")

    application = Application.objects.get(email="anna.telefoon@example.org")
    assert application.language == "nl"
    assert application.education_level == "hbo"
    assert str(application.pk) in page.locator("main").inner_text()
    assert OutboxEmail.objects.filter(kind="application_received", to=["anna.telefoon@example.org"], language="nl").count() == 1


def test_errors_lead_to_their_fields(site, open_page):
    page = open_page("phone")
    edition = Edition.objects.get(programme__slug=content.SLUG, status="open")
    page.goto(f"{site}/nl/aanmelden/{edition.id}/")
    page.locator("#id_email").fill("anna@")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    email_field = page.locator("#id_email")
    assert email_field.get_attribute("aria-invalid") == "true"
    assert "id_email_error" in email_field.get_attribute("aria-describedby")
    assert email_field.input_value() == "anna@"  # what was typed stays
    summary.locator("a[href='#id_email']").click()
    page.wait_for_url(re.compile(r"#id_email$"))
    assert Application.objects.count() == 0


def test_a_double_click_on_send_makes_one_application(site, open_page):
    page = open_page("desktop")
    edition = Edition.objects.get(programme__slug=content.SLUG, status="open")
    page.goto(f"{site}/nl/aanmelden/{edition.id}/")
    fill_in(page, "dubbel@example.org")
    page.locator("main button[type=submit]").dblclick()
    # Polls the address rather than waiting for one navigation: when the second click's request
    # replaces the first, the browser aborts the first navigation, and waiting on it would fail.
    expect(page).to_have_url(CONFIRMATION, timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert Application.objects.filter(email="dubbel@example.org").count() == 1
    assert OutboxEmail.objects.filter(kind="application_received", to=["dubbel@example.org"]).count() == 1


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_registration_pages_have_no_axe_violations(site, open_page, language, viewport):
    page = open_page(viewport)
    editions = Edition.objects.filter(programme__slug=content.SLUG)
    open_edition = editions.get(status="open")
    completed = editions.get(status="completed")
    form = f"{site}/{language}/aanmelden/{open_edition.id}/"
    failures: list[str] = []

    def check(what: str) -> None:
        failures.extend(axe_failures(page, f"{what} ({language}, {viewport})"))
        try:
            assert_no_horizontal_scroll(page, viewport)
        except AssertionError as exc:
            failures.append(str(exc))

    page.goto(form)
    check("empty form")
    page.locator("label[for='id_education_level_2']").click()  # the note for "Other" shows
    check("form with the note for other education")

    page.locator("main button[type=submit]").click()
    page.locator(".error-summary").wait_for()
    check("form with errors")

    page.goto(form)
    fill_in(page, f"axe-{language}-{viewport}@example.org")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(CONFIRMATION)
    check("confirmation")

    page.goto(f"{site}/{language}/aanmelden/{completed.id}/")
    check("registration closed")

    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
