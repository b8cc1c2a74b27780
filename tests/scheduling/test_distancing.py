"""M10: an edition meets on site only when its room holds everyone under the distancing rule."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from leergang.catalog.models import Edition
from leergang.core.errors import Invalid
from leergang.scheduling import distancing, rules, services
from tests import factories


def test_no_rule_allows_any_room():
    check = distancing.room_check(area_m2=None, participants=500, staff=2, m2_per_person=Decimal(0))
    assert check.allowed


def test_room_that_holds_everyone_is_allowed():
    check = distancing.room_check(area_m2=Decimal("120"), participants=20, staff=2, m2_per_person=Decimal("5"))
    assert (check.allowed, check.room_holds, check.people) == (True, 24, 22)


def test_room_too_small_is_refused_with_the_reason():
    check = distancing.room_check(area_m2=Decimal("120"), participants=25, staff=2, m2_per_person=Decimal("10"))
    assert not check.allowed
    assert check.room_holds == 12 and check.people == 27
    assert "12" in check.reason and "27" in check.reason


def test_unknown_room_is_refused_while_a_rule_is_in_force():
    assert not distancing.room_check(area_m2=None, participants=1, staff=1, m2_per_person=Decimal("2.5")).allowed


@pytest.fixture
def crowded(db, coordinator):
    """An open edition in a 120 m² room with 25 participants, sessions from next month on."""
    room = factories.RoomFactory(area_m2=Decimal("120.0"))
    dates = rules.plan(datetime.date.today() + datetime.timedelta(days=30), 2, rules.ScheduleRules())
    edition = factories.EditionFactory(room=room, start_date=dates[0])
    for number, day in enumerate(dates, start=1):
        factories.SessionFactory(edition=edition, number=number, date=day)
    for _ in range(25):
        factories.EnrolmentFactory(edition=edition)
    return edition


def session_inputs(edition, overrides):
    return [
        services.SessionInput(
            number=s.number, date=s.date, start_time=s.start_time, end_time=s.end_time, kind=s.kind,
            delivery_mode=overrides.get(s.number, s.delivery_mode),
        )
        for s in edition.sessions.order_by("number")
    ]  # fmt: skip


@override_settings(DISTANCING_M2_PER_PERSON=Decimal("10"))
def test_room_check_counts_participants_and_staff(crowded):
    check = services.room_check(crowded)
    assert not check.allowed and check.people == 27


@override_settings(DISTANCING_M2_PER_PERSON=Decimal("10"))
def test_bringing_a_session_into_a_too_small_room_is_refused(crowded, coordinator):
    services.switch_to_online(actor=coordinator, edition_id=crowded.pk)
    with pytest.raises(Invalid) as refused:
        services.replace_sessions(actor=coordinator, edition_id=crowded.pk, sessions=session_inputs(crowded, {1: "on_site"}))
    assert refused.value.errors[0]["field"] == "sessions.0.delivery_mode"
    assert crowded.sessions.get(number=1).delivery_mode == "online"


@override_settings(DISTANCING_M2_PER_PERSON=Decimal("4"))
def test_a_room_large_enough_allows_on_site(crowded, coordinator):
    services.switch_to_online(actor=coordinator, edition_id=crowded.pk)
    services.replace_sessions(actor=coordinator, edition_id=crowded.pk, sessions=session_inputs(crowded, {1: "on_site"}))
    assert crowded.sessions.get(number=1).delivery_mode == "on_site"


@override_settings(DISTANCING_M2_PER_PERSON=Decimal("10"))
def test_switching_online_moves_coming_sessions_and_tells_participants(crowded, coordinator):
    from leergang.notifications.delivery import run_due_tasks
    from leergang.notifications.models import OutboxEmail

    def outbox():
        run_due_tasks(limit=100)
        return OutboxEmail.objects

    past = factories.SessionFactory(edition=crowded, number=3, date=datetime.date.today() - datetime.timedelta(days=1))
    services.switch_to_online(actor=coordinator, edition_id=crowded.pk)
    modes = dict(crowded.sessions.values_list("number", "delivery_mode"))
    assert modes == {1: "online", 2: "online", 3: "on_site"}
    assert Edition.objects.get(pk=crowded.pk).sessions.get(pk=past.pk).calendar_sequence == 0
    mails = outbox().filter(kind="session_changed")
    participants = {e.participant.email for e in crowded.enrolments.all()}
    assert {address for mail in mails for address in mail.to} == participants
    assert mails.count() == 25 * 2  # one per participant per moved session


@override_settings(DISTANCING_M2_PER_PERSON=Decimal("10"))
def test_planning_a_crowded_edition_puts_new_sessions_online(db, coordinator):
    edition = factories.EditionFactory(room=factories.RoomFactory(area_m2=Decimal("20")))
    for _ in range(5):
        factories.EnrolmentFactory(edition=edition)
    services.plan_sessions(actor=coordinator, edition_id=edition.pk, first_date=datetime.date(2027, 9, 1))
    assert set(edition.sessions.values_list("delivery_mode", flat=True)) == {"online"}
