"""R10 on every page: axe-core finds no violations on every HTML page of the permission inventory
(tests/security/inventory.py), seen by a role that may see it, in Dutch and English, at desktop and
phone width; at phone width nothing scrolls sideways.

One test per role. The role logs in once through the login page; its session is reused by one
browser context per language and width. Public pages are checked as the anonymous visitor only (the
logged-in header differs little); every other page by each role that may open it, since what a page
shows depends on who looks (the office sees more than a teacher).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import translation

from leergang.demo import content
from tests.security import inventory
from tests.security.inventory import OK
from tests.security.world import ANONYMOUS, COORDINATOR, PARTICIPANT_OWN, TEACHER_OWN, build_world

from .conftest import VIEWPORTS, assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()
CHECKED_ROLES = (ANONYMOUS, PARTICIPANT_OWN, TEACHER_OWN, COORDINATOR)


def pages_for(role: str) -> list[inventory.Entry]:
    pages = []
    for entry in inventory.PAGES:
        if not entry.html or entry.writes or entry.expect[role] != OK:
            continue
        if role != ANONYMOUS and entry.expect[ANONYMOUS] == OK:
            continue  # public: checked as the anonymous visitor
        pages.append(entry)
    return pages


def in_language(path: str, language: str) -> str:
    """The same page in `language`: pages under /nl/ move to /en/; the verification pages take ?lang=."""
    if path.startswith("/nl/"):
        return f"/{language}/{path[4:]}"
    if path.startswith("/verify/") and language == "en":
        return f"{path}?lang=en"
    return path


def log_in(page, site: str, email: str) -> None:
    page.goto(f"{site}/nl/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(content.DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/nl/account/")


def test_the_roles_have_pages_to_check():
    for role in CHECKED_ROLES:
        assert pages_for(role), role


@pytest.mark.parametrize("role", CHECKED_ROLES)
def test_every_page_has_no_axe_violations(live_server, transactional_db, browser, role):
    cache.clear()
    with translation.override("nl"):
        world = build_world()
    site = live_server.url
    user = world.user(role)
    entries = pages_for(role)
    failures: list[str] = []
    session = None
    for language in ("nl", "en"):
        for viewport in ("desktop", "phone"):
            context = browser.new_context(
                viewport=VIEWPORTS[viewport], locale="nl-NL" if language == "nl" else "en-GB", storage_state=session
            )
            context.set_default_timeout(10_000)
            try:
                page = context.new_page()
                if user is not None and session is None:
                    log_in(page, site, user.email)
                    session = context.storage_state()
                for entry in entries:
                    url = site + in_language(entry.url(world), language)
                    response = page.goto(url)
                    if response is None or response.status >= 400:
                        failures.append(f"{url} as {role}: status {response.status if response else '?'}")
                        continue
                    result = AXE.run(page)
                    if result.violations_count:
                        failures.append(f"{url} as {role} ({viewport}):\n{result.generate_report()}")
                    if viewport == "phone":
                        try:
                            assert_no_horizontal_scroll(page, viewport)
                        except AssertionError as exc:
                            failures.append(f"{exc} as {role}")
            finally:
                context.close()
    for failure in failures:
        print(failure)
    assert not failures, "\n\n".join(failures)
