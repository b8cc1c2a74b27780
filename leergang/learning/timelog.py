"""Time investment (M16): participants log the hours they spend and see them against the norms.

Two kinds of time: preparation for a session (reading its literature) and work on the own case and
the final paper. The norms are the programme's: `preparation_hours_per_session` (seed: "circa 4 uur
per bijeenkomst") and `paper_hours` (seed: "circa 50 uur gedurende opleidingsperiode").

Decisions, in one place:
- Who logs: only the participant, while enrolled (`can_log_time`). Teachers of the edition and the
  programme office may *see* the hours (`can_view_enrolment`), not log or remove them: the hours are
  the participant's own account of their work. Others get NotFound, alike for a missing enrolment.
- Hours are typed as people type them: "1,5", "1.5", "1:30", ".5", "2", "2 uur", "1.5 h". They are
  stored as whole minutes: decimals are rounded to the nearest minute ("0,1" is 6 minutes), so no
  quarter-hour grid is forced on anyone. One entry is more than 0 and at most 24 hours.
- The day may not be in the future (time is logged once spent) and not more than 60 days before the
  edition's first session: reading and formulating the case start in the weeks after admission,
  and 60 days covers that run-up while still catching a mistyped year. No bound after the last
  session: the paper is usually finished after the closing session.
- Preparation needs one of the edition's sessions, closing session included (preparing the
  presentation); for own-case time a session is ignored. The per-session norm applies to content
  sessions only: the seed's literature preparation belongs to the six content sessions, and the
  closing session is the presentation of the paper, whose work counts under the case norm. All
  preparation counts in the preparation total.
- Removing: the participant removes their own entries, while enrolled (same rule as logging);
  anybody else's entry is NotFound, alike for a missing one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.catalog.models import Edition, Programme, Session, SessionKind
from leergang.core import audit, formatting, sql_rows
from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import permissions as learning_permissions
from .models import TimeEntry, TimeKind
from .permissions import can_log_time

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAX_MINUTES = 24 * 60
DAYS_BEFORE_FIRST_SESSION = 60
NOTE_MAX = 300
MAX_ID = 2**63 - 1  # larger numbers overflow the database's integer; nothing has such an id
AUDIT_FIELDS = ["enrolment", "kind", "session", "day", "minutes", "note"]

HOURS_MESSAGE = _("Enter the time in hours, for example 1.5 or 1:30.")
HOURS_POSITIVE = _("Enter a time of more than 0 hours, for example 0.5 for half an hour.")
HOURS_TOO_MANY = _("One entry is at most 24 hours. Spread longer work over several days.")

_UNIT = re.compile(r"\s*(?:u|uur|uren|h|hr|hrs|hour|hours)\.?$")
_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_DECIMAL = re.compile(r"^(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def today() -> datetime.date:
    """The date in Amsterdam, whatever the server's clock zone."""
    return timezone.localdate(timezone=AMSTERDAM)


def _invalid(field: str, message: Any) -> Invalid:
    return Invalid(message, [{"field": field, "message": message}])


# -- rules (pure) ----------------------------------------------------------------------------------


