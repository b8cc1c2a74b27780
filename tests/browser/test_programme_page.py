"""The programme page as a visitor sees it, in Dutch and English, on a desktop and a phone."""

import re

import pytest

from leergang.demo import content

from .conftest import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser

TEXTS = {
    "nl": {
        "title": content.PROGRAMME["title_nl"],
        "fee": "€ 2.995",
        "vat": "Vrijgesteld van btw",
        "first_2021": "13 januari 2021",
        "last_2021": "13 oktober 2021",
        "rhythm": "7 bijeenkomsten op woensdag, 13.30–19.30 uur",
        "register": "Aanmelden",
        "switch_to": "EN",
    },
    "en": {
        "title": content.PROGRAMME["title_en"],
        "fee": "€2,995",
        "vat": "VAT exempt",
        "first_2021": "13 January 2021",
        "last_2021": "13 October 2021",
        "rhythm": "7 sessions on Wednesdays, 13:30–19:30",
        "register": "Register",
        "switch_to": "NL",
    },
}


def visible_text(locator) -> str:
    return " ".join(locator.inner_text().replace("\xa0", " ").split())


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_programme_page_shows_the_seed_facts(site, open_page, language, viewport):
    texts = TEXTS[language]
    goals_index = 0 if language == "nl" else 1
    page = open_page(viewport)
    page.goto(f"{site}/{language}/opleidingen/{content.SLUG}/")

    assert page.locator("html").get_attribute("lang") == language
    assert visible_text(page.locator("h1")) == texts["title"]

    # The key facts come first and hold the registration button.
    facts = page.locator("aside.key-facts")
    facts_text = visible_text(facts)
    assert texts["fee"] in facts_text
    assert texts["vat"] in facts_text
    assert texts["rhythm"] in facts_text
    assert "De Boelelaan 1105" in facts_text
    register = facts.get_by_role("link", name=texts["register"], exact=True)
    assert register.is_visible()
    if viewport == "phone":
        # On a phone the facts panel comes straight after the title, before the prose.
        facts_top = facts.bounding_box()["y"]
        assert facts_top < page.locator("#goals-heading").bounding_box()["y"]

    goals = page.locator("ol.goals > li")
    assert goals.count() == 6
    for index, goal in enumerate(content.LEARNING_GOALS):
        assert visible_text(goals.nth(index)) == goal[goals_index]

    body = visible_text(page.locator("main"))
    assert "Frédérique Six" in body and "Tjerk Budding" in body
    assert page.locator('a[href="mailto:VU.SOG@vu.nl"]').first.is_visible()
    assert_no_horizontal_scroll(page, viewport)

    # The 2021 edition, through its link in the list of editions.
    page.locator("nav.edition-switch a", has_text=texts["first_2021"]).click()
    page.wait_for_url(re.compile(r"\?editie=\d+"))
    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == 7
    assert texts["first_2021"] in visible_text(timeline.first)
    assert texts["last_2021"] in visible_text(timeline.last)
    assert texts["first_2021"] in visible_text(page.locator("aside.key-facts"))
    assert page.locator("#register-button").count() == 0  # the 2021 edition is completed
    assert_no_horizontal_scroll(page, viewport)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_language_switch_keeps_the_page_and_the_edition(site, open_page, language):
    texts = TEXTS[language]
    other = "en" if language == "nl" else "nl"
    page = open_page("phone")
    page.goto(f"{site}/{language}/opleidingen/{content.SLUG}/")
    page.locator("nav.edition-switch a", has_text=texts["first_2021"]).click()
    page.wait_for_url(re.compile(r"\?editie=\d+"))
    edition_query = page.url.split("?", 1)[1].split("#", 1)[0]

    page.locator("nav.language-switch a").click()
    page.wait_for_url(re.compile(rf"/{other}/opleidingen/{content.SLUG}/\?{edition_query}$"))
    assert page.locator("html").get_attribute("lang") == other
    assert visible_text(page.locator("h1")) == TEXTS[other]["title"]
    assert TEXTS[other]["first_2021"] in visible_text(page.locator("ol.timeline"))


def test_home_leads_to_the_programme_page(site, open_page):
    page = open_page("phone")
    page.goto(f"{site}/")
    page.wait_for_url(re.compile(r"/nl/$"))
    page.get_by_role("link", name=content.PROGRAMME["title_nl"]).click()
    page.wait_for_url(re.compile(rf"/nl/opleidingen/{content.SLUG}/$"))
    assert visible_text(page.locator("h1")) == content.PROGRAMME["title_nl"]


def test_registration_button_leads_to_registration_and_contact(site, open_page):
    page = open_page("desktop")
    page.goto(f"{site}/nl/opleidingen/{content.SLUG}/")
    page.locator("#register-button").click()
    page.wait_for_url(re.compile(r"/nl/aanmelden/\d+/$"))
    assert page.get_by_role("button", name="Aanmelding versturen").is_visible()
    page.go_back()
    assert page.locator("#aanmelden").get_by_role("link", name="VU.SOG@vu.nl").is_visible()
