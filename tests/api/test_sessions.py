"""PUT /editions/{id}/sessions and POST /editions/{id}/sessions/plan (coordinator)."""

import datetime

import pytest

from leergang.catalog.models import Edition, Session
from leergang.core.models import AuditEntry
from leergang.scheduling import rules, services

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(demo):
    return Edition.objects.get(status="open")


def current(edition) -> list[dict]:
    return [
        {
            "number": s.number,
            "kind": s.kind,
            "date": s.date.isoformat(),
            "start_time": s.start_time.strftime("%H:%M"),
            "end_time": s.end_time.strftime("%H:%M"),
            "theme": s.theme_nl,
            "delivery_mode": s.delivery_mode,
        }
        for s in edition.sessions.order_by("number")
    ]


def put(client, edition, sessions, headers, allow=False, **extra):
    return client.put(
        f"{API}/editions/{edition.id}/sessions",
        {"sessions": sessions, "allow_violations": allow},
        content_type="application/json",
        **headers,
        **extra,
    )


def later_valid_date(edition, after: datetime.date) -> datetime.date:
    return rules.plan(after + datetime.timedelta(days=1), 1, services.schedule_rules(edition))[0]


def test_moving_a_date_keeps_id_and_uid_and_bumps_the_sequence(client, upcoming, as_coordinator):
    sessions = current(upcoming)
    last = upcoming.sessions.get(number=7)
    new_date = later_valid_date(upcoming, last.date)
    sessions[-1]["date"] = new_date.isoformat()
    response = put(client, upcoming, sessions, as_coordinator)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["violations"] == []
    assert [s["date"] for s in body["sessions"]] == [s["date"] for s in sessions]
    moved = Session.objects.get(pk=last.pk)
    assert moved.date == new_date
    assert moved.calendar_uid == last.calendar_uid
    assert moved.calendar_sequence == last.calendar_sequence + 1
    assert body["sessions"][-1]["id"] == last.pk
    untouched = upcoming.sessions.get(number=1)
    assert untouched.calendar_sequence == 0
    assert AuditEntry.objects.filter(action="schedule.replaced", object_id=str(upcoming.pk)).count() == 1


def test_a_violation_is_refused_with_the_violations_and_changes_nothing(client, upcoming, as_coordinator):
    sessions = current(upcoming)
    sessions[1]["date"] = (datetime.date.fromisoformat(sessions[0]["date"]) + datetime.timedelta(days=7)).isoformat()
    with nothing_changes():
        response = put(client, upcoming, sessions, as_coordinator)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors", "violations"}
    assert [v["rule"] for v in body["violations"]] == ["min_gap"]
    assert body["violations"][0]["date"] == sessions[1]["date"]
    assert body["errors"] and all(set(e) == {"field", "message"} for e in body["errors"])


def test_an_accepted_violation_is_stored_and_the_override_recorded(client, upcoming, as_coordinator, coordinator):
    sessions = current(upcoming)
    thursday = datetime.date.fromisoformat(sessions[-1]["date"]) + datetime.timedelta(days=1)
    sessions[-1]["date"] = thursday.isoformat()
    response = put(client, upcoming, sessions, as_coordinator, allow=True)
    assert response.status_code == 200
    assert [v["rule"] for v in response.json()["violations"]] == ["weekday"]
    assert upcoming.sessions.get(number=7).date == thursday
    override = AuditEntry.objects.get(action="schedule.violations_accepted", object_id=str(upcoming.pk))
    assert override.actor == coordinator
    assert override.after["violations"][0]["rule"] == "weekday"


def test_imports_may_store_dates_outside_the_known_period(client, upcoming, as_coordinator):
    old = [{"number": 1, "kind": "content", "date": "2012-01-11", "theme": "Oud"}]
    assert_error(put(client, upcoming, old, as_coordinator), 422, field="date")
    response = put(client, upcoming, old, as_coordinator, allow=True)
    assert response.status_code == 200
    assert [s["date"] for s in response.json()["sessions"]] == ["2012-01-11"]


def test_unlisted_sessions_are_removed_and_new_numbers_created(client, upcoming, as_coordinator):
    sessions = current(upcoming)[:5]
    extra_date = later_valid_date(upcoming, datetime.date.fromisoformat(sessions[-1]["date"]) + datetime.timedelta(days=27))
    sessions.append({"number": 9, "kind": "closing", "date": extra_date.isoformat(), "theme": "Slot"})
    kept_ids = list(upcoming.sessions.filter(number__lte=5).order_by("number").values_list("id", flat=True))
    response = put(client, upcoming, sessions, as_coordinator)
    assert response.status_code == 200, response.content
    assert [s["number"] for s in response.json()["sessions"]] == [1, 2, 3, 4, 5, 9]
    assert [s["id"] for s in response.json()["sessions"][:5]] == kept_ids
    new = upcoming.sessions.get(number=9)
    assert (new.kind, new.start_time, new.end_time) == ("closing", upcoming.start_time, upcoming.end_time)


