"""Where an enrolment stands toward its award: the facts from the database fed to the pure rule.

Reads only, each with a fixed number of queries: for any enrolments at once (`standings_for`), per
edition (`edition_standings`) or for many editions at once (`out_of_reach_by_edition`), never a
query per enrolment, participant or session. The reads behind the office's overview
(`out_of_reach_counts`) and behind issuing one award (`locked_place`, `issue_facts`,
`issue_standing`) are written as SQL from the models' table and column names: they run on every
visit or award, and building and compiling the ORM's queries took longer than running them; tests
hold each equal to the ORM's read (tests/awards/test_out_of_reach_counts.py, test_issue_reads.py).
"""

# ruff: noqa: S608 - the SQL is built from the models' table and column names, never from input

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, EditionStatus, Programme, Session, SessionKind
from leergang.core import sql_rows
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import selectors as learning_selectors
from leergang.learning.models import PaperSubmission, PresentationSlot

from . import rules
from .models import Award

User = get_user_model()

# (session id, kind, date) in session order.
SessionRow = tuple[int, str, datetime.date]
MISSED = (rules.ABSENT, rules.EXCUSED)


def policy_for(programme) -> rules.Policy:
    """The programme's award rule, as data on the programme (M18)."""
    return rules.Policy(
        min_content_attended=programme.award_min_content_sessions,
        require_paper=programme.award_requires_paper,
        require_presentation=programme.award_requires_presentation,
    )


def _facts(
    sessions: Iterable[SessionRow],
    statuses: dict[int, str],
    *,
    paper: str,
    presented: bool | None,
    cancelled: bool,
    today: datetime.date,
) -> rules.Facts:
    sessions = list(sessions)
    closing_dates = [day for _pk, kind, day in sessions if kind == SessionKind.CLOSING]
    return rules.Facts(
        sessions=tuple(rules.SessionFact(kind, day <= today, statuses.get(pk)) for pk, kind, day in sessions),
        paper=paper,
        presented=presented,
        cancelled=cancelled,
        final=bool(closing_dates) and max(closing_dates) <= today,
    )


def edition_sessions(edition: Edition) -> list[SessionRow]:
    """The edition's sessions as (pk, kind, date) in session order (one query, written as SQL: the
    number is unique per edition; tests/awards/test_perf_standing_reads.py compares it with the ORM's)."""
    to_date = Session._meta.get_field("date").to_python  # SQLite gives dates as text
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, kind, "date" FROM {_table(Session)} WHERE edition_id = %s ORDER BY number', [edition.pk])
        return [(pk, kind, to_date(day)) for pk, kind, day in cursor.fetchall()]


def facts_for(enrolment: Enrolment, *, sessions: Iterable[SessionRow] | None = None) -> rules.Facts:
    """Four queries: the sessions (none when `sessions`, as `edition_sessions` returns them, is
    given), the enrolment's attendance, its paper and its presentation."""
    statuses = dict(Attendance.objects.filter(enrolment=enrolment).values_list("session_id", "status"))
    sessions = list(sessions) if sessions is not None else edition_sessions(enrolment.edition)
    return _facts(
        sessions,
        statuses,
        paper=learning_selectors.paper_status(enrolment.pk)["status"],
        presented=learning_selectors.presented(enrolment.pk),
        cancelled=enrolment.status != EnrolmentStatus.ENROLLED,
        today=timezone.localdate(),
    )


def standing(enrolment: Enrolment, *, sessions: Iterable[SessionRow] | None = None) -> rules.Outcome:
    return rules.evaluate(policy_for(enrolment.edition.programme), facts_for(enrolment, sessions=sessions))


