"""Sessions as iCalendar (RFC 5545): an edition's public feed, a participant's private feed, and one
session to attach to an e-mail when it changes.

Presentation only: the functions read the objects they are given and query nothing themselves.
Callers pass editions with `programme` and `room__location` selected and sessions with
`parts__teacher` prefetched (see `leergang.scheduling.selectors` and `catalog.selectors.edition_detail`).

A session keeps its UID (`calendar_uid`) for good and its SEQUENCE (`calendar_sequence`) rises with
every change of date, time, place or mode, so calendar apps update the event instead of adding one.
Times are local (TZID=Europe/Amsterdam) with a VTIMEZONE that covers the years of the events.
"""

import datetime
import functools
from collections.abc import Iterable
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText

from leergang.catalog.models import DeliveryMode, Edition, Session, SessionKind
from leergang.core.formatting import long_date
from leergang.enrolment.models import EnrolmentStatus

TZID = "Europe/Amsterdam"
ZONE = ZoneInfo(TZID)
UID_DOMAIN = "leergang"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# How often subscribed calendar apps should fetch a feed again (Outlook and Apple read these).
REFRESH_INTERVAL = datetime.timedelta(hours=1)
FOLD_LIMIT = 75  # octets per content line (RFC 5545, 3.1)


def event_uid(session: Session) -> str:
    """The session's UID in every calendar and e-mail: it never changes, whatever else does."""
    return f"{session.calendar_uid}@{UID_DOMAIN}"


def programme_page_url(edition: Edition) -> str:
    """The public page of the programme, showing this edition, in the active language."""
    path = reverse("catalog:programme", kwargs={"slug": edition.programme.slug})
    return f"{settings.PUBLIC_BASE_URL}{path}?editie={edition.id}"


def edition_calendar(edition: Edition, sessions: Iterable[Session], *, language: str) -> bytes:
    """One edition's sessions as a subscribable calendar (METHOD:PUBLISH)."""
    with override(language):
        pairs = [(edition, session) for session in sessions]
        calendar = _calendar(
            name=edition.programme.title,
            description=gettext("Edition starting %(date)s") % {"date": long_date(edition.start_date)},
            pairs=pairs,
            language=language,
            method="PUBLISH",
        )
        _add_refresh_interval(calendar)
        return _to_ical(calendar)


def session_calendar(session: Session, *, language: str, method: str = "PUBLISH") -> bytes:
    """One session as a calendar, to attach to the e-mail that announces a change.

    `method` is PUBLISH (default), REQUEST or CANCEL (RFC 5546); REQUEST and CANCEL carry the
    ORGANIZER that scheduling messages require, CANCEL marks the event cancelled. Pass a session
    whose `edition__programme` (and `edition__room__location`) are selected and `parts__teacher`
    prefetched, or this reads them one query each.
    """
    method = method.upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    edition = session.edition
    with override(language):
        calendar = _calendar(
            name=edition.programme.title,
            description="",
            pairs=[(edition, session)],
            language=language,
            method=method,
        )
        if method != "PUBLISH":
            event = calendar.walk("VEVENT")[0]
            event.add("organizer", _organizer(edition))
            if method == "CANCEL":
                event["status"] = vText("CANCELLED")
        return _to_ical(calendar)


def participant_calendar(enrolments: Iterable, *, language: str) -> bytes:
    """All sessions of a person's active enrolments (cancelled ones are left out), for the private
    feed. Pass enrolments with `edition__programme`, `edition__room__location` selected and
    `edition__sessions__parts__teacher` prefetched."""
    active = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    with override(language):
        seen: set[str] = set()
        pairs = []
        for enrolment in active:
            for session in enrolment.edition.sessions.all():
                if event_uid(session) not in seen:
                    seen.add(event_uid(session))
                    pairs.append((enrolment.edition, session))
        pairs.sort(key=lambda pair: (pair[1].date, pair[1].start_time, pair[0].id, pair[1].number))
        titles = {e.edition.programme.title for e in active}
        calendar = _calendar(
            name=titles.pop() if len(titles) == 1 else gettext("My programmes"),
            description="",
            pairs=pairs,
            language=language,
            method="PUBLISH",
        )
        _add_refresh_interval(calendar)
        return _to_ical(calendar)


