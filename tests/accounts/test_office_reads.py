"""The office overview's reads written as SQL (leergang.accounts.office_reads) pick what the
catalogue's read for the overview picks (catalog.selectors.programmes_with_current_editions): the
same programmes in the same order with the same fields and edition counts, the same current editions
(around the three-month cutoff, with and without sessions, drafts), and per edition the applications
still to be handled as the ORM counts them."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.accounts import office_reads, permissions
from leergang.catalog import selectors
from leergang.enrolment.models import Application
from tests import factories
from tests.inbox.conftest import apply

pytestmark = pytest.mark.django_db

PROGRAMME_FIELDS = ("pk", *selectors.OVERVIEW_PROGRAMME_FIELDS, "title", "edition_count")


def described(programmes) -> list:
    return [
        (
            tuple(getattr(programme, name) for name in PROGRAMME_FIELDS),
            [(e.pk, e.programme.pk, e.start_date, e.status) for e in programme.current_editions],
        )
        for programme in programmes
    ]


@pytest.fixture
def catalogue():
    """Programmes (two with the same title, one unpublished, one without editions) with editions on
    either side of the cutoff: completed ones that started or had a session just before, on or after
    it, with and without sessions, a draft, open and running ones; applications in several statuses."""
    today = timezone.localdate()
    cutoff = today - datetime.timedelta(days=selectors.RECENTLY_COMPLETED_DAYS)
    busy = factories.ProgrammeFactory(title_nl="Besturen", award_min_content_sessions=4, award_requires_paper=False)
    quiet = factories.ProgrammeFactory(title_nl="Adviseren", published=False, title_en="")
    factories.ProgrammeFactory(title_nl="Besturen")  # the same title, no editions
    factories.ProgrammeFactory(title_nl="Coachen", award_requires_presentation=True)
    for days, status in (
        (-30, "open"),
        (0, "draft"),
        (-500, "completed"),
        (-200, "completed"),
        (-100, "running"),
        (0, "completed"),
    ):
        edition = factories.EditionFactory(programme=busy, status=status, start_date=cutoff + datetime.timedelta(days=days))
        factories.SessionFactory(edition=edition, number=1, date=edition.start_date)
    long_ago = cutoff - datetime.timedelta(days=400)
    for last in (-1, 0, 1):  # the last session the day before, on or after the cutoff
        edition = factories.EditionFactory(programme=quiet, status="completed", start_date=long_ago)
        factories.SessionFactory(edition=edition, number=1, date=long_ago)
        factories.SessionFactory(edition=edition, number=2, date=cutoff + datetime.timedelta(days=last))
    factories.EditionFactory(programme=quiet, status="completed", start_date=cutoff)  # no sessions, on the cutoff
    factories.EditionFactory(programme=quiet, status="completed", start_date=cutoff - datetime.timedelta(days=1))
    factories.EditionFactory(programme=quiet, status="draft", start_date=long_ago)
    open_one = factories.EditionFactory(programme=busy, status="open", start_date=today + datetime.timedelta(days=60))
    for number in range(4):
        apply(open_one, f"a{number}@example.org")
    Application.objects.filter(email="a0@example.org").update(status="waitlisted")
    moved = Application.objects.filter(email="a1@example.org")
    moved.update(edition=busy.editions.filter(status="running").get())  # only open editions take applications
    return busy


def test_the_reads_agree_with_the_catalogues(catalogue):
    coordinator = factories.CoordinatorFactory()
    expected = selectors.programmes_with_current_editions(coordinator)
    with CaptureQueriesContext(connection) as captured:
        found = office_reads.programmes_with_current_editions(coordinator)
    assert len(captured) == 2
    assert described(found) == described(expected)
    assert [p.title_nl for p in found][:3] == ["Adviseren", "Besturen", "Besturen"]
    assert len(found[0].current_editions) == 4 and len(found[1].current_editions) + len(found[2].current_editions) == 5
    submitted = Application.objects.filter(status="submitted").values("edition")
    counted = dict(submitted.annotate(n=Count("pk")).values_list("edition", "n"))
    editions = [edition for programme in found for edition in programme.current_editions]
    assert {e.pk: e.new_applications for e in editions if e.new_applications} == counted
    assert sorted(counted.values()) == [1, 2]
    assert all(e.programme is p and e.out_of_reach == 0 for p in found for e in p.current_editions)


def test_without_drafts_the_counts_and_editions_leave_them_out(catalogue, monkeypatch):
    """Should the office one day not see drafts, both reads leave them out alike."""
    coordinator = factories.CoordinatorFactory()
    monkeypatch.setattr(permissions, "can_see_draft_editions", lambda user: False)
    found = office_reads.programmes_with_current_editions(coordinator)
    assert described(found) == described(selectors.programmes_with_current_editions(coordinator))
    assert all(e.status != "draft" for p in found for e in p.current_editions)


def test_the_cutoff_follows_the_day_asked(catalogue):
    coordinator = factories.CoordinatorFactory()
    for days in (-200, 0, 150):
        day = timezone.localdate() + datetime.timedelta(days=days)
        found = office_reads.programmes_with_current_editions(coordinator, day)
        assert described(found) == described(selectors.programmes_with_current_editions(coordinator, day))
