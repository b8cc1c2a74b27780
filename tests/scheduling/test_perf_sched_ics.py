"""The calendar feeds are written as text (leergang.scheduling.ics) rather than built with icalendar's
components, which cost most of a feed's time. The bytes must stay exactly what the icalendar-based
code wrote: that code is kept below as the reference, and every feed is compared with it, with texts
that need escaping, lines that need folding (also around escapes and characters of several octets)
and in both languages."""

import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from django.utils.translation import gettext, override
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText
from icalendar.parser import Contentline

from leergang.catalog.models import Session, SessionPart
from leergang.core.formatting import long_date
from leergang.enrolment.models import EnrolmentStatus
from leergang.scheduling import ics, selectors
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 6, 14, 10, 56, 123456, tzinfo=datetime.UTC)
# Escapes at many folding positions, CR/LF in several forms, a written-out \N, carets and
# characters of two, three and four octets.
AWKWARD = "Één; twee, drie\\ vier^ – 😀 ß\r\nvijf\rzes\nzeven \\N acht;" * 5


# -- the icalendar-based code the writer replaced (the reference) ----------------------------------


def reference_edition_calendar(edition, sessions, *, language):
    with override(language):
        calendar = _reference_calendar(
            name=edition.programme.title,
            description=gettext("Edition starting %(date)s") % {"date": long_date(edition.start_date)},
            pairs=[(edition, session) for session in sessions],
            language=language,
            method="PUBLISH",
        )
        _reference_refresh(calendar)
        return calendar.to_ical()


def reference_session_calendar(session, *, language, method="PUBLISH"):
    method = method.upper()
    edition = session.edition
    with override(language):
        calendar = _reference_calendar(
            name=edition.programme.title, description="", pairs=[(edition, session)], language=language, method=method
        )
        if method != "PUBLISH":
            event = calendar.walk("VEVENT")[0]
            programme = edition.programme
            organizer = vCalAddress(f"mailto:{programme.contact_email or parseaddr(django_settings.DEFAULT_FROM_EMAIL)[1]}")
            organizer.params["cn"] = vText(programme.organiser or "Leergang")
            event.add("organizer", organizer)
            if method == "CANCEL":
                event["status"] = vText("CANCELLED")
        return calendar.to_ical()


def reference_participant_calendar(enrolments, *, language):
    active = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    with override(language):
        seen, pairs = set(), []
        for enrolment in active:
            for session in enrolment.edition.sessions.all():
                if ics.event_uid(session) not in seen:
                    seen.add(ics.event_uid(session))
                    pairs.append((enrolment.edition, session))
        pairs.sort(key=lambda pair: (pair[1].date, pair[1].start_time, pair[0].id, pair[1].number))
        titles = {e.edition.programme.title for e in active}
        calendar = _reference_calendar(
            name=titles.pop() if len(titles) == 1 else gettext("My programmes"),
            description="",
            pairs=pairs,
            language=language,
            method="PUBLISH",
        )
        _reference_refresh(calendar)
        return calendar.to_ical()


def _reference_refresh(calendar):
    calendar.add("refresh-interval", ics.REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(ics.REFRESH_INTERVAL))