def out_of_reach(policy: rules.Policy, facts: rules.Facts, outcome: rules.Outcome | None = None) -> bool:
    """The early warning (M18): before the outcome is final, so many content sessions were missed
    (absent, or excused) that the diploma can no longer be reached.

    Not for a cancelled enrolment, and not while the schedule itself has fewer content sessions than
    the rule asks (an edition still being planned): that is for the programme office to fix, not
    something a participant's absences caused. With enough sessions planned, "not reachable" can
    only come from sessions missed, since before the final outcome the paper and the presentation
    are always still reachable."""
    if facts.final or facts.cancelled:
        return False
    # Before the final outcome the paper and the presentation can always still be met, so only
    # attendance can put the diploma out of reach.
    if outcome is not None and outcome.diploma_reachable:
        return False
    if outcome is None and not rules.attendance_out_of_reach(policy, facts):
        return False
    content = sum(1 for s in facts.sessions if s.kind == rules.CONTENT)
    return content >= policy.min_content_attended


class _Counts:
    """Attendance counts for an object with `policy` and `facts`."""

    policy: rules.Policy
    facts: rules.Facts

    @property
    def content_sessions(self) -> int:
        return sum(1 for s in self.facts.sessions if s.kind == rules.CONTENT)

    @property
    def attended(self) -> int:
        return rules.attended_content(self.facts)

    @property
    def missed(self) -> int:
        """Content sessions missed: absent, or excused (also ahead)."""
        return sum(1 for s in self.facts.sessions if s.kind == rules.CONTENT and s.status in MISSED)

    @property
    def still_possible(self) -> int:
        """Content sessions that may still count (nothing recorded yet), before the outcome is final."""
        return rules.still_possible(self.facts)

    @property
    def needed(self) -> int:
        return self.policy.min_content_attended

    @property
    def still_needed(self) -> int:
        """Content sessions still to attend for the diploma."""
        return max(0, self.needed - self.attended)


@dataclass(frozen=True)
class Reach(_Counts):
    """An active enrolment for which the diploma is out of reach (the early warning)."""

    enrolment: Enrolment
    policy: rules.Policy
    facts: rules.Facts


@dataclass(frozen=True)
class Standing(_Counts):
    """An enrolment's standing with what the pages show next to the rule's outcome."""

    enrolment: Enrolment
    policy: rules.Policy
    facts: rules.Facts
    outcome: rules.Outcome
    # The recorded attendance as (session id, status), in session order.
    attendance: tuple[tuple[int, str], ...]
    paper_info: dict[str, Any]  # the contract's paper object: {"status", "submitted_at"}
    awards: tuple[Award, ...] = ()  # newest first, revoked ones too (without their PDF and credential)

    @property
    def award(self) -> Award | None:
        """The valid (not revoked) issued award, if any."""
        return next((award for award in self.awards if award.revoked_at is None), None)

    @property
    def revoked_awards(self) -> list[Award]:
        return [award for award in self.awards if award.revoked_at is not None]

    @property
    def paper(self) -> str:
        return self.facts.paper

    @property
    def presented(self) -> bool | None:
        return self.facts.presented

    @property
    def final(self) -> bool:
        return self.outcome.final

    @property
    def cancelled(self) -> bool:
        return self.facts.cancelled

    @property
    def out_of_reach(self) -> bool:
        return out_of_reach(self.policy, self.facts, self.outcome)

    @property
    def prospect(self) -> str:
        return rules.prospect(self.facts, self.outcome)

    @property
    def missing(self) -> list[rules.Criterion]:
        """The diploma criteria not met yet."""
        return [c for c in self.outcome.criteria if not c.met]


def _awards_query():
    # The PDF and the signed credential are large and never shown on a page: left in the database.
    return Award.objects.defer("pdf", "credential", "snapshot").order_by("-issued_at", "-pk")


def _standing(
    enrolment: Enrolment,
    policy: rules.Policy,
    sessions: list[SessionRow],
    statuses: dict[int, str],
    paper_info: dict[str, Any],
    presented: bool | None,
    awards: Iterable[Award],
    today: datetime.date,
) -> Standing:
    facts = _facts(
        sessions,
        statuses,
        paper=paper_info["status"],
        presented=presented,
        cancelled=enrolment.status != EnrolmentStatus.ENROLLED,
        today=today,
    )
    recorded = tuple((pk, statuses[pk]) for pk, _kind, _day in sessions if pk in statuses)
    return Standing(enrolment, policy, facts, rules.evaluate(policy, facts), recorded, paper_info, tuple(awards))


