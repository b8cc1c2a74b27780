"""Reads for pages and the API, each a fixed number of queries whatever the data size."""

import datetime
import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    BooleanField,
    DateField,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import sql_rows
from leergang.core.errors import NotFound
from leergang.enrolment.selectors import SEATS_TAKEN, with_seats_taken

from .models import (
    Edition,
    EditionStatus,
    LearningGoal,
    Location,
    Programme,
    ProgrammeTeacher,
    Room,
    Session,
    SessionPart,
    Teacher,
)


def published_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(published=True).order_by("title_nl")


# What the home page shows of a programme (its cards) and of its next open edition.
_HOME_PARTS = (
    (Programme, "p", ("slug", "title_nl", "title_en", "tagline_nl", "tagline_en", "organiser")),
    (Edition, "e", ("start_date", "fee")),
)


def home_programmes() -> list[Programme]:
    """Every published programme (by Dutch title) with the start date and fee of its next edition
    open for registration as `next_start` and `next_fee` (None without one): one query, read with
    hand-written SQL (building the ORM's two subqueries cost more than running them). The same as
    published_programmes() annotated with Subquery(...)[:1] of the open editions by start date and
    id (tests/catalog/test_perf_home_cards.py compares them), with only the cards' fields loaded."""
    edition = sql_rows.table(Edition)
    rows = sql_rows.read_joined(
        f"FROM {sql_rows.table(Programme)} p LEFT OUTER JOIN {edition} e ON e.id = ("  # noqa: S608 - table names
        f"SELECT n.id FROM {edition} n WHERE n.programme_id = p.id AND n.status = %s"
        " ORDER BY n.start_date ASC, n.id ASC LIMIT 1)"
        " WHERE p.published = %s ORDER BY p.title_nl ASC",
        [EditionStatus.OPEN.value, True],
        _HOME_PARTS,
    )
    programmes = []
    for programme, next_open in rows:
        found = next_open.pk is not None
        programme.next_start = next_open.start_date if found else None
        programme.next_fee = next_open.fee if found else None
        programmes.append(programme)
    return programmes


def visible_programmes(user) -> QuerySet[Programme]:
    if permissions.is_coordinator(user):
        return Programme.objects.order_by("title_nl")
    return published_programmes()


def _visible_editions(user) -> QuerySet[Edition]:
    editions = Edition.objects.all()
    if not permissions.can_see_draft_editions(user):
        editions = editions.exclude(status=EditionStatus.DRAFT)
    return editions


def _sessions_with_parts() -> Prefetch:
    parts = SessionPart.objects.select_related("teacher")
    return Prefetch("sessions", queryset=Session.objects.order_by("number").prefetch_related(Prefetch("parts", queryset=parts)))


class EditionBrief:
    """What the programme page's list of editions reads of each edition (its switch between them, the
    featured edition): a programme has some forty, and loading each as a whole Edition with its room
    cost more than the rest of the page's reading. The edition shown is read whole (edition_for_page)."""

    __slots__ = ("id", "start_date", "status", "capacity", "seats_taken")

    def __init__(self, id: int, start_date: datetime.date, status: str, capacity: int, seats_taken: int):  # noqa: A002 - as Edition calls it
        self.id, self.start_date, self.status, self.capacity, self.seats_taken = id, start_date, status, capacity, seats_taken

    @property
    def pk(self) -> int:
        return self.id

    @property
    def accepts_applications(self) -> bool:
        return self.status == EditionStatus.OPEN


def programme_for_page(*, user, slug: str) -> Programme:
    """The programme with `goals`, `lead_teacher_links` (with their teachers) and `visible_editions`
    (EditionBrief, by start date, with seats taken; see `edition_for_page` for the one shown and
    `sessions_for_page` for its sessions). Four plain queries written as SQL (core.sql_rows): on a
    page read at every visit, building and compiling the ORM's queries cost several times what
    running them did (tests/catalog/test_perf_aw_programme_reads.py holds them equal to the ORM's)."""
    published = not permissions.is_coordinator(user)  # as visible_programmes
    rows = sql_rows.read_joined(
        f"FROM {_table(Programme)} p WHERE p.slug = %s" + (" AND p.published = %s" if published else ""),
        [slug, True] if published else [slug],
        ((Programme, "p"),),
    )
    if not rows:
        raise NotFound(_("There is no programme with this name."))
    programme = rows[0][0]
    order = _quote("order")
    # In the models' order ("order", then id), as the ORM reads them.
    programme.goals = [
        goal
        for (goal,) in sql_rows.read_joined(
            f"FROM {_table(LearningGoal)} g WHERE g.programme_id = %s ORDER BY g.{order}, g.id",
            [programme.pk],
            ((LearningGoal, "g"),),
        )
    ]
    links = []
    for link, teacher in sql_rows.read_joined(
        f"FROM {_table(ProgrammeTeacher)} l JOIN {_table(Teacher)} t ON t.id = l.teacher_id"
        f" WHERE l.programme_id = %s ORDER BY l.{order}, l.id",
        [programme.pk],
        ((ProgrammeTeacher, "l"), (Teacher, "t")),
    ):
        link.teacher = teacher
        links.append(link)
    programme.lead_teacher_links = links
    programme.visible_editions = _edition_briefs(programme.pk, drafts=permissions.can_see_draft_editions(user))
    return programme