def parse_hours(value: Any) -> int:
    """Hours as a person types them, as whole minutes; Invalid (field "hours") when they are not a
    time of more than 0 and at most 24 hours."""
    if isinstance(value, bool):
        raise _invalid("hours", HOURS_MESSAGE)
    text = str(value) if isinstance(value, int | Decimal | float) else str(value or "")
    text = _UNIT.sub("", " ".join(text.split()).lower()).strip()
    if text.startswith("-") and (_CLOCK.match(text[1:].strip()) or _DECIMAL.match(text[1:].strip())):
        raise _invalid("hours", HOURS_POSITIVE)
    if match := _CLOCK.match(text):
        minutes = int(match.group(1)) * 60 + int(match.group(2))
    elif _DECIMAL.match(text):
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise _invalid("hours", HOURS_MESSAGE) from None
        if number > 24:
            raise _invalid("hours", HOURS_TOO_MANY)
        minutes = int((number * 60).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    else:
        raise _invalid("hours", HOURS_MESSAGE)
    if minutes < 1:
        raise _invalid("hours", HOURS_POSITIVE)
    if minutes > MAX_MINUTES:
        raise _invalid("hours", HOURS_TOO_MANY)
    return minutes


def minutes_as_input(minutes: int) -> str:
    """Minutes as something `parse_hours` reads back exactly: "1:30"."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def earliest_day(first_day: datetime.date) -> datetime.date:
    return first_day - datetime.timedelta(days=DAYS_BEFORE_FIRST_SESSION)


def _clean_day(day: Any, first_day: datetime.date, now: datetime.date) -> datetime.date:
    if isinstance(day, str) and day.strip():
        try:
            day = datetime.date.fromisoformat(day.strip())
        except ValueError:
            day = None
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise _invalid("day", _("Enter the date on which you did the work."))
    if day > now:
        raise _invalid("day", _("Choose today or an earlier date: log time once you have spent it."))
    if day < earliest_day(first_day):
        message = _("Choose a date from %(date)s onwards: earlier work does not count toward this programme.") % {
            "date": formatting.long_date(earliest_day(first_day))
        }
        raise _invalid("day", message)
    return day


def _percent(minutes: int, norm: int) -> int | None:
    """How far toward the norm, 0-100 (for a bar), rounded down so that 100 means reached; None
    when there is no norm."""
    if norm <= 0:
        return None
    return min(100, minutes * 100 // norm)


# -- selectors -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionTime:
    session: Session
    minutes: int
    norm_minutes: int  # 0 for the closing session: no preparation norm there
    percent: int | None


@dataclass(frozen=True)
class TimeSummary:
    sessions: list[SessionTime]
    norm_per_session_minutes: int
    content_sessions: int
    preparation_minutes: int
    preparation_norm_minutes: int
    preparation_percent: int | None
    case_minutes: int
    case_norm_minutes: int
    case_percent: int | None

    @property
    def total_minutes(self) -> int:
        return self.preparation_minutes + self.case_minutes


def time_summary(enrolment: Enrolment) -> TimeSummary:
    """The enrolment's hours against the programme's norms: two queries (sessions, sums), plus the
    edition and programme when they were not loaded with the enrolment."""
    return time_summaries([enrolment])[enrolment.pk]


def time_summaries(
    enrolments: Iterable[Enrolment], *, sessions: dict[int, list[Session]] | None = None
) -> dict[int, TimeSummary]:
    """Each enrolment's (by id) hours against its programme's norms, for any number of enrolments
    in two queries: the sessions of their editions (none when `sessions`, each edition's sessions
    by edition id in number order, is given) and the sums. `enrolment.edition.programme` should be
    loaded."""
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    # Both queries written as SQL (core.sql_rows): building and compiling them cost several times
    # running them (test_perf_learning_pages.py compares them with the ORM's).
    if sessions is None:
        sessions = {}
        editions = sorted({e.edition_id for e in enrolments})
        for (session,) in sql_rows.read_joined(
            f'FROM {sql_rows.table(Session)} s WHERE s."edition_id" IN ({", ".join(["%s"] * len(editions))})'
            ' ORDER BY s."edition_id", s."number"',
            editions,
            ((Session, "s"),),
        ):
            sessions.setdefault(session.edition_id, []).append(session)
    sums: dict[int, list[dict[str, Any]]] = {}
    ids = [e.pk for e in enrolments]
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "enrolment_id", "kind", "session_id", SUM("minutes")'  # noqa: S608 - names from the model
            f' FROM {sql_rows.table(TimeEntry)} WHERE "enrolment_id" IN ({", ".join(["%s"] * len(ids))})'
            ' GROUP BY "enrolment_id", "kind", "session_id"',
            ids,
        )
        for enrolment_id, kind, session_id, total in cursor.fetchall():
            sums.setdefault(enrolment_id, []).append(
                {"enrolment_id": enrolment_id, "kind": kind, "session_id": session_id, "total": total}
            )
    return {e.pk: _summary(e.edition.programme, sessions.get(e.edition_id, []), sums.get(e.pk, [])) for e in enrolments}


def _summary(programme: Any, sessions: list[Session], sums: list[dict[str, Any]]) -> TimeSummary:
    per_session = programme.preparation_hours_per_session * 60
    prepared: dict[int, int] = {}
    preparation = case = 0
    for row in sums:
        if row["kind"] == TimeKind.PREPARATION:
            preparation += row["total"]
            prepared[row["session_id"]] = prepared.get(row["session_id"], 0) + row["total"]
        else:
            case += row["total"]
    rows = []
    for session in sessions:
        norm = per_session if session.kind == SessionKind.CONTENT else 0
        minutes = prepared.get(session.pk, 0)
        rows.append(SessionTime(session=session, minutes=minutes, norm_minutes=norm, percent=_percent(minutes, norm)))
    content = sum(1 for session in sessions if session.kind == SessionKind.CONTENT)
    preparation_norm = per_session * content
    case_norm = programme.paper_hours * 60
    return TimeSummary(
        sessions=rows,
        norm_per_session_minutes=per_session,
        content_sessions=content,
        preparation_minutes=preparation,
        preparation_norm_minutes=preparation_norm,
        preparation_percent=_percent(preparation, preparation_norm),
        case_minutes=case,
        case_norm_minutes=case_norm,
        case_percent=_percent(case, case_norm),
    )


def time_entries(enrolment_id: int, *, sessions: dict[int, Session] | None = None) -> list[TimeEntry]:
    """The enrolment's entries, newest day first, with their session (one query). `sessions`, the
    edition's sessions by id when the caller has them: then they are not read again."""
    if sessions is None:
        return list(TimeEntry.objects.filter(enrolment_id=enrolment_id).order_by("-day", "-id").select_related("session"))
    # Written as SQL (core.sql_rows): what the ORM's query reads, without building it.
    found = [
        entry
        for (entry,) in sql_rows.read_joined(
            f'FROM {sql_rows.table(TimeEntry)} t WHERE t."enrolment_id" = %s ORDER BY t."day" DESC, t."id" DESC',
            [enrolment_id],
            ((TimeEntry, "t"),),
        )
    ]
    for entry in found:
        if entry.session_id in sessions:  # else (never for an entry of this edition) read when asked
            entry.session = sessions[entry.session_id]
    return found


# What the hours page reads of the enrolment, its participant, edition and programme (the norms):
# not the 71 columns of the four whole rows.
PAGE_ENROLMENT_FIELDS = (
    "participant_id",
    "edition_id",
    "status",
    "participant__first_name",
    "participant__last_name",
    "participant__email",
    "edition__programme_id",
    "edition__start_date",
    "edition__status",
    "edition__programme__title_nl",
    "edition__programme__title_en",
    "edition__programme__preparation_hours_per_session",
    "edition__programme__paper_hours",
)


def page_enrolment(enrolment_id: int) -> Enrolment | None:
    """The enrolment as `select_related("participant", "edition__programme").only(*PAGE_ENROLMENT_FIELDS)`
    loads it (the same deferred instances), in one query written as SQL (core.sql_rows): building
    and compiling that query cost several times running it."""
    parts = []
    for model, alias, prefix in (
        (Enrolment, "e", ""),
        (get_user_model(), "u", "participant__"),
        (Edition, "d", "edition__"),
        (Programme, "p", "edition__programme__"),
    ):
        wanted = frozenset(
            name[len(prefix) :] for name in PAGE_ENROLMENT_FIELDS if name.startswith(prefix) and "__" not in name[len(prefix) :]
        )
        parts.append((model, alias, wanted))
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(Enrolment)} e JOIN {sql_rows.table(get_user_model())} u ON u."id" = e."participant_id"'
        f' JOIN {sql_rows.table(Edition)} d ON d."id" = e."edition_id"'
        f' JOIN {sql_rows.table(Programme)} p ON p."id" = d."programme_id" WHERE e."id" = %s',
        [enrolment_id],
        tuple(parts),
    )
    if not rows:
        return None
    enrolment, participant, edition, programme = rows[0]
    edition.programme = programme
    enrolment.participant, enrolment.edition = participant, edition
    return enrolment


