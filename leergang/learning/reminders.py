"""Session reminders a week ahead (M21) and their worker job.

The job "learning.session_reminders" runs every hour in `manage.py worker`. It looks for sessions
whose date (a local date, Europe/Amsterdam) lies 1 to 7 days ahead and that have no reminder for
that date yet. Per such session, in one transaction, it writes the `SessionReminder` row and queues
one outbox task; the task's handler then writes the e-mails in one go:

* to every enrolled participant (cancelled enrolments not) who has not reported an absence for the
  session, in their preferred language: the facts (weekday and date, times, place or online link,
  theme, the parts with their teachers), the literature with its preparation time and a link to
  each item's page, links to the session page and to the page for reporting an absence, and the
  session as an .ics attachment;
* to every active coordinator, when the edition has enrolled participants: the meal headcount and
  the dietary requirements of those coming (see `meals`).

Only editions that are open for registration or running get reminders: a draft is not public yet
and a completed edition has nothing ahead.

Exactly once: the unique (session, session_date) constraint of `SessionReminder` makes the row and
its task exist once per session and date, whether the job runs twice, on two workers at once, or
after a restart; the worker writes a task's e-mails exactly once. A session moved to another date
has no reminder for its new date and so gets a new one (it was told of the move separately). The
handler reads the state when it runs: a task for a date the session no longer has, or for a
session already past, writes nothing; excuses reported since are respected. A participant who
enrols after the reminder went out does not get it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone, translation

from leergang.accounts.models import Role, User
from leergang.catalog.models import EditionStatus, Session, SessionKind, SessionPart
from leergang.notifications import jobs, tasks

from . import meals
from .literature import literature_url
from .models import LiteratureItem, SessionReminder

JOB_NAME = "learning.session_reminders"
REMINDER_TASK = "learning.session_reminder"
DAYS_AHEAD = 7
EVERY_SECONDS = 3600
REMINDED_STATUSES = (EditionStatus.OPEN, EditionStatus.RUNNING)


def due_sessions(today: datetime.date) -> list[tuple[int, datetime.date]]:
    """(session id, date) of the sessions 1 to DAYS_AHEAD days after `today` in open or running
    editions without a reminder for their current date (one query)."""
    reminded = SessionReminder.objects.filter(session=OuterRef("pk"), session_date=OuterRef("date"))
    return list(
        Session.objects.filter(
            date__gt=today,
            date__lte=today + datetime.timedelta(days=DAYS_AHEAD),
            edition__status__in=REMINDED_STATUSES,
        )
        .exclude(Exists(reminded))
        .order_by("date", "pk")
        .values_list("pk", "date")
    )


def queue_session_reminders(*, today: datetime.date | None = None) -> int:
    """The job: queue the reminders that are due and not queued yet; return how many (sessions).

    Each session in its own transaction: the reminder row and its task commit together or not at
    all. A row another worker wrote meanwhile makes the insert fail on the unique constraint, and
    that session is skipped."""
    from leergang.notifications.services import queue_task

    today = today or timezone.localdate()
    queued = 0
    for session_id, date in due_sessions(today):
        try:
            with transaction.atomic():
                SessionReminder.objects.create(session_id=session_id, session_date=date, queued_at=timezone.now())
                queue_task(REMINDER_TASK, {"session": session_id, "date": date.isoformat()})
        except IntegrityError:
            continue
        queued += 1
    return queued


def _absolute(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        path = reverse(name, kwargs=kwargs)
    return f"{settings.PUBLIC_BASE_URL}{path}"


def write_session_reminder_emails(payload: dict) -> None:
    """The task's handler: the participants' reminders and the coordinators' headcount, in one
    insert (seven queries, whatever the group's size)."""
    from leergang.notifications.services import build_templated_email, queue_all
    from leergang.scheduling.ics import session_calendar

    parts = SessionPart.objects.select_related("teacher").order_by("order", "id")
    session = (
        Session.objects.select_related("edition__programme", "edition__room__location")
        .prefetch_related(Prefetch("parts", parts))
        .filter(pk=payload["session"])
        .first()
    )
    if session is None or session.date.isoformat() != payload["date"] or session.date < timezone.localdate():
        return  # removed, moved (its new date has its own reminder) or already past
    edition = session.edition
    items = list(LiteratureItem.objects.filter(session=session).order_by("order", "id"))
    headcount = meals.session_headcount(session)
    common = {
        "edition": edition,
        "programme": edition.programme,
        "session": session,
        "is_closing": session.kind == SessionKind.CLOSING,
        "parts": list(session.parts.all()),
    }
    calendars: dict[str, bytes] = {}
    emails = []
    for enrolment in headcount.coming:
        person = enrolment.participant
        if not person.is_active:
            continue
        language = person.preferred_language or "nl"
        if language not in calendars:
            calendars[language] = session_calendar(session, language=language)
        emails.append(
            build_templated_email(
                to=[person.email],
                template="session_reminder",
                context={
                    **common,
                    "person": person,
                    "literature": [{"item": item, "url": literature_url(item, language)} for item in items],
                    "preparation_minutes": sum(item.preparation_minutes for item in items),
                    "page_url": _absolute("learning_sessions:session", language, session_id=session.pk),
                    "excuse_url": _absolute("attendance:excuse", language, session_id=session.pk),
                },
                language=language,
                attachments=[(f"bijeenkomst-{session.number}.ics", calendars[language], "text/calendar")],
                kind="session_reminder",
                related=session,
            )
        )
    if headcount.enrolled:
        for coordinator in User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("email"):
            language = coordinator.preferred_language or "nl"
            emails.append(
                build_templated_email(
                    to=[coordinator.email],
                    template="meal_headcount",
                    context={
                        **common,
                        "person": coordinator,
                        "headcount": headcount,
                        "page_url": _absolute("meals:edition", language, edition_id=edition.pk),
                    },
                    language=language,
                    kind="meal_headcount",
                    related=session,
                )
            )
    if emails:
        queue_all(emails)


tasks.register(REMINDER_TASK, write_session_reminder_emails)
jobs.register(JOB_NAME, queue_session_reminders, every_seconds=EVERY_SECONDS)
