"""The verification pages in Chromium with the demo's issued awards: no axe violations, no sideways
scrolling at phone width, in Dutch and English, valid, revoked and unknown; the language link works."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.accounts.models import User
from leergang.awards import services
from leergang.awards.models import Award
from leergang.demo import content

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


AXE = Axe()


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    settings.UPLOAD_ROOT = tmp_path / "uploads"  # the demo's papers are real files


@pytest.fixture
def codes(site):
    awards = {a.enrolment.participant.email: a for a in Award.objects.select_related("enrolment__participant")}
    revoked = awards["dirk.smit@example.org"]
    services.revoke_award(
        actor=User.objects.get(email=content.COORDINATOR["email"]), code=revoked.code, reason="Uitgereikt op de verkeerde naam."
    )
    return {
        "diploma": awards["anna.jansen@example.org"].code,
        "certificate": awards["esra.yilmaz@example.org"].code,
        "revoked": revoked.code,
    }


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_verification_pages_are_accessible(site, codes, open_page, viewport):
    page = open_page(viewport)
    failures = []
    paths = [
        f"/verify/{codes['diploma']}",
        f"/verify/{codes['certificate']}?lang=en",
        f"/verify/{codes['revoked']}",
        f"/verify/{codes['revoked']}?lang=en",
        "/verify/ZZZZ-ZZZZ-ZZZZ",
        "/verify/ZZZZ-ZZZZ-ZZZZ?lang=en",
        "/verify/?code=abc",
    ]
    for path in paths:
        page.goto(site + path)
        result = AXE.run(page)
        if result.violations_count:
            failures.append(f"{path} ({viewport}):\n{result.generate_report()}")
        try:
            assert_no_horizontal_scroll(page, viewport)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n\n".join(failures)


def test_a_reader_switches_to_english_and_back(site, codes, open_page):
    page = open_page("phone")
    page.goto(f"{site}/verify/{codes['certificate']}")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.get_by_role("link", name="Read this page in English").click()
    page.wait_for_url(f"{site}/verify/{codes['certificate']}?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "This certificate of participation is valid." in page.locator("#verify-status").inner_text()
    page.get_by_role("link", name="Deze pagina in het Nederlands").click()
    page.wait_for_url(f"{site}/verify/{codes['certificate']}")
    assert page.locator("html").get_attribute("lang") == "nl"


def test_a_typed_code_finds_its_page(site, codes, open_page):
    page = open_page("phone")
    page.goto(f"{site}/verify/?lang=en")
    page.locator("#verify-code").fill(codes["revoked"].lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(f"{site}/verify/{codes['revoked']}?lang=en")
    assert "was revoked" in page.locator("#verify-status").inner_text()
    assert "Uitgereikt op de verkeerde naam." in page.locator("#verify-status").inner_text()
