"""Both feeds cost a fixed number of queries: the same for one session as for many editions' worth."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.catalog.models import SessionPart
from tests import factories

pytestmark = pytest.mark.django_db

# Edition, its sessions, their parts (with teachers). A token adds its own lookup.
EDITION_FEED_QUERIES = 3
# The enrolments (with participant, edition, programme and place), their sessions, their parts.
PRIVATE_FEED_QUERIES = 3


def edition_with(sessions: int, parts: int):
    edition = factories.EditionFactory(room=factories.RoomFactory(), location="")
    teacher = factories.TeacherFactory()
    for number in range(1, sessions + 1):
        session = factories.SessionFactory(edition=edition, number=number)
        for order in range(parts):
            SessionPart.objects.create(session=session, order=order, title_nl=f"Deel {order}", teacher=teacher)
    factories.EnrolmentFactory.create_batch(3, edition=edition)
    return edition


def queries(make_request) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = make_request()
    assert response.status_code == 200, response.content[:300]
    return len(captured), response.content


@pytest.mark.parametrize("who", ["anonymous", "coordinator"])
def test_edition_feed(client, bearer, coordinator, django_assert_num_queries, who):
    headers = bearer(coordinator) if who == "coordinator" else {}
    small, large = edition_with(sessions=1, parts=0), edition_with(sessions=12, parts=3)
    counts = {}
    for size, edition in (("small", small), ("large", large)):
        counts[size], body = queries(lambda e=edition: client.get(f"/api/v1/editions/{e.id}/calendar.ics", **headers))
        assert body.count(b"BEGIN:VEVENT") == edition.sessions.count()
    assert counts["small"] == counts["large"], counts
    if who == "anonymous":
        assert counts["large"] == EDITION_FEED_QUERIES
    with django_assert_num_queries(counts["large"]):
        client.get(f"/api/v1/editions/{large.id}/calendar.ics", **headers)


def test_private_feed(client, django_assert_num_queries):
    one = factories.EnrolmentFactory(edition=edition_with(sessions=1, parts=0))
    many_person = factories.UserFactory()
    many = [factories.EnrolmentFactory(participant=many_person, edition=edition_with(sessions=7, parts=2)) for _ in range(4)]
    factories.EnrolmentFactory(participant=many_person, edition=edition_with(sessions=3, parts=1), status="cancelled")
    many[0].edition.start_date = datetime.date(2030, 1, 1)
    many[0].edition.save()

    small, body = queries(lambda: client.get(f"/kalender/{one.calendar_token}.ics"))
    assert body.count(b"BEGIN:VEVENT") == 1
    large, body = queries(lambda: client.get(f"/kalender/{many[0].calendar_token}.ics"))
    assert body.count(b"BEGIN:VEVENT") == 28
    assert small == large == PRIVATE_FEED_QUERIES
    with django_assert_num_queries(PRIVATE_FEED_QUERIES):
        client.get(f"/kalender/{many[-1].calendar_token}.ics")


def test_unknown_token_costs_one_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/kalender/nothing-here.ics").status_code == 404
