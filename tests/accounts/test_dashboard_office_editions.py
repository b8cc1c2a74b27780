"""The programme office's overview shows the editions it works on (issue 9): drafts, open and running
editions and those completed in the past three months, not ten years of history; each programme with older
editions links to the archive of all its editions. The number of queries does not grow with the
number of programmes or editions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from leergang.catalog import selectors
from leergang.catalog.models import Edition, EditionStatus, Programme
from leergang.demo import content
from tests import factories

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/account/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def edition_with_sessions(programme, *, start: datetime.date, status: str, sessions: int = 7) -> Edition:
    """An edition with a session every four weeks from `start` (the last one is the closing session)."""
    edition = factories.EditionFactory(programme=programme, start_date=start, status=status)
    for number in range(1, sessions + 1):
        factories.SessionFactory(
            edition=edition,
            number=number,
            kind="closing" if number == sessions else "content",
            date=start + datetime.timedelta(days=28 * (number - 1)),
        )
    return edition


def inbox_link(edition: Edition) -> str:
    with translation.override("en"):
        return f'href="{reverse("inbox:edition", kwargs={"edition_id": edition.pk})}"'


@pytest.fixture
def office(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def history(demo):
    """The demo's programme with, besides its own editions, one of ten years ago, one that ended 400
    days ago, one 120 days ago, one that ended two months ago and a draft."""
    programme = Programme.objects.get(slug=content.PROGRAMME["slug"])
    half_year = 28 * 6
    return {
        "programme": programme,
        "ten_years": edition_with_sessions(programme, start=days_ago(3650), status=EditionStatus.COMPLETED),
        "ended_400_days": edition_with_sessions(programme, start=days_ago(400 + half_year), status=EditionStatus.COMPLETED),
        "ended_60_days": edition_with_sessions(programme, start=days_ago(60 + half_year), status=EditionStatus.COMPLETED),
        "ended_120_days": edition_with_sessions(programme, start=days_ago(120 + half_year), status=EditionStatus.COMPLETED),
        "draft": edition_with_sessions(programme, start=days_ago(-200), status=EditionStatus.DRAFT),
    }


def test_the_overview_shows_current_editions_and_not_old_ones(office, history):
    page = office.get(DASHBOARD).content.decode()
    for key in ("ended_60_days", "draft"):
        assert inbox_link(history[key]) in page, key
    for edition in Edition.objects.filter(programme=history["programme"], status__in=["open", "running"]):
        assert inbox_link(edition) in page, edition
    for key in ("ten_years", "ended_400_days", "ended_120_days"):
        assert inbox_link(history[key]) not in page, key


def test_each_programme_with_older_editions_links_to_its_archive(office, history):
    programme = history["programme"]
    page = office.get(DASHBOARD).content.decode()
    total = Edition.objects.filter(programme=programme).count()
    assert f'href="/en/coordinatie/edities/?programma={programme.slug}">All editions ({total})' in page
    assert 'href="/en/coordinatie/edities/">' in page  # and one link to the whole archive


def test_a_programme_whose_editions_are_all_current_has_no_archive_link(office, demo):
    programme = factories.ProgrammeFactory(slug="nieuw-programma")
    edition_with_sessions(programme, start=days_ago(-30), status=EditionStatus.OPEN)
    page = office.get(DASHBOARD).content.decode()
    assert "?programma=nieuw-programma" not in page


def test_the_cutoff_is_the_last_session_not_the_start(history):
    """An edition that started long ago but ended within the last three months is still current; one
    without sessions counts from its start."""
    programme = history["programme"]
    long_one = edition_with_sessions(programme, start=days_ago(900), status=EditionStatus.COMPLETED, sessions=30)
    no_sessions_recent = factories.EditionFactory(programme=programme, start_date=days_ago(80), status=EditionStatus.COMPLETED)
    no_sessions_old = factories.EditionFactory(programme=programme, start_date=days_ago(100), status=EditionStatus.COMPLETED)
    coordinator = factories.CoordinatorFactory()
    current = set(selectors.current_editions(coordinator).values_list("pk", flat=True))
    assert long_one.pk in current  # its last session was 900 - 29 * 28 = 88 days ago
    assert no_sessions_recent.pk in current
    assert no_sessions_old.pk not in current
    assert history["ended_400_days"].pk not in current


def test_the_overview_is_only_for_the_office_in_this_form(client, history, participant):
    client.force_login(participant)
    page = client.get(DASHBOARD).content.decode()
    assert "/coordinatie/edities/" not in page


def test_the_number_of_queries_does_not_grow_with_programmes_and_editions(office, history):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(DASHBOARD).status_code == 200
        return len(queries)

    before = count()
    for index in range(4):
        programme = factories.ProgrammeFactory(slug=f"extra-{index}")
        for year in range(1, 6):
            edition_with_sessions(programme, start=days_ago(365 * year), status=EditionStatus.COMPLETED, sessions=3)
        edition_with_sessions(programme, start=days_ago(-60), status=EditionStatus.OPEN, sessions=3)
        running = edition_with_sessions(programme, start=days_ago(30), status=EditionStatus.RUNNING, sessions=3)
        factories.EnrolmentFactory(edition=running)
    after = count()
    assert before == after
    assert after <= 10
