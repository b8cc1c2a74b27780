"""PUT /sessions/{session_id}/attendance/{enrolment_id} (M17): the contract's shapes and statuses."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from leergang.attendance.models import Attendance
from leergang.catalog.models import ProgrammeTeacher
from leergang.core.models import AuditEntry
from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def course(db):
    """An edition with a session today and one in a week; a teacher and two participants."""
    edition = factories.EditionFactory()
    teacher = factories.TeacherUserFactory(email="docent@example.org")
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=teacher))
    return {
        "edition": edition,
        "today": factories.SessionFactory(edition=edition, number=1, date=day(0)),
        "ahead": factories.SessionFactory(edition=edition, number=2, date=day(7)),
        "teacher": teacher,
        "anna": factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="anna@example.org")),
        "bram": factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="bram@example.org")),
    }


def put(client, headers, session, enrolment, body, **extra):
    session_id = getattr(session, "pk", session)
    enrolment_id = getattr(enrolment, "pk", enrolment)
    return client.put(
        f"{API}/sessions/{session_id}/attendance/{enrolment_id}", body, content_type="application/json", **headers, **extra
    )


def stored():
    return list(Attendance.objects.order_by("id").values()), AuditEntry.objects.count()


def test_a_teacher_records_present_with_the_contracts_shape(client, bearer, course):
    response = put(client, bearer(course["teacher"]), course["today"], course["anna"], {"status": "present"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"session", "enrolment", "status", "note", "recorded_at"}
    assert (body["session"], body["enrolment"], body["status"], body["note"]) == (
        course["today"].pk,
        course["anna"].pk,
        "present",
        "",
    )
    row = Attendance.objects.get()
    assert abs(parse_datetime(body["recorded_at"]) - row.recorded_at) < datetime.timedelta(milliseconds=1)
    assert row.recorded_by == course["teacher"]
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1


def test_the_coordinator_records_excused_ahead_with_a_note(client, bearer, coordinator, course):
    response = put(client, bearer(coordinator), course["ahead"], course["bram"], {"status": "excused", "note": "Ziek"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["note"]) == ("excused", "Ziek")


@pytest.mark.parametrize("status", ["present", "absent"])
def test_409_before_the_sessions_date_with_nothing_stored(client, bearer, course, status):
    teacher = bearer(course["teacher"])
    before = stored()
    body = assert_error(put(client, teacher, course["ahead"], course["anna"], {"status": status}), 409)
    assert "vanaf de dag van de bijeenkomst" in body["detail"]  # Dutch unless the client asks otherwise
    assert stored() == before


def test_the_message_follows_accept_language(client, bearer, course):
    response = put(
        client, bearer(course["teacher"]), course["ahead"], course["anna"], {"status": "present"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Present and absent can be recorded from the day of the session" in assert_error(response, 409)["detail"]


def test_a_participant_of_the_edition_gets_403(client, bearer, course):
    anna = bearer(course["anna"].participant)
    before = stored()
    assert_error(put(client, anna, course["today"], course["anna"], {"status": "present"}), 403)
    assert stored() == before


def test_everyone_else_gets_404_alike_for_what_does_not_exist(client, bearer, course):
    other_teacher = factories.TeacherUserFactory(email="elders@example.org")
    outsider = factories.EnrolmentFactory(participant=factories.UserFactory(email="x@example.org")).participant
    stranger = factories.EnrolmentFactory()  # an enrolment of another edition
    headers = [bearer(other_teacher), bearer(outsider)]
    teacher = bearer(course["teacher"])
    before = stored()
    for header in headers:
        assert_error(put(client, header, course["today"], course["anna"], {"status": "present"}), 404)
    assert_error(put(client, teacher, 999999, course["anna"], {"status": "present"}), 404)
    assert_error(put(client, teacher, course["today"], 999999, {"status": "present"}), 404)
    assert_error(put(client, teacher, course["today"], stranger, {"status": "present"}), 404)
    assert stored() == before


def test_401_without_a_valid_token(client, course):
    assert_error(put(client, {}, course["today"], course["anna"], {"status": "present"}), 401)
    assert_error(put(client, {"HTTP_AUTHORIZATION": "Bearer nope"}, course["today"], course["anna"], {"status": "present"}), 401)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "late"}, "status"),
        ({}, "status"),
        ({"status": None}, "status"),
        ({"status": 1}, "status"),
        ({"status": "present", "note": "x" * 301}, "note"),
        ({"status": "present", "note": "ziek\u0000"}, "note"),
    ],
)
def test_422_for_bad_input_changes_nothing(client, bearer, course, body, field):
    teacher = bearer(course["teacher"])
    before = stored()
    assert_error(put(client, teacher, course["today"], course["anna"], body), 422, field)
    assert stored() == before


@pytest.mark.parametrize("raw", ["status=present", "[1]"])
def test_400_for_a_body_that_is_not_a_json_object(client, bearer, course, raw):
    response = client.put(
        f"{API}/sessions/{course['today'].pk}/attendance/{course['anna'].pk}",
        raw,
        content_type="application/json",
        **bearer(course["teacher"]),
    )
    assert_error(response, 400)
    assert not Attendance.objects.exists()


def test_409_for_a_cancelled_enrolment(client, bearer, course):
    course["bram"].status = "cancelled"
    course["bram"].save()
    assert_error(put(client, bearer(course["teacher"]), course["today"], course["bram"], {"status": "present"}), 409)
    assert not Attendance.objects.exists()


def test_the_same_status_again_is_200_and_not_audited_twice(client, bearer, course):
    teacher = bearer(course["teacher"])
    first = put(client, teacher, course["today"], course["anna"], {"status": "absent"}).json()
    again = put(client, teacher, course["today"], course["anna"], {"status": "absent"})
    assert again.status_code == 200 and again.json() == first
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1


def test_the_openapi_document_describes_both_endpoints(client):
    schema = client.get(f"{API}/openapi.json").json()
    put_operation = schema["paths"]["/api/v1/sessions/{session_id}/attendance/{enrolment_id}"]["put"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(put_operation["responses"])
    csv_operation = schema["paths"]["/api/v1/editions/{edition_id}/attendance.csv"]["get"]
    assert {"200", "401", "403", "404"} <= set(csv_operation["responses"])
    assert "text/csv" in csv_operation["responses"]["200"]["content"]
    for operation in (put_operation, csv_operation):
        assert operation["security"] and {} not in operation["security"]