def _paper_info(paper: PaperSubmission | None) -> dict[str, Any]:
    if paper is None:
        return {"status": "missing", "submitted_at": None}
    return {"status": paper.status, "submitted_at": paper.submitted_at}


def standing_for(enrolment: Enrolment, *, today: datetime.date | None = None) -> Standing:
    """One enrolment's standing (four queries, as `standings_for`). `enrolment.edition.programme`
    should be loaded."""
    return standings_for([enrolment], today=today)[0]


def sessions_by_edition(edition_ids: Iterable[int]) -> dict[int, list[SessionRow]]:
    """The sessions of each edition (by id) in session order (one query)."""
    sessions: dict[int, list[SessionRow]] = {}
    for edition_id, pk, kind, day in (
        Session.objects.filter(edition_id__in=set(edition_ids))
        .order_by("edition_id", "number")
        .values_list("edition_id", "pk", "kind", "date")
    ):
        sessions.setdefault(edition_id, []).append((pk, kind, day))
    return sessions


def standings_for(
    enrolments: Iterable[Enrolment],
    *,
    today: datetime.date | None = None,
    sessions: dict[int, list[SessionRow]] | None = None,
    with_awards: bool = True,
) -> list[Standing]:
    """The standings of any enrolments (of any editions), in the order given. Four queries whatever
    their number: the sessions of their editions (none when `sessions`, as `sessions_by_edition`
    returns them, is given), their attendance, their current paper with their presentation, and their
    awards (none with `with_awards=False`, for pages that do not show them).
    `enrolment.edition.programme` should be loaded."""
    enrolments = list(enrolments)
    if not enrolments:
        return []
    today = today or timezone.localdate()
    ids = [enrolment.pk for enrolment in enrolments]
    if sessions is None:
        sessions = sessions_by_edition(enrolment.edition_id for enrolment in enrolments)
    statuses: dict[int, dict[int, str]] = {}
    for enrolment_id, session_id, value in (
        Attendance.objects.filter(enrolment_id__in=ids).order_by().values_list("enrolment_id", "session_id", "status")
    ):
        statuses.setdefault(enrolment_id, {})[session_id] = value
    # The current paper is the latest upload (as learning_selectors.latest_paper); the presentation
    # slot is one-to-one with the enrolment.
    latest = PaperSubmission.objects.filter(enrolment_id=OuterRef("pk")).order_by("-submitted_at", "-id")
    papers: dict[int, dict[str, Any]] = {}
    presented: dict[int, bool | None] = {}
    for pk, result, submitted_at, was_presented in (
        Enrolment.objects.filter(pk__in=ids)
        .annotate(paper_result=Subquery(latest.values("result")[:1]), paper_at=Subquery(latest.values("submitted_at")[:1]))
        .order_by()
        .values_list("pk", "paper_result", "paper_at", "presentation_slot__presented")
    ):
        papers[pk] = _paper_info(None if result is None else PaperSubmission(result=result, submitted_at=submitted_at))
        presented[pk] = was_presented
    awards: dict[int, list[Award]] = {}
    if with_awards:
        for award in _awards_query().filter(enrolment_id__in=ids):
            awards.setdefault(award.enrolment_id, []).append(award)
    return [
        _standing(
            enrolment,
            policy_for(enrolment.edition.programme),
            sessions.get(enrolment.edition_id, []),
            statuses.get(enrolment.pk, {}),
            papers.get(enrolment.pk) or _paper_info(None),
            presented.get(enrolment.pk),
            awards.get(enrolment.pk, ()),
            today,
        )
        for enrolment in enrolments
    ]


