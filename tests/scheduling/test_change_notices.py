"""When a session's date, time, place or mode changes, its participants and teachers are told,
with an updated calendar entry; nothing else sends mail, and a refused change sends none."""

import base64
import datetime

import icalendar
import pytest

from leergang.catalog import services as catalog_services
from leergang.catalog.models import Edition, Teacher
from leergang.core.errors import Invalid
from leergang.notifications.delivery import run_due_tasks
from leergang.notifications.models import OutboxEmail
from leergang.scheduling import rules, services
from tests import factories

pytestmark = pytest.mark.django_db


def outbox():
    """The e-mails written so far, after the worker ran the due tasks (as its next round would)."""
    run_due_tasks(limit=100)
    return OutboxEmail.objects


@pytest.fixture
def upcoming(demo):
    edition = Edition.objects.get(status="open")
    factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="nl@example.org"))
    factories.EnrolmentFactory(
        edition=edition, participant=factories.UserFactory(email="en@example.org", preferred_language="en")
    )
    factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(email="gone@example.org"), status="cancelled")
    lead = Teacher.objects.get(name="Dr. Tjerk Budding")
    lead.user = factories.TeacherUserFactory(email="tjerk@example.org")
    lead.save()
    return edition


def inputs(edition, changes=None):
    changes = changes or {}
    items = []
    for s in edition.sessions.order_by("number"):
        item = services.SessionInput(
            number=s.number, date=s.date, start_time=s.start_time, end_time=s.end_time, kind=s.kind,
            delivery_mode=s.delivery_mode,
        )  # fmt: skip
        for name, value in changes.get(s.number, {}).items():
            setattr(item, name, value)
        items.append(item)
    return items


def dutch_month(day: datetime.date) -> str:
    return ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"][day.month - 1]  # fmt: skip


def later_date(edition, number):
    session = edition.sessions.get(number=number)
    return rules.plan(session.date + datetime.timedelta(days=1), 1, services.schedule_rules(edition))[0]


def attachment_event(mail):
    ((name, content, mimetype),) = [(a["filename"], a["content"], a["mimetype"]) for a in mail.attachments]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(base64.b64decode(content))
    (event,) = calendar.walk("VEVENT")
    return event


def test_a_moved_session_tells_participants_and_teachers(upcoming, coordinator):
    new_date = later_date(upcoming, 7)
    services.replace_sessions(actor=coordinator, edition_id=upcoming.pk, sessions=inputs(upcoming, {7: {"date": new_date}}))
    mails = list(outbox().filter(kind="session_changed").order_by("id"))
    recipients = sorted(address for mail in mails for address in mail.to)
    assert recipients == ["en@example.org", "nl@example.org", "tjerk@example.org"]
    by_address = {mail.to[0]: mail for mail in mails}
    dutch, english = by_address["nl@example.org"], by_address["en@example.org"]
    day = new_date.day
    assert dutch.subject.startswith("Gewijzigd") and dutch.subject.endswith(f" {day} {dutch_month(new_date)} {new_date.year}")
    assert english.subject.startswith("Changed") and english.subject.endswith(f" {day} {new_date:%B} {new_date.year}")
    assert dutch.language == "nl" and english.language == "en"
    assert "13.30" in dutch.body and "13:30" in english.body
    assert "De Boelelaan 1105" in english.body
    assert new_date.strftime("%B") in english.body
    session = upcoming.sessions.get(number=7)
    event = attachment_event(english)
    assert str(event["UID"]).startswith(str(session.calendar_uid))
    assert int(event["SEQUENCE"]) == session.calendar_sequence == 1
    assert event.decoded("DTSTART").date() == new_date


def test_unchanged_or_theme_only_changes_send_nothing(upcoming, coordinator):
    services.replace_sessions(actor=coordinator, edition_id=upcoming.pk, sessions=inputs(upcoming))
    services.replace_sessions(
        actor=coordinator, edition_id=upcoming.pk, sessions=inputs(upcoming, {2: {"theme_en": "A new theme"}})
    )
    assert not outbox().exists()
    assert upcoming.sessions.get(number=2).calendar_sequence == 1  # the calendar shows the theme


def test_a_refused_change_sends_nothing(upcoming, coordinator):
    thursday = upcoming.sessions.get(number=7).date + datetime.timedelta(days=1)
    with pytest.raises(Invalid):
        services.replace_sessions(actor=coordinator, edition_id=upcoming.pk, sessions=inputs(upcoming, {7: {"date": thursday}}))
    assert not outbox().exists()


def test_time_and_mode_changes_are_told(upcoming, coordinator):
    services.replace_sessions(
        actor=coordinator,
        edition_id=upcoming.pk,
        sessions=inputs(upcoming, {3: {"start_time": datetime.time(14, 0)}, 4: {"delivery_mode": "online"}}),
    )
    subjects_by_session = {mail.related_id for mail in outbox().all()}
    assert subjects_by_session == {str(upcoming.sessions.get(number=n).pk) for n in (3, 4)}
    assert outbox().count() == 2 * 3


def test_past_sessions_are_not_announced(db, coordinator):
    edition = factories.EditionFactory(start_date=datetime.date(2021, 1, 13))
    factories.SessionFactory(edition=edition, number=1, date=datetime.date(2021, 1, 13))
    factories.EnrolmentFactory(edition=edition)
    services.replace_sessions(
        actor=coordinator,
        edition_id=edition.pk,
        sessions=[services.SessionInput(number=1, date=datetime.date(2021, 2, 10))],
    )
    assert edition.sessions.get().date == datetime.date(2021, 2, 10)
    assert not outbox().exists()


def test_a_new_place_is_told_for_every_coming_session(upcoming, coordinator):
    catalog_services.update_edition(actor=coordinator, edition_id=upcoming.pk, changes={"location": "Online platform Zoom"})
    mails = outbox().filter(kind="session_changed")
    assert mails.count() == 7 * 3 + 1  # and the guest teacher of session 6, for that session only
    assert all("Online platform Zoom" in mail.body for mail in mails)
    assert set(upcoming.sessions.values_list("calendar_sequence", flat=True)) == {1}
