"""Tell participants and teachers when a session moves: an e-mail with the new facts and an
updated calendar entry. Called by services inside their transaction, so the e-mails are written
to the outbox together with the change (and vanish with it on rollback)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import translation

from leergang.accounts.models import User
from leergang.catalog.models import Edition, Session, SessionPart
from leergang.enrolment.models import EnrolmentStatus


def _people(edition: Edition) -> list[User]:
    """Everyone told about every session: enrolled participants and the programme's lead teachers
    who have an account (one query)."""
    people = User.objects.filter(is_active=True).filter(
        Q(enrolments__edition=edition, enrolments__status=EnrolmentStatus.ENROLLED)
        | Q(teacher_profile__programme_links__programme_id=edition.programme_id)
    )
    return list(people.distinct().order_by("email"))


def recipients(edition: Edition, session: Session, people: list[User]) -> list[User]:
    """`people` plus the teachers of the session's own parts (prefetched), each person once."""
    found = {person.pk: person for person in people}
    for part in session.parts.all():
        teacher = part.teacher.user if part.teacher else None
        if teacher is not None and teacher.is_active:
            found.setdefault(teacher.pk, teacher)
    return sorted(found.values(), key=lambda person: person.email)


def _page_url(edition: Edition, language: str) -> str:
    with translation.override(language):
        path = reverse("catalog:programme", kwargs={"slug": edition.programme.slug})
    return f"{settings.PUBLIC_BASE_URL}{path}?editie={edition.pk}"


SESSION_CHANGED_TASK = "scheduling.session_changed"


def sessions_changed(*, edition: Edition, changes: list[tuple[Session, dict]]) -> None:
    """`changes`: each changed session with its state before the change (the audit snapshot).

    One outbox task, written in the caller's transaction: the worker writes the e-mails (one per
    person and session) so the request costs one query however large the group is."""
    if not changes:
        return
    from leergang.notifications.services import queue_task

    queue_task(
        SESSION_CHANGED_TASK,
        {"edition": edition.pk, "changes": [{"session": session.pk, "old": old} for session, old in changes]},
    )


def write_session_change_emails(payload: dict) -> None:
    """The task's handler: every e-mail of a session change, in each recipient's language."""
    from leergang.notifications.services import build_templated_email, queue_all

    from .ics import session_calendar

    edition = Edition.objects.select_related("programme", "room__location").get(pk=payload["edition"])
    parts = SessionPart.objects.select_related("teacher__user")
    wanted = [change["session"] for change in payload["changes"]]
    sessions = {s.pk: s for s in Session.objects.filter(pk__in=wanted).prefetch_related(Prefetch("parts", parts))}
    people = _people(edition)
    calendars: dict[tuple[int, str], bytes] = {}
    emails = []
    for change in payload["changes"]:
        session, old = sessions.get(change["session"]), change["old"]
        if session is None:  # removed since: nothing left to announce
            continue
        session.edition = edition
        for person in recipients(edition, session, people):
            language = person.preferred_language or "nl"
            if (session.pk, language) not in calendars:
                calendars[(session.pk, language)] = session_calendar(session, language=language)
            emails.append(
                build_templated_email(
                    to=[person.email],
                    template="session_changed",
                    context={
                        "person": person,
                        "edition": edition,
                        "programme": edition.programme,
                        "session": session,
                        "old_date": datetime.date.fromisoformat(old["date"]),
                        "old_start": datetime.time.fromisoformat(old["start_time"]),
                        "old_end": datetime.time.fromisoformat(old["end_time"]),
                        "old_mode": old["delivery_mode"],
                        "old_place": old.get("place", ""),
                        "page_url": _page_url(edition, language),
                    },
                    language=language,
                    attachments=[(f"bijeenkomst-{session.number}.ics", calendars[(session.pk, language)], "text/calendar")],
                    kind="session_changed",
                    related=session,
                )
            )
    queue_all(emails)


PLACE_CHANGED_TASK = "scheduling.place_changed"


def upcoming_sessions_moved(*, edition: Edition, today: datetime.date, old_place: str) -> None:
    """The edition's place changed: every session from `today` on is affected. Always one task
    (the worker finds the sessions), so the request's queries do not depend on the schedule."""
    from leergang.notifications.services import queue_task

    queue_task(PLACE_CHANGED_TASK, {"edition": edition.pk, "from": today.isoformat(), "old_place": old_place})


def write_place_change_emails(payload: dict) -> None:
    """The place task's handler: a session change for every session still to come."""
    sessions = Session.objects.filter(edition_id=payload["edition"], date__gte=datetime.date.fromisoformat(payload["from"]))
    changes = [
        {
            "session": session.pk,
            "old": {
                "date": session.date.isoformat(),
                "start_time": session.start_time.isoformat(),
                "end_time": session.end_time.isoformat(),
                "delivery_mode": session.delivery_mode,
                "place": payload["old_place"],
            },
        }
        for session in sessions
    ]
    if changes:
        write_session_change_emails({"edition": payload["edition"], "changes": changes})