def edition_standings(
    edition: Edition,
    *,
    today: datetime.date | None = None,
    sessions: Iterable[SessionRow] | None = None,
    lock: bool = False,
) -> list[Standing]:
    """The standing of every enrolled participant of the edition, in name order (five queries,
    whatever the number of participants; four when the caller has read the edition's `sessions`
    already, as `edition_sessions` returns them; none more without participants).
    `edition.programme` should be loaded.

    `lock` (inside a transaction) locks the places and their participants, in name order, with the
    read: issuing does, so that it and issuing for one place (which locks that place) wait for each
    other. Whether they presented is recorded under the edition's lock, which the issuer holds already,
    so it is read here as committed; the attendance, papers and awards are read after the lock.

    Written as SQL (core.sql_rows for the places): the page and issuing read it on every visit,
    and building and compiling the ORM's four queries took several times as long as running them
    (tests/awards/test_perf_standing_reads.py holds it equal to the ORM's reads)."""
    today = today or timezone.localdate()
    sessions = list(sessions) if sessions is not None else edition_sessions(edition)
    # The places with their participant and whether they presented (the slot is one-to-one with the
    # place) in one read; the attendance, the papers and the awards by the places' ids, without joins.
    enrolments = _edition_places(edition.pk, lock=lock)
    if not enrolments:
        return []
    ids = [enrolment.pk for enrolment in enrolments]
    marks = ", ".join(["%s"] * len(ids))
    db = connections[DEFAULT_DB_ALIAS]
    statuses: dict[int, dict[int, str]] = {}
    papers: dict[int, PaperSubmission] = {}
    awards: dict[int, list[Award]] = {}
    paper_converters = _converters(db, PaperSubmission, ("result", "submitted_at"))
    award_fields, award_converters = _award_shape(db)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT enrolment_id, session_id, status FROM {_table(Attendance)} WHERE enrolment_id IN ({marks})", ids)
        for enrolment_id, session_id, value in cursor.fetchall():
            statuses.setdefault(enrolment_id, {})[session_id] = value
        # The current paper is the latest upload (as learning_selectors.latest_paper).
        cursor.execute(
            f"SELECT enrolment_id, result, submitted_at FROM {_table(PaperSubmission)} WHERE enrolment_id IN ({marks})"
            " ORDER BY enrolment_id, submitted_at DESC, id DESC",
            ids,
        )
        for enrolment_id, *values in cursor.fetchall():
            if enrolment_id not in papers:
                result, submitted_at = _convert(db, paper_converters, values)
                papers[enrolment_id] = PaperSubmission(result=result, submitted_at=submitted_at)
        # The awards as `_awards_query` reads them: without the PDF, the credential and the snapshot.
        columns = ", ".join(connection.ops.quote_name(field.column) for field in award_fields)
        cursor.execute(
            f"SELECT {columns} FROM {_table(Award)} WHERE enrolment_id IN ({marks}) ORDER BY issued_at DESC, id DESC", ids
        )
        names = [field.attname for field in award_fields]
        for row in cursor.fetchall():
            award = Award.from_db(db.alias, names, _convert(db, award_converters, row))
            awards.setdefault(award.enrolment_id, []).append(award)
    policy = policy_for(edition.programme)
    standings = []
    for enrolment in enrolments:
        enrolment.edition = edition  # already loaded: spare the templates a query per row
        standings.append(
            _standing(
                enrolment,
                policy,
                sessions,
                statuses.get(enrolment.pk, {}),
                _paper_info(papers.get(enrolment.pk)),
                enrolment.standing_presented,
                awards.get(enrolment.pk, ()),
                today,
            )
        )
    return standings


@functools.lru_cache(maxsize=16)
def _converters(db: Any, model: Any, names: tuple[str, ...]) -> tuple:
    """Per column (by field name) the converters the ORM's compiler applies to it (kept per connection)."""
    found = []
    for name in names:
        col = model._meta.get_field(name).get_col("t")
        found.append((col, db.ops.get_db_converters(col) + col.get_db_converters(db)))
    return tuple(found)


