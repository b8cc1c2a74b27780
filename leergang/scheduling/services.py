"""Business actions on an edition's schedule: replace its sessions, plan them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.catalog.models import Edition, Session, SessionKind
from leergang.catalog.public_cache import invalidate_public_pages
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import distancing, notify, rules

# Changes people must hear about (and that move the calendar entry).
NOTIFIED_FIELDS = ("date", "start_time", "end_time", "delivery_mode")
# Changes that alter what a calendar shows, so the entry's SEQUENCE rises.
CALENDAR_FIELDS = (*NOTIFIED_FIELDS, "kind", "theme_nl", "theme_en")
SESSION_FIELDS = ("number", "kind", "date", "start_time", "end_time", "theme_nl", "theme_en", "delivery_mode")
DEFAULT_SESSION_COUNT = 7  # the seed's six content sessions and a closing session


@dataclass
class SessionInput:
    number: int
    date: datetime.date
    start_time: datetime.time | None = None  # None: the edition's start time
    end_time: datetime.time | None = None
    kind: str = SessionKind.CONTENT
    delivery_mode: str = "on_site"
    theme_nl: str | None = None  # None: keep what is stored
    theme_en: str | None = None


@dataclass
class ScheduleResult:
    sessions: list[Session]
    violations: list[rules.Violation] = field(default_factory=list)


class ScheduleViolations(Invalid):
    """The schedule breaks a rule and the caller did not accept that."""


def schedule_rules(edition: Edition) -> rules.ScheduleRules:
    return rules.ScheduleRules(weekday=edition.weekday, min_gap_days=edition.min_gap_days, holiday_region=edition.holiday_region)


def _require_manager(actor: Any) -> None:
    if not permissions.can_manage_editions(actor):
        raise PermissionDenied(_("Only the programme office can change editions."))


def _locked_edition(edition_id: int, *, with_programme: bool = True) -> Edition:
    editions = Edition.objects.select_for_update(of=("self",))
    if with_programme:
        editions = editions.select_related("programme")
    edition = editions.filter(pk=edition_id).first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    return edition


MEETS_IN_ROOM = ("on_site", "hybrid")


def room_check(edition: Edition) -> distancing.RoomCheck:
    """May this edition meet on site under the distancing rule in force?"""
    participants = Enrolment.objects.filter(edition=edition, status=EnrolmentStatus.ENROLLED).count()
    return distancing.room_check(
        area_m2=edition.room.area_m2 if edition.room_id else None,
        participants=participants,
        staff=edition.staff_on_site,
        m2_per_person=settings.DISTANCING_M2_PER_PERSON,
    )


def _check_room(edition: Edition, items: list[SessionInput], existing: dict[int, Session]) -> None:
    """Refuse bringing a coming session into the room when the room is too small under the rule.
    Sessions already on site stay as they are (the schedule page flags them)."""
    today = timezone.localdate()
    newly_in_room = [
        (index, item)
        for index, item in enumerate(items)
        if item.delivery_mode in MEETS_IN_ROOM
        and item.date >= today
        and (item.number not in existing or existing[item.number].delivery_mode not in MEETS_IN_ROOM)
    ]
    if not newly_in_room:
        return
    check = room_check(edition)
    if not check.allowed:
        raise Invalid(
            check.reason,
            [{"field": f"sessions.{index}.delivery_mode", "message": check.reason} for index, _item in newly_in_room],
        )


def _check_input(items: list[SessionInput]) -> None:
    errors = []
    seen: set[int] = set()
    for index, item in enumerate(items):
        if item.number in seen:
            errors.append({"field": f"sessions.{index}.number", "message": str(_("Each session needs its own number."))})
        seen.add(item.number)
        if item.end_time <= item.start_time:
            errors.append({"field": f"sessions.{index}.end_time", "message": str(_("Choose an end time after the start time."))})
    if errors:
        raise Invalid(_("Some sessions are not valid; see errors for what to change."), errors)


def check_dates(dates: list[datetime.date], schedule: rules.ScheduleRules, *, allow_unknown: bool) -> list[rules.Violation]:
    """The validator, with a date outside the known holiday period as a 422 a person understands."""
    try:
        return rules.validate(dates, schedule, allow_unknown=allow_unknown)
    except rules.OutsideKnownYears as exc:
        raise Invalid(str(exc), [{"field": "date", "message": str(exc)}]) from exc


def has_records(session: Session) -> bool:
    """Whether anything was recorded for a session (attendance, literature, ...): every relation
    that points at a session counts, so later features are covered too, except what is deleted with
    the session (its parts, reminder bookkeeping): that is the session's own, not a record."""
    for relation in session._meta.related_objects:
        if relation.related_model is Session or relation.on_delete is models.CASCADE:
            continue
        if relation.one_to_many or relation.one_to_one:
            manager = getattr(session, relation.get_accessor_name(), None)
            if manager is not None and hasattr(manager, "exists") and manager.exists():
                return True
    return False