def test_a_session_with_records_is_not_removed(client, upcoming, as_coordinator, monkeypatch):
    monkeypatch.setattr(services, "has_records", lambda session: session.number == 7)
    with nothing_changes():
        response = put(client, upcoming, current(upcoming)[:6], as_coordinator)
    body = assert_error(response, 409)
    assert "7" in body["detail"]


def test_theme_is_stored_in_the_request_language(client, upcoming, as_coordinator):
    sessions = current(upcoming)
    for item in sessions:
        del item["theme"]
    sessions[0]["theme"] = "Trust, first steps"
    before = upcoming.sessions.get(number=1)
    assert put(client, upcoming, sessions, as_coordinator, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    after = upcoming.sessions.get(number=1)
    assert after.theme_en == "Trust, first steps"
    assert after.theme_nl == before.theme_nl
    assert upcoming.sessions.get(number=2).theme_en == before.edition.sessions.get(number=2).theme_en


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: s[1].update(number=1), "sessions.1.number"),
        (lambda s: s[0].update(start_time="19:30", end_time="13:30"), "sessions.0.end_time"),
        (lambda s: s[0].update(kind="lecture"), "sessions.0.kind"),
        (lambda s: s[0].update(delivery_mode="zoom"), "sessions.0.delivery_mode"),
        (lambda s: s[0].update(date="2027-02-30"), "sessions.0.date"),
        (lambda s: s[0].update(number=0), "sessions.0.number"),
        (lambda s: s[0].update(number="1"), "sessions.0.number"),
        (lambda s: s[0].pop("date"), "sessions.0.date"),
    ],
)
def test_bad_sessions_are_a_422_and_change_nothing(client, upcoming, as_coordinator, change, field):
    sessions = current(upcoming)
    change(sessions)
    with nothing_changes():
        assert_error(put(client, upcoming, sessions, as_coordinator), 422, field=field)


def test_broken_json_and_missing_list(client, upcoming, as_coordinator):
    url = f"{API}/editions/{upcoming.id}/sessions"
    with nothing_changes():
        assert_error(client.put(url, "{", content_type="application/json", **as_coordinator), 400)
        assert_error(client.put(url, {}, content_type="application/json", **as_coordinator), 422, field="sessions")


def test_who_may_change_the_schedule(client, upcoming, as_participant, as_teacher):
    sessions = current(upcoming)
    with nothing_changes():
        assert_error(put(client, upcoming, sessions, {}), 401)
        assert_error(put(client, upcoming, sessions, {"HTTP_AUTHORIZATION": "Bearer nope"}), 401)
        assert_error(put(client, upcoming, sessions, as_participant), 403)
        assert_error(put(client, upcoming, sessions, as_teacher), 403)


def test_unknown_edition_is_a_404(client, as_coordinator, db):
    assert_error(put(client, Edition(id=999999), [], as_coordinator), 404)
    url = f"{API}/editions/999999/sessions/plan"
    assert_error(client.post(url, {"first_date": "2027-01-06"}, content_type="application/json", **as_coordinator), 404)


def plan(client, edition, first_date, headers):
    return client.post(
        f"{API}/editions/{edition.id}/sessions/plan", {"first_date": first_date}, content_type="application/json", **headers
    )


def test_plan_stores_the_earliest_valid_schedule_and_keeps_sessions(client, upcoming, as_coordinator):
    before = {s.number: s for s in upcoming.sessions.all()}
    response = plan(client, upcoming, "2027-09-01", as_coordinator)
    assert response.status_code == 200, response.content
    dates = [datetime.date.fromisoformat(s["date"]) for s in response.json()["sessions"]]
    assert dates == rules.plan(datetime.date(2027, 9, 1), 7, services.schedule_rules(upcoming))
    for session in upcoming.sessions.all():
        assert session.pk == before[session.number].pk
        assert session.theme_nl == before[session.number].theme_nl
        assert session.date == dates[session.number - 1]


def test_plan_for_a_new_edition_takes_the_previous_themes(client, upcoming, as_coordinator, coordinator):
    created = client.post(
        f"{API}/editions",
        {"programme": upcoming.programme.slug, "start_date": "2028-01-12", "capacity": 20, "fee": "2995.00"},
        content_type="application/json",
        **as_coordinator,
    ).json()
    edition = Edition.objects.get(pk=created["id"])
    response = plan(client, edition, "2028-01-12", as_coordinator)
    assert response.status_code == 200
    sessions = list(edition.sessions.order_by("number"))
    assert [s.kind for s in sessions] == ["content"] * 6 + ["closing"]
    assert [s.theme_nl for s in sessions] == [s.theme_nl for s in upcoming.sessions.order_by("number")]
    assert rules.validate([s.date for s in sessions], services.schedule_rules(edition)) == []


def test_plan_bad_input(client, upcoming, as_coordinator, as_participant):
    with nothing_changes():
        assert_error(plan(client, upcoming, "2027-02-31", as_coordinator), 422, field="first_date")
        assert_error(plan(client, upcoming, "2031-01-08", as_coordinator), 422, field="first_date")
        assert_error(plan(client, upcoming, "2027-01-06", as_participant), 403)
        assert_error(plan(client, upcoming, "2027-01-06", {}), 401)