def _convert(db: Any, converters: tuple, values: Iterable[Any]) -> list[Any]:
    converted = []
    for value, (col, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, db)
        converted.append(value)
    return converted


@functools.lru_cache(maxsize=4)
def _award_shape(db: Any) -> tuple[tuple, tuple]:
    """The award's columns `_awards_query` loads (in model order) and their converters."""
    fields = tuple(field for field in Award._meta.concrete_fields if field.name not in AWARD_DEFERRED)
    return fields, _converters(db, Award, tuple(field.name for field in fields))


AWARD_DEFERRED = ("pdf", "credential", "snapshot")


def _places_sql(lock: bool) -> str:
    return (
        f"FROM {_table(Enrolment)} e JOIN {_table(User)} u ON u.id = e.participant_id"
        f" LEFT JOIN {_table(PresentationSlot)} s ON s.enrolment_id = e.id"
        " WHERE e.edition_id = %s AND e.status = %s ORDER BY u.last_name, u.first_name, e.id"
        # Not the presentation slot: it is on the nullable side of the join (and not changed here).
        + (sql_rows.lock_clause("e", "u") if lock else "")
    )


def _edition_places(edition_id: int, *, lock: bool = False) -> list[Enrolment]:
    """The edition's active places in name order with their participant loaded and whether they
    presented (`standing_presented`), as the ORM's `filter(edition_id=..., status=ENROLLED)
    .select_related("participant").annotate(standing_presented=F("presentation_slot__presented"))
    .order_by("participant__last_name", "participant__first_name", "pk")` (with
    `select_for_update(of=("self", "participant"))` when `lock`) reads them: one query as SQL."""
    rows = sql_rows.read_joined(
        _places_sql(lock), [edition_id, EnrolmentStatus.ENROLLED.value], ((Enrolment, "e"), (User, "u")), extra="s.presented"
    )
    places = []
    for enrolment, participant, presented in rows:
        enrolment.participant = participant
        enrolment.standing_presented = None if presented is None else bool(presented)  # SQLite gives numbers
        places.append(enrolment)
    return places


def _spare_by_edition(by_id: dict[int, Edition], sessions: dict[int, list[SessionRow]], today: datetime.date) -> dict[int, int]:
    """Per edition whose outcome is not final yet, how many content sessions its participants may
    miss and still reach the diploma: its content sessions minus the rule's minimum (negative while
    the schedule has fewer than the rule asks)."""
    spare: dict[int, int] = {}
    for edition_id, rows in sessions.items():
        policy = policy_for(by_id[edition_id].programme)
        content = sum(1 for _pk, kind, _day in rows if kind == SessionKind.CONTENT)
        if not _facts(rows, {}, paper="missing", presented=None, cancelled=False, today=today).final:
            spare[edition_id] = content - policy.min_content_attended
    return spare


def _missed_too_many(spare: dict[int, int], *, exclude_noticed: bool = False):
    """The ids (`enrolment_id`) of the active enrolments that missed (absent or excused) more content
    sessions than their edition can spare, as a subquery. Counted over the missed attendance rows
    only (a few per place), not over every place with all its attendance."""
    # Editions that can spare as many sessions share one condition (there are few distinct numbers).
    by_spare: dict[int, list[int]] = {}
    for edition_id, n in spare.items():
        if n >= 0:
            by_spare.setdefault(n, []).append(edition_id)
    beyond = Q(missed__lt=0)  # nothing (a count is never negative): the start of the OR
    for n, edition_ids in by_spare.items():
        beyond |= Q(enrolment__edition_id__in=edition_ids, missed__gt=n)
    missed = Attendance.objects.filter(
        # `or [0]`: an empty list would make Django skip the queries, and the count must not depend on the data
        enrolment__edition_id__in=list(spare) or [0],
        enrolment__status=EnrolmentStatus.ENROLLED,
        status__in=MISSED,
        session__kind=SessionKind.CONTENT,
    )
    if exclude_noticed:
        missed = missed.filter(enrolment__out_of_reach_notice__isnull=True)
    counted = missed.order_by().values("enrolment_id", "enrolment__edition_id").annotate(missed=Count("pk"))
    return counted.filter(beyond).values("enrolment_id")


