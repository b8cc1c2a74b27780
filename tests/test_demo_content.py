"""The demo content is the customer's programme: its facts must match the seed text."""

import datetime
from decimal import Decimal

import pytest

from leergang.accounts.models import Role, User
from leergang.catalog.models import Edition, Programme, Session
from leergang.demo import content
from leergang.demo.loader import load_demo, upcoming_dates
from leergang.enrolment.models import Enrolment
from leergang.scheduling import rules

SEED_DATES = [
    datetime.date(2021, 1, 13),
    datetime.date(2021, 2, 10),
    datetime.date(2021, 3, 24),
    datetime.date(2021, 4, 21),
    datetime.date(2021, 6, 9),
    datetime.date(2021, 9, 15),
    datetime.date(2021, 10, 13),
]

pytestmark = pytest.mark.django_db


def edition_2021() -> Edition:
    return Edition.objects.get(programme__slug="sturen-vanuit-vertrouwen", start_date=datetime.date(2021, 1, 13))


def test_programme_has_the_seed_facts(demo):
    programme = Programme.objects.get(slug="sturen-vanuit-vertrouwen")
    assert programme.published
    assert programme.title_nl == "Sturen en leidinggeven vanuit vertrouwen"
    assert programme.title_en
    assert programme.learning_goals.count() == 6
    assert all(goal.text_nl and goal.text_en for goal in programme.learning_goals.all())
    assert [t.name for t in programme.lead_teachers.order_by("programme_links__order")] == [
        "Dr. ir. Frédérique Six",
        "Dr. Tjerk Budding",
    ]
    assert programme.contact_email == "VU.SOG@vu.nl"
    assert programme.preparation_hours_per_session == 4
    assert programme.paper_hours == 50
    assert programme.vat_exempt
    assert "studiemateriaal" in programme.fee_includes_nl and "maaltijden" in programme.fee_includes_nl


def test_2021_edition_has_seven_sessions_on_the_seed_dates(demo):
    edition = edition_2021()
    assert edition.status == "completed"
    assert edition.fee == Decimal("2995.00")
    assert "De Boelelaan 1105" in edition.location and "1081 HV Amsterdam" in edition.location
    sessions = list(edition.sessions.order_by("number"))
    assert [s.date for s in sessions] == SEED_DATES
    assert [s.kind for s in sessions] == ["content"] * 6 + ["closing"]
    assert all((s.start_time, s.end_time) == (datetime.time(13, 30), datetime.time(19, 30)) for s in sessions)
    assert all(s.theme_nl and s.theme_en for s in sessions)


def test_session_six_has_three_short_lectures_each_with_a_teacher(demo):
    session = edition_2021().sessions.get(number=6)
    parts = list(session.parts.select_related("teacher"))
    assert len(parts) == 3
    assert [p.title_nl for p in parts] == [
        "Contracteren en aanbesteden vanuit vertrouwen",
        "Samenwerken in netwerken of ketens vanuit vertrouwen",
        "Lerende bureaucratie en vertrouwen",
    ]
    assert all(p.teacher is not None for p in parts)


def test_seed_schedule_follows_the_programme_rules(demo):
    edition = edition_2021()
    dates = [s.date for s in edition.sessions.all()]
    schedule = rules.ScheduleRules(
        weekday=edition.weekday, min_gap_days=edition.min_gap_days, holiday_region=edition.holiday_region
    )
    assert rules.validate(dates, schedule) == []


def test_upcoming_edition_is_open_and_its_dates_follow_the_rules(demo):
    upcoming = Edition.objects.get(status="open")
    sessions = list(upcoming.sessions.order_by("number"))
    assert len(sessions) == 7
    assert sessions[0].date == upcoming.start_date
    assert sessions[0].date > datetime.date.today()
    assert rules.validate([s.date for s in sessions], rules.ScheduleRules()) == []
    assert [s.kind for s in sessions] == ["content"] * 6 + ["closing"]


def test_upcoming_dates_skip_holidays_from_any_start():
    # From late November the Christmas holidays must be skipped.
    dates = upcoming_dates(datetime.date(2026, 11, 1))
    assert dates[0] >= datetime.date(2026, 12, 27)
    assert rules.validate(dates, rules.ScheduleRules()) == []


def test_demo_users_and_2021_participants(demo):
    assert User.objects.get(email="coordinator@example.org").role == Role.COORDINATOR
    teacher = User.objects.get(email="docent@example.org")
    assert teacher.role == Role.TEACHER
    assert teacher.teacher_profile is not None
    assert teacher.check_password(content.DEMO_PASSWORD)
    enrolled = Enrolment.objects.filter(edition=edition_2021(), status="enrolled")
    assert enrolled.count() == len(content.PARTICIPANTS) >= 3
    assert all(e.participant.role == Role.PARTICIPANT for e in enrolled)


def test_loading_twice_changes_nothing(demo):
    counts = (Programme.objects.count(), Edition.objects.count(), Session.objects.count(), User.objects.count())
    assert load_demo() is False
    assert (Programme.objects.count(), Edition.objects.count(), Session.objects.count(), User.objects.count()) == counts
