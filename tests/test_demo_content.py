"""The demo content is the customer's programme: its facts must match the seed text."""

import datetime
from decimal import Decimal

import jwt
import pytest
from django.utils import timezone

from leergang.accounts import permissions
from leergang.accounts.models import Role, User
from leergang.attendance.models import Attendance
from leergang.awards.models import Award, SigningKey
from leergang.catalog.models import Edition, Programme, Session
from leergang.core.models import AuditEntry
from leergang.demo import content
from leergang.demo.loader import load_demo, running_dates, upcoming_dates
from leergang.enrolment.models import Application, Enrolment
from leergang.learning import cases, dashboard, groups, meals
from leergang.learning.models import (
    CaseEntry,
    CaseResponse,
    LiteratureItem,
    OwnCase,
    PaperSubmission,
    PresentationSlot,
    StudyGroup,
    StudyGroupMember,
    TimeEntry,
)
from leergang.notifications.models import OutboxEmail, OutboxTask
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


# -- the running edition ------------------------------------------------------------------------


def running_edition() -> Edition:
    return Edition.objects.get(programme__slug=content.SLUG, status="running")


def user(email: str) -> User:
    return User.objects.get(email=email)


def enrolment_of(email: str) -> Enrolment:
    return Enrolment.objects.get(edition=running_edition(), participant__email=email)


def test_running_edition_has_sessions_before_and_after_today_on_the_rules(demo):
    today = timezone.localdate()
    edition = running_edition()
    sessions = list(edition.sessions.order_by("number"))
    assert [s.date for s in sessions] == running_dates(today)
    assert sessions[0].date == edition.start_date
    assert rules.validate([s.date for s in sessions], rules.ScheduleRules()) == []
    assert [s.kind for s in sessions] == ["content"] * 6 + ["closing"]
    assert sessions[1].date < today <= sessions[2].date <= today + datetime.timedelta(weeks=7)
    assert (edition.fee, edition.capacity, edition.room) == (Decimal("2995.00"), 25, edition_2021().room)


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_running_dates_put_two_sessions_behind_and_the_next_close_ahead_from_any_day(year):
    day = datetime.date(year, 1, 1)
    while day.year == year:
        dates = running_dates(day)
        assert len(dates) == 7 and rules.validate(dates, rules.ScheduleRules()) == []
        assert dates[1] < day <= dates[2] <= day + datetime.timedelta(weeks=7), day
        day += datetime.timedelta(days=1)


def test_running_dates_aim_at_a_next_session_about_two_weeks_ahead():
    # A Saturday in late November: sessions in October and November, the next one before Christmas.
    assert running_dates(datetime.date(2026, 11, 28))[:3] == [
        datetime.date(2026, 10, 21),
        datetime.date(2026, 11, 18),
        datetime.date(2026, 12, 16),
    ]


def test_the_demo_participants_are_enrolled_in_the_running_edition_too(demo):
    emails = sorted(p["email"] for p in content.PARTICIPANTS)
    running = Enrolment.objects.filter(edition=running_edition(), status="enrolled")
    assert sorted(running.values_list("participant__email", flat=True)) == emails
    assert sorted(Enrolment.objects.filter(edition=edition_2021()).values_list("participant__email", flat=True)) == emails
    assert {e.organisation for e in running} == {p["organisation"] for p in content.PARTICIPANTS}
    # Enrolled as the 2021 participants were: without an application, so no inbox shows them.
    assert not Application.objects.exists()


def test_the_demo_teacher_teaches_the_running_edition(demo):
    teacher = user(content.TEACHER_USER["email"])
    assert permissions.teaches_edition(teacher, running_edition())
    assert running_edition() in dashboard.taught_editions(teacher)


def test_every_content_session_works_on_one_or_two_learning_goals(demo):
    for edition in Edition.objects.filter(programme__slug=content.SLUG):
        for session in edition.sessions.prefetch_related("goals"):
            goals = [goal.order + 1 for goal in session.goals.all()]
            if session.kind == "content":
                assert 1 <= len(goals) <= 2 and sorted(goals) == sorted(content.SESSION_GOALS[session.number])
            else:
                assert goals == []
    covered = {number for numbers in content.SESSION_GOALS.values() for number in numbers}
    assert covered == set(range(1, len(content.LEARNING_GOALS) + 1))


def test_the_first_three_sessions_have_their_reading_as_links(demo):
    teacher = user(content.TEACHER_USER["email"])
    items = LiteratureItem.objects.filter(session__edition=running_edition())
    assert sorted(items.values_list("session__number", flat=True)) == [1, 1, 2, 2, 3, 3]
    assert all(i.kind == "link" and i.url.startswith("https://") and not i.file_path for i in items)
    assert all(i.added_by == teacher and i.added_at < timezone.now() for i in items)
    for number in (1, 2, 3):
        minutes = sum(i.preparation_minutes for i in items if i.session.number == number)
        assert minutes == running_edition().programme.preparation_hours_per_session * 60
    assert not LiteratureItem.objects.exclude(session__edition=running_edition()).exists()