def out_of_reach_by_edition(
    editions: Iterable[Edition], *, today: datetime.date | None = None, exclude_noticed: bool = False
) -> dict[int, list[Reach]]:
    """Per edition (by id), its active enrolments for which the diploma is out of reach (the early
    warning), with their participants and counts; editions without any are left out. Three queries for all the
    editions together. Only attendance decides this before the outcome is final, so papers and
    presentations are not read. `exclude_noticed` leaves out enrolments already e-mailed about it.
    `edition.programme` should be loaded.

    Before the outcome is final, a place is out of reach exactly when it missed (absent or
    excused) more content sessions than the edition can spare: its content sessions minus the
    rule's minimum. The database counts that, so only those few places and their attendance are
    read, whatever the size of the editions (the office's overview asks for every current edition)."""
    today = today or timezone.localdate()
    by_id = {edition.pk: edition for edition in editions}
    if not by_id:
        return {}
    sessions = sessions_by_edition(by_id)
    chosen = _missed_too_many(_spare_by_edition(by_id, sessions, today), exclude_noticed=exclude_noticed)
    enrolments = list(
        Enrolment.objects.filter(pk__in=Subquery(chosen))
        .select_related("participant")
        .order_by("edition_id", "participant__last_name", "participant__first_name", "pk")
    )
    statuses: dict[int, dict[int, str]] = {}
    # order_by(): the attendance's default order would join sessions, editions and participants for nothing
    for enrolment_id, session_id, value in (
        Attendance.objects.filter(enrolment_id__in=Subquery(chosen))
        .order_by()
        .values_list("enrolment_id", "session_id", "status")
    ):
        statuses.setdefault(enrolment_id, {})[session_id] = value
    result: dict[int, list[Reach]] = {}
    for enrolment in enrolments:
        edition = by_id[enrolment.edition_id]
        policy = policy_for(edition.programme)
        facts = _facts(
            sessions.get(edition.pk, []),
            statuses.get(enrolment.pk, {}),
            paper="missing",
            presented=None,
            cancelled=False,
            today=today,
        )
        if out_of_reach(policy, facts):  # the same rule as everywhere, on what the database picked
            enrolment.edition = edition
            result.setdefault(edition.pk, []).append(Reach(enrolment, policy, facts))
    return result


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _missed_counts_sql(editions: int) -> str:
    """Per edition (of `editions` ids given as parameters twice, then today's date) whose closing
    session is not past: its content sessions, and per number of content sessions of that edition
    missed (absent or excused) how many of its active places missed that many. Counted over the
    missed attendance rows only (a few per place), not over every place with all its attendance."""
    ids = ", ".join(["%s"] * editions)
    missed = ", ".join(f"'{status}'" for status in MISSED)
    summary = (
        f"SELECT s.edition_id, SUM(CASE WHEN s.kind = '{SessionKind.CONTENT}' THEN 1 ELSE 0 END) AS content,"
        f" MAX(CASE WHEN s.kind = '{SessionKind.CLOSING}' THEN s.\"date\" END) AS closing"
        f" FROM {_table(Session)} s WHERE s.edition_id IN ({ids}) GROUP BY s.edition_id"
    )
    places = (
        f"SELECT e.edition_id, a.enrolment_id, COUNT(*) AS missed FROM {_table(Attendance)} a"
        f" JOIN {_table(Enrolment)} e ON e.id = a.enrolment_id"
        f" JOIN {_table(Session)} s ON s.id = a.session_id AND s.edition_id = e.edition_id"
        f" WHERE e.edition_id IN ({ids}) AND e.status = '{EnrolmentStatus.ENROLLED}'"
        f" AND a.status IN ({missed}) AND s.kind = '{SessionKind.CONTENT}'"
        " GROUP BY e.edition_id, a.enrolment_id"
    )
    return (
        f"SELECT t.edition_id, t.content, m.missed, COUNT(*) FROM ({summary}) t"
        f" JOIN ({places}) m ON m.edition_id = t.edition_id"
        " WHERE t.closing IS NULL OR t.closing > %s"
        " GROUP BY t.edition_id, t.content, m.missed"
    )


