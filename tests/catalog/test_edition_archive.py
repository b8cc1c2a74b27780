"""The programme office's archive of all editions (issue 9), /<language>/coordinatie/edities/: every
edition, newest first, a page at a time, narrowed to one programme or status; a junk or out-of-range
page number shows a page, never an error; the page links are a labelled nav with the current page
marked; a fixed number of queries; for everybody but the office the page does not exist."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.catalog import views as catalog_views
from leergang.catalog.models import Edition, EditionStatus
from leergang.demo import content
from tests import factories

pytestmark = pytest.mark.django_db

ARCHIVE = "/{lang}/coordinatie/edities/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-edition="([0-9]+)"', response.content.decode())]


def newest_first(editions) -> list[int]:
    return [e.pk for e in sorted(editions, key=lambda e: (e.start_date, e.pk), reverse=True)]


def pagination(response) -> str:
    found = re.search(r'<nav class="status-filter pagination"[^>]*>.*?</nav>', response.content.decode(), re.S)
    return found.group(0) if found else ""


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(catalog_views, "ARCHIVE_PAGE_SIZE", 4)
    return 4


@pytest.fixture
def ten_years(demo):
    """Two programmes, each with an edition a year for ten years (completed) and one still to come."""
    made = {}
    for slug in ("archief-een", "archief-twee"):
        programme = factories.ProgrammeFactory(slug=slug)
        made[slug] = [
            factories.EditionFactory(programme=programme, start_date=days_ago(365 * years + len(made)), status="completed")
            for years in range(1, 11)
        ] + [factories.EditionFactory(programme=programme, start_date=days_ago(-90), status="open")]
    return made


def test_the_archive_lists_a_ten_year_old_edition(office, ten_years):
    oldest = ten_years["archief-een"][9]
    response = office.get(ARCHIVE.format(lang="nl"), {"programma": "archief-een"})
    assert response.status_code == 200
    assert shown(response) == newest_first(ten_years["archief-een"])
    assert oldest.pk in shown(response)


def test_the_archive_pages_through_every_edition_newest_first(office, ten_years):
    every = newest_first(Edition.objects.all())
    page_size = catalog_views.ARCHIVE_PAGE_SIZE
    pages = -(-len(every) // page_size)
    seen = []
    for number in range(1, pages + 1):
        seen += shown(office.get(ARCHIVE.format(lang="en"), {"page": number}))
    assert seen == every


def test_the_filters_hold_across_pages(office, ten_years, small_pages):
    first = office.get(ARCHIVE.format(lang="en"), {"programma": "archief-twee", "status": "completed"})
    nav = pagination(first)
    assert 'aria-label="Pages of editions"' in nav
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav) == [
        "/en/coordinatie/edities/?programma=archief-twee&amp;status=completed"
    ]
    assert "/en/coordinatie/edities/?programma=archief-twee&amp;status=completed&amp;page=3" in nav
    seen = []
    for number in (1, 2, 3):
        seen += shown(office.get(ARCHIVE.format(lang="en"), {"programma": "archief-twee", "status": "completed", "page": number}))
    completed = [e for e in ten_years["archief-twee"] if e.status == EditionStatus.COMPLETED]
    assert seen == newest_first(completed)
    assert "10 editions" in first.content.decode()


@pytest.mark.parametrize("page", ["abc", "", "0", "-3", "1e9", "999", "%00", "99999999999999999999999"])
def test_a_junk_or_out_of_range_page_number_shows_a_page(office, ten_years, small_pages, page):
    every = newest_first(ten_years["archief-een"])
    response = office.get(ARCHIVE.format(lang="en") + f"?programma=archief-een&page={page}")
    assert response.status_code == 200
    assert shown(response) in (every[:4], every[8:])


@pytest.mark.parametrize("params", [{"programma": "bestaat-niet"}, {"status": "weg"}, {"programma": "\x00"}])
def test_an_unknown_filter_shows_everything(office, ten_years, params):
    response = office.get(ARCHIVE.format(lang="en"), params)
    assert response.status_code == 200
    assert len(shown(response)) == min(Edition.objects.count(), catalog_views.ARCHIVE_PAGE_SIZE)


def test_the_programmes_to_choose_from(office, ten_years):
    page = office.get(ARCHIVE.format(lang="en"), {"programma": "archief-een"}).content.decode()
    assert '<option value="archief-een" selected>' in page
    assert f'<option value="{content.PROGRAMME["slug"]}">' in page


def test_the_number_of_queries_does_not_grow_with_the_editions(office, demo):
    def count(**params) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(ARCHIVE.format(lang="en"), params).status_code == 200
        return len(queries)

    slug = content.PROGRAMME["slug"]
    small = [count(), count(programma=slug, page=2), count(status="completed")]
    for index in range(3):
        programme = factories.ProgrammeFactory(slug=f"extra-{index}")
        for years in range(30):
            factories.EditionFactory(programme=programme, start_date=days_ago(120 * years), status="completed")
    large = [count(), count(programma=slug, page=2), count(status="completed")]
    assert small == large
    assert max(large) <= 10


def test_for_everybody_else_the_archive_does_not_exist(client, demo, participant, teacher_user):
    for person in (participant, teacher_user):
        client.force_login(person)
        assert client.get(ARCHIVE.format(lang="nl")).status_code == 404
    client.logout()
    assert client.get(ARCHIVE.format(lang="nl")).status_code in (302, 404)