def viewable_enrolment(user: Any, enrolment_id: int) -> Enrolment | None:
    """The enrolment (with participant, edition, programme) if the user may see its hours: the
    participant, the edition's teachers, the programme office. None for everyone else and for a
    missing one."""
    if not 0 < enrolment_id <= MAX_ID:
        return None
    enrolment = page_enrolment(enrolment_id)
    if enrolment is None or not learning_permissions.can_view_enrolment(user, enrolment):
        return None
    return enrolment


def log_refusal(user: Any, enrolment: Enrolment) -> PermissionDenied | None:
    """Why a user who may see the enrolment may not log time in it, or None when they may."""
    if can_log_time(user, enrolment):
        return None
    if enrolment.participant_id == getattr(user, "pk", None) and enrolment.status != EnrolmentStatus.ENROLLED:
        return PermissionDenied(_("Your enrolment has been cancelled, so you can no longer log hours."))
    return PermissionDenied(_("Only the participant logs their own hours."))


def _first_day(enrolment: Enrolment) -> datetime.date:
    first = Session.objects.filter(edition_id=enrolment.edition_id).order_by("date").values_list("date", flat=True).first()
    return first or enrolment.edition.start_date


def _session_of(enrolment: Enrolment, session_id: Any) -> Session:
    if session_id in (None, ""):
        raise _invalid("session", _("Choose the session you prepared for."))
    try:
        session_pk = int(session_id)
    except (TypeError, ValueError):
        session_pk = 0
    session = None
    if 0 < session_pk <= MAX_ID:
        session = Session.objects.filter(pk=session_pk, edition_id=enrolment.edition_id).order_by().first()
    if session is None:
        raise _invalid("session", _("Choose one of the sessions of your edition."))
    return session