def out_of_reach_counts(editions: Iterable[Edition], *, today: datetime.date | None = None) -> dict[int, int]:
    """Per edition (by id), how many of its active enrolments `out_of_reach_by_edition` would list,
    for pages that show only the number (the office's overview): one query written as SQL for all
    the editions, without loading the places, their participants or their attendance: the overview
    asks it for some forty editions on every visit, and building and compiling the ORM's queries
    took several times as long as running them (tests/awards/test_out_of_reach_counts.py holds it
    equal to the ORM's reads). Reads only `pk` and `programme` of the editions (model instances or
    the overview's lighter ones); `edition.programme` should be loaded.

    Before the outcome is final (no closing session past) an active place is out of reach exactly
    when it missed more content sessions than the edition can spare: `out_of_reach` asks attended
    plus not yet recorded (its content sessions minus the missed ones) to fall short of the rule's
    minimum, with at least that many content sessions planned."""
    today = today or timezone.localdate()
    by_id = {edition.pk: edition for edition in editions}
    if not by_id:
        return {}
    ids = list(by_id)
    with connection.cursor() as cursor:
        cursor.execute(_missed_counts_sql(len(ids)), [*ids, *ids, connection.ops.adapt_datefield_value(today)])
        rows = cursor.fetchall()
    counts: dict[int, int] = {}
    for edition_id, content, missed, places in rows:
        needed = policy_for(by_id[edition_id].programme).min_content_attended
        if content >= needed and missed > content - needed:
            counts[edition_id] = counts.get(edition_id, 0) + places
    return counts


def edition_with_programme(edition_id: int, *, lock: bool = False) -> Edition | None:
    """The edition with its programme loaded, or None: one query written as SQL (core.sql_rows), as
    the ORM's `select_related("programme")` reads it (with `select_for_update(of=("self",))` when
    `lock`, inside a transaction), without building and compiling that query on every visit."""
    rows = sql_rows.read_joined(
        f"FROM {_table(Edition)} d JOIN {_table(Programme)} p ON p.id = d.programme_id WHERE d.id = %s"
        + (sql_rows.lock_clause("d") if lock else ""),
        [edition_id],
        ((Edition, "d"), (Programme, "p")),
    )
    if not rows:
        return None
    edition, programme = rows[0]
    edition.programme = programme
    return edition


def _place_sql() -> str:
    return (
        f"FROM {_table(Enrolment)} e"
        f" JOIN {_table(Edition)} d ON d.id = e.edition_id JOIN {_table(Programme)} p ON p.id = d.programme_id"
        f" JOIN {_table(User)} u ON u.id = e.participant_id WHERE e.id = %s{sql_rows.lock_clause('e')}"
    )


def locked_place(enrolment_id: int) -> Enrolment | None:
    """The enrolment with its edition, the edition's programme and its participant loaded, its row
    locked (inside a transaction; the lock serialises issuing for one person), or None: one query
    written as SQL (core.sql_rows), as the ORM's `select_for_update(of=("self",)).select_related(
    "edition__programme", "participant")` reads it (tests/awards/test_issue_reads.py compares them)
    without building and compiling that query on every award issued."""
    rows = sql_rows.read_joined(_place_sql(), [enrolment_id], ((Enrolment, "e"), (Edition, "d"), (Programme, "p"), (User, "u")))
    if not rows:
        return None
    enrolment, edition, programme, participant = rows[0]
    edition.programme = programme
    enrolment.edition, enrolment.participant = edition, participant
    return enrolment


