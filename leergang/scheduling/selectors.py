"""Reads for the calendar feeds, each a fixed number of queries whatever the data size."""

from collections import defaultdict

from leergang.accounts.models import User
from leergang.catalog.models import Edition, Location, Programme, Room, Session, SessionPart, Teacher
from leergang.core.sql_rows import read_joined, table
from leergang.enrolment.models import Enrolment, EnrolmentStatus

# What the private feed shows of an enrolment's edition, programme and place (see ics): only these
# columns are read, not the programme's texts and the rest of every row.
ENROLMENT_FIELDS = (
    "status",
    "edition__start_date",
    "edition__location",
    "edition__programme__slug",
    "edition__programme__title_nl",
    "edition__programme__title_en",
    "edition__room__location__name",
    "edition__room__location__address",
    "edition__room__location__postal_code",
    "edition__room__location__city",
)

# The same columns as (model, alias, fields) for read_joined: the enrolment, its edition, programme,
# room and the room's location, each row as select_related(...).only(*ENROLMENT_FIELDS) loads it.
_ENROLMENT_PARTS = (
    (Enrolment, "en", ("edition", "status")),
    (Edition, "ed", ("programme", "start_date", "location", "room")),
    (Programme, "p", ("slug", "title_nl", "title_en")),
    (Room, "r", ("location",)),
    (Location, "l", ("name", "address", "postal_code", "city")),
)
_SESSION_PARTS = ((Session, "s"),)
_PART_PARTS = ((SessionPart, "sp"), (Teacher, "t", ("name",)))


def calendar_enrolments(*, token: str) -> list[Enrolment]:
    """The active enrolments of the person whose active enrolment has this calendar token, with what
    the feed shows (programme, place, sessions, parts and teachers) and the person's language as
    `participant_language`: three queries.

    The sessions and their parts are handed over as plain lists, `edition.listed_sessions` and
    `session.listed_parts` (read by ics): Django's prefetching would build a queryset per edition and
    per session to hold them, which cost more than the queries themselves. The rows are read with
    hand-written SQL (`read_joined`): building the three ORM queries cost more than running them.
    They are what `select_related("edition__programme", "edition__room__location").only(...)`,
    the sessions ordered by number and the parts with `select_related("teacher")` loaded
    (tests/scheduling/test_perf_feed_selector.py compares them).

    Empty for an unknown token and for the token of a cancelled enrolment."""
    enrolled = EnrolmentStatus.ENROLLED.value
    rows = read_joined(
        f"FROM {table(Enrolment)} en"  # noqa: S608 - table names from the models
        f" INNER JOIN {table(User)} u ON en.participant_id = u.id"
        f" INNER JOIN {table(Edition)} ed ON en.edition_id = ed.id"
        f" INNER JOIN {table(Programme)} p ON ed.programme_id = p.id"
        f" LEFT OUTER JOIN {table(Room)} r ON ed.room_id = r.id"
        f" LEFT OUTER JOIN {table(Location)} l ON r.location_id = l.id"
        f" WHERE en.participant_id IN (SELECT o.participant_id FROM {table(Enrolment)} o"
        " WHERE o.calendar_token = %s AND o.status = %s) AND en.status = %s"
        " ORDER BY ed.start_date ASC, en.edition_id ASC",
        [token, enrolled, enrolled],
        _ENROLMENT_PARTS,
        extra="u.preferred_language",
    )
    enrolments = []
    editions = {}
    for enrolment, edition, programme, room, place, language in rows:
        enrolment.participant_language = language
        enrolment._state.fields_cache["edition"] = edition
        edition._state.fields_cache["programme"] = programme
        if room.pk is None:  # no room: select_related caches None, as here
            edition._state.fields_cache["room"] = None
        else:
            room._state.fields_cache["location"] = place
            edition._state.fields_cache["room"] = room
        enrolments.append(enrolment)
        editions[edition.id] = edition
    if not enrolments:
        return enrolments
    marks = ", ".join(["%s"] * len(editions))
    sessions = read_joined(
        f"FROM {table(Session)} s WHERE s.edition_id IN ({marks}) ORDER BY s.number ASC",  # noqa: S608
        list(editions),
        _SESSION_PARTS,
    )
    parts = defaultdict(list)
    for part, teacher in read_joined(
        f"FROM {table(SessionPart)} sp INNER JOIN {table(Session)} s ON sp.session_id = s.id"  # noqa: S608
        f" LEFT OUTER JOIN {table(Teacher)} t ON sp.teacher_id = t.id"
        f' WHERE s.edition_id IN ({marks}) ORDER BY sp."order" ASC, sp.id ASC',
        list(editions),
        _PART_PARTS,
    ):
        part._state.fields_cache["teacher"] = teacher if teacher.pk is not None else None
        parts[part.session_id].append(part)
    for edition in editions.values():
        edition.listed_sessions = []
    for (session,) in sessions:
        session.listed_parts = parts[session.id]
        editions[session.edition_id].listed_sessions.append(session)
    return enrolments
