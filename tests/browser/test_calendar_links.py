"""M9: the calendar links on a participant's overview and the programme page pass axe, at both widths."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.demo import content

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_participant_overview_with_calendar_links_is_accessible(site, open_page, language, viewport):
    page = open_page(viewport)
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(content.PARTICIPANTS[0]["email"])
    page.locator("#id_password").fill(content.DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")
    links = page.locator("main a[href^='webcal://']")
    assert links.count() == 2  # one per enrolment: the 2021 edition and the running one
    link = links.first
    assert "/kalender/" in link.get_attribute("href")
    failures = []
    for url in (f"{site}/{language}/account/", f"{site}/{language}/opleidingen/{content.SLUG}/"):
        page.goto(url)
        result = AXE.run(page)
        if result.violations_count:
            failures.append(f"{url} ({viewport}):\n{result.generate_report()}")
        assert_no_horizontal_scroll(page, viewport)
    assert page.locator("main a[href$='/calendar.ics']").count() == 2
    assert not failures, "\n\n".join(failures)
