"""The public pages: home and programme page (M1, M2), in Dutch and English."""

import datetime
import re

import pytest
from django.utils import formats, translation

from leergang.catalog.models import Session
from leergang.demo import content
from tests import factories

from .conftest import element, hrefs, plain, text_of

pytestmark = pytest.mark.django_db

PROGRAMME_URL = "/{language}/opleidingen/{slug}/"


def programme_url(language: str, slug: str = content.SLUG) -> str:
    return PROGRAMME_URL.format(language=language, slug=slug)


def written_date(day: datetime.date, language: str, weekday: bool = False) -> str:
    with translation.override(language):
        return formats.date_format(day, "l j F Y" if weekday else "j F Y")


# Home -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_links_to_every_published_programme_in_its_language(client, demo, language):
    others = factories.ProgrammeFactory.create_batch(3)
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    links = hrefs(response)
    page = text_of(response)
    for slug, title_nl, title_en in [(content.SLUG, content.PROGRAMME["title_nl"], content.PROGRAMME["title_en"])] + [
        (p.slug, p.title_nl, p.title_en) for p in others
    ]:
        assert any(slug in href and href.startswith(f"/{language}/") for href in links), slug
        assert (title_nl if language == "nl" else title_en) in page
    assert f'<html lang="{language}">' in response.content.decode()


def test_home_shows_the_next_open_edition_with_date_and_fee(client, demo, open_edition):
    dutch = text_of(client.get("/nl/"))
    english = text_of(client.get("/en/"))
    assert written_date(open_edition.start_date, "nl") in dutch
    assert written_date(open_edition.start_date, "en") in english
    assert "€ 2.995" in dutch
    assert "€2,995" in english


def test_unpublished_programme_is_not_listed_and_not_shown_to_anonymous(client, demo):
    hidden = factories.ProgrammeFactory(slug="nog-geheim", title_nl="Geheime opleiding", published=False)
    factories.EditionFactory(programme=hidden)
    for language in ("nl", "en"):
        home = client.get(f"/{language}/")
        assert not any("nog-geheim" in href for href in hrefs(home))
        assert "Geheime opleiding" not in text_of(home)
        assert client.get(programme_url(language, hidden.slug)).status_code == 404


def test_unpublished_programme_is_visible_to_the_programme_office(client, coordinator):
    hidden = factories.ProgrammeFactory(slug="nog-geheim", title_nl="Geheime opleiding", published=False)
    client.force_login(coordinator)
    response = client.get(programme_url("nl", hidden.slug))
    assert response.status_code == 200
    assert "Geheime opleiding" in text_of(response)


def test_unknown_programme_is_404(client, demo):
    assert client.get(programme_url("nl", "bestaat-niet")).status_code == 404


