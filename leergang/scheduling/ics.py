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

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from icalendar import Timezone, vCalAddress, vDuration, vText
from icalendar.parser import Contentline

from leergang.catalog.models import DeliveryMode, Edition, Session, SessionKind
from leergang.core.formatting import long_date
from leergang.enrolment.models import EnrolmentStatus

TZID = "Europe/Amsterdam"
UID_DOMAIN = "leergang"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
# How often subscribed calendar apps should fetch a feed again (Outlook and Apple read these).
REFRESH_INTERVAL = datetime.timedelta(hours=1)
REFRESH_DURATION = vDuration(REFRESH_INTERVAL).to_ical().decode()  # PT1H
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
        return _calendar(
            name=edition.programme.title,
            description=gettext("Edition starting %(date)s") % {"date": long_date(edition.start_date)},
            pairs=pairs,
            language=language,
            method="PUBLISH",
            refresh=True,
        )


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
        return _calendar(
            name=edition.programme.title,
            description="",
            pairs=[(edition, session)],
            language=language,
            method=method,
            organizer=_organizer(edition) if method != "PUBLISH" else "",
            status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
        )


def participant_calendar(enrolments: Iterable, *, language: str) -> bytes:
    """All sessions of a person's active enrolments (cancelled ones are left out), for the private
    feed. Pass enrolments with `edition__programme`, `edition__room__location` selected and the
    sessions with their parts and teachers listed (`selectors.calendar_enrolments`) or prefetched."""
    active = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
    with override(language):
        seen: set[str] = set()
        pairs = []
        for enrolment in active:
            for session in _listed(enrolment.edition, "sessions"):
                uid = event_uid(session)
                if uid not in seen:
                    seen.add(uid)
                    pairs.append((enrolment.edition, session))
        pairs.sort(key=lambda pair: (pair[1].date, pair[1].start_time, pair[0].id, pair[1].number))
        titles = {e.edition.programme.title for e in active}
        return _calendar(
            name=titles.pop() if len(titles) == 1 else gettext("My programmes"),
            description="",
            pairs=pairs,
            language=language,
            method="PUBLISH",
            refresh=True,
        )


# -- writing -------------------------------------------------------------------------------------
# The feeds are written as text here rather than built as icalendar components: building and
# serialising a component per property was most of a feed's time. The output is byte for byte what
# icalendar 7 wrote (tests/scheduling/test_perf_sched_ics.py compares the two): its property order
# (the canonical ones first, then alphabetical), its TEXT escaping and its folding.


def _calendar(
    *,
    name: str,
    description: str,
    pairs: list[tuple[Edition, Session]],
    language: str,
    method: str,
    refresh: bool = False,
    organizer: str = "",
    status: str = "CONFIRMED",
) -> bytes:
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{_text(f'-//Leergang//Leergang calendar//{language.upper()}')}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{_text(method)}",
    ]
    # icalendar wrote these three verbatim (as values of a type it does not know), not escaped.
    if description:
        head.append(f"X-WR-CALDESC:{description}")
    head += [f"NAME:{name}", f"X-WR-CALNAME:{name}"]
    if refresh:
        head += [f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_DURATION}", f"X-PUBLISHED-TTL:{REFRESH_DURATION}"]
    head.append(f"X-WR-TIMEZONE:{TZID}")
    years = [session.date.year for _edition, session in pairs] or [timezone.localdate().year]
    stamp = _utc(timezone.now())
    events: list[str] = []
    urls: dict[int, str] = {}  # reversed once per edition, not per session
    for edition, session in pairs:
        if edition.id not in urls:
            urls[edition.id] = programme_page_url(edition)
        events += _event(edition, session, stamp=stamp, url=urls[edition.id], organizer=organizer, status=status)
    events.append("END:VCALENDAR")
    return b"".join((_lines(head), _vtimezone_ical(min(years), max(years)), _lines(events)))