@dataclass(frozen=True)
class IssueFacts:
    """What issuing one award reads of the place before its attendance (`issue_facts`)."""

    held: tuple[str, str] | None  # the valid award as (kind, code), if any
    paper: str  # the current paper's status, as `facts_for` reads it
    presented: bool | None


def _issue_facts_sql() -> str:
    award, paper, slot = _table(Award), _table(PaperSubmission), _table(PresentationSlot)
    valid = f"FROM {award} WHERE enrolment_id = %s AND revoked_at IS NULL ORDER BY issued_at DESC, id DESC LIMIT 1"
    return (
        f"SELECT (SELECT kind {valid}), (SELECT code {valid}),"
        f" (SELECT result FROM {paper} WHERE enrolment_id = %s ORDER BY submitted_at DESC, id DESC LIMIT 1),"
        f" (SELECT presented FROM {slot} WHERE enrolment_id = %s)"
    )


def issue_facts(enrolment_id: int) -> IssueFacts:
    """For issuing one award (services.issue_award): the place's valid award, its current paper (the
    latest upload) and whether it presented, in one query written as SQL: building and compiling the
    ORM's three queries took longer than the rest of the reads together. There is at most one valid
    award (a unique constraint) and one presentation slot per place."""
    with connection.cursor() as cursor:
        cursor.execute(_issue_facts_sql(), [enrolment_id] * 4)
        kind, code, result, presented = cursor.fetchone()
    return IssueFacts(
        held=None if kind is None else (kind, code),
        paper=_paper_info(None if result is None else PaperSubmission(result=result))["status"],
        presented=None if presented is None else bool(presented),  # SQLite gives booleans as numbers
    )


def _sessions_with_attendance_sql() -> str:
    return (
        f'SELECT s.id, s.kind, s."date", a.status FROM {_table(Session)} s'
        f" LEFT JOIN {_table(Attendance)} a ON a.session_id = s.id AND a.enrolment_id = %s"
        " WHERE s.edition_id = %s ORDER BY s.number, s.id"
    )


def issue_standing(
    enrolment: Enrolment, facts: IssueFacts, *, today: datetime.date | None = None
) -> tuple[list[SessionRow], rules.Outcome]:
    """For issuing one award: the edition's sessions (as `edition_sessions`) and the place's outcome
    (as `standing`), from `issue_facts` and one query written as SQL that reads the sessions with the
    place's attendance of them (attendance at another edition's session never counts).
    `enrolment.edition.programme` should be loaded."""
    to_date = Session._meta.get_field("date").to_python  # SQLite gives dates as text
    sessions: list[SessionRow] = []
    statuses: dict[int, str] = {}
    with connection.cursor() as cursor:
        cursor.execute(_sessions_with_attendance_sql(), [enrolment.pk, enrolment.edition_id])
        for pk, kind, day, status in cursor.fetchall():
            sessions.append((pk, kind, to_date(day)))
            if status is not None:
                statuses[pk] = status
    outcome = rules.evaluate(
        policy_for(enrolment.edition.programme),
        _facts(
            sessions,
            statuses,
            paper=facts.paper,
            presented=facts.presented,
            cancelled=enrolment.status != EnrolmentStatus.ENROLLED,
            today=today or timezone.localdate(),
        ),
    )
    return sessions, outcome


def participant_standings(user: Any, *, today: datetime.date | None = None) -> list[Standing]:
    """The standing of each of the user's enrolments in editions that are not drafts, the most
    recent edition first (five queries, whatever the number of enrolments)."""
    if not getattr(user, "is_authenticated", False):
        return []
    enrolments = (
        Enrolment.objects.filter(participant_id=user.pk)
        .exclude(edition__status=EditionStatus.DRAFT)
        .select_related("edition__programme")
        .order_by("-edition__start_date", "-pk")
    )
    return standings_for(enrolments, today=today)
