"""The schedule page costs the same number of queries for 7 sessions as for 20 with many
participants, and at most 10; the same holds for the htmx endpoints and the dashboard's links."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.scheduling import rules, services
from tests import factories

from .conftest import HTMX, form_data, page_url, stored_rows

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


def grow(edition) -> None:
    """From 7 to 20 sessions (valid dates), with parts, and 40 enrolled participants."""
    dates = rules.plan(edition.start_date, 20, services.schedule_rules(edition))
    for number, day in enumerate(dates[7:], start=8):
        session = factories.SessionFactory(edition=edition, number=number, date=day)
        session.parts.create(title_nl="Deel", title_en="Part")
    factories.EnrolmentFactory.create_batch(40, edition=edition)
    assert edition.sessions.count() == 20


def queries(client, method: str, path: str, data=None, **extra) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data, **extra)
    assert response.status_code in (200, 302), response.status_code
    return len(captured)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_page_costs_the_same_for_7_and_20_sessions(coordinator_client, edition, language):
    path = page_url(edition.pk, language=language)
    small = queries(coordinator_client, "get", path)
    assert small <= MAX_QUERIES
    grow(edition)
    assert queries(coordinator_client, "get", path) == small


@pytest.mark.parametrize("name", ["check", "plan", "rows"])
def test_the_htmx_endpoints_cost_the_same_for_7_and_20_rows(coordinator_client, edition, name):
    path = page_url(edition.pk, name)
    small = queries(coordinator_client, "post", path, form_data(stored_rows(edition), first_date="2027-09-01", add="1"), **HTMX)
    assert small <= MAX_QUERIES
    grow(edition)
    assert (
        queries(coordinator_client, "post", path, form_data(stored_rows(edition), first_date="2027-09-01", add="1"), **HTMX)
        == small
    )


def test_the_dashboard_costs_the_same_with_many_editions(coordinator_client, edition):
    small = queries(coordinator_client, "get", "/nl/account/")
    assert small <= MAX_QUERIES
    for index in range(12):
        programme = factories.ProgrammeFactory()
        for offset in range(3):
            factories.EditionFactory(
                programme=programme, start_date=datetime.date(2027, 1, 6) + datetime.timedelta(days=7 * (index + offset))
            )
    assert queries(coordinator_client, "get", "/nl/account/") == small
