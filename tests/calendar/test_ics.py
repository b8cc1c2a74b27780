"""leergang.scheduling.ics without HTTP: what the e-mail attachment and the feeds are made of."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from leergang.catalog import selectors as catalog_selectors
from leergang.catalog.models import Session, SessionPart
from leergang.scheduling import ics, selectors
from tests import factories

from .helpers import assert_has_amsterdam_vtimezone, assert_local_times, by_uid, events, local, parse_ics, uid_of

pytestmark = pytest.mark.django_db


def loaded_session(session: Session) -> Session:
    """The session as the mail's caller should pass it: edition, programme and place selected, parts prefetched."""
    return (
        Session.objects.select_related("edition__programme", "edition__room__location")
        .prefetch_related("parts__teacher")
        .get(pk=session.pk)
    )


def test_session_calendar_is_one_event_published(demo_edition):
    session = loaded_session(demo_edition.sessions.get(number=5))
    calendar = parse_ics(ics.session_calendar(session, language="nl"))
    assert calendar["METHOD"] == "PUBLISH"
    assert_has_amsterdam_vtimezone(calendar, session.date)
    (event,) = events(calendar)
    assert event["UID"] == uid_of(session)
    assert event["SUMMARY"] == "Sturen en leidinggeven vanuit vertrouwen – Bijeenkomst 5"
    assert_local_times(event, local(datetime.date(2021, 6, 9), 13, 30), local(datetime.date(2021, 6, 9), 19, 30))
    assert "ORGANIZER" not in event
    assert event["STATUS"] == "CONFIRMED"


def test_session_calendar_as_request_and_cancel(demo_edition):
    session = loaded_session(demo_edition.sessions.get(number=1))
    session.calendar_sequence = 2
    request = events(parse_ics(ics.session_calendar(session, language="en", method="REQUEST")))[0]
    assert request["SEQUENCE"] == 2
    assert str(request["ORGANIZER"]).startswith("mailto:")
    assert request["SUMMARY"] == "Steering and leading from trust – Session 1"
    cancel = parse_ics(ics.session_calendar(session, language="en", method="cancel"))
    assert cancel["METHOD"] == "CANCEL"
    assert events(cancel)[0]["STATUS"] == "CANCELLED"
    assert events(cancel)[0]["UID"] == uid_of(session)


def test_session_calendar_refuses_an_unknown_method(demo_edition):
    with pytest.raises(ValueError):
        ics.session_calendar(demo_edition.sessions.first(), language="nl", method="REPLY")


def test_session_calendar_queries_nothing_when_given_a_loaded_session(demo_edition, django_assert_num_queries):
    session = loaded_session(demo_edition.sessions.get(number=6))
    with django_assert_num_queries(0):
        data = ics.session_calendar(session, language="en")
    assert "Learning bureaucracy and trust – Demo Docent" in str(events(parse_ics(data))[0]["DESCRIPTION"])


def test_edition_calendar_queries_nothing(demo_edition, django_assert_num_queries):
    edition = catalog_selectors.edition_detail(user=AnonymousUser(), edition_id=demo_edition.id)
    with django_assert_num_queries(0):
        data = ics.edition_calendar(edition, edition.sessions.all(), language="nl")
    assert len(events(parse_ics(data))) == 7


def test_participant_calendar_queries_nothing_and_skips_cancelled(enrolled_person, django_assert_num_queries):
    enrolments = selectors.calendar_enrolments(token=enrolled_person["first"].calendar_token)
    cancelled = enrolled_person["cancelled"]
    with django_assert_num_queries(0):
        data = ics.participant_calendar(enrolments, language="en")
    assert len(events(parse_ics(data))) == 4
    # Given a cancelled enrolment directly, the function still leaves it out.
    assert ics.participant_calendar([cancelled], language="en").count(b"BEGIN:VEVENT") == 0


def test_participant_calendar_of_several_programmes_is_named_generically(db):
    person = factories.UserFactory(preferred_language="en")
    for title in ("Alpha", "Beta"):
        edition = factories.EditionFactory(programme=factories.ProgrammeFactory(title_nl=title, title_en=title))
        factories.SessionFactory(edition=edition, number=1)
        enrolment = factories.EnrolmentFactory(edition=edition, participant=person)
    calendar = parse_ics(ics.participant_calendar(selectors.calendar_enrolments(token=enrolment.calendar_token), language="en"))
    assert calendar["X-WR-CALNAME"] == "My programmes"
    assert len(events(calendar)) == 2


def test_sessions_far_apart_get_a_timezone_covering_all_their_years(db):
    edition = factories.EditionFactory()
    early = factories.SessionFactory(edition=edition, number=1, date=datetime.date(2019, 12, 4))
    late = factories.SessionFactory(edition=edition, number=2, date=datetime.date(2041, 7, 3))
    calendar = parse_ics(ics.edition_calendar(edition, [early, late], language="nl"))
    assert_has_amsterdam_vtimezone(calendar, early.date, late.date, datetime.date(2030, 7, 1))
    assert by_uid(calendar)[uid_of(late)].start.utcoffset() == datetime.timedelta(hours=2)


def test_session_without_theme_or_place(db):
    edition = factories.EditionFactory(location="")
    session = factories.SessionFactory(edition=edition, number=1, theme_nl="", theme_en="", delivery_mode="hybrid")
    SessionPart.objects.create(session=session, title_nl="Deel zonder docent")
    event = events(parse_ics(ics.session_calendar(loaded_session(session), language="nl")))[0]
    assert "LOCATION" not in event
    description = str(event["DESCRIPTION"])
    assert description.startswith("- Deel zonder docent\n\n")
    assert "Hybride" in description


def test_texts_with_special_characters_survive(db):
    programme = factories.ProgrammeFactory(title_nl='Sturen; leiden, en: vertrouwen \\ \'n "test"')
    edition = factories.EditionFactory(programme=programme, location="Zaal 1, Gebouw; Amsterdam")
    factories.SessionFactory(edition=edition, number=1, theme_nl="Regel één\nRegel twee, met ; en : en \\")
    event = events(parse_ics(ics.edition_calendar(edition, edition.sessions.all(), language="nl")))[0]
    assert event["SUMMARY"] == 'Sturen; leiden, en: vertrouwen \\ \'n "test" – Bijeenkomst 1'
    assert event["LOCATION"] == "Zaal 1, Gebouw; Amsterdam"
    assert str(event["DESCRIPTION"]).startswith("Regel één\nRegel twee, met ; en : en \\\n\n")