def test_groups_of_three_were_formed_at_the_first_session(demo):
    edition = running_edition()
    formed = groups.groupings(edition.pk)
    assert list(formed) == [1]
    members = [e for group in formed[1] for e in group.enrolment_ids]
    assert sorted(members) == sorted(edition.enrolments.values_list("pk", flat=True))
    assert sorted(len(group.enrolment_ids) for group in formed[1]) == [2, 3]


def test_anna_and_bram_write_their_case_and_the_teacher_responded(demo):
    teacher = user(content.TEACHER_USER["email"])
    for email in ("anna.jansen@example.org", "bram.devries@example.org"):
        access = cases.case_access(teacher, enrolment_of(email).pk)
        assert access.role == cases.STAFF and access.case.title
        assert sorted(CaseEntry.objects.filter(case=access.case).values_list("session__number", flat=True)) == [1, 2]
    assert OwnCase.objects.count() == 2
    response = CaseResponse.objects.get()
    assert response.author == teacher
    assert response.entry.case.enrolment == enrolment_of("anna.jansen@example.org")
    assert response.entry.session.number == 1
    # Three entries still wait for the teacher: Anna's second and both of Bram's.
    assert len(cases.entries_awaiting_response(teacher)) == 3


def test_hours_are_logged_on_days_gone_by(demo):
    entries = TimeEntry.objects.filter(enrolment__edition=running_edition())
    assert entries.count() == len(content.TIME_LOG)
    assert all(e.day < timezone.localdate() for e in entries)
    assert {e.kind for e in entries} == {"preparation", "case"}


def test_one_participant_reported_an_absence_for_the_next_session_and_nothing_else_ahead(demo):
    today = timezone.localdate()
    row = Attendance.objects.get(enrolment__edition=running_edition(), session__date__gt=today)
    assert row.status == "excused" and row.note
    assert row.enrolment == enrolment_of(content.ABSENCE[0])
    assert row.session == running_edition().sessions.filter(date__gt=today).order_by("date").first()
    assert meals.session_headcount(row.session).meals == len(content.PARTICIPANTS) - 1


def test_the_teacher_kept_the_register_of_the_sessions_held(demo):
    today = timezone.localdate()
    held = list(running_edition().sessions.filter(date__lte=today).order_by("number"))
    rows = Attendance.objects.filter(session__in=held).select_related("session", "enrolment__participant")
    assert len(rows) == len(held) * len(content.PARTICIPANTS)
    absent = {(row.session.number, row.enrolment.participant.email) for row in rows if row.status != "present"}
    assert absent == {content.REGISTER_ABSENT}
    assert {row.recorded_by.email for row in rows} == {"docent@example.org"}


def test_a_participant_sees_the_running_edition_come_alive_on_the_dashboard(demo):
    (card,) = dashboard.participant_cards(user("anna.jansen@example.org"))
    assert card.enrolment.edition == running_edition()
    assert card.next_session.number == 3
    assert card.case is not None and card.entries_written == 2
    assert card.time.preparation_minutes > 0 and card.time.case_minutes > 0


def test_loading_leaves_nothing_in_the_outbox(demo):
    # The notices the services queued tell of things that, in the demo's story, happened weeks ago.
    assert OutboxEmail.objects.count() == 0
    assert OutboxTask.objects.count() == 0


def learning_counts() -> tuple[int, ...]:
    models = (
        Programme, Edition, Session, User, Enrolment, Application, LiteratureItem, StudyGroup, StudyGroupMember,
        OwnCase, CaseEntry, CaseResponse, TimeEntry, Attendance, OutboxEmail, OutboxTask,
    )  # fmt: skip
    return tuple(model.objects.count() for model in models)


def test_loading_twice_changes_nothing_in_the_running_edition_either(demo):
    counts = learning_counts()
    assert load_demo() is False
    assert learning_counts() == counts


def test_the_demo_can_be_built_for_another_day(db):
    day = datetime.date(2026, 7, 15)  # in the summer holidays: the next session only after them
    assert load_demo(today=day) is True
    sessions = list(running_edition().sessions.order_by("number"))
    assert sessions[1].date < day <= sessions[2].date
    assert Attendance.objects.get(enrolment__edition=running_edition(), session__date__gt=day).session.date > day
    assert TimeEntry.objects.count() == len(content.TIME_LOG)


# -- how the 2021 edition ended: register, papers, presentations, diplomas (M17-M19) -------------