def _reference_calendar(*, name, description, pairs, language, method):
    calendar = Calendar()
    calendar.add("prodid", f"-//Leergang//Leergang calendar//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.calendar_name = name
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", ics.TZID)
    years = [session.date.year for _edition, session in pairs] or [timezone.localdate().year]
    first, last = datetime.date(min(years), 1, 1), datetime.date(max(years) + 1, 1, 1)
    calendar.add_component(Timezone.from_ical(Timezone.from_tzid(ics.TZID, first_date=first, last_date=last).to_ical()))
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    zone = ZoneInfo(ics.TZID)
    for edition, session in pairs:
        url = ics.programme_page_url(edition)
        event = Event()
        event.add("uid", ics.event_uid(session))
        event.add("sequence", session.calendar_sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.datetime.combine(session.date, session.start_time, tzinfo=zone))
        event.add("dtend", datetime.datetime.combine(session.date, session.end_time, tzinfo=zone))
        event.add("summary", ics.summary(edition, session))
        event.add("description", ics.description(session, url))
        place = ics.location(edition, session)
        if place:
            event.add("location", place)
        event.add("url", url)
        if session.updated_at:
            event.add("last-modified", session.updated_at.astimezone(datetime.UTC).replace(microsecond=0))
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar


# -- data ------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fixed_now(monkeypatch, settings):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    settings.DEFAULT_FROM_EMAIL = "Leergang <noreply@example.org>"


@pytest.fixture
def person():
    """A participant in two editions of an awkwardly named programme and one of a plain one (over
    several years, so the time zone covers a range), plus a cancelled enrolment."""
    awkward = factories.ProgrammeFactory(
        title_nl="Sturen; leiden, en \\ vertrouwen – een opleiding met een heel lange naam die gevouwen wordt",
        title_en="Steering; leading, and \\ trust – a programme whose name is long enough to be folded",
        organiser='School of "Governance", Amsterdam: VU',
        contact_email="sog@example.org",
    )
    plain = factories.ProgrammeFactory(title_nl="Leiderschap", title_en="Leadership")
    first = factories.EditionFactory(
        programme=awkward, start_date=datetime.date(2026, 1, 14), location="Hoofdgebouw, Amsterdam; zaal 1"
    )
    second = factories.EditionFactory(programme=awkward, start_date=datetime.date(2027, 9, 1), location="")
    third = factories.EditionFactory(programme=plain, start_date=datetime.date(2028, 3, 1), location="Zwolle")
    teacher = factories.TeacherFactory(name="Anna de Vries, PhD; lector")
    for number in range(1, 5):
        session = factories.SessionFactory(
            edition=first, number=number, theme_nl=AWKWARD[: 40 * number], theme_en=AWKWARD[number:]
        )
        if number == 2:
            SessionPart.objects.create(
                session=session, order=1, title_nl="Inleiding, deel 1", title_en="Intro; part 1", teacher=teacher
            )
            SessionPart.objects.create(session=session, order=2, title_nl="Zonder docent", title_en="")
    factories.SessionFactory(edition=second, number=1, delivery_mode="online", theme_nl="", theme_en="  ")
    factories.SessionFactory(edition=second, number=2, kind="closing", delivery_mode="hybrid")
    factories.SessionFactory(edition=third, number=1, theme_nl="x" * 74, theme_en="y" * 75)
    Session.objects.filter(edition=second, number=2).update(calendar_sequence=7)
    participant = factories.UserFactory()
    enrolments = [factories.EnrolmentFactory(edition=e, participant=participant) for e in (first, second, third)]
    cancelled = factories.EditionFactory(programme=plain, start_date=datetime.date(2029, 1, 10))
    factories.SessionFactory(edition=cancelled, number=1)
    factories.EnrolmentFactory(edition=cancelled, participant=participant, status="cancelled")
    return enrolments


def _sessions():
    return list(
        Session.objects.select_related("edition__programme", "edition__room__location")
        .prefetch_related("parts__teacher")
        .order_by("edition_id", "number")
    )


# -- the feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_participant_feed_is_what_icalendar_wrote(person, language):
    enrolments = selectors.calendar_enrolments(token=person[0].calendar_token)
    written = ics.participant_calendar(enrolments, language=language)
    assert written == reference_participant_calendar(enrolments, language=language)
    assert written.count(b"BEGIN:VEVENT") == 7
    # One programme only: the feed is named after it.
    only = selectors.calendar_enrolments(token=person[2].calendar_token)
    assert ics.participant_calendar(only[2:], language=language) == reference_participant_calendar(only[2:], language=language)
    # Nothing active: no events, the time zone of this year.
    assert ics.participant_calendar([], language=language) == reference_participant_calendar([], language=language)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_edition_feed_is_what_icalendar_wrote(person, language):
    for enrolment in person:
        edition = enrolment.edition
        sessions = [s for s in _sessions() if s.edition_id == edition.pk]
        assert ics.edition_calendar(edition, sessions, language=language) == reference_edition_calendar(
            edition, sessions, language=language
        )


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("method", ["PUBLISH", "request", "CANCEL"])
def test_session_attachment_is_what_icalendar_wrote(person, language, method):
    for session in _sessions():
        assert ics.session_calendar(session, language=language, method=method) == reference_session_calendar(
            session, language=language, method=method
        )


def test_organiser_without_name_or_address(person):
    session = _sessions()[-1]  # the plain programme: no organiser, no contact address
    assert not session.edition.programme.organiser
    assert ics.session_calendar(session, language="en", method="REQUEST") == reference_session_calendar(
        session, language="en", method="REQUEST"
    )


# -- escaping and folding, for any text -------------------------------------------------------------


@hypothesis_settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300)
    | st.text(alphabet="a\\^,;\r\nNé–😀", max_size=300),
    st.sampled_from(["DESCRIPTION", "X", "SUMMARY"]),
)
def test_text_lines_are_escaped_and_folded_as_icalendar_does(value, name):
    expected = Contentline.from_parts(name, vText(value).params, vText(value)).to_ical()
    assert ics._fold(f"{name}:{ics._text(value)}".encode()) == expected


@pytest.mark.parametrize("size", [73, 74, 75, 76, 148, 149, 150])
@pytest.mark.parametrize("tail", ["", "\\", "^", ",", "é", "😀"])
def test_folds_at_the_limit(size, tail):
    line = "D" * (size - 2) + tail + "xyz"
    assert ics._fold(line.encode()) == Contentline(line).to_ical()
