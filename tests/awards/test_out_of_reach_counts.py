"""The early warning's counts for the office's overview, written as SQL (awards.selectors.
out_of_reach_counts), say what the ORM's reads said: the former implementation (kept below as the
reference) and the number of places `out_of_reach_by_edition` lists, in many states: present,
absent and excused (also ahead), nothing recorded, sessions past and ahead, the closing session past
or not, editions without sessions or with fewer than the rule asks, rules from none to all sessions,
cancelled places, attendance at the closing session and at another edition's session; for the
model editions and for the overview's lighter ones; on SQLite and PostgreSQL (run the suite on
either)."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Count, Max, Q, Subquery
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.accounts.office_reads import OverviewEdition
from leergang.attendance.models import Attendance
from leergang.awards import selectors
from leergang.catalog.models import Edition, Session, SessionKind
from tests import factories
from tests.awards.standing_data import attend, edition_with_sessions, participant_in

pytestmark = pytest.mark.django_db

STATUSES = (None, "present", "absent", "excused")


def former_out_of_reach_counts(editions, *, today=None) -> dict[int, int]:
    """out_of_reach_counts as the ORM read it before it was written as SQL."""
    today = today or timezone.localdate()
    by_id = {edition.pk: edition for edition in editions}
    if not by_id:
        return {}
    spare: dict[int, int] = {}
    summary = (
        Session.objects.filter(edition_id__in=list(by_id))
        .order_by()
        .values("edition_id")
        .annotate(
            content=Count("pk", filter=Q(kind=SessionKind.CONTENT)), closing=Max("date", filter=Q(kind=SessionKind.CLOSING))
        )
        .values_list("edition_id", "content", "closing")
    )
    for edition_id, content, closing in summary:
        if closing is None or closing > today:
            spare[edition_id] = content - selectors.policy_for(by_id[edition_id].programme).min_content_attended
    chosen = selectors._missed_too_many(spare)
    statuses: dict[int, dict[int, str]] = {}
    edition_of: dict[int, int] = {}
    rows = Attendance.objects.filter(enrolment_id__in=Subquery(chosen)).order_by()
    for edition_id, enrolment_id, session_id, value in rows.values_list(
        "enrolment__edition_id", "enrolment_id", "session_id", "status"
    ):
        statuses.setdefault(enrolment_id, {})[session_id] = value
        edition_of[enrolment_id] = edition_id
    sessions = selectors.sessions_by_edition(set(edition_of.values()) or [0])
    counts: dict[int, int] = {}
    for enrolment_id, recorded in statuses.items():
        edition = by_id[edition_of[enrolment_id]]
        facts = selectors._facts(
            sessions.get(edition.pk, []), recorded, paper="missing", presented=None, cancelled=False, today=today
        )
        if selectors.out_of_reach(selectors.policy_for(edition.programme), facts):
            counts[edition.pk] = counts.get(edition.pk, 0) + 1
    return counts


def listed(editions, today) -> dict[int, int]:
    return {pk: len(rows) for pk, rows in selectors.out_of_reach_by_edition(editions, today=today).items()}


def model_editions() -> list[Edition]:
    return list(Edition.objects.select_related("programme").order_by("pk"))


def overview_editions() -> list[OverviewEdition]:
    return [OverviewEdition(e.pk, e.programme, e.start_date, e.status, 0) for e in model_editions()]


@pytest.fixture
def world():
    """Editions of programmes asking 1 to 7 content sessions, with 0 to 6 content sessions held,
    ahead, past (final), closing today, with fewer sessions than asked, without a closing session or
    without any session; in each some twenty places with attendance drawn at random (fixed seed)."""
    rng = random.Random(9)
    today = timezone.localdate()
    editions = []
    for needed in (1, 3, 5, 6, 7):
        for held in (0, 2, 3, 5, 6):
            editions.append(edition_with_sessions(first=-7 - 28 * (held - 1), award_min_content_sessions=needed))
        editions.append(edition_with_sessions(first=-7 - 28 * 6, award_min_content_sessions=needed))  # final
        editions.append(edition_with_sessions(first=-200, closing=0, award_min_content_sessions=needed))  # closes today
        editions.append(edition_with_sessions(first=60, content=4, award_min_content_sessions=needed))  # all ahead
    no_closing = edition_with_sessions(first=-60, award_min_content_sessions=5)
    no_closing.sessions.filter(kind="closing").delete()
    editions.append(no_closing)
    empty = factories.EditionFactory(programme=editions[0].programme, status="open", start_date=today)  # no sessions
    for number, edition in enumerate(editions):
        for place in range(20):
            status = "cancelled" if place % 7 == 6 else "enrolled"
            enrolment = participant_in(edition, f"p{number}-{place}@example.org", status=status)
            # Mostly missed, so that many places come near the edge of what an edition can spare.
            weights = (2, 2, 3, 3) if place % 2 else (1, 4, 1, 1)
            attend(enrolment, rng.choices(STATUSES, weights, k=6), closing=rng.choice(STATUSES))
    participant_in(empty, "nobody@example.org")
    # Attendance at another edition's sessions (the registers do not allow it) counts for nothing.
    stray = participant_in(editions[3], "stray@example.org")
    for session in editions[4].sessions.filter(kind="content"):
        Attendance.objects.create(
            session=session, enrolment=stray, status="absent", recorded_at=timezone.now(), recorded_by=stray.participant
        )
    return editions


def test_the_sql_counts_what_the_orm_counted(world):
    today = timezone.localdate()
    seen = set()
    for days in (-400, -100, -30, -1, 0, 1, 30, 400):
        when = today + datetime.timedelta(days=days)
        expected = former_out_of_reach_counts(model_editions(), today=when)
        assert listed(model_editions(), when) == expected
        for editions in (model_editions(), overview_editions()):
            with CaptureQueriesContext(connection) as captured:
                assert selectors.out_of_reach_counts(editions, today=when) == expected
            assert len(captured) == 1
        seen.update(expected)
    assert len(seen) > 15  # the states above do warn, in many editions
    assert selectors.out_of_reach_counts(model_editions()) == former_out_of_reach_counts(model_editions())


def test_only_the_editions_asked_for_are_counted(world):
    today = timezone.localdate()
    everything = former_out_of_reach_counts(model_editions(), today=today)
    some = [e for e in overview_editions() if e.pk in set(list(everything)[::2])] + overview_editions()[:3]
    expected = {pk: n for pk, n in everything.items() if pk in {e.pk for e in some}}
    assert selectors.out_of_reach_counts(some, today=today) == expected
    assert selectors.out_of_reach_counts([]) == {}


def test_the_programme_on_the_edition_decides_the_rule(world):
    """The rule is read from the edition's `programme` as given (the overview loads it once)."""
    today = timezone.localdate()
    editions = model_editions()
    before = selectors.out_of_reach_counts(editions, today=today)
    for edition in editions:
        edition.programme.award_min_content_sessions = 2  # in memory only
    after = selectors.out_of_reach_counts(editions, today=today)
    assert after == former_out_of_reach_counts(editions, today=today)
    assert before and after and after != before


def test_an_excused_absence_ahead_counts_as_missed():
    edition = edition_with_sessions(first=-7 - 28 * 2, award_min_content_sessions=5)  # 3 held, 3 ahead
    attend(participant_in(edition, "a@example.org"), ["present", "present", "present", None, "excused", "excused"])
    attend(participant_in(edition, "b@example.org"), ["present", "present", "present", None, None, "excused"])
    assert selectors.out_of_reach_counts(model_editions()) == {edition.pk: 1}
