"""The programme page reads its list of editions as EditionBrief rows and only the edition it shows
whole (selectors.edition_for_page), its sessions and their parts in one query, and writes the list
of editions with str.format: the list prints exactly what the former rendering printed (format_html
over whole editions), in several states and both languages, and an edition without sessions costs
no sessions query."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from leergang.catalog import edition_lists, selectors, views
from leergang.catalog.models import Edition, EditionStatus
from leergang.enrolment.selectors import with_seats_taken
from tests import factories

pytestmark = pytest.mark.django_db


def former_switch(editions, shown):
    """views._edition_switch as it was, over whole editions (the reference)."""
    full = mark_safe(gettext("Full – waiting list open"))  # noqa: S308
    labels = {value: escape(label) for value, label in EditionStatus.choices}
    items = []
    for other in editions:
        if other.accepts_applications and other.seats_taken >= other.capacity:
            status = full
        else:
            status = labels.get(other.status) or escape(other.status)
        template = views._SWITCH_SHOWN if shown is not None and other.id == shown.id else views._SWITCH_OTHER
        items.append(format_html(template, pk=other.id, date=edition_lists.start_date(other), status=status))
    return mark_safe("\n          ".join(items))  # noqa: S308


@pytest.fixture
def programme(coordinator):
    programme = factories.ProgrammeFactory()
    day = datetime.date(2025, 1, 8)
    for index, status in enumerate(["completed", "running", "open", "open", "draft", "completed"]):
        factories.EditionFactory(
            programme=programme, status=status, start_date=day + datetime.timedelta(days=91 * index), capacity=2
        )
    full = Edition.objects.filter(programme=programme, status="open").order_by("start_date").last()
    factories.EnrolmentFactory.create_batch(2, edition=full)
    return programme


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_list_of_editions_prints_what_it_printed(programme, coordinator, language):
    with translation.override(language):
        briefs = selectors.programme_for_page(user=coordinator, slug=programme.slug).visible_editions
        whole = list(with_seats_taken(Edition.objects.filter(programme=programme)).order_by("start_date", "id"))
        assert [b.id for b in briefs] == [e.id for e in whole]
        assert any(e.seats_taken >= e.capacity and e.accepts_applications for e in whole)  # a full one
        for shown_index in range(len(whole)):
            written = views._edition_switch(briefs, whole[shown_index])
            assert written == former_switch(whole, whole[shown_index])
        assert views._edition_switch(briefs, None) == former_switch(whole, None)
        featured = selectors.featured_edition(briefs, timezone.localdate())
        assert featured.id == selectors.featured_edition(whole, timezone.localdate()).id


def test_the_edition_shown_is_read_whole_with_the_seats_the_list_counted(programme, coordinator):
    briefs = selectors.programme_for_page(user=coordinator, slug=programme.slug).visible_editions
    full = next(b for b in briefs if b.seats_taken == 2)
    page_programme = selectors.programme_for_page(user=coordinator, slug=programme.slug)
    edition = selectors.edition_for_page(page_programme, full)
    assert isinstance(edition, Edition) and edition.pk == full.id and edition.seats_taken == 2
    assert edition.programme is page_programme and edition.fee == Edition.objects.get(pk=full.id).fee
    assert edition.has_sessions is False
    with CaptureQueriesContext(connection) as captured:
        assert selectors.sessions_for_page(edition) == []
    assert len(captured) == 0  # no sessions: no query for them
    factories.SessionFactory(edition=edition)
    edition = selectors.edition_for_page(page_programme, full)
    assert edition.has_sessions is True and len(selectors.sessions_for_page(edition)) == 1


def test_an_edition_without_sessions_costs_no_more_queries(client, programme, coordinator):
    client.force_login(coordinator)
    url = f"/nl/opleidingen/{programme.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "De data van deze editie volgen binnenkort." in response.content.decode()
    # session and user, programme, goals, lead teachers, editions, the edition shown (no sessions query)
    assert len(captured) == 7