def _edition_briefs(programme_id: int, *, drafts: bool) -> list[EditionBrief]:
    """The programme's editions (without drafts unless `drafts`, as `_visible_editions`) by start
    date, with seats taken (enrolment.selectors.SEATS_TAKEN's SQL), as EditionBrief."""
    seats = SEATS_TAKEN.template % {"expressions": "d.id"}
    sql = (
        f"SELECT d.id, d.start_date, d.status, d.capacity, {seats} FROM {_table(Edition)} d"  # noqa: S608 - our own names
        " WHERE d.programme_id = %s" + ("" if drafts else " AND NOT (d.status = %s)") + " ORDER BY d.start_date, d.id"
    )
    to_date = _date_converter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme_id] if drafts else [programme_id, EditionStatus.DRAFT.value])
        return [EditionBrief(pk, to_date(day), status, capacity, taken) for pk, day, status, capacity, taken in cursor.fetchall()]


def _table(model) -> str:
    return sql_rows.table(model)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(model, names: tuple[str, ...]) -> list:
    """Per column (by field name) the converters the ORM's compiler applies to it on this connection."""
    return list(_converters_of(connections[DEFAULT_DB_ALIAS], model, names))


@functools.lru_cache(maxsize=16)
def _converters_of(db, model, names: tuple[str, ...]) -> tuple:
    # Kept per connection (a converter may ask its connection): they depend on the schema only.
    found = []
    for name in names:
        col = model._meta.get_field(name).get_col("t")
        found.append((col, db.ops.get_db_converters(col) + col.get_db_converters(db)))
    return tuple(found)


def _date_converter():
    converters = _converters(Edition, ("start_date",))[0]

    def convert(value):
        col, functions = converters
        for function in functions:
            value = function(value, col, connection)
        return value

    return convert


def edition_for_page(programme: Programme, brief: EditionBrief) -> Edition | None:
    """The edition of `programme.visible_editions` a page shows, whole, with its room's location,
    `programme`, `seats_taken` (as the list counted them) and `has_sessions` (so that a page need not
    ask for sessions there are none of). One query written as SQL (core.sql_rows), as the ORM's
    `select_related("room__location")` with `has_sessions` read it; None if it was deleted since the
    list was read."""
    session_table, edition_column = _table(Session), _quote(Session._meta.get_field("edition").column)
    rows = sql_rows.read_joined(
        f"FROM {_table(Edition)} d LEFT JOIN {_table(Room)} r ON r.id = d.room_id"
        f" LEFT JOIN {_table(Location)} l ON l.id = r.location_id WHERE d.id = %s AND d.programme_id = %s",
        [brief.id, programme.pk],
        ((Edition, "d"), (Room, "r"), (Location, "l")),
        # one probe of the index session_edition_date
        extra=f"EXISTS (SELECT 1 FROM {session_table} WHERE {edition_column} = d.id)",  # noqa: S608 - our own names
    )
    if not rows:
        return None
    edition, room, location, has_sessions = rows[0]
    if edition.room_id is None:
        edition.room = None
    else:
        room.location = location
        edition.room = room
    edition.has_sessions = bool(has_sessions)  # SQLite gives booleans as numbers
    edition.programme = programme
    edition.seats_taken = brief.seats_taken
    return edition


# What the programme page shows of a session and of its parts (see sessions_for_page).
_SESSION_FIELDS = (
    "id",
    "edition_id",
    "number",
    "kind",
    "date",
    "start_time",
    "end_time",
    "theme_nl",
    "theme_en",
    "delivery_mode",
)
_PART_FIELDS = ("id", "session_id", "order", "title_nl", "title_en", "teacher_id")


def _sessions_sql() -> str:
    return _sessions_sql_for(connections[DEFAULT_DB_ALIAS])


