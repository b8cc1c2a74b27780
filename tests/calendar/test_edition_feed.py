"""GET /api/v1/editions/{id}/calendar.ics: the public feed of one edition (M9)."""

import datetime

import pytest

from leergang.demo import content
from tests import factories
from tests.api.helpers import assert_error

from .helpers import UTC, assert_has_amsterdam_vtimezone, assert_local_times, by_uid, events, local, uid_of

pytestmark = pytest.mark.django_db

SEED_DATES = [day for day, *_rest in content.SESSIONS_2021]


def test_feed_is_a_calendar_with_the_amsterdam_timezone(demo_edition, fetch_edition_feed):
    response, calendar = fetch_edition_feed(demo_edition.id)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")
    assert 'filename="sturen-vanuit-vertrouwen-2021-01-13.ics"' in response["Content-Disposition"]
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Sturen en leidinggeven vanuit vertrouwen"
    assert_has_amsterdam_vtimezone(calendar, datetime.date(2021, 1, 13), datetime.date(2021, 6, 9))


def test_each_session_is_an_event_at_its_local_time_in_winter_and_summer(demo_edition, fetch_edition_feed):
    _response, calendar = fetch_edition_feed(demo_edition.id)
    sessions = list(demo_edition.sessions.order_by("number"))
    found = by_uid(calendar)
    assert len(events(calendar)) == len(sessions) == 7
    assert sorted(found) == sorted(uid_of(session) for session in sessions)
    for session, day in zip(sessions, SEED_DATES, strict=True):
        assert_local_times(found[uid_of(session)], local(day, 13, 30), local(day, 19, 30))
    winter, summer = found[uid_of(sessions[0])], found[uid_of(sessions[4])]
    # 13 January 2021 is CET (UTC+1), 9 June 2021 is CEST (UTC+2).
    assert winter.start.astimezone(UTC) == datetime.datetime(2021, 1, 13, 12, 30, tzinfo=UTC)
    assert winter.end.astimezone(UTC) == datetime.datetime(2021, 1, 13, 18, 30, tzinfo=UTC)
    assert summer.start.astimezone(UTC) == datetime.datetime(2021, 6, 9, 11, 30, tzinfo=UTC)
    assert summer.end.astimezone(UTC) == datetime.datetime(2021, 6, 9, 17, 30, tzinfo=UTC)


def test_events_carry_stamp_sequence_and_last_modified(demo_edition, fetch_edition_feed):
    _response, calendar = fetch_edition_feed(demo_edition.id)
    sessions = {uid_of(s): s for s in demo_edition.sessions.all()}
    for uid, event in by_uid(calendar).items():
        assert event["SEQUENCE"] == sessions[uid].calendar_sequence == 0
        assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
        assert event["LAST-MODIFIED"].dt == sessions[uid].updated_at.replace(microsecond=0)
        assert event["LAST-MODIFIED"].to_ical().endswith(b"Z")


def test_a_moved_session_keeps_its_uid_and_gets_a_higher_sequence(demo_edition, fetch_edition_feed):
    session = demo_edition.sessions.get(number=3)
    _response, before = fetch_edition_feed(demo_edition.id)
    old = by_uid(before)[uid_of(session)]

    session.date = datetime.date(2021, 3, 31)
    session.start_time = datetime.time(9, 0)
    session.calendar_sequence += 1
    session.save()

    _response, after = fetch_edition_feed(demo_edition.id)
    assert sorted(by_uid(after)) == sorted(by_uid(before))  # same UIDs: an update, not a new event
    new = by_uid(after)[uid_of(session)]
    assert new["SEQUENCE"] == old["SEQUENCE"] + 1 == 1
    assert_local_times(new, local(datetime.date(2021, 3, 31), 9, 0), local(datetime.date(2021, 3, 31), 19, 30))
    assert new["LAST-MODIFIED"].dt >= old["LAST-MODIFIED"].dt


def test_texts_in_dutch_by_default(demo_edition, fetch_edition_feed):
    response, calendar = fetch_edition_feed(demo_edition.id)
    assert response["Content-Language"] == "nl"
    found = {event["SUMMARY"]: event for event in events(calendar)}
    first = found["Sturen en leidinggeven vanuit vertrouwen – Bijeenkomst 1"]
    assert "Sturen en leidinggeven vanuit vertrouwen – Slotbijeenkomst" in found
    description = str(first["DESCRIPTION"])
    assert description.startswith("Vertrouwen bouwen en behouden: hoe de dynamiek")
    assert "Op locatie" in description
    assert f"/nl/opleidingen/{content.SLUG}/?editie={demo_edition.id}" in description
    assert str(first["URL"]).endswith(f"/nl/opleidingen/{content.SLUG}/?editie={demo_edition.id}")
    assert first["LOCATION"] == content.LOCATION_TEXT
    sixth = found["Sturen en leidinggeven vanuit vertrouwen – Bijeenkomst 6"]
    assert "Contracteren en aanbesteden vanuit vertrouwen – Dr. Tjerk Budding" in str(sixth["DESCRIPTION"])
    assert "Building and keeping trust" not in response.content.decode()