def _add_refresh_interval(calendar: Calendar) -> None:
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))


def _calendar(*, name: str, description: str, pairs: list[tuple[Edition, Session]], language: str, method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//Leergang//Leergang calendar//{language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_vtimezone([session.date for _edition, session in pairs]))
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    urls: dict[int, str] = {}  # reversed once per edition, not per session
    for edition, session in pairs:
        if edition.id not in urls:
            urls[edition.id] = programme_page_url(edition)
        calendar.add_component(_event(edition, session, stamp=stamp, url=urls[edition.id]))
    return calendar


def _event(edition: Edition, session: Session, *, stamp: datetime.datetime, url: str) -> Event:
    event = Event()
    event.add("uid", event_uid(session))
    event.add("sequence", session.calendar_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.datetime.combine(session.date, session.start_time, tzinfo=ZONE))
    event.add("dtend", datetime.datetime.combine(session.date, session.end_time, tzinfo=ZONE))
    event.add("summary", summary(edition, session))
    event.add("description", description(session, url))
    place = location(edition, session)
    if place:
        event.add("location", place)
    event.add("url", url)
    if session.updated_at:
        event.add("last-modified", session.updated_at.astimezone(datetime.UTC).replace(microsecond=0))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def summary(edition: Edition, session: Session) -> str:
    """`Sturen en leidinggeven vanuit vertrouwen – Bijeenkomst 1`, or `– Slotbijeenkomst` for the closing session."""
    if session.kind == SessionKind.CLOSING:
        label = gettext("Closing session")
    else:
        label = gettext("Session %(number)s") % {"number": session.number}
    return f"{edition.programme.title} – {label}"


def description(session: Session, url: str) -> str:
    """The theme, the parts with their teachers, the delivery mode and the programme page."""
    blocks = [session.theme.strip()] if session.theme.strip() else []
    parts = [f"- {part.title} – {part.teacher.name}" if part.teacher else f"- {part.title}" for part in session.parts.all()]
    if parts:
        blocks.append("\n".join(parts))
    mode = gettext("Delivery mode: %(mode)s") % {"mode": session.get_delivery_mode_display()}
    blocks.append(mode + "\n" + gettext("More information: %(url)s") % {"url": url})
    return "\n\n".join(blocks)


def location(edition: Edition, session: Session) -> str:
    """`Online` for an online session, else the edition's place (which may be empty)."""
    if session.delivery_mode == DeliveryMode.ONLINE:
        return str(DeliveryMode.ONLINE.label)
    return edition.place


def _organizer(edition: Edition) -> vCalAddress:
    programme = edition.programme
    address = programme.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(programme.organiser or "Leergang")
    return organizer


def _vtimezone(dates: list[datetime.date]) -> Timezone:
    years = [day.year for day in dates] or [timezone.localdate().year]
    return Timezone.from_ical(_vtimezone_ical(min(years), max(years)))


def _to_ical(calendar: Calendar) -> bytes:
    """`calendar.to_ical()`, byte for byte, but only folding the lines that need it.

    icalendar folds every content line character by character, which was a third of a feed's
    time; a line shorter than the 75-octet limit comes out of that unchanged, so it is only
    encoded here (tests/calendar/test_perf_scheduling.py compares the two)."""
    folded = []
    for line in calendar.content_lines():
        if not line:
            continue
        encoded = line.encode("utf-8")
        folded.append(encoded if len(encoded) < FOLD_LIMIT else line.to_ical())
    return b"\r\n".join(folded) + b"\r\n"


@functools.lru_cache(maxsize=64)
def _vtimezone_ical(first_year: int, last_year: int) -> bytes:
    """Europe/Amsterdam's offsets and transitions for the years of the events (built once per range)."""
    first = datetime.date(first_year, 1, 1)
    last = datetime.date(last_year + 1, 1, 1)
    return Timezone.from_tzid(TZID, first_date=first, last_date=last).to_ical()