def _snapshot(session: Session) -> dict:
    return audit.snapshot(session, list(SESSION_FIELDS))


@transaction.atomic
def replace_sessions(
    *, actor: Any, edition_id: int, sessions: list[SessionInput], allow_violations: bool = False
) -> ScheduleResult:
    """Make the edition's sessions exactly `sessions`, matched by number.

    A matched session keeps its id, calendar UID and everything recorded for it; a number no longer
    listed is removed only when nothing was recorded for it. A schedule that breaks a rule is
    refused unless `allow_violations`; then the override is recorded in the audit log.
    Participants and teachers are told about sessions whose date, time or mode changed.
    """
    _require_manager(actor)
    return _replace_sessions(actor, _locked_edition(edition_id), sessions, allow_violations=allow_violations)


def _replace_sessions(
    actor: Any,
    edition: Edition,
    sessions: list[SessionInput],
    *,
    allow_violations: bool,
    stored: list[Session] | None = None,
) -> ScheduleResult:
    """replace_sessions on an edition already locked, with its `stored` sessions when the caller
    has read them already (planning and moving online do: no second lock, read or savepoint)."""
    for item in sessions:
        item.start_time = item.start_time or edition.start_time
        item.end_time = item.end_time or edition.end_time
    _check_input(sessions)
    violations = check_dates([s.date for s in sessions], schedule_rules(edition), allow_unknown=allow_violations)
    if violations and not allow_violations:
        raise ScheduleViolations(
            _("The schedule breaks the programme's rules; change the dates or accept the violations explicitly."),
            [{"field": "date", "message": v.message} for v in violations],
            extra={"violations": [v.as_dict() for v in violations]},
        )

    existing = {s.number: s for s in (edition.sessions.all() if stored is None else stored)}
    _check_room(edition, sessions, existing)
    wanted = {s.number for s in sessions}
    removed = [s for number, s in existing.items() if number not in wanted]
    blocked = [s.number for s in removed if has_records(s)]
    if blocked:
        raise Conflict(
            _("Session %(numbers)s cannot be removed: something has been recorded for it.")
            % {"numbers": ", ".join(str(n) for n in sorted(blocked))},
            [{"field": "sessions", "message": str(_("Keep session %(number)s in the list.") % {"number": n})} for n in blocked],
        )

    before = [_snapshot(s) for s in sorted(existing.values(), key=lambda s: s.number)]
    changed: list[tuple[Session, dict]] = []
    # Stored sessions that change, grouped by their change (field, new value): moving sessions
    # online is one UPDATE, not a full-row save per session.
    updates: dict[tuple, list[Session]] = {}
    kept: list[Session] = []
    for item in sorted(sessions, key=lambda s: s.number):
        session = existing.get(item.number)
        if session is None:
            session = Session(edition=edition, number=item.number, theme_nl=item.theme_nl or "", theme_en=item.theme_en or "")
            old = None
        else:
            old = _snapshot(session)
        for name in ("kind", "date", "start_time", "end_time", "delivery_mode"):
            setattr(session, name, getattr(item, name))
        if item.theme_nl is not None:
            session.theme_nl = item.theme_nl
        if item.theme_en is not None:
            session.theme_en = item.theme_en
        new = _snapshot(session)
        if old is None:
            session.save()
        elif new != old:
            edits = tuple((name, getattr(session, name)) for name in SESSION_FIELDS if old[name] != new[name])
            if any(old[name] != new[name] for name in CALENDAR_FIELDS):
                session.calendar_sequence += 1
            updates.setdefault(edits, []).append(session)
            if any(old[name] != new[name] for name in NOTIFIED_FIELDS):
                changed.append((session, old))
        kept.append(session)
    _write_updates(updates)
    for session in removed:
        session.delete()

    after = [_snapshot(s) for s in kept]
    if after != before:
        audit.record(actor=actor, action="schedule.replaced", obj=edition, before={"sessions": before}, after={"sessions": after})
    if violations:
        audit.record(
            actor=actor,
            action="schedule.violations_accepted",
            obj=edition,
            after={"violations": [{"date": v.date.isoformat(), "rule": v.rule, "message": v.message} for v in violations]},
        )
    today = timezone.localdate()
    notify.sessions_changed(
        edition=edition,
        changes=[(s, old) for s, old in changed if max(s.date, datetime.date.fromisoformat(old["date"])) >= today],
    )
    return ScheduleResult(sessions=kept, violations=violations)