def test_texts_in_english_on_request(demo_edition, fetch_edition_feed):
    response, calendar = fetch_edition_feed(demo_edition.id, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert calendar["X-WR-CALNAME"] == "Steering and leading from trust"
    found = {event["SUMMARY"]: event for event in events(calendar)}
    first = found["Steering and leading from trust – Session 1"]
    assert "Steering and leading from trust – Closing session" in found
    description = str(first["DESCRIPTION"])
    assert description.startswith("Building and keeping trust: how the dynamics")
    assert "Delivery mode: On site" in description
    assert f"/en/opleidingen/{content.SLUG}/?editie={demo_edition.id}" in description
    sixth = found["Steering and leading from trust – Session 6"]
    assert "- Contracting and procurement from trust – Dr. Tjerk Budding" in str(sixth["DESCRIPTION"])
    assert first["LOCATION"] == content.LOCATION_TEXT


def test_online_session_is_located_online(two_editions, fetch_edition_feed):
    _first, second = two_editions
    _response, calendar = fetch_edition_feed(second.id, HTTP_ACCEPT_LANGUAGE="en")
    online, closing = (by_uid(calendar)[uid_of(s)] for s in second.sessions.order_by("number"))
    assert online["LOCATION"] == "Online"
    assert "Delivery mode: Online" in str(online["DESCRIPTION"])
    assert "- Introduction – Anna de Vries" in str(online["DESCRIPTION"])
    assert closing["LOCATION"] == "Zwolle"
    assert closing["SUMMARY"] == "Leadership in practice – Closing session"


def test_edition_without_sessions_is_an_empty_calendar_with_its_timezone(fetch_edition_feed, db):
    edition = factories.EditionFactory()
    response, calendar = fetch_edition_feed(edition.id)
    assert response.status_code == 200
    assert events(calendar) == []
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_draft_edition_is_hidden_from_anonymous_and_participants(fetch_edition_feed, bearer, participant):
    draft = factories.EditionFactory(status="draft")
    factories.SessionFactory(edition=draft, number=1)
    assert_error(fetch_edition_feed(draft.id)[0], 404)
    assert_error(fetch_edition_feed(draft.id, **bearer(participant))[0], 404)


def test_draft_edition_is_shown_to_a_coordinator(fetch_edition_feed, bearer, coordinator):
    draft = factories.EditionFactory(status="draft")
    session = factories.SessionFactory(edition=draft, number=1)
    response, calendar = fetch_edition_feed(draft.id, **bearer(coordinator))
    assert response.status_code == 200
    assert list(by_uid(calendar)) == [uid_of(session)]


def test_edition_of_unpublished_programme_is_hidden(fetch_edition_feed, db):
    edition = factories.EditionFactory(programme=factories.ProgrammeFactory(published=False))
    assert_error(fetch_edition_feed(edition.id)[0], 404)


@pytest.mark.parametrize("language, word", [("nl", "editie"), ("en", "edition")])
def test_unknown_edition_is_404_in_the_error_format(fetch_edition_feed, db, language, word):
    body = assert_error(fetch_edition_feed(999999, HTTP_ACCEPT_LANGUAGE=language)[0], 404)
    assert word in body["detail"]


def test_bad_token_is_401_in_the_error_format(demo_edition, fetch_edition_feed):
    assert_error(fetch_edition_feed(demo_edition.id, HTTP_AUTHORIZATION="Bearer not-a-token")[0], 401)


def test_edition_id_must_be_a_number(fetch_edition_feed, db):
    assert_error(fetch_edition_feed("abc")[0], 422)


def test_openapi_declares_the_feed(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/editions/{edition_id}/calendar.ics"]["get"]
    responses = operation["responses"]
    assert {"200", "401", "404"} <= set(responses)
    assert set(responses["200"]["content"]) == {"text/calendar"}
    for status in ("401", "404"):
        assert responses[status]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert {} in operation["security"]  # a token is optional