@functools.lru_cache(maxsize=4)
def _sessions_sql_for(db) -> str:  # the names depend on the schema only: written once per connection
    session, part, teacher = _table(Session), _table(SessionPart), _table(Teacher)
    columns = ", ".join(
        [f"s.{_quote(Session._meta.get_field(name).column)}" for name in _SESSION_FIELDS]
        + [f"p.{_quote(SessionPart._meta.get_field(name).column)}" for name in _PART_FIELDS]
    )
    return (
        f"SELECT {columns}, t.name FROM {session} s LEFT JOIN {part} p ON p.session_id = s.id"  # noqa: S608 - our own names
        f" LEFT JOIN {teacher} t ON t.id = p.teacher_id WHERE s.edition_id = %s ORDER BY s.number, p.{_quote('order')}, p.id"
    )


def sessions_for_page(edition: Edition) -> list[Session]:
    """The edition's sessions in order (only what the page shows of them), each with `part_list` (its
    parts in order, with their teachers' names): one query written as SQL, the sessions joined to
    their parts (a session without parts is one row with none), its values converted as the ORM
    converts them. Plain rows: model instances of every column and the prefetch machinery cost more
    than the reading, and building the ORM's query more than running it."""
    if not getattr(edition, "has_sessions", True):
        return []
    converters = _converters(Session, _SESSION_FIELDS) + _converters(SessionPart, _PART_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(_sessions_sql(), [edition.pk])
        fetched = cursor.fetchall()
    db = connection.alias
    sessions: list[Session] = []
    split, teacher_at = len(_SESSION_FIELDS), len(_SESSION_FIELDS) + len(_PART_FIELDS)
    for raw in fetched:
        row = []
        for value, (col, functions) in zip(raw[:teacher_at], converters, strict=True):
            for function in functions:
                value = function(value, col, connection)
            row.append(value)
        if not sessions or sessions[-1].pk != row[0]:
            session = Session.from_db(db, _SESSION_FIELDS, row[:split])
            session.part_list = []
            sessions.append(session)
        if row[split] is not None:
            part = SessionPart.from_db(db, _PART_FIELDS, row[split:teacher_at])
            if part.teacher_id is not None:
                part.teacher = Teacher.from_db(db, ("id", "name"), (part.teacher_id, raw[teacher_at]))
            session.part_list.append(part)
    return sessions


# What the API tells of each edition of a programme (presenters.edition_brief), besides seats taken.
EDITION_BRIEF_FIELDS = ("programme", "start_date", "status", "capacity")


def programme_for_api(*, user, slug: str) -> Programme:
    """As `programme_for_page`, with only what the API's programme shows of each edition (no room,
    fee, times: forty editions' every column cost more to load than the query itself)."""
    return _programme_with_editions(user, slug, _visible_editions(user).only(*EDITION_BRIEF_FIELDS))


def _programme_with_editions(user, slug: str, editions: QuerySet[Edition]) -> Programme:
    editions = with_seats_taken(editions).order_by("start_date", "id")
    programme = (
        visible_programmes(user)
        .filter(slug=slug)
        .prefetch_related(
            "learning_goals",
            Prefetch("teacher_links", queryset=ProgrammeTeacher.objects.select_related("teacher")),
            Prefetch("editions", queryset=editions, to_attr="visible_editions"),
        )
        .first()
    )
    if programme is None:
        raise NotFound(_("There is no programme with this name."))
    return programme


def edition_detail(*, user, edition_id: int) -> Edition:
    """An edition with its sessions; 404 alike for a missing edition, a draft the user may not see and
    an edition of a programme that is not published (for whoever may not see that programme)."""
    editions = _visible_editions(user)
    if not permissions.is_coordinator(user):
        editions = editions.filter(programme__published=True)
    edition = (
        with_seats_taken(editions.select_related("programme", "room__location"))
        .prefetch_related(_sessions_with_parts())
        .filter(pk=edition_id)
        .first()
    )
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    return edition


def with_sessions(edition: Edition) -> Edition:
    """Attach the sessions (with parts and teachers) to an edition already in hand: two queries."""
    prefetch_related_objects([edition], _sessions_with_parts())
    return edition


def featured_edition(editions: list[EditionBrief], today) -> EditionBrief | None:
    """The edition a visitor most likely wants: the next one open for registration, else the
    next one that has not finished, else the most recent."""
    if not editions:
        return None
    open_ones = [e for e in editions if e.status == EditionStatus.OPEN]
    if open_ones:
        return min(open_ones, key=lambda e: e.start_date)
    coming = [e for e in editions if e.status != EditionStatus.COMPLETED and e.start_date >= today]
    if coming:
        return min(coming, key=lambda e: e.start_date)
    return max(editions, key=lambda e: e.start_date)


# The programme office's overview shows the editions it works on: drafts, open and running ones, and
# completed ones whose last session was at most RECENTLY_COMPLETED_DAYS ago (diplomas, the last
# invoices and refunds follow the end of an edition by weeks). Older ones are in the archive of all
# editions (`archived_editions`), a page at a time. A quarter, not a year: a school with ten
# programmes completes some forty editions a year, and the overview is what the office opens first.
RECENTLY_COMPLETED_DAYS = 91


def current_editions(user, today: datetime.date | None = None) -> QuerySet[Edition]:
    """The visible editions that are not completed, or completed with a session on or after the cutoff
    (or, without sessions, starting on or after it)."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=RECENTLY_COMPLETED_DAYS)
    return _visible_editions(user).filter(
        ~Q(status=EditionStatus.COMPLETED) | Q(start_date__gte=cutoff) | _has_session_since(cutoff)
    )


def _has_session_since(day: datetime.date) -> Func:
    """Whether the edition has a session on or after `day`: EXISTS, one probe of the index
    session_edition_date. Written as SQL: building Exists(Session.objects.filter(...)) cost more
    than running it."""
    table, column = Session._meta.db_table, Session._meta.get_field("edition").column
    return Func(
        F("pk"),
        Value(day, output_field=DateField()),
        template=f'EXISTS (SELECT 1 FROM "{table}" WHERE "{column}" = %(expressions)s)',  # noqa: S608 - our own names
        arg_joiner=' AND "date" >= ',
        output_field=BooleanField(),
    )


# What the office's overview reads of each programme and edition (see programmes_with_current_editions).
OVERVIEW_PROGRAMME_FIELDS = (
    "slug",
    "published",
    "title_nl",
    "title_en",
    "award_min_content_sessions",
    "award_requires_paper",
    "award_requires_presentation",
)
OVERVIEW_EDITION_FIELDS = ("programme", "start_date", "status")


def _edition_count(*, with_drafts: bool) -> Func:
    """How many editions a programme has (drafts only `with_drafts`), as a correlated count: cheaper
    to build and to run than a join of every edition grouped by every column of the programme."""
    drafts = "" if with_drafts else f" AND \"status\" <> '{EditionStatus.DRAFT}'"
    table, column = Edition._meta.db_table, Edition._meta.get_field("programme").column
    template = f'(SELECT COUNT(*) FROM "{table}" WHERE "{column}" = %(expressions)s{drafts})'  # noqa: S608 - our own names
    return Func(F("pk"), template=template, output_field=IntegerField())


def programmes_with_current_editions(user, today: datetime.date | None = None) -> list[Programme]:
    """The programmes a user may see, each with `current_editions` (a list, by start date, each
    edition with its `programme`) and `edition_count`, how many editions it has in all (for the link
    to the archive): two queries however many programmes and editions there are."""
    # Only the columns the overview shows and its counts read (the award rule for the early
    # warning): a programme's texts and an edition's every detail cost more to load than to query.
    # Plain queries, the editions sorted out here: the prefetch machinery cost more than the reading.
    programmes = list(
        visible_programmes(user)
        .only(*OVERVIEW_PROGRAMME_FIELDS)
        .annotate(edition_count=_edition_count(with_drafts=permissions.can_see_draft_editions(user)))
    )
    by_id = {programme.pk: programme for programme in programmes}
    for programme in programmes:
        programme.current_editions = []
    if by_id:
        editions = current_editions(user, today).filter(programme_id__in=list(by_id)).only(*OVERVIEW_EDITION_FIELDS)
        for edition in editions.order_by("start_date", "id"):
            programme = by_id[edition.programme_id]
            edition.programme = programme
            programme.current_editions.append(edition)
    return programmes


ARCHIVE_FIELDS = ("start_date", "status", "programme__slug", "programme__title_nl", "programme__title_en")


def archived_editions(user, *, programme: Programme | None = None, status: str = "") -> QuerySet[Edition]:
    """All the editions a user may see, newest first, with their programme; of one programme and in
    one status when given (the archive page pages through them)."""
    # Only what the archive shows: the programme's texts are long, and fifty of them a page add up.
    editions = _visible_editions(user).select_related("programme").only(*ARCHIVE_FIELDS)
    if programme is not None:
        editions = editions.filter(programme=programme)
    if status:
        editions = editions.filter(status=status)
    return editions.order_by("-start_date", "-id")