# -- services --------------------------------------------------------------------------------------


@transaction.atomic
def log_time(
    *,
    actor: Any,
    enrolment_id: int,
    kind: str,
    session_id: int | str | None,
    day: datetime.date | str | None,
    hours: Any,
    note: str = "",
) -> TimeEntry:
    """Log time spent by the participant themselves. Every field error at once, as one Invalid in
    the order of the form (kind, session, date, hours, note); nothing is stored then."""
    enrolment = None
    if 0 < enrolment_id <= MAX_ID:
        enrolment = Enrolment.objects.select_related("edition__programme").filter(pk=enrolment_id).order_by().first()
    if enrolment is None or not learning_permissions.can_view_enrolment(actor, enrolment):
        raise NotFound(_("There is no enrolment with this number."))
    refusal = log_refusal(actor, enrolment)
    if refusal is not None:
        raise refusal
    errors: list[Invalid] = []
    session = None
    if kind not in TimeKind.values:
        errors.append(_invalid("kind", _("Choose preparation for a session or work on your own case and paper.")))
    elif kind == TimeKind.PREPARATION:
        try:
            session = _session_of(enrolment, session_id)
        except Invalid as exc:
            errors.append(exc)
    clean_day = minutes = None
    try:
        clean_day = _clean_day(day, _first_day(enrolment), today())
    except Invalid as exc:
        errors.append(exc)
    try:
        minutes = parse_hours(hours)
    except Invalid as exc:
        errors.append(exc)
    note = " ".join(str(note or "").split())
    if len(note) > NOTE_MAX:
        errors.append(_invalid("note", _("The note is at most %(max)s characters long.") % {"max": NOTE_MAX}))
    if errors:
        detail = errors[0].detail if len(errors) == 1 else _("Correct the marked fields; nothing was saved yet.")
        raise Invalid(detail, [error for exc in errors for error in exc.errors])
    entry = TimeEntry.objects.create(
        enrolment=enrolment,
        kind=kind,
        session=session,
        day=clean_day,
        minutes=minutes,
        note=note,
        logged_at=timezone.now(),
    )
    audit.record(actor=actor, action="time.logged", obj=entry, after=audit.snapshot(entry, AUDIT_FIELDS) | {"id": entry.pk})
    return entry


@transaction.atomic
def delete_time(*, actor: Any, entry_id: int) -> TimeEntry:
    """Remove one of the actor's own entries (while enrolled). Returns the removed entry (unsaved
    now), so that the page can offer to put it back."""
    if not 0 < entry_id <= MAX_ID or not getattr(actor, "is_authenticated", False):
        raise NotFound(_("There is no time entry with this number."))
    entry = (
        TimeEntry.objects.select_for_update(of=("self",))
        .select_related("enrolment", "session")
        .filter(pk=entry_id, enrolment__participant_id=getattr(actor, "pk", None))
        .first()
    )
    if entry is None:
        raise NotFound(_("There is no time entry with this number."))
    refusal = log_refusal(actor, entry.enrolment)
    if refusal is not None:
        raise refusal
    before = audit.snapshot(entry, AUDIT_FIELDS) | {"id": entry.pk}
    audit.record(actor=actor, action="time.deleted", obj=entry, before=before)
    entry.delete()
    return entry