def _write_updates(updates: dict[tuple, list[Session]]) -> None:
    """Write the changed fields of stored sessions, one UPDATE per distinct change (the edition is
    locked, so the rest of each row is as read). An UPDATE bypasses save(): it stamps updated_at
    itself (the participants' overview stamp reads it) and makes the cached public pages stale, as
    the post_save signal would (leergang/catalog/public_cache.py)."""
    if not updates:
        return
    now = timezone.now()
    for edits, sessions in updates.items():
        values = dict(edits)
        if any(name in values for name in CALENDAR_FIELDS):  # each row's own +1, like the instances
            values["calendar_sequence"] = models.F("calendar_sequence") + 1
        Session.objects.filter(pk__in=[s.pk for s in sessions]).update(**values, updated_at=now)
        for session in sessions:
            session.updated_at = now
    invalidate_public_pages()


def _earlier_themes(edition: Edition) -> dict[int, tuple[str, str, str]]:
    """Themes and kinds by number from the programme's most recent other edition with sessions."""
    source = (
        Edition.objects.filter(programme=edition.programme, sessions__isnull=False)
        .exclude(pk=edition.pk)
        .order_by("-start_date", "-id")
        .first()
    )
    if source is None:
        return {}
    return {s.number: (s.kind, s.theme_nl, s.theme_en) for s in source.sessions.all()}


@transaction.atomic
def plan_sessions(*, actor: Any, edition_id: int, first_date: datetime.date) -> ScheduleResult:
    """Store the earliest valid schedule from `first_date`: as many sessions as the edition has
    (seven when it has none yet), keeping their themes; new ones take the themes of the
    programme's previous edition."""
    _require_manager(actor)
    edition = _locked_edition(edition_id)
    stored = list(edition.sessions.all())
    existing = {s.number: s for s in stored}
    numbers = sorted(existing) or list(range(1, DEFAULT_SESSION_COUNT + 1))
    try:
        dates = rules.plan(first_date, len(numbers), schedule_rules(edition))
    except rules.OutsideKnownYears as exc:
        raise Invalid(str(exc), [{"field": "first_date", "message": str(exc)}]) from exc
    earlier = _earlier_themes(edition) if len(existing) < len(numbers) else {}
    new_mode = "on_site" if room_check(edition).allowed else "online"
    items = []
    for position, (number, day) in enumerate(zip(numbers, dates, strict=True)):
        session = existing.get(number)
        last = position == len(numbers) - 1
        if session is not None:
            kind, mode, theme_nl, theme_en = session.kind, session.delivery_mode, None, None
        else:
            default_kind = SessionKind.CLOSING if last else SessionKind.CONTENT
            kind, theme_nl, theme_en = earlier.get(number, (default_kind, "", ""))
            mode = new_mode
        items.append(
            SessionInput(
                number=number,
                date=day,
                start_time=session.start_time if session else edition.start_time,
                end_time=session.end_time if session else edition.end_time,
                kind=kind,
                delivery_mode=mode,
                theme_nl=theme_nl,
                theme_en=theme_en,
            )
        )
    return _replace_sessions(actor, edition, items, allow_violations=False, stored=stored)


@transaction.atomic
def switch_to_online(*, actor: Any, edition_id: int, numbers: list[int] | None = None) -> ScheduleResult:
    """Move coming sessions that meet in the room (all, or those numbered) online; the people
    involved are told by e-mail like any other change of mode."""
    _require_manager(actor)
    # Nothing here shows the programme; ordering by number alone spares the join to the edition
    # that the sessions' default ordering (edition, number) adds.
    edition = _locked_edition(edition_id, with_programme=False)
    today = timezone.localdate()
    stored = list(edition.sessions.order_by("number"))
    items = []
    for session in stored:
        move = session.delivery_mode in MEETS_IN_ROOM and session.date >= today
        if numbers is not None:
            move = move and session.number in numbers
        items.append(
            SessionInput(
                number=session.number,
                date=session.date,
                start_time=session.start_time,
                end_time=session.end_time,
                kind=session.kind,
                delivery_mode="online" if move else session.delivery_mode,
            )
        )
    # Moving online never adds a violation the coordinator has not already accepted.
    return _replace_sessions(actor, edition, items, allow_violations=True, stored=stored)