def _event(edition: Edition, session: Session, *, stamp: str, url: str, organizer: str, status: str) -> list[str]:
    start = _local(session.date, session.start_time)
    end = _local(session.date, session.end_time)
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary(edition, session))}",
        f"DTSTART;TZID={TZID}:{start}",
        f"DTEND;TZID={TZID}:{end}",
        f"DTSTAMP:{stamp}",
        f"UID:{_text(event_uid(session))}",
        f"SEQUENCE:{int(session.calendar_sequence)}",
        f"DESCRIPTION:{_text(description(session, url))}",
    ]
    if session.updated_at:
        lines.append(f"LAST-MODIFIED:{_utc(session.updated_at)}")
    place = location(edition, session)
    if place:
        lines.append(f"LOCATION:{_text(place)}")
    if organizer:
        lines.append(organizer)
    lines += [f"STATUS:{status}", "TRANSP:OPAQUE", f"URL:{url}", "END:VEVENT"]  # a URI is not escaped
    return lines


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
    parts = [f"- {part.title} – {part.teacher.name}" if part.teacher else f"- {part.title}" for part in _listed(session, "parts")]
    if parts:
        blocks.append("\n".join(parts))
    mode = gettext("Delivery mode: %(mode)s") % {"mode": session.get_delivery_mode_display()}
    blocks.append(mode + "\n" + gettext("More information: %(url)s") % {"url": url})
    return "\n\n".join(blocks)


def _listed(instance: Edition | Session, relation: str) -> Iterable:
    """An edition's sessions or a session's parts: as the private feed's selector lists them
    (`listed_sessions`, `listed_parts`), else through the relation, prefetched by the caller."""
    listed = getattr(instance, f"listed_{relation}", None)
    return listed if listed is not None else getattr(instance, relation).all()


def location(edition: Edition, session: Session) -> str:
    """`Online` for an online session, else the edition's place (which may be empty)."""
    if session.delivery_mode == DeliveryMode.ONLINE:
        return str(DeliveryMode.ONLINE.label)
    return edition.place


def _organizer(edition: Edition) -> str:
    """The ORGANIZER line. Rare (only e-mailed requests and cancellations carry it), so its
    parameter quoting is left to icalendar."""
    programme = edition.programme
    address = programme.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(programme.organiser or "Leergang")
    return Contentline.from_parts("ORGANIZER", organizer.params, organizer)


def _text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11) escaped as icalendar escapes it, in the same order: a
    written-out `\\N` is a line break too, and CR, LF or CRLF all become `\\n`."""
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _local(day: datetime.date, time: datetime.time) -> str:
    """A local DATE-TIME (its TZID is on the property)."""
    return f"{day.year:04}{day.month:02}{day.day:02}T{time.hour:02}{time.minute:02}{time.second:02}"


def _utc(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC, to the second."""
    moment = moment.astimezone(datetime.UTC)
    return f"{_local(moment.date(), moment.time())}Z"


def _fold(line: bytes) -> bytes:
    """The line folded as icalendar folds: into pieces of at most 74 octets joined by CRLF and a
    space, never inside a character and never right after a backslash or caret (so an escape such as
    `\\,` stays on one line)."""
    if len(line) < FOLD_LIMIT:
        return line
    pieces = []
    start = 0
    while len(line) - start >= FOLD_LIMIT:
        end = start + FOLD_LIMIT - 1
        while line[end] & 0xC0 == 0x80:  # a continuation octet: the character starts earlier
            end -= 1
        if line[end - 1] in b"\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def _lines(lines: list[str]) -> bytes:
    return b"".join(_fold(line.encode()) + b"\r\n" for line in lines)


@functools.lru_cache(maxsize=64)
def _vtimezone_ical(first_year: int, last_year: int) -> bytes:
    """Europe/Amsterdam's offsets and transitions for the years of the events (built once per range),
    as the VTIMEZONE block of a calendar."""
    first = datetime.date(first_year, 1, 1)
    last = datetime.date(last_year + 1, 1, 1)
    return Timezone.from_ical(Timezone.from_tzid(TZID, first_date=first, last_date=last).to_ical()).to_ical()
