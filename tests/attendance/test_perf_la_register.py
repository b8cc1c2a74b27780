"""What the register costs on a teacher's phone (P2): a fixed, pinned number of queries, the teacher
asked once in one query, and the attendance rows read without the joins the model's default order
brings (session, edition, enrolment, participant), since they are keyed by enrolment anyway."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from .helpers import enrol, excuse

pytestmark = pytest.mark.django_db


def register_url(session):
    with translation.override("en"):
        return reverse("attendance:register", kwargs={"session_id": session.pk})


@pytest.fixture
def excused_ten(today_session, edition):
    for n in range(10):
        excuse(today_session, enrol(edition, f"p{n}@example.org", dietary=None))


def _page_queries(client, session) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(register_url(session))
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def test_the_office_reads_the_register_in_five_queries(client, coordinator, past, excused_ten):
    client.force_login(coordinator)
    # login session, user, the session with its edition and programme, the enrolled participants,
    # their attendance (no check-in code: the session is not today)
    assert len(_page_queries(client, past)) == 5


def test_a_teacher_costs_one_query_more(client, teacher_user, past, excused_ten):
    client.force_login(teacher_user)
    assert len(_page_queries(client, past)) == 6


def test_the_attendance_rows_are_read_without_joins(client, coordinator, today_session, excused_ten):
    client.force_login(coordinator)
    queries = _page_queries(client, today_session)
    attendance = [sql for sql in queries if 'FROM "attendance_attendance"' in sql]
    assert len(attendance) == 1
    assert "JOIN" not in attendance[0] and "ORDER BY" not in attendance[0]
