"""The browser suite: Debian's Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session; each test opens its own context (viewport, language, cookies).
Without /usr/bin/chromium the suite is skipped, except in CI (env CI set), where that is a failure.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from tests import demo_snapshot
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser suite")
        # A laptop without Chromium may skip, saying why; CI installs it and fails above instead.
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the demo content loaded (as `make run` has it)."""
    cache.clear()  # the login rate limit counts per address, and every test comes from 127.0.0.1
    demo_snapshot.load()
    return live_server.url


@pytest.fixture
def open_page(browser):
    """open_page(viewport_name) -> a fresh page in its own context, closed after the test."""
    contexts = []

    def make(viewport: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport], locale="nl-NL")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def assert_no_horizontal_scroll(page, viewport: str) -> None:
    width = VIEWPORTS[viewport]["width"]
    # After a form's submit the page may still be navigating (no document yet): measure the new one.
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} scrolls sideways at {width} px (scrollWidth {scroll_width})"


FACTORY_PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def log_in(page, base: str, email: str, language: str, password: str = FACTORY_PASSWORD) -> None:
    """Log in through the login form and land on the overview."""
    page.goto(f"{base}/{language}/account/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{base}/{language}/account/")


def assert_accessible(page) -> None:
    """No axe-core violations of WCAG 2.1 A/AA on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
