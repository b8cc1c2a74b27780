"""Tell participants and teachers when a session moves: an e-mail with the new facts and an
updated calendar entry. Called by services inside their transaction, so the e-mails are written
to the outbox together with the change (and vanish with it on rollback)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from leergang.accounts.models import User
from leergang.catalog.models import Edition, Session
from leergang.enrolment.models import EnrolmentStatus


def recipients(edition: Edition, sessions: list[Session]) -> list[User]:
    """Enrolled participants, the programme's lead teachers and the teachers of the sessions' parts
    who have an account: each person once."""
    people = User.objects.filter(is_active=True).filter(
        Q(enrolments__edition=edition, enrolments__status=EnrolmentStatus.ENROLLED)
        | Q(teacher_profile__programme_links__programme_id=edition.programme_id)
        | Q(teacher_profile__session_parts__session__in=sessions)
    )
    return list(people.distinct().order_by("email"))


def _page_url(edition: Edition, language: str) -> str:
    with translation.override(language):
        path = reverse("catalog:programme", kwargs={"slug": edition.programme.slug})
    return f"{settings.PUBLIC_BASE_URL}{path}?editie={edition.pk}"


def sessions_changed(*, edition: Edition, changes: list[tuple[Session, dict]]) -> None:
    """`changes`: each changed session with its state before the change (the audit snapshot)."""
    if not changes:
        return
    from leergang.notifications.services import queue_templated_email

    from .ics import session_calendar

    for session, old in changes:
        for person in recipients(edition, [session]):
            language = person.preferred_language or "nl"
            queue_templated_email(
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
                attachments=[
                    (f"bijeenkomst-{session.number}.ics", session_calendar(session, language=language), "text/calendar")
                ],
                kind="session_changed",
                related=session,
            )


def upcoming_sessions_moved(*, edition: Edition, today: datetime.date, old_place: str) -> None:
    """The edition's place changed: every session still to come is affected."""
    sessions = [s for s in edition.sessions.all() if s.date >= today]
    changes = []
    for session in sessions:
        changes.append(
            (
                session,
                {
                    "date": session.date.isoformat(),
                    "start_time": session.start_time.isoformat(),
                    "end_time": session.end_time.isoformat(),
                    "delivery_mode": session.delivery_mode,
                    "place": old_place,
                },
            )
        )
    sessions_changed(edition=edition, changes=changes)
