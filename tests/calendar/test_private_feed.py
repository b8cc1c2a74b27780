"""/kalender/<token>.ics: a participant's private feed of all their active enrolments (M9)."""

import datetime

import pytest

from leergang.enrolment.models import Enrolment
from tests import factories

from .helpers import UTC, assert_has_amsterdam_vtimezone, assert_local_times, by_uid, events, local, uid_of

pytestmark = pytest.mark.django_db


def session_uids(*editions) -> list[str]:
    return sorted(uid_of(session) for edition in editions for session in edition.sessions.all())


def test_feed_needs_no_login_and_is_private_to_caches(enrolled_person, fetch_private_feed):
    response, calendar = fetch_private_feed(enrolled_person["first"])
    assert response.status_code == 200  # not a redirect to the login page
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;") and ".ics" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, max-age=300"
    assert calendar["METHOD"] == "PUBLISH"
    assert_has_amsterdam_vtimezone(calendar, datetime.date(2027, 1, 13), datetime.date(2027, 9, 1))


def test_feed_has_the_sessions_of_all_active_enrolments(enrolled_person, fetch_private_feed):
    first, second = enrolled_person["first"].edition, enrolled_person["second"].edition
    for enrolment in ("first", "second"):  # either enrolment's link gives the person's whole schedule
        _response, calendar = fetch_private_feed(enrolled_person[enrolment])
        assert sorted(by_uid(calendar)) == session_uids(first, second)
    cancelled = enrolled_person["cancelled"].edition
    assert not set(session_uids(cancelled)) & set(by_uid(calendar))


def test_other_participants_sessions_are_not_included(enrolled_person, fetch_private_feed):
    other_edition = factories.EditionFactory(start_date=datetime.date(2027, 3, 3))
    factories.SessionFactory(edition=other_edition, number=1)
    other = factories.EnrolmentFactory(edition=other_edition)
    factories.EnrolmentFactory(edition=enrolled_person["first"].edition)  # a classmate

    _response, mine = fetch_private_feed(enrolled_person["first"])
    assert not set(session_uids(other_edition)) & set(by_uid(mine))
    _response, theirs = fetch_private_feed(other)
    assert sorted(by_uid(theirs)) == session_uids(other_edition)


def test_events_have_local_times_uid_and_sequence(enrolled_person, fetch_private_feed):
    edition = enrolled_person["first"].edition
    session = edition.sessions.get(number=1)
    _response, calendar = fetch_private_feed(enrolled_person["first"])
    event = by_uid(calendar)[uid_of(session)]
    assert_local_times(event, local(datetime.date(2027, 1, 13), 13, 30), local(datetime.date(2027, 1, 13), 19, 30))
    assert event.start.astimezone(UTC) == datetime.datetime(2027, 1, 13, 12, 30, tzinfo=UTC)
    assert event["SEQUENCE"] == 0

    session.date = datetime.date(2027, 6, 9)
    session.calendar_sequence = 4
    session.save()
    _response, calendar = fetch_private_feed(enrolled_person["first"])
    event = by_uid(calendar)[uid_of(session)]
    assert event["SEQUENCE"] == 4
    assert event.start.astimezone(UTC) == datetime.datetime(2027, 6, 9, 11, 30, tzinfo=UTC)  # summer time


def test_texts_in_the_participants_preferred_language(enrolled_person, fetch_private_feed):
    person = enrolled_person["person"]
    response, calendar = fetch_private_feed(enrolled_person["first"])
    assert response["Content-Language"] == "nl"
    summaries = sorted(str(event["SUMMARY"]) for event in events(calendar))
    assert summaries == [
        "Leiderschap in de praktijk – Bijeenkomst 1",
        "Leiderschap in de praktijk – Bijeenkomst 1",
        "Leiderschap in de praktijk – Bijeenkomst 2",
        "Leiderschap in de praktijk – Slotbijeenkomst",
    ]
    assert calendar["X-WR-CALNAME"] == "Leiderschap in de praktijk"
    online = by_uid(calendar)[uid_of(enrolled_person["second"].edition.sessions.get(number=1))]
    assert online["LOCATION"] == "Online"
    assert "- Inleiding – Anna de Vries" in str(online["DESCRIPTION"])

    person.preferred_language = "en"
    person.save()
    response, calendar = fetch_private_feed(enrolled_person["first"])
    assert response["Content-Language"] == "en"
    summaries = sorted(str(event["SUMMARY"]) for event in events(calendar))
    assert summaries == [
        "Leadership in practice – Closing session",
        "Leadership in practice – Session 1",
        "Leadership in practice – Session 1",
        "Leadership in practice – Session 2",
    ]
    online = by_uid(calendar)[uid_of(enrolled_person["second"].edition.sessions.get(number=1))]
    assert "- Introduction – Anna de Vries" in str(online["DESCRIPTION"])
    assert "Delivery mode: Online" in str(online["DESCRIPTION"])
    on_site = by_uid(calendar)[uid_of(enrolled_person["first"].edition.sessions.get(number=1))]
    assert on_site["LOCATION"] == "Utrecht"


def test_request_language_does_not_matter(enrolled_person, fetch_private_feed, client):
    token = enrolled_person["first"].calendar_token
    response = client.get(f"/kalender/{token}.ics", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "nl"
    assert "Bijeenkomst 1" in response.content.decode()


@pytest.mark.parametrize("token", ["unknown", "x" * 43, "-" * 200])
def test_unknown_token_is_404(enrolled_person, fetch_private_feed, token):
    response, _calendar = fetch_private_feed(token)
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("text/calendar")


def test_cancelled_enrolments_token_is_404(enrolled_person, fetch_private_feed):
    response, _calendar = fetch_private_feed(enrolled_person["cancelled"])
    assert response.status_code == 404


def test_token_stops_working_when_its_enrolment_is_cancelled(enrolled_person, fetch_private_feed):
    first = enrolled_person["first"]
    Enrolment.objects.filter(pk=first.pk).update(status="cancelled")
    assert fetch_private_feed(first)[0].status_code == 404
    _response, calendar = fetch_private_feed(enrolled_person["second"])
    assert sorted(by_uid(calendar)) == session_uids(enrolled_person["second"].edition)


def test_writes_are_not_allowed(enrolled_person, client):
    response = client.post(f"/kalender/{enrolled_person['first'].calendar_token}.ics")
    assert response.status_code == 405


def test_tokens_are_random_unique_and_url_safe(db):
    tokens = [factories.EnrolmentFactory().calendar_token for _ in range(20)]
    assert len(set(tokens)) == 20
    for token in tokens:
        assert len(token) >= 22  # at least 128 bits in URL-safe base64
        assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
