"""What the hours page costs (P2): the edition's sessions are read once (the entries take theirs from
that list, not from a join), and the page's queries are pinned for the office and for a teacher."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.learning import timelog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(edition):
    return [factories.SessionFactory(edition=edition, number=n) for n in range(1, 4)]


@pytest.fixture
def logged(enrolment, participant, sessions):
    today = timelog.today()
    for n, session in enumerate(sessions):
        timelog.log_time(
            actor=participant,
            enrolment_id=enrolment.pk,
            kind="preparation",
            session_id=session.pk,
            day=today - datetime.timedelta(days=n),
            hours="1",
        )
    timelog.log_time(actor=participant, enrolment_id=enrolment.pk, kind="case", session_id=None, day=today, hours="2")


def _page_queries(client, enrolment) -> tuple[str, list[str]]:
    with translation.override("en"):
        address = reverse("timelog:enrolment", kwargs={"enrolment_id": enrolment.pk})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured]


def test_the_office_sees_the_hours_in_six_queries(client, coordinator, enrolment, logged):
    client.force_login(coordinator)
    text, queries = _page_queries(client, enrolment)
    # login session, user, the enrolment (participant, edition, programme), the sessions, the sums,
    # the entries
    assert len(queries) == 6
    entries = [sql for sql in queries if 'FROM "learning_timeentry"' in sql and "SUM(" not in sql]
    assert len(entries) == 1 and "catalog_session" not in entries[0]
    # The entries still name their sessions.
    assert "Preparation for session 1" in text and "Preparation for session 3" in text and "Own case and paper" in text


def test_a_teacher_costs_one_query_more(client, teacher_user, enrolment, logged):
    client.force_login(teacher_user)
    assert len(_page_queries(client, enrolment)[1]) == 7


def test_time_entries_take_their_sessions_from_the_list_in_hand(enrolment, sessions, logged, django_assert_num_queries):
    with django_assert_num_queries(1):
        entries = timelog.time_entries(enrolment.pk, sessions={session.pk: session for session in sessions})
        labels = sorted(entry.session.number for entry in entries if entry.session_id)
    assert labels == [1, 2, 3]
    assert [entry.pk for entry in entries] == [entry.pk for entry in timelog.time_entries(enrolment.pk)]
