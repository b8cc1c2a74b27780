"""The privacy pages in Chromium (M23, R10): axe finds no violations in Dutch and English, nothing
scrolls sideways at 360 px, the participant downloads their data, the office erases a person."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.accounts.models import User
from leergang.demo import content
from leergang.enrolment import changes
from leergang.enrolment.models import Enrolment

from .conftest import assert_no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str, language: str) -> None:
    page.goto(f"{base}/{language}/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(content.DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{base}/{language}/account/")


def check(page, viewport: str) -> None:
    assert_no_horizontal_scroll(page, viewport)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_statements_are_accessible(site, open_page, language, viewport):
    page = open_page(viewport)
    for path in ("privacy/", "toegankelijkheid/"):
        page.goto(f"{site}/{language}/{path}")
        check(page, viewport)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_participant_downloads_their_data_on_a_phone(site, open_page, language):
    page = open_page("phone")
    log_in(page, site, "anna.jansen@example.org", language)
    page.locator(f'a[href="/{language}/account/mijn-gegevens/"]').first.click()
    page.wait_for_url(f"{site}/{language}/account/mijn-gegevens/")
    check(page, "phone")
    with page.expect_download() as info:
        page.locator("[data-export]").click()
    download = info.value
    assert download.suggested_filename.startswith("leergang-personal-data-") and download.suggested_filename.endswith(".json")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["account"]["email"] == "anna.jansen@example.org" and len(data["enrolments"]) == 2


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_office_erases_a_person_through_the_page(site, open_page, language):
    office = User.objects.get(email=content.COORDINATOR["email"])
    bram = User.objects.get(email="bram.devries@example.org")
    running = Enrolment.objects.get(participant=bram, edition__status="running")
    changes.cancel_enrolment(actor=office, enrolment_id=running.pk, reason="Op verzoek")

    page = open_page("phone")
    log_in(page, site, office.email, language)
    page.goto(f"{site}/{language}/coordinatie/personen/{bram.pk}/wissen/")
    check(page, "phone")
    page.locator("#id_reason").fill("Verzoek per e-mail van 3 maart")
    page.locator(".erase-form button[type=submit]").click()
    assert page.locator("#id_confirm_error").is_visible()  # the tick is missing: nothing erased
    check(page, "phone")
    assert User.objects.get(pk=bram.pk).is_active
    page.locator("#id_confirm").check()
    page.locator(".erase-form button[type=submit]").click()
    page.wait_for_selector("[data-erased]")
    check(page, "phone")
    bram.refresh_from_db()
    assert not bram.is_active and bram.email.endswith("@erased.invalid")


def test_the_erase_page_of_a_person_still_enrolled_is_accessible(site, open_page):
    page = open_page("desktop")
    log_in(page, site, content.COORDINATOR["email"], "en")
    anna = User.objects.get(email="anna.jansen@example.org")
    page.goto(f"{site}/en/coordinatie/personen/{anna.pk}/wissen/")
    assert page.locator("[data-refusal]").is_visible()
    check(page, "desktop")
