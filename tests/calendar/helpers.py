"""Reading .ics bodies the way a calendar app does, with the format checks every feed must pass."""

import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UTC = datetime.UTC


def parse_ics(data: bytes) -> Calendar:
    """Parse a feed after checking its wire format (CRLF lines, folded at 75 octets) and that it
    survives a round trip through icalendar unchanged."""
    assert data.startswith(b"BEGIN:VCALENDAR\r\n"), data[:60]
    assert data.endswith(b"END:VCALENDAR\r\n"), data[-60:]
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert b"\n" not in line and b"\r" not in line, line  # every line ends in CRLF, no bare LF
        assert len(line) <= 75, line
    calendar = Calendar.from_ical(data)
    again = calendar.to_ical()
    assert again.endswith(b"\r\n") and b"\n" not in again.replace(b"\r\n", b"")
    assert Calendar.from_ical(again) == calendar
    return calendar


def events(calendar: Calendar) -> list[Event]:
    return list(calendar.walk("VEVENT"))


def by_uid(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in events(calendar)}


def uid_of(session) -> str:
    return f"{session.calendar_uid}@leergang"


def local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM)


def assert_has_amsterdam_vtimezone(calendar: Calendar, *days: datetime.date) -> None:
    """A VTIMEZONE for Europe/Amsterdam whose own rules (not the IANA lookup) give CET and CEST
    on the given days: what Outlook relies on."""
    zones = [zone for zone in calendar.walk("VTIMEZONE") if str(zone["TZID"]) == "Europe/Amsterdam"]
    assert len(zones) == 1, [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")]
    own_rules = zones[0].to_tz(lookup_tzid=False)
    for day in days:
        at_noon = datetime.datetime.combine(day, datetime.time(12, 0), tzinfo=own_rules)
        assert at_noon.utcoffset() == AMSTERDAM.utcoffset(datetime.datetime.combine(day, datetime.time(12, 0))), day


def assert_local_times(event: Event, start: datetime.datetime, end: datetime.datetime) -> None:
    for name, expected in (("DTSTART", start), ("DTEND", end)):
        prop = event[name]
        assert prop.params["TZID"] == "Europe/Amsterdam", (name, prop.params)
        value = prop.dt
        assert value.replace(tzinfo=None) == expected.replace(tzinfo=None), (name, value)  # local wall-clock time
        assert value.astimezone(UTC) == expected.astimezone(UTC), (name, value)  # the same instant