@pytest.fixture(autouse=True)
def upload_root(settings, tmp_path):
    """The demo's papers are real files: each test keeps them in its own temporary directory."""
    settings.UPLOAD_ROOT = tmp_path / "uploads"
    return settings.UPLOAD_ROOT


def enrolment_2021(email: str) -> Enrolment:
    return Enrolment.objects.get(edition=edition_2021(), participant__email=email)


def test_the_2021_register_has_every_session_most_present(demo):
    edition = edition_2021()
    rows = Attendance.objects.filter(session__edition=edition).select_related("session", "enrolment__participant")
    recorded = {(row.enrolment.participant.email, row.session.number): row for row in rows}
    emails = [p["email"] for p in content.PARTICIPANTS]
    assert set(recorded) == {(email, number) for email in emails for number in range(1, 8)}
    missed = {(email, number): status for email, days in content.MISSED_2021.items() for number, (status, _n) in days.items()}
    assert missed == {
        ("chantal.bakker@example.org", 4): "excused",
        ("esra.yilmaz@example.org", 3): "absent",
        ("esra.yilmaz@example.org", 5): "absent",
    }
    for key, row in recorded.items():
        assert row.status == missed.get(key, "present"), key
        assert timezone.localtime(row.recorded_at).date() == row.session.date
    assert recorded[("chantal.bakker@example.org", 4)].recorded_by == user("chantal.bakker@example.org")
    assert recorded[("anna.jansen@example.org", 1)].recorded_by == user(content.TEACHER_USER["email"])


def test_every_2021_paper_was_handed_in_assessed_sufficient_and_presented(demo, upload_root):
    closing = edition_2021().sessions.get(kind="closing")
    teacher = user(content.TEACHER_USER["email"])
    papers = PaperSubmission.objects.filter(enrolment__edition=edition_2021()).select_related("enrolment__participant")
    assert sorted(p.enrolment.participant.email for p in papers) == sorted(content.PAPERS_2021)
    for paper in papers:
        assert (paper.result, paper.assessed_by, paper.content_type) == ("sufficient", teacher, "pdf")
        assert paper.submitted_by == paper.enrolment.participant and paper.feedback
        assert paper.submitted_at < paper.assessed_at < timezone.now()
        assert timezone.localtime(paper.assessed_at).date() < closing.date
        assert (upload_root / paper.file_path).read_bytes().startswith(b"%PDF")
    slots = PresentationSlot.objects.filter(edition=edition_2021())
    assert slots.count() == len(content.PARTICIPANTS) and all(slot.presented for slot in slots)
    assert {timezone.localtime(slot.recorded_at).date() for slot in slots} == {closing.date}


def test_the_2021_participants_hold_diplomas_and_one_a_certificate(demo):
    closing = edition_2021().sessions.get(kind="closing")
    awards = {a.enrolment.participant.email: a for a in Award.objects.select_related("enrolment__participant")}
    assert {email: a.kind for email, a in awards.items()} == {
        "anna.jansen@example.org": "diploma",
        "bram.devries@example.org": "diploma",
        "chantal.bakker@example.org": "diploma",
        "dirk.smit@example.org": "diploma",
        "esra.yilmaz@example.org": "certificate",
    }
    coordinator = user(content.COORDINATOR["email"])
    for email, award in awards.items():
        assert award.enrolment.edition == edition_2021() and not award.revoked and award.issued_by == coordinator
        assert timezone.localtime(award.issued_at).date() == closing.date  # at the ceremony
        assert award.snapshot["holder_name"] == user(email).get_full_name()
        assert award.snapshot["end_date"] == "2021-10-13" and len(award.snapshot["goals"]) == 6
        assert bytes(award.pdf).startswith(b"%PDF")
    # The documents were made for the moment of the ceremony: the credential says so too.
    claims = jwt.decode(awards["anna.jansen@example.org"].credential, options={"verify_signature": False})
    assert claims["validFrom"] == "2021-10-13T16:00:00Z"


def test_the_2021_awards_have_real_verification_pages(demo, client):
    for award in Award.objects.all():
        response = client.get(f"/verify/{award.code}?lang=en")
        assert response.status_code == 200
        html = response.content.decode()
        assert award.snapshot["holder_name"] in html and 'data-valid="true"' in html
        assert ("certificate of participation is valid" in html) == (award.kind == "certificate")


def test_loading_twice_changes_nothing_in_the_2021_history(demo):
    from leergang.awards.models import Award

    def counts():
        models = (Attendance, PaperSubmission, PresentationSlot, Award, SigningKey, AuditEntry, OutboxEmail, OutboxTask)
        return tuple(model.objects.count() for model in models)

    before = counts()
    assert load_demo() is False
    assert counts() == before
