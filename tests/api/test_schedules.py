"""POST /schedules/check and /schedules/plan: stateless, as the contract describes."""

import pytest

from leergang.scheduling import rules

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db

SEED_2021 = ["2021-01-13", "2021-02-10", "2021-03-24", "2021-04-21", "2021-06-09", "2021-09-15", "2021-10-13"]


def check(client, body, **headers):
    return client.post(f"{API}/schedules/check", body, content_type="application/json", **headers)


def plan(client, body, **headers):
    return client.post(f"{API}/schedules/plan", body, content_type="application/json", **headers)


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_seed_schedule_is_valid(client, region):
    response = check(client, {"dates": SEED_2021, "holiday_region": region})
    assert response.status_code == 200
    assert response.json() == {"valid": True, "violations": []}


@pytest.mark.parametrize(
    ("dates", "extra", "rule", "date"),
    [
        (["2021-01-14"], {}, "weekday", "2021-01-14"),
        (["2021-01-13", "2021-01-27"], {}, "min_gap", "2021-01-27"),
        (["2021-02-17"], {"holiday_region": "zuid"}, "school_holiday", "2021-02-17"),
        (["2022-04-27"], {}, "public_holiday", "2022-04-27"),
        (["2021-01-14"], {"weekday": "thursday"}, None, None),
        (["2021-01-13", "2021-01-27"], {"min_gap_days": 14}, None, None),
    ],
)
def test_each_rule_is_reported_with_its_date(client, dates, extra, rule, date):
    body = check(client, {"dates": dates, **extra}).json()
    if rule is None:
        assert body == {"valid": True, "violations": []}
    else:
        assert body["valid"] is False
        assert [(v["rule"], v["date"]) for v in body["violations"]] == [(rule, date)]
        assert body["violations"][0]["message"]


def test_messages_follow_accept_language(client):
    english = check(client, {"dates": ["2021-01-13", "2021-01-20"]}, HTTP_ACCEPT_LANGUAGE="en").json()
    dutch = check(client, {"dates": ["2021-01-13", "2021-01-20"]}, HTTP_ACCEPT_LANGUAGE="nl").json()
    assert "days after the previous session" in english["violations"][0]["message"]
    assert "dagen na de vorige bijeenkomst" in dutch["violations"][0]["message"]
    assert english["violations"][0]["rule"] == dutch["violations"][0]["rule"] == "min_gap"


def test_plan_gives_the_earliest_valid_dates_with_defaults(client):
    response = plan(client, {"first_date": "2021-01-13"})
    assert response.status_code == 200
    dates = response.json()["dates"]
    assert len(dates) == 7 and dates[:2] == ["2021-01-13", "2021-02-10"]
    assert check(client, {"dates": dates}).json()["valid"] is True


def test_plan_honours_every_setting(client):
    body = {"first_date": "2027-01-01", "count": 3, "weekday": "monday", "min_gap_days": 14, "holiday_region": "zuid"}
    dates = plan(client, body).json()["dates"]
    assert len(dates) == 3
    del body["first_date"], body["count"]
    assert check(client, {"dates": dates, **body}).json()["valid"] is True


def test_dates_outside_the_known_period_are_a_422(client):
    first, last = rules.known_range("noord")
    late = last.replace(year=last.year + 1).isoformat()
    assert_error(check(client, {"dates": [late]}), 422, field="dates")
    assert_error(plan(client, {"first_date": late}), 422, field="first_date")
    # A plan that would run past the known period is refused too, not cut short.
    assert_error(plan(client, {"first_date": last.replace(month=1, day=2).isoformat(), "count": 20}), 422)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dates": ["2021-02-30"]}, "dates.0"),
        ({"dates": ["13-01-2021"]}, "dates.0"),
        ({"dates": "2021-01-13"}, "dates"),
        ({}, "dates"),
        ({"dates": [], "weekday": "woensdag"}, "weekday"),
        ({"dates": [], "holiday_region": "west"}, "holiday_region"),
        ({"dates": [], "min_gap_days": -1}, "min_gap_days"),
        ({"dates": [], "min_gap_days": 366}, "min_gap_days"),
        ({"dates": [], "min_gap_days": "28"}, "min_gap_days"),
        ({"dates": ["2021-01-13"] * 101}, "dates"),
    ],
)
def test_check_bad_input(client, body, field):
    assert_error(check(client, body), 422, field=field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_date": "2021-13-01"}, "first_date"),
        ({}, "first_date"),
        ({"first_date": "2021-01-13", "count": 0}, "count"),
        ({"first_date": "2021-01-13", "count": 21}, "count"),
        ({"first_date": "2021-01-13", "count": 2.5}, "count"),
        ({"first_date": "2021-01-13", "weekday": "funday"}, "weekday"),
        ({"first_date": "2021-01-13", "holiday_region": "Noord"}, "holiday_region"),
        ({"first_date": "2021-01-13", "min_gap_days": 400}, "min_gap_days"),
    ],
)
def test_plan_bad_input(client, body, field):
    assert_error(plan(client, body), 422, field=field)


@pytest.mark.parametrize("path", ["/schedules/check", "/schedules/plan"])
def test_broken_json_is_a_400(client, path):
    assert_error(client.post(f"{API}{path}", "{", content_type="application/json"), 400)
    assert_error(client.post(f"{API}{path}", "[]", content_type="application/json"), 400)


@pytest.mark.parametrize("path", ["/schedules/check", "/schedules/plan"])
def test_other_methods_are_a_405(client, path):
    assert_error(client.get(f"{API}{path}"), 405)
