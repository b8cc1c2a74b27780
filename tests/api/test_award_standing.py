"""GET /enrolments/{id}/award and the attendance and award of GET /enrolments/{id} (M18): the
contract's shapes, who may see them, the request's language and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.awards import services
from tests.awards.standing_data import (
    attend,
    complete,
    finished_edition,
    participant_in,
    record_presented,
    running_edition,
    teacher_of,
)

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db

AWARD_KEYS = {"award", "final", "criteria", "diploma_reachable", "out_of_reach", "issued"}
SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def award_url(enrolment) -> str:
    return f"{API}/enrolments/{enrolment.pk}/award"


def get(client, url, headers, language="en"):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language, **headers)


@pytest.fixture
def finished():
    return finished_edition()


@pytest.fixture
def graduate(finished):
    return complete(participant_in(finished, "anna@example.org", "Anna", "Jansen"))


def test_a_participant_who_met_every_criterion_of_a_finished_edition_earns_the_diploma(client, bearer, coordinator, graduate):
    response = get(client, award_url(graduate), bearer(coordinator))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == AWARD_KEYS
    assert body["award"] == "diploma" and body["final"] is True
    assert body["criteria"] == [
        {"criterion": "attendance", "met": True, "detail": "Attended 6 of 6 content sessions; 5 are needed."},
        {"criterion": "paper", "met": True, "detail": "The final paper was assessed as sufficient."},
        {"criterion": "presentation", "met": True, "detail": "The paper was presented."},
    ]
    assert body["diploma_reachable"] is True and body["out_of_reach"] is False
    assert body["issued"] is None


@pytest.mark.parametrize(
    ("attended", "paper", "presented", "award", "unmet"),
    [
        (4, "sufficient", True, "certificate", ["attendance"]),
        (5, "insufficient", True, "certificate", ["paper"]),
        (5, "pending", True, "certificate", ["paper"]),
        (5, None, True, "certificate", ["paper"]),
        (6, "sufficient", False, "certificate", ["presentation"]),
        (0, None, None, "none", ["attendance", "paper", "presentation"]),
    ],
)
def test_what_is_missing_decides_between_certificate_and_nothing(
    client, bearer, coordinator, finished, attended, paper, presented, award, unmet
):
    enrolment = complete(participant_in(finished, "ben@example.org"), attended=attended, paper=paper, presented=presented)
    body = get(client, award_url(enrolment), bearer(coordinator)).json()
    assert body["award"] == award and body["final"] is True
    assert [c["criterion"] for c in body["criteria"] if not c["met"]] == unmet


def test_a_cancelled_enrolment_earns_nothing(client, bearer, coordinator, finished):
    enrolment = complete(participant_in(finished, "ben@example.org", status="cancelled"))
    assert get(client, award_url(enrolment), bearer(coordinator)).json()["award"] == "none"


def test_before_the_closing_session_the_award_is_the_standing_so_far_with_the_early_warning(client, bearer, coordinator):
    edition = running_edition(held=3)
    on_course = participant_in(edition, "anna@example.org")
    attend(on_course, ["present", "absent", "present"])
    missed_too_many = participant_in(edition, "ben@example.org", "Ben", "Smit")
    attend(missed_too_many, ["absent", "excused", "present"])
    body = get(client, award_url(on_course), bearer(coordinator)).json()
    assert body["final"] is False and body["award"] == "certificate"
    assert body["diploma_reachable"] is True and body["out_of_reach"] is False
    assert body["criteria"][0]["detail"] == "Attended 2 of 6 content sessions; 5 are needed."
    warned = get(client, award_url(missed_too_many), bearer(coordinator)).json()
    assert warned["final"] is False and warned["diploma_reachable"] is False and warned["out_of_reach"] is True
    assert warned["criteria"][0]["met"] is False
    assert "Too many sessions were missed" in warned["criteria"][0]["detail"]


def test_the_details_are_in_the_requests_language(client, bearer, coordinator, finished):
    enrolment = complete(participant_in(finished, "ben@example.org"), paper=None)
    english = get(client, award_url(enrolment), bearer(coordinator), "en")
    dutch = get(client, award_url(enrolment), bearer(coordinator), "nl")
    default = client.get(award_url(enrolment), **bearer(coordinator))
    assert english["Content-Language"] == "en" and dutch["Content-Language"] == "nl"
    assert english.json()["criteria"][1]["detail"] == "The final paper has not been handed in yet."
    assert dutch.json()["criteria"][1]["detail"] == "De eindopdracht is nog niet ingeleverd."
    assert default.json() == dutch.json()
    # Field names and values never change with the language.
    assert [c["criterion"] for c in dutch.json()["criteria"]] == ["attendance", "paper", "presentation"]
    assert dutch.json()["award"] == english.json()["award"] == "certificate"


def test_who_may_see_where_a_participant_stands(client, bearer, coordinator, teacher_user, finished, graduate):
    """The programme office, the edition's teachers and the participant; 404 for anyone else,
    alike for an enrolment that does not exist; 401 without a valid token."""
    other = participant_in(finished, "other@example.org", "Bram", "Bos")
    lead = teacher_of(finished, "lead@example.org")  # `teacher_user` teaches no programme at all
    elsewhere = teacher_of(finished_edition(), "elsewhere@example.org")
    for url in (award_url(graduate), f"{API}/enrolments/{graduate.pk}"):
        assert get(client, url, bearer(coordinator)).status_code == 200
        assert get(client, url, bearer(lead)).status_code == 200
        assert get(client, url, bearer(graduate.participant)).status_code == 200
        assert_error(get(client, url, bearer(other.participant)), 404)
        assert_error(get(client, url, bearer(elsewhere)), 404)
        assert_error(get(client, url, bearer(teacher_user)), 404)
        assert_error(client.get(url), 401)
        assert_error(client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token"), 401)
    assert_error(get(client, f"{API}/enrolments/999999/award", bearer(coordinator)), 404)
    assert_error(get(client, f"{API}/enrolments/999999", bearer(coordinator)), 404)


def test_the_issued_award_is_named_with_its_links(client, bearer, coordinator, graduate, settings):
    award = services.issue_award(actor=coordinator, enrolment_id=graduate.pk, kind="diploma")
    base = settings.PUBLIC_BASE_URL
    issued = get(client, award_url(graduate), bearer(graduate.participant)).json()["issued"]
    assert issued["code"] == award.code and issued["kind"] == "diploma"
    assert issued["verify_url"] == f"{base}/verify/{award.code}"
    assert issued["pdf_url"] == f"{base}/api/v1/credentials/{award.code}/document.pdf"
    assert issued["credential_url"] == f"{base}/api/v1/credentials/{award.code}/credential.jwt"
    services.revoke_award(actor=coordinator, code=award.code, reason="Issued to the wrong person.")
    assert get(client, award_url(graduate), bearer(graduate.participant)).json()["issued"] is None


def test_the_enrolment_shows_its_recorded_attendance_in_session_order_and_its_award(client, bearer, coordinator, finished):
    enrolment = participant_in(finished, "ben@example.org")
    attend(enrolment, ["present", None, "excused", "absent", "present", "present"], closing="present")
    record_presented(enrolment, True)
    response = get(client, f"{API}/enrolments/{enrolment.pk}", bearer(coordinator))
    assert response.status_code == 200, response.content
    body = response.json()
    sessions = list(finished.sessions.order_by("number"))
    assert body["attendance"] == [
        {"session": sessions[0].pk, "status": "present"},
        {"session": sessions[2].pk, "status": "excused"},
        {"session": sessions[3].pk, "status": "absent"},
        {"session": sessions[4].pk, "status": "present"},
        {"session": sessions[5].pk, "status": "present"},
        {"session": sessions[6].pk, "status": "present"},  # the closing session is listed, though it does not count
    ]
    assert body["paper"] == {"status": "missing", "submitted_at": None} and body["presented"] is True
    assert body["award"] == get(client, award_url(enrolment), bearer(coordinator)).json()
    assert body["award"]["award"] == "certificate"
    assert body["award"]["criteria"][0]["detail"].startswith("Attended 3 of 6 content sessions; 5 are needed.")


def test_an_enrolment_without_anything_recorded(client, bearer, coordinator):
    edition = running_edition()
    enrolment = participant_in(edition, "ben@example.org")
    body = get(client, f"{API}/enrolments/{enrolment.pk}", bearer(enrolment.participant)).json()
    assert body["attendance"] == [] and body["presented"] is None
    assert body["award"]["award"] == "none" and body["award"]["final"] is False


def queries(make_request) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = make_request()
    assert response.status_code == 200, response.content[:300]
    return len([q for q in captured.captured_queries if not q["sql"].startswith(SAVEPOINTS)])


@pytest.mark.parametrize("path", ["/award", ""])
@pytest.mark.parametrize("who", ["coordinator", "teacher", "participant"])
def test_the_number_of_queries_does_not_grow_with_the_edition(
    client, bearer, coordinator, django_assert_max_num_queries, path, who
):
    small = finished_edition()
    large = finished_edition(content=6)
    lone = complete(participant_in(small, "lone@example.org"))
    crowd = [complete(participant_in(large, f"p{i}@example.org", "Deel", f"Nemer {i}")) for i in range(12)]
    target = crowd[0]
    for enrolment in crowd[:4]:
        services.issue_award(actor=coordinator, enrolment_id=enrolment.pk, kind="diploma")
    services.revoke_award(actor=coordinator, code=target.awards.get().code, reason="Wrong name on it.")
    services.issue_award(actor=coordinator, enrolment_id=target.pk, kind="diploma")
    teacher = teacher_of(small, "t1@example.org")
    large.programme.teacher_links.create(teacher=teacher.teacher_profile, order=1)
    headers = {
        "coordinator": bearer(coordinator),
        "teacher": bearer(teacher),
    }
    counts = {}
    for size, enrolment in (("small", lone), ("large", target)):
        who_headers = headers.get(who) or bearer(enrolment.participant)
        counts[size] = queries(lambda e=enrolment, h=who_headers: client.get(f"{API}/enrolments/{e.pk}{path}", **h))
    assert counts["small"] == counts["large"], counts
    # Token, enrolment, (teacher check), sessions with attendance, paper, presentation, awards
    # (+ invoices for the enrolment itself).
    limit = {"coordinator": 6, "teacher": 8, "participant": 6}[who] + (1 if path == "" else 0)
    who_headers = headers.get(who) or bearer(target.participant)
    with django_assert_max_num_queries(limit):
        client.get(f"{API}/enrolments/{target.pk}{path}", **who_headers)
