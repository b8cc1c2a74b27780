"""The pages point people to the feeds: the dashboard to the private one, the programme page to the edition's."""

import html
import re

import pytest

from leergang.catalog.models import Edition
from leergang.demo import content
from tests import factories

pytestmark = pytest.mark.django_db


def links(response) -> dict[str, str]:
    """href -> link text (tags dropped, whitespace collapsed)."""
    found = re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', response.content.decode(), re.S)
    return {html.unescape(href): " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) for href, text in found}


def test_dashboard_links_each_active_enrolment_to_the_private_feed(client, enrolled_person):
    client.force_login(enrolled_person["person"])
    response = client.get("/en/account/")
    assert response.status_code == 200
    found = links(response)
    for name in ("first", "second"):
        path = f"/kalender/{enrolled_person[name].calendar_token}.ics"
        assert found[f"webcal://testserver{path}"].startswith("Add to your calendar")
        assert f"http://testserver{path}" in found
    assert enrolled_person["cancelled"].calendar_token not in response.content.decode()
    assert "style=" not in response.content.decode() and "<script>" not in response.content.decode()


def test_dashboard_link_works_without_login(client, enrolled_person):
    client.force_login(enrolled_person["person"])
    feed = next(href for href in links(client.get("/nl/account/")) if href.startswith("http://testserver/kalender/"))
    client.logout()
    response = client.get(feed.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_dashboard_without_enrolments_has_no_calendar_link(client, participant):
    client.force_login(participant)
    assert "/kalender/" not in client.get("/nl/account/").content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_programme_page_links_to_the_edition_feed(client, demo, language):
    edition = Edition.objects.get(programme__slug=content.SLUG, status="open")
    response = client.get(f"/{language}/opleidingen/{content.SLUG}/")
    path = f"/api/v1/editions/{edition.id}/calendar.ics"
    found = links(response)
    assert f"webcal://testserver{path}" in found
    assert f"http://testserver{path}" in found
    assert client.get(path).status_code == 200


def test_programme_page_of_a_draft_edition_has_no_feed_link(client, coordinator):
    draft = factories.EditionFactory(status="draft")
    factories.SessionFactory(edition=draft, number=1)
    client.force_login(coordinator)
    response = client.get(f"/nl/opleidingen/{draft.programme.slug}/?editie={draft.id}")
    assert response.status_code == 200
    assert "13 januari 2027" in response.content.decode()  # the draft is the edition shown
    assert "calendar.ics" not in response.content.decode()
