"""R10: axe-core finds no violations on the pages, in Dutch and English, at desktop and phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.catalog.models import Edition
from leergang.demo import content

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()


def public_pages(language: str) -> list[str]:
    completed = Edition.objects.get(programme__slug=content.SLUG, status="completed")
    programme = f"/{language}/opleidingen/{content.SLUG}/"
    return [
        f"/{language}/",
        programme,
        f"{programme}?editie={completed.id}",
        f"/{language}/account/login/",
        f"/{language}/opleidingen/bestaat-niet/",  # the 404 page
    ]


def log_in(page, site: str, language: str) -> None:
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(content.COORDINATOR["email"])
    page.locator("#id_password").fill(content.DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")


def check(page, url: str, viewport: str, failures: list[str]) -> None:
    page.goto(url)
    result = AXE.run(page)
    if result.violations_count:
        failures.append(f"{url} ({viewport}):\n{result.generate_report()}")
    try:
        assert_no_horizontal_scroll(page, viewport)
    except AssertionError as exc:
        failures.append(str(exc))


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_pages_have_no_axe_violations(site, open_page, language, viewport):
    page = open_page(viewport)
    failures: list[str] = []
    for path in public_pages(language):
        check(page, site + path, viewport, failures)
    # The login page showing an error, then the coordinator's overview.
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(content.COORDINATOR["email"])
    page.locator("#id_password").fill("not-the-password")
    page.locator("main").get_by_role("button").click()
    page.wait_for_selector(".form-errors")
    result = AXE.run(page)
    if result.violations_count:
        failures.append(f"login with error ({viewport}):\n{result.generate_report()}")
    log_in(page, site, language)
    check(page, f"{site}/{language}/account/", viewport, failures)
    check(page, f"{site}/{language}/opleidingen/{content.SLUG}/", viewport, failures)  # as coordinator
    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