def test_root_redirects_to_dutch(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/nl/"


def test_root_follows_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


# Programme page -------------------------------------------------------------------------------


def test_programme_page_in_dutch_shows_the_seed_facts(client, demo, open_edition):
    response = client.get(programme_url("nl"))
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="nl">' in response.content.decode()
    assert content.PROGRAMME["title_nl"] in page
    goals = element(response, "ol", "goals")
    assert goals.count("<li>") == 6
    for text_nl, _text_en in content.LEARNING_GOALS:
        assert text_nl in plain(goals)
    facts = plain(element(response, "aside", "key-facts"))
    assert written_date(open_edition.start_date, "nl", weekday=True) in facts
    assert "7 bijeenkomsten op woensdag, 13.30–19.30 uur" in facts
    assert "€ 2.995" in facts
    assert "inclusief studiemateriaal en maaltijden" in facts
    assert "Vrijgesteld van btw" in facts
    assert "De Boelelaan 1105" in facts
    assert "Circa 4 uur voorbereiding per bijeenkomst" in facts
    assert "Circa 50 uur voor eigen casus en paper" in facts
    assert 'id="register-button"' in element(response, "aside", "key-facts")
    for name in ("Frédérique Six", "Tjerk Budding"):
        assert name in page
    assert "VU.SOG@vu.nl" in page
    assert 'href="mailto:VU.SOG@vu.nl"' in response.content.decode()
    assert "minstens vijf jaar relevante werkervaring" in page
    assert "6 inhoudelijke bijeenkomsten en een slotbijeenkomst met presentaties." in page
    assert "Tussen de bijeenkomsten zitten steeds minstens 4 weken." in page


def test_programme_page_in_english_shows_the_seed_facts(client, demo, open_edition):
    response = client.get(programme_url("en"))
    assert response.status_code == 200
    page = text_of(response)
    assert '<html lang="en">' in response.content.decode()
    assert content.PROGRAMME["title_en"] in page
    goals = element(response, "ol", "goals")
    assert goals.count("<li>") == 6
    for _text_nl, text_en in content.LEARNING_GOALS:
        assert text_en in plain(goals)
    facts = plain(element(response, "aside", "key-facts"))
    assert written_date(open_edition.start_date, "en", weekday=True) in facts
    assert "7 sessions on Wednesdays, 13:30–19:30" in facts
    assert "€2,995" in facts
    assert "VAT exempt" in facts
    assert "De Boelelaan 1105" in facts
    assert "Frédérique Six" in page and "Tjerk Budding" in page
    assert "VU.SOG@vu.nl" in page


@pytest.mark.parametrize(
    ("language", "dates"),
    [
        (
            "nl",
            [
                "13 januari 2021",
                "10 februari 2021",
                "24 maart 2021",
                "21 april 2021",
                "9 juni 2021",
                "15 september 2021",
                "13 oktober 2021",
            ],
        ),
        (
            "en",
            [
                "13 January 2021",
                "10 February 2021",
                "24 March 2021",
                "21 April 2021",
                "9 June 2021",
                "15 September 2021",
                "13 October 2021",
            ],
        ),
    ],
)
def test_edition_query_shows_the_2021_programme(client, demo, completed_edition, language, dates):
    response = client.get(programme_url(language), {"editie": completed_edition.id})
    assert response.status_code == 200
    timeline = element(response, "ol", "timeline")
    assert timeline.count('class="timeline-item') == 7
    timeline_text = plain(timeline)
    for day in dates:
        assert day in timeline_text
    # Every session has its date and theme, in the page's language.
    for day, _kind, _theme_nl, _theme_en, _parts in content.SESSIONS_2021:
        assert f'datetime="{day.isoformat()}"' in timeline
    part = "Contracteren en aanbesteden vanuit vertrouwen" if language == "nl" else "Contracting and procurement from trust"
    assert part in timeline_text
    facts = element(response, "aside", "key-facts")
    assert 'id="register-button"' not in facts  # completed: no registration for this edition
    assert ("Afgerond" if language == "nl" else "Completed") in plain(facts)
    assert ("woensdag 13 januari 2021" if language == "nl" else "Wednesday 13 January 2021") in plain(facts)


def test_the_open_edition_is_shown_by_default_with_its_own_dates(client, demo, open_edition):
    response = client.get(programme_url("nl"))
    timeline = element(response, "ol", "timeline")
    for session in Session.objects.filter(edition=open_edition):
        assert f'datetime="{session.date.isoformat()}"' in timeline
    assert 'datetime="2021-01-13"' not in timeline


def test_the_page_lists_every_public_edition_with_a_link(client, demo, completed_edition, open_edition):
    response = client.get(programme_url("nl"))
    switch = element(response, "nav", "edition-switch")
    assert f'href="?editie={completed_edition.id}#programma"' in switch
    assert "13 januari 2021" in plain(switch)
    assert written_date(open_edition.start_date, "nl") in plain(switch)


def test_draft_editions_stay_hidden_from_visitors(client, demo, demo_programme):
    draft = factories.EditionFactory(programme=demo_programme, status="draft", start_date=datetime.date(2031, 3, 5))
    page = client.get(programme_url("nl"))
    assert f"?editie={draft.id}" not in page.content.decode()
    assert "5 maart 2031" not in text_of(client.get(programme_url("nl"), {"editie": draft.id}))


@pytest.mark.parametrize("query", ["abc", "999999", "-1", ""])
def test_a_bad_edition_query_falls_back_to_the_featured_edition(client, demo, open_edition, query):
    response = client.get(programme_url("nl"), {"editie": query})
    assert response.status_code == 200
    assert f'datetime="{open_edition.start_date.isoformat()}"' in element(response, "ol", "timeline")


def test_a_full_edition_offers_the_waiting_list(client, demo, open_edition):
    open_edition.capacity = 2
    open_edition.save(update_fields=["capacity"])
    factories.EnrolmentFactory.create_batch(2, edition=open_edition)
    page = text_of(client.get(programme_url("nl")))
    assert "Vol – wachtlijst open" in page
    assert "Aanmelden voor de wachtlijst" in page


def test_programme_without_editions_says_so(client):
    lonely = factories.ProgrammeFactory()
    page = text_of(client.get(programme_url("nl", lonely.slug)))
    assert "Er zijn nog geen data bekend." in page


# Language switch, CSP -------------------------------------------------------------------------


def test_language_switch_keeps_the_page_and_the_edition(client, demo, completed_edition):
    response = client.get(programme_url("nl"), {"editie": completed_edition.id})
    switch = element(response, "nav", "language-switch")
    assert f'href="/en/opleidingen/{content.SLUG}/?editie={completed_edition.id}"' in switch
    back = element(client.get(programme_url("en"), {"editie": completed_edition.id}), "nav", "language-switch")
    assert f'href="/nl/opleidingen/{content.SLUG}/?editie={completed_edition.id}"' in back


@pytest.mark.parametrize("path", ["/nl/", "/en/", "/nl/account/login/", "/en/account/login/"])
def test_language_switch_on_every_public_page(client, demo, path):
    response = client.get(path)
    other = "en" if path.startswith("/nl/") else "nl"
    assert f'href="/{other}/{path[4:]}"' in element(response, "nav", "language-switch")


@pytest.mark.parametrize("path", ["/nl/", "/en/", programme_url("nl"), programme_url("en"), "/nl/account/login/"])
def test_pages_need_no_inline_styles_or_scripts(client, demo, path):
    """The CSP allows neither, so the markup must not depend on them."""
    markup = client.get(path).content.decode()
    assert not re.search(r"\sstyle=", markup)
    assert not re.search(r"<style\b", markup)
    for script in re.findall(r"<script\b[^>]*>", markup):
        assert "src=" in script
    assert not re.search(r"\son[a-z]+=", markup)


@pytest.mark.parametrize(("language", "heading"), [("nl", "Pagina niet gevonden"), ("en", "Page not found")])
def test_unknown_page_answers_404_with_a_way_back(client, language, heading):
    response = client.get(f"/{language}/opleidingen/bestaat-niet/")
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in text_of(response)
    assert f"/{language}/" in hrefs(response)
    assert f'<html lang="{language}">' in response.content.decode()
