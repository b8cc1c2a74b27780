"""P1: every endpoint runs the same number of SQL queries on a small and a large data set, and at most 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.catalog.models import Edition
from tests import factories

from .conftest import build_catalogue
from .helpers import API

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


# Inside a test every transaction.atomic() becomes SAVEPOINT/RELEASE statements, which the capture
# counts; in production the same block is BEGIN/COMMIT, which no capture counts. P1 is about the
# queries a request really sends, so the test-only savepoint statements are left out.
SAVEPOINT_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def count_queries(make_request, expected_status: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = make_request()
    assert response.status_code == expected_status, response.content[:300]
    return len([q for q in captured.captured_queries if not q["sql"].startswith(SAVEPOINT_STATEMENTS)])


def small_and_large():
    """A small catalogue (1 edition, 1 session, 1 enrolment) and, separately, a large one
    (30 editions x 7 sessions x 2 parts x 10 enrolments, in 3 programmes)."""
    small = build_catalogue(programmes=1, editions=1, sessions=1, enrolments=1)[0]
    large = build_catalogue(programmes=3, editions=30, sessions=7, enrolments=10, parts=2)[0]
    return small, large


def assert_same_and_bounded(counts: dict, django_assert_max_num_queries, make_request):
    assert counts["small"] == counts["large"], counts
    assert counts["large"] <= MAX_QUERIES, counts
    with django_assert_max_num_queries(MAX_QUERIES + 2):  # pinned the pytest-django way too (+ one savepoint pair)
        make_request()


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_programme_detail(client, bearer, coordinator, django_assert_max_num_queries, who):
    headers = bearer(coordinator) if who == "coordinator" else {}
    small, large = small_and_large()
    # A draft the coordinator sees on top of what the public sees.
    for programme in (small, large):
        factories.EditionFactory(programme=programme, status="draft")
    counts = {
        size: count_queries(lambda p=programme: client.get(f"{API}/programmes/{p.slug}", **headers), 200)
        for size, programme in (("small", small), ("large", large))
    }
    assert len(client.get(f"{API}/programmes/{large.slug}", **headers).json()["editions"]) == (31 if who == "coordinator" else 30)
    assert_same_and_bounded(
        counts, django_assert_max_num_queries, lambda: client.get(f"{API}/programmes/{large.slug}", **headers)
    )


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_edition_detail(client, bearer, coordinator, django_assert_max_num_queries, who):
    headers = bearer(coordinator) if who == "coordinator" else {}
    small, large = small_and_large()
    small_edition, large_edition = small.editions.get(), large.editions.last()
    counts = {
        size: count_queries(lambda e=edition: client.get(f"{API}/editions/{e.id}", **headers), 200)
        for size, edition in (("small", small_edition), ("large", large_edition))
    }
    body = client.get(f"{API}/editions/{large_edition.id}", **headers).json()
    assert (len(body["sessions"]), body["seats_taken"], len(body["sessions"][0]["parts"])) == (7, 10, 2)
    assert_same_and_bounded(
        counts, django_assert_max_num_queries, lambda: client.get(f"{API}/editions/{large_edition.id}", **headers)
    )


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_programme_list(client, bearer, coordinator, django_assert_max_num_queries, who):
    headers = bearer(coordinator) if who == "coordinator" else {}
    build_catalogue(programmes=1, editions=1, sessions=1, enrolments=1)
    small = count_queries(lambda: client.get(f"{API}/programmes", **headers), 200)
    build_catalogue(programmes=10, editions=3, sessions=7, enrolments=10)
    factories.ProgrammeFactory.create_batch(5, published=False)
    large = count_queries(lambda: client.get(f"{API}/programmes", **headers), 200)
    assert len(client.get(f"{API}/programmes", **headers).json()) == (16 if who == "coordinator" else 11)
    assert_same_and_bounded(
        {"small": small, "large": large}, django_assert_max_num_queries, lambda: client.get(f"{API}/programmes", **headers)
    )


def test_create_edition(client, as_coordinator, django_assert_max_num_queries):
    small, large = small_and_large()

    def create(programme):
        body = {"programme": programme.slug, "start_date": "2027-09-01", "capacity": 20, "fee": "2995.00"}
        return lambda: client.post(f"{API}/editions", body, content_type="application/json", **as_coordinator)

    counts = {"small": count_queries(create(small), 201), "large": count_queries(create(large), 201)}
    assert_same_and_bounded(counts, django_assert_max_num_queries, create(large))
    assert Edition.objects.filter(start_date="2027-09-01").count() == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"capacity": 24},
        {"fee": "3100.00", "status": "running"},
        {"programme": "PROGRAMME", "capacity": 24, "end_time": "18:00", "location": "Utrecht"},
        {"capacity": 25},  # no change at all
    ],
    ids=["capacity", "fee and status", "programme and more", "nothing"],
)
def test_change_edition(client, as_coordinator, django_assert_max_num_queries, changes):
    small, large = small_and_large()
    target = factories.ProgrammeFactory()

    def change(edition):
        body = {name: (target.slug if value == "PROGRAMME" else value) for name, value in changes.items()}
        return lambda: client.patch(f"{API}/editions/{edition.id}", body, content_type="application/json", **as_coordinator)

    small_edition, large_edition = small.editions.get(), large.editions.last()
    counts = {"small": count_queries(change(small_edition), 200), "large": count_queries(change(large_edition), 200)}
    assert_same_and_bounded(counts, django_assert_max_num_queries, change(large_edition))
    large_edition.refresh_from_db()
    assert large_edition.capacity == changes.get("capacity", 25)
