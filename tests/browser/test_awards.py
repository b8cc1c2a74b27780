"""Diplomas in a real browser: the programme office issues an edition's diplomas from its diplomas
page; a participant sees theirs; an employer, without an account, checks one on /verify/<code>.
axe finds no violations on the diplomas page and the participant's award page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.awards import services
from leergang.awards.models import Award
from tests import factories
from tests.awards.standing_data import attend, complete, finished_edition, participant_in, running_edition

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
AXE = Axe()


@pytest.fixture
def cohort(site):
    """A finished edition (its closing session a week ago): two graduates, one with four of six
    sessions, one who attended none."""
    edition = finished_edition(title_nl="Leiderschap met vertrouwen", title_en="Leadership with trust")
    people = {
        "anna": complete(participant_in(edition, "anna.diploma@example.org", "Anna", "Jansen")),
        "bram": complete(participant_in(edition, "bram.diploma@example.org", "Bram", "de Vries")),
        "carla": complete(participant_in(edition, "carla.diploma@example.org", "Carla", "Smit"), attended=4),
        "dirk": complete(participant_in(edition, "dirk.diploma@example.org", "Dirk", "Bos"), attended=0, paper=None),
    }
    office = factories.CoordinatorFactory(email="office.diplomas@example.org", first_name="Olga")
    return {"edition": edition, "people": people, "office": office}


def log_in(page, site: str, email: str, language: str = "nl") -> None:
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")


def axe_violations(page) -> str:
    result = AXE.run(page)
    return result.generate_report() if result.violations_count else ""


def test_the_office_issues_all_diplomas_of_a_finished_edition(site, cohort, open_page):
    edition, people = cohort["edition"], cohort["people"]
    page = open_page("desktop")
    log_in(page, site, cohort["office"].email, "en")
    page.goto(f"{site}/en/coordinatie/edities/{edition.pk}/diplomas/")
    assert page.locator("h1").inner_text() == "Diplomas and certificates"
    assert page.locator(f"#participant-{people['anna'].pk}").get_attribute("data-award") == "diploma"
    assert page.locator(f"#participant-{people['carla'].pk}").get_attribute("data-award") == "certificate"
    assert axe_violations(page) == ""

    page.get_by_role("button", name="Issue all").click()
    page.wait_for_selector("#issue-summary")
    assert "Diplomas issued: 2. Certificates of participation issued: 1." in page.locator(".messages").inner_text()
    skipped = page.locator('[data-summary="skipped"]').inner_text()
    assert "Dirk Bos" in skipped and "Neither a diploma nor a certificate" in skipped
    awards = {award.enrolment_id: award for award in Award.objects.filter(enrolment__edition=edition)}
    assert {pk: award.kind for pk, award in awards.items()} == {
        people["anna"].pk: "diploma",
        people["bram"].pk: "diploma",
        people["carla"].pk: "certificate",
    }
    anna = page.locator(f"#participant-{people['anna'].pk}")
    assert anna.get_attribute("data-issued") == "diploma"
    assert awards[people["anna"].pk].code in anna.inner_text()
    assert page.locator(f'a[href="/verify/{awards[people["anna"].pk].code}"]').first.is_visible()
    assert axe_violations(page) == ""  # with the summary and the revoke forms
    assert_no_horizontal_scroll(page, "desktop")

    # A revoke without a reason is refused on the page, in the reader's language.
    anna.locator("summary").click()
    anna.get_by_role("button", name="Revoke").click()
    page.wait_for_selector(f"#reason-{people['anna'].pk}-error")
    assert "Give the reason for revoking" in page.locator(f"#reason-{people['anna'].pk}-error").inner_text()
    assert Award.objects.get(pk=awards[people["anna"].pk].pk).revoked_at is None
    assert axe_violations(page) == ""

    phone = open_page("phone")
    log_in(phone, site, cohort["office"].email, "nl")
    phone.goto(f"{site}/nl/coordinatie/edities/{edition.pk}/diplomas/")
    assert_no_horizontal_scroll(phone, "phone")
    assert axe_violations(phone) == ""


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_participants_award_page_has_no_axe_violations(site, cohort, open_page, viewport):
    anna = cohort["people"]["anna"]
    services.issue_award(actor=cohort["office"], enrolment_id=anna.pk, kind="diploma")
    # A second, running programme in which too many sessions were missed: the warning shows.
    running = running_edition(held=3)
    again = factories.EnrolmentFactory(edition=running, participant=anna.participant)
    attend(again, ["absent", "excused", "present"])
    page = open_page(viewport)
    log_in(page, site, anna.participant.email, "en")
    page.goto(f"{site}/en/leren/diploma/")
    assert page.locator(f"#enrolment-{anna.pk}").get_attribute("data-issued") == "diploma"
    assert page.locator(f"#out-of-reach-{again.pk}").is_visible()
    assert page.get_by_role("link", name="Download the PDF").is_visible()
    assert axe_violations(page) == ""
    assert_no_horizontal_scroll(page, viewport)
    page.goto(f"{site}/nl/leren/diploma/")
    assert axe_violations(page) == ""
    assert_no_horizontal_scroll(page, viewport)
    page.goto(f"{site}/en/account/")
    assert page.locator(f"#out-of-reach-{again.pk}").is_visible()
    page.get_by_role("link", name="Where you stand and what is still missing").first.click()
    page.wait_for_url(f"{site}/en/leren/diploma/*")


def test_an_employer_checks_a_diploma_without_an_account(site, cohort, open_page):
    people, office = cohort["people"], cohort["office"]
    valid = services.issue_award(actor=office, enrolment_id=people["anna"].pk, kind="diploma")
    revoked = services.issue_award(actor=office, enrolment_id=people["bram"].pk, kind="diploma")
    services.revoke_award(actor=office, code=revoked.code, reason="Uitgereikt op de verkeerde naam.")

    page = open_page("desktop")  # a fresh context: no cookies, no session
    response = page.goto(f"{site}/verify/{valid.code}")
    assert response.status == 200 and page.url == f"{site}/verify/{valid.code}"  # no redirect
    status = page.locator("[data-valid]")
    assert status.get_attribute("data-valid") == "true"
    body = page.locator("main").inner_text()
    assert "Anna Jansen" in body and "Leiderschap met vertrouwen" in body and valid.code in body
    page.get_by_role("link", name="Read this page in English").click()
    page.wait_for_url(f"{site}/verify/{valid.code}?lang=en")
    english = page.locator("main").inner_text()
    assert "This diploma is valid." in english and "Leadership with trust" in english and "Anna Jansen" in english

    other = open_page("phone")
    other.goto(f"{site}/verify/{revoked.code}?lang=en")
    assert other.locator("[data-valid]").get_attribute("data-valid") == "false"
    text = other.locator("main").inner_text()
    assert "This diploma was revoked and is no longer valid." in text
    assert "Uitgereikt op de verkeerde naam." in text and "Bram de Vries" in text
    assert_no_horizontal_scroll(other, "phone")
