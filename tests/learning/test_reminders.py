"""Session reminders a week ahead: the worker's job queues them once per session and date, the
task writes one e-mail per participant coming (with the literature and an .ics) and one headcount
per coordinator, and the real worker delivers them to a real SMTP server."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.catalog.models import SessionPart
from leergang.learning import reminders
from leergang.learning.models import LiteratureItem, SessionReminder
from leergang.notifications import jobs
from leergang.notifications.delivery import run_due_tasks
from leergang.notifications.models import OutboxEmail, OutboxTask
from tests import factories
from tests.attendance.helpers import day, enrol, excuse, session_in
from tests.notifications.conftest import smtp_server  # noqa: F401 - the real SMTP server fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(edition):
    """Session 2 in five days, online and on site (hybrid), with two parts and two texts to read."""
    session = session_in(
        edition,
        5,
        number=2,
        theme_nl="Vertrouwen en verantwoording",
        theme_en="Trust and accountability",
        delivery_mode="hybrid",
        online_url="https://meet.example.org/sessie-2",
    )
    SessionPart.objects.create(
        session=session,
        order=1,
        title_nl="Kort college",
        title_en="Short lecture",
        teacher=factories.TeacherFactory(name="Prof. dr. Mark Bovens"),
    )
    SessionPart.objects.create(session=session, order=2, title_nl="Casuswerk", title_en="Case work")
    author = factories.CoordinatorFactory(email="author@example.org", is_active=False)
    for order, (title, minutes) in enumerate([("Het vertrouwensparadox", 180), ("Sturen op output", 60)], start=1):
        LiteratureItem.objects.create(
            session=session,
            title=title,
            kind="link",
            url=f"https://example.org/{order}",
            preparation_minutes=minutes,
            order=order,
            added_at=timezone.now(),
            added_by=author,
        )
    return session


@pytest.fixture
def group(edition, session, coordinator):
    """Coming: a Dutch and an English participant. Not: one excused, one cancelled, one elsewhere."""
    coordinator.first_name = "Olga"
    coordinator.save()
    people = {
        "nl": enrol(edition, "anna@example.org", "Anna", "Jansen", dietary="Vegetarisch"),
        "en": enrol(edition, "ben@example.org", "Ben", "Smith", dietary="No nuts", language="en"),
        "excused": enrol(edition, "eva@example.org", "Eva", "Visser", dietary="Halal"),
        "cancelled": enrol(edition, "carl@example.org", "Carl", "de Boer", dietary="Glutenvrij", status="cancelled"),
        "elsewhere": enrol(factories.EditionFactory(), "xander@example.org", "Xander", "Elders"),
    }
    excuse(session, people["excused"], note="Ziek")
    return people


def recipients(messages) -> list[str]:
    return sorted(address for message in messages for address in message["To"].split(", "))


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def worker_round() -> None:
    call_command("worker", "--once", stdout=StringIO())


# -- through the real worker and SMTP --------------------------------------------------------------------


def test_the_job_is_registered_to_run_every_hour():
    job = next(job for job in jobs.registered() if job.name == "learning.session_reminders")
    assert job.every_seconds == 3600 and job.function is reminders.queue_session_reminders


def test_the_worker_sends_each_reminder_once_with_literature_and_calendar(request, group, session, coordinator):
    smtp = request.getfixturevalue("smtp_server")  # a real SMTP server that Django sends to
    worker_round()  # the job queues the reminder's task
    worker_round()  # the task writes the e-mails, which go out
    messages = smtp.messages
    assert recipients(messages) == ["anna@example.org", "ben@example.org", "office@example.org"]
    by_to = {message["To"]: message for message in messages}

    english = by_to["ben@example.org"]
    text = body(english)
    assert english["Subject"].startswith("Reminder: session 2 of Programme")
    assert english["Content-Language"] == "en"
    assert "Dear Ben," in text
    assert session.date.strftime("%A %-d %B %Y") in text
    assert "13:30–19:30" in text
    assert "Hoofdgebouw, Amsterdam (or online)" in text and "https://meet.example.org/sessie-2" in text
    assert "Trust and accountability" in text
    assert "- Short lecture – Prof. dr. Mark Bovens" in text and "- Case work" in text
    assert "Het vertrouwensparadox (about 3 hours)" in text and "Sturen op output (about 1 " in text
    assert "about 4 hours in all" in text
    items = LiteratureItem.objects.order_by("order")
    for item in items:
        assert f"/en/literatuur/{item.pk}/" in text
    assert f"/en/leren/bijeenkomst/{session.pk}/" in text and f"/en/leren/bijeenkomst/{session.pk}/afmelden/" in text
    [calendar] = [part for part in english.iter_attachments()]
    assert calendar.get_content_type() == "text/calendar" and calendar.get_filename() == "bijeenkomst-2.ics"
    ics = calendar.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in ics and session.date.strftime("%Y%m%d") in ics and str(session.calendar_uid) in ics

    dutch = by_to["anna@example.org"]
    assert dutch["Content-Language"] == "nl"
    assert "Het vertrouwensparadox" in body(dutch) and f"/nl/literatuur/{items[0].pk}/" in body(dutch)
    assert "13.30" in body(dutch)
    assert any(part.get_content_type() == "text/calendar" for part in dutch.iter_attachments())

    office = body(by_to["office@example.org"])
    assert "Anna Jansen: Vegetarisch" in office and "Ben Smith: No nuts" in office
    assert "Halal" not in office and "Glutenvrij" not in office
    assert f"/nl/leren/editie/{session.edition_id}/maaltijden/" in office

    # Running again - another round, the job once more, a restarted worker an hour later - sends nothing new.
    worker_round()
    assert reminders.queue_session_reminders() == 0
    assert jobs.run_due_jobs(now=timezone.now() + datetime.timedelta(hours=2)) != []
    worker_round()
    worker_round()
    assert len(smtp.messages) == 3
    assert SessionReminder.objects.filter(session=session, session_date=session.date).count() == 1
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


# -- the job ------------------------------------------------------------------------------------------------


def test_only_sessions_one_to_seven_days_ahead_in_open_or_running_editions(edition):
    running = factories.EditionFactory(status="running")
    due = [session_in(edition, 1, number=1), session_in(edition, 7, number=2), session_in(running, 3, number=1)]
    session_in(edition, 0, number=3)  # today: too late for a reminder
    session_in(edition, 8, number=4)  # next week: not yet
    session_in(edition, -2, number=5)
    session_in(factories.EditionFactory(status="draft"), 2, number=1)
    session_in(factories.EditionFactory(status="completed"), 2, number=1)

    assert reminders.queue_session_reminders() == 3
    assert sorted(SessionReminder.objects.values_list("session_id", flat=True)) == sorted(s.pk for s in due)
    payloads = sorted((task.payload["session"], task.payload["date"]) for task in OutboxTask.objects.all())
    assert payloads == sorted((s.pk, s.date.isoformat()) for s in due)
    assert {task.name for task in OutboxTask.objects.all()} == {"learning.session_reminder"}


def test_the_window_follows_the_day_it_runs(edition):
    session_in(edition, 9)
    assert reminders.queue_session_reminders(today=day(0)) == 0
    assert reminders.queue_session_reminders(today=day(2)) == 1
    assert reminders.queue_session_reminders(today=day(3)) == 0


def test_excused_and_cancelled_participants_get_no_reminder(group, session):
    reminders.queue_session_reminders()
    run_due_tasks(limit=10)
    to = sorted(address for email in OutboxEmail.objects.all() for address in email.to)
    assert to == ["anna@example.org", "ben@example.org", "office@example.org"]
    assert sorted(OutboxEmail.objects.values_list("kind", flat=True)) == [
        "meal_headcount",
        "session_reminder",
        "session_reminder",
    ]


def test_the_headcount_counts_enrolled_minus_excused(group, session, coordinator):
    factories.CoordinatorFactory(email="gone-office@example.org", is_active=False)
    english_office = factories.CoordinatorFactory(email="office-en@example.org", preferred_language="en", first_name="Pat")
    reminders.queue_session_reminders()
    run_due_tasks(limit=10)
    headcounts = {email.to[0]: email for email in OutboxEmail.objects.filter(kind="meal_headcount")}
    assert sorted(headcounts) == ["office-en@example.org", "office@example.org"]
    english = headcounts[english_office.email]
    assert english.subject.endswith(": 2") and "Meals for session 2" in english.subject
    assert "Meals: 2 (3 enrolled, 1 cannot attend; teachers and staff not included)" in english.body
    assert "- Anna Jansen: Vegetarisch\n- Ben Smith: No nuts\n" in english.body
    assert not english.attachments


def test_a_moved_session_gets_a_new_reminder_and_the_old_task_writes_nothing(group, session):
    old_date = session.date
    reminders.queue_session_reminders()
    session.date = day(6)  # moved before the worker ran the first task
    session.save()

    assert reminders.queue_session_reminders() == 1
    assert sorted(SessionReminder.objects.values_list("session_date", flat=True)) == [old_date, day(6)]
    assert run_due_tasks(limit=10) == 2
    reminders_sent = OutboxEmail.objects.filter(kind="session_reminder")
    assert sorted(address for email in reminders_sent for address in email.to) == ["anna@example.org", "ben@example.org"]
    assert all(day(6).strftime("%Y") in email.subject for email in reminders_sent)
    # Moved again after its reminder went out: the new date gets one more.
    session.date = day(4)
    session.save()
    assert reminders.queue_session_reminders() == 1
    run_due_tasks(limit=10)
    assert OutboxEmail.objects.filter(kind="session_reminder").count() == 4


def test_a_reminder_written_meanwhile_by_another_worker_is_skipped(edition, session, monkeypatch):
    SessionReminder.objects.create(session=session, session_date=session.date, queued_at=timezone.now())
    monkeypatch.setattr(reminders, "due_sessions", lambda today: [(session.pk, session.date)])
    assert reminders.queue_session_reminders() == 0
    assert not OutboxTask.objects.exists()


def test_an_edition_without_participants_sends_nothing(edition, session, coordinator):
    reminders.queue_session_reminders()
    run_due_tasks(limit=10)
    assert not OutboxEmail.objects.exists()
    assert SessionReminder.objects.count() == 1


def test_a_session_removed_or_past_before_the_task_ran_sends_nothing(group, session):
    reminders.queue_session_reminders()
    session.date = day(-1)
    session.save()
    SessionReminder.objects.all().delete()  # so only the date check stands in the way
    reminders.write_session_reminder_emails({"session": session.pk, "date": day(-1).isoformat()})
    reminders.write_session_reminder_emails({"session": 999999, "date": day(3).isoformat()})
    assert not OutboxEmail.objects.exists()


def test_an_excuse_reported_after_the_job_ran_is_respected(group, session):
    reminders.queue_session_reminders()
    excuse(session, group["en"])
    run_due_tasks(limit=10)
    assert [email.to for email in OutboxEmail.objects.filter(kind="session_reminder")] == [["anna@example.org"]]


def test_the_task_costs_the_same_queries_for_a_larger_group(edition, session, coordinator):
    enrol(edition, "first@example.org", dietary="Vegetarisch")
    payload = {"session": session.pk, "date": session.date.isoformat()}
    with CaptureQueriesContext(connection) as few:
        reminders.write_session_reminder_emails(payload)
    for number in range(8):
        enrol(edition, f"p{number}@example.org", dietary="Geen vis", language="en" if number % 2 else "nl")
    with CaptureQueriesContext(connection) as many:
        reminders.write_session_reminder_emails(payload)
    assert len(few) == len(many)
    assert OutboxEmail.objects.filter(kind="session_reminder").count() == 1 + 9
