"""The coordinator's schedule page in Chromium: plan, check live (htmx, no reload), save; and axe
finds nothing to fix, in Dutch and English, at desktop and phone width.

It lives with the browser suite (not in tests/schedule_page) so it shares the suite's one Chromium:
Playwright's sync API allows a single instance per process, and a second `browser` fixture in
another conftest would start a second one when both suites run together."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from leergang.catalog.models import Edition
from leergang.demo import content
from leergang.scheduling import rules, services
from tests.schedule_page.conftest import page_url

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

AXE = Axe()
SAVED = "The schedule has been saved."


def log_in(page, site: str, language: str) -> None:
    page.goto(f"{site}/{language}/account/login/")
    page.locator("#id_username").fill(content.COORDINATOR["email"])
    page.locator("#id_password").fill(content.DEMO_PASSWORD)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{site}/{language}/account/")


def open_edition() -> Edition:
    return Edition.objects.get(programme__slug=content.SLUG, status="open")


def first_school_holiday_wednesday(after: datetime.date, edition: Edition) -> datetime.date:
    day = after + datetime.timedelta(days=(2 - after.weekday()) % 7 or 7)
    while True:
        if any(v.rule == rules.RULE_SCHOOL_HOLIDAY for v in rules.validate([day], services.schedule_rules(edition))):
            return day
        day += datetime.timedelta(days=7)


def axe_failures(page, label: str) -> list[str]:
    result = AXE.run(page)
    return [f"{label}:\n{result.generate_report()}"] if result.violations_count else []


def test_plan_check_live_and_save(site, open_page):
    """In English: the Dutch texts of this page are translated by the lead engineer at the end."""
    language = "en"
    edition = open_edition()
    before = list(edition.sessions.order_by("number").values_list("id", "date"))
    page = open_page("desktop")
    log_in(page, site, language)
    # The coordinator's overview links to the schedule.
    page.locator(f'a[href="{page_url(edition.pk, language=language)}"]').click()
    page.wait_for_url(site + page_url(edition.pk, language=language))
    page.evaluate("window.noReload = true")  # gone if the page reloads

    # Plan from a first date: the planner's dates fill the table, nothing is stored yet.
    first = datetime.date(2027, 9, 1)
    planned = rules.plan(first, 7, services.schedule_rules(edition))
    page.locator("#id_first_date").fill(first.isoformat())
    page.locator("#plan-button").click()
    dates = page.locator('input[type="date"][name$="-date"]')
    for index, day in enumerate(planned):
        page.wait_for_function(
            "([i, v]) => document.querySelectorAll('input[name$=\"-date\"]')[i]?.value === v", arg=[index, day.isoformat()]
        )
    assert dates.count() == 7
    assert list(edition.sessions.order_by("number").values_list("id", "date")) == before

    # Move session 2 into a school holiday: the violation shows at the row and in the live summary.
    holiday = first_school_holiday_wednesday(planned[0], edition)
    dates.nth(1).fill(holiday.isoformat())
    row_tag = page.locator('#sessions-1-violations [data-rule="school_holiday"]')
    row_tag.wait_for()
    summary = page.locator('#schedule-status[role="status"] [data-rule="school_holiday"]')
    assert summary.count() == 1
    assert holiday.isoformat() in summary.inner_text()
    assert page.locator("#id_accept_violations").is_visible()
    assert page.evaluate("window.noReload === true")

    # Fix it: the violation goes away, without a reload either.
    dates.nth(1).fill(planned[1].isoformat())
    row_tag.wait_for(state="detached")
    page.locator("#schedule-status .check-ok").wait_for()
    assert page.locator("#id_accept_violations").count() == 0
    assert page.evaluate("window.noReload === true")

    # Save: back on the page with a message, and the planned dates are stored (same sessions).
    page.get_by_role("button", name="Save schedule").click()
    page.locator(".message-success").wait_for()
    assert SAVED in page.locator(".messages").inner_text()
    after = list(edition.sessions.order_by("number").values_list("id", "date"))
    assert [session_id for session_id, _day in after] == [session_id for session_id, _day in before]
    assert [day for _id, day in after] == planned


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_schedule_page_has_no_axe_violations(site, open_page, language, viewport):
    edition = open_edition()
    page = open_page(viewport)
    log_in(page, site, language)
    page.goto(site + page_url(edition.pk, language=language))
    failures = axe_failures(page, f"{language} {viewport}: as loaded")
    assert_no_horizontal_scroll(page, viewport)

    # With a violation shown (row tag, summary, acceptance box) ...
    sessions = list(edition.sessions.order_by("number"))
    holiday = first_school_holiday_wednesday(sessions[0].date, edition)
    page.locator("#id_sessions-1-date").fill(holiday.isoformat())
    page.locator('#sessions-1-violations [data-rule="school_holiday"]').wait_for()
    failures += axe_failures(page, f"{language} {viewport}: with a violation")
    assert_no_horizontal_scroll(page, viewport)

    # ... after adding a row, and after a refused save (form errors).
    page.locator("#add-row-button").click()
    page.locator("#id_sessions-7-number").wait_for()
    failures += axe_failures(page, f"{language} {viewport}: with an added row")
    page.locator("#schedule-form button[name=save]").click()
    page.locator(".form-errors").wait_for()
    failures += axe_failures(page, f"{language} {viewport}: refused save")
    assert_no_horizontal_scroll(page, viewport)
    assert not failures, "\n\n".join(failures)
