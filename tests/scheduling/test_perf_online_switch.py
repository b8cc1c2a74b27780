"""Moving coming sessions online writes them with one UPDATE instead of a full-row save each, and
still does everything a save did: updated_at (the participants' overview stamp reads it), the
calendar sequence, the audit entry, the e-mail task and a stale public programme page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leergang.catalog.models import Session
from leergang.core.models import AuditEntry
from leergang.learning.overview_stamp import participant_stamp
from leergang.notifications.models import OutboxTask
from leergang.scheduling import notify, rules, services
from tests import factories


def _edition(slug: str = "thuis"):
    """An open edition with one past session and three coming ones, all on site, on valid dates (so
    moving them online records no accepted violations)."""
    today = timezone.localdate()
    programme = factories.ProgrammeFactory(slug=slug)
    coming = rules.plan(today + datetime.timedelta(days=30), 3, rules.ScheduleRules())
    edition = factories.EditionFactory(programme=programme, status="open", start_date=coming[0])
    past = next(
        day
        for day in (coming[0] - datetime.timedelta(days=28 + n) for n in range(200))
        if day < today and not rules.validate([day, *coming], services.schedule_rules(edition))
    )
    for number, day in enumerate([past, *coming], start=1):
        factories.SessionFactory(edition=edition, number=number, date=day)
    return edition


def _rows(edition) -> dict[int, Session]:
    return {s.number: s for s in Session.objects.filter(edition=edition)}


@pytest.mark.django_db
def test_switching_online_is_one_update_that_does_what_the_saves_did(coordinator, django_assert_num_queries):
    edition = _edition()
    participant = factories.EnrolmentFactory(edition=edition).participant
    stamp = participant_stamp(participant)
    before = _rows(edition)

    # savepoint, locked edition, sessions, one UPDATE, audit entry, e-mail task, release
    with django_assert_num_queries(7), CaptureQueriesContext(connection) as captured:
        services.switch_to_online(actor=coordinator, edition_id=edition.pk)
    updates = [q["sql"] for q in captured if q["sql"].startswith('UPDATE "catalog_session"')]
    assert len(updates) == 1

    after = _rows(edition)
    assert after[1].delivery_mode == "on_site"
    assert (after[1].updated_at, after[1].calendar_sequence) == (before[1].updated_at, before[1].calendar_sequence)
    for number in (2, 3, 4):
        assert after[number].delivery_mode == "online"
        assert after[number].calendar_sequence == before[number].calendar_sequence + 1
        assert after[number].updated_at > before[number].updated_at
        # Only what changed is written: the rest of the row is as it was.
        assert (after[number].date, after[number].theme_nl, after[number].created_at) == (
            before[number].date,
            before[number].theme_nl,
            before[number].created_at,
        )
    assert participant_stamp(participant) != stamp

    entry = AuditEntry.objects.get(action="schedule.replaced", object_id=str(edition.pk))
    assert [s["delivery_mode"] for s in entry.before["sessions"]] == ["on_site"] * 4
    assert [s["delivery_mode"] for s in entry.after["sessions"]] == ["on_site", "online", "online", "online"]
    task = OutboxTask.objects.get(name=notify.SESSION_CHANGED_TASK)
    assert [c["session"] for c in task.payload["changes"]] == [before[n].pk for n in (2, 3, 4)]
    assert all(c["old"]["delivery_mode"] == "on_site" for c in task.payload["changes"])


@pytest.mark.django_db
def test_sessions_with_different_changes_each_keep_their_own(coordinator):
    """Grouping by change must not mix values: two sessions moved to different dates."""
    edition = _edition()
    stored = _rows(edition)
    items = [
        services.SessionInput(
            number=s.number,
            date=s.date,
            start_time=s.start_time,
            end_time=s.end_time,
            kind=s.kind,
            delivery_mode="online" if s.number >= 3 else s.delivery_mode,
        )
        for s in stored.values()
    ]
    services.replace_sessions(actor=coordinator, edition_id=edition.pk, sessions=items, allow_violations=True)
    after = _rows(edition)
    assert [after[n].delivery_mode for n in (1, 2, 3, 4)] == ["on_site", "on_site", "online", "online"]
    assert [after[n].calendar_sequence - stored[n].calendar_sequence for n in (1, 2, 3, 4)] == [0, 0, 1, 1]
    assert after[2].updated_at == stored[2].updated_at


@pytest.mark.django_db(transaction=True)
def test_the_programme_page_shows_the_move_to_an_anonymous_visitor(client, coordinator, cache_backend):
    edition = _edition(slug="verhuizen")
    page = reverse("catalog:programme", kwargs={"slug": "verhuizen"})
    online_tag = '<span class="tag">Online</span>'
    assert online_tag not in client.get(page).content.decode()  # now cached

    services.switch_to_online(actor=coordinator, edition_id=edition.pk)

    assert client.get(page).content.decode().count(online_tag) == 3


@pytest.mark.django_db
def test_the_view_moves_the_sessions_and_refuses_others(client, coordinator, participant):
    edition = _edition()
    url = reverse("schedule:online", kwargs={"edition_id": edition.pk})
    missing = reverse("schedule:online", kwargs={"edition_id": edition.pk + 1000})

    client.force_login(participant)
    assert client.post(url).status_code == 404
    assert set(_rows(edition)[n].delivery_mode for n in (2, 3, 4)) == {"on_site"}

    client.force_login(coordinator)
    assert client.post(missing).status_code == 404
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("schedule:page", kwargs={"edition_id": edition.pk})
    assert set(_rows(edition)[n].delivery_mode for n in (2, 3, 4)) == {"online"}
