"""P1: a page costs the same number of queries with little data as with a lot, and at most 10."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.catalog.models import Programme
from leergang.demo import content
from tests import factories

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
PROGRAMME_PAGE = f"/nl/opleidingen/{content.SLUG}/"


def add_lots_of_data(programme: Programme) -> None:
    """Many programmes, and many editions of the demo programme, each with sessions and participants."""
    for other in factories.ProgrammeFactory.create_batch(25):
        factories.LearningGoalFactory.create_batch(2, programme=other)
        factories.EditionFactory(programme=other)
    teachers = factories.TeacherFactory.create_batch(4)
    for teacher_order, teacher in enumerate(teachers, start=10):
        programme.teacher_links.create(teacher=teacher, order=teacher_order)
    factories.LearningGoalFactory.create_batch(4, programme=programme)
    for index in range(30):
        status = ("open", "running", "completed", "draft")[index % 4]
        edition = factories.EditionFactory(
            programme=programme, status=status, start_date=datetime.date(2022, 1, 5) + datetime.timedelta(days=7 * index)
        )
        for number in range(1, 8):
            factories.SessionFactory(edition=edition, number=number)
        factories.EnrolmentFactory.create_batch(8, edition=edition)


def count_queries(client, path: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


def pin(client, django_assert_max_num_queries, django_assert_num_queries, paths, grow):
    """Count each page's queries on the small set, grow the data, and require the same counts."""
    small = {}
    for path, params in paths:
        with django_assert_max_num_queries(MAX_QUERIES) as captured:
            assert client.get(path, params).status_code == 200
        small[(path, tuple(params.items()))] = len(captured)
    grow()
    for path, params in paths:
        with django_assert_num_queries(small[(path, tuple(params.items()))]):
            assert client.get(path, params).status_code == 200
    return small


@pytest.mark.parametrize("language", ["nl", "en"])
def test_home_query_count_does_not_grow(client, demo, language, django_assert_max_num_queries, django_assert_num_queries):
    programme = Programme.objects.get(slug=content.SLUG)
    pin(
        client,
        django_assert_max_num_queries,
        django_assert_num_queries,
        [(f"/{language}/", {})],
        lambda: add_lots_of_data(programme),
    )


def test_programme_page_query_count_does_not_grow(client, demo, django_assert_max_num_queries, django_assert_num_queries):
    programme = Programme.objects.get(slug=content.SLUG)
    first = programme.editions.order_by("start_date").first()
    paths = [
        (PROGRAMME_PAGE, {}),
        (PROGRAMME_PAGE.replace("/nl/", "/en/"), {}),
        (PROGRAMME_PAGE, {"editie": str(first.id)}),
    ]
    pin(client, django_assert_max_num_queries, django_assert_num_queries, paths, lambda: add_lots_of_data(programme))


def test_programme_page_query_count_for_the_programme_office(
    client, demo, coordinator, django_assert_max_num_queries, django_assert_num_queries
):
    """Logged in (session and user lookups included) and seeing draft editions too."""
    client.force_login(coordinator)
    programme = Programme.objects.get(slug=content.SLUG)
    pin(
        client,
        django_assert_max_num_queries,
        django_assert_num_queries,
        [(PROGRAMME_PAGE, {}), ("/nl/", {})],
        lambda: add_lots_of_data(programme),
    )


def test_the_counts_are_small(client, demo):
    assert count_queries(client, "/nl/") <= 2
    assert count_queries(client, PROGRAMME_PAGE) <= 7
