"""The running demo edition brought to life: what its teacher and participants did so far.

Everything goes through the real services (literature, groups, cases, hours, absences), with the
demo's own people as actors, so the demo shows what those services make. The enrolments have no
application, as in the 2021 edition (so the meal headcount lists no dietary requirements): an
application is made by the registration path, and tests of that path count on a demo without any.

The services stamp their rows with the moment of loading. Afterwards the rows are dated back to
when they would have been written (a case entry on the evening of its session), so the pages tell
a coherent story; the audit log keeps the real moment of loading.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from leergang.accounts.models import User
from leergang.attendance import register
from leergang.attendance import services as attendance
from leergang.attendance.models import Attendance
from leergang.catalog.models import Edition, LearningGoal, Session
from leergang.enrolment.models import Enrolment
from leergang.learning import cases, groups, literature, timelog
from leergang.learning.models import CaseEntry, CaseResponse, LiteratureItem, OwnCase, StudyGroup, TimeEntry
from leergang.notifications.models import OutboxEmail, OutboxTask

from . import content

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


@dataclass
class Cast:
    teacher: User
    participants: dict[str, User]  # by e-mail address


def link_goals(editions: list[Edition]) -> None:
    """Each content session to the programme's learning goals it works on (content.SESSION_GOALS);
    one insert for all editions."""
    through = Session.goals.through
    links = []
    for edition in editions:
        goals = list(LearningGoal.objects.filter(programme_id=edition.programme_id).order_by("order", "id"))
        for session in edition.sessions.all():
            links += [
                through(session_id=session.pk, learninggoal_id=goals[number - 1].pk)
                for number in content.SESSION_GOALS.get(session.number, ())
            ]
    through.objects.bulk_create(links)


def _literature(sessions: dict[int, Session], cast: Cast) -> list[int]:
    """The reading list, put online by the demo teacher two weeks before the first session."""
    published = _moment(sessions[1].date - datetime.timedelta(days=14), 10)
    ids = []
    for number, items in content.LITERATURE.items():
        for title, url, minutes in items:
            item = literature.add_literature(
                actor=cast.teacher, session_id=sessions[number].pk, title=title, url=url, preparation_minutes=minutes
            )
            ids.append(item.pk)
    LiteratureItem.objects.filter(pk__in=ids).update(added_at=published)
    return ids


def _cases(sessions: dict[int, Session], cast: Cast, enrolments: dict[str, Enrolment]) -> list[int]:
    """Own cases with an entry per session held, and the teacher's response to the first entry of the
    first case. Returns the responses' ids."""
    responses = []
    for email, (title, question, context, entries) in content.CASES.items():
        person, enrolment = cast.participants[email], enrolments[email]
        case = cases.write_case(actor=person, enrolment_id=enrolment.pk, title=title, question=question, context=context)
        written = _moment(sessions[1].date - datetime.timedelta(days=7), 20)
        OwnCase.objects.filter(pk=case.pk).update(created_at=written, updated_at=written)
        for number, (done, learned, next_step) in enumerate(entries, start=1):
            session = sessions[number]
            entry = cases.write_entry(
                actor=person, enrolment_id=enrolment.pk, session_id=session.pk, done=done, learned=learned, next_step=next_step
            )
            written = _moment(session.date, 21)
            CaseEntry.objects.filter(pk=entry.pk).update(created_at=written, updated_at=written)
            if not responses:
                response = cases.respond(actor=cast.teacher, entry_id=entry.pk, text=content.CASE_RESPONSE)
                answered = _moment(session.date + datetime.timedelta(days=3), 10)
                CaseResponse.objects.filter(pk=response.pk).update(created_at=answered)
                responses.append(response.pk)
    return responses


def _hours(sessions: dict[int, Session], cast: Cast, enrolments: dict[str, Enrolment]) -> None:
    for email, kind, number, days, hours, note in content.TIME_LOG:
        day = sessions[number].date + datetime.timedelta(days=days)
        if day > timelog.today():  # only when the demo is built for a day still to come (tests)
            continue
        entry = timelog.log_time(
            actor=cast.participants[email],
            enrolment_id=enrolments[email].pk,
            kind=kind,
            session_id=sessions[number].pk if kind == "preparation" else None,
            day=day,
            hours=hours,
            note=note,
        )
        TimeEntry.objects.filter(pk=entry.pk).update(logged_at=_moment(day, 21))


def _register(sessions: dict[int, Session], cast: Cast, enrolments: dict[str, Enrolment], today: datetime.date) -> None:
    """The teacher's register of the sessions held: everyone present, one absence at the second."""
    for session in sessions.values():
        if session.date > today:
            continue
        for email, enrolment in enrolments.items():
            status = "absent" if (session.number, email) == content.REGISTER_ABSENT else "present"
            register.record_attendance(
                actor=cast.teacher, session_id=session.pk, enrolment_id=enrolment.pk, status=status, today=today
            )
        Attendance.objects.filter(session=session).update(recorded_at=_moment(session.date, 14))


def _drop_notices(item_ids: list[int], response_ids: list[int]) -> None:
    """Drop the notices the services above queued, before they were ever committed.

    Adding literature queues a task that e-mails every participant, and a response e-mails the
    writer of the entry. In the demo's story those happened weeks ago; sent now, they would only
    fill the console of `make run` (its worker prints e-mails) with news that is not news, at every
    fresh start. The rows never leave this transaction, so no e-mail that might have gone out is
    deleted; only rows that belong to the demo's own items go, nothing else in the outbox.
    """
    OutboxTask.objects.filter(name=literature.LITERATURE_ADDED_TASK, payload__item__in=item_ids).delete()
    OutboxEmail.objects.filter(
        related_type=CaseResponse._meta.label_lower, related_id__in=[str(pk) for pk in response_ids]
    ).delete()


def bring_to_life(edition: Edition, cast: Cast, today: datetime.date) -> None:
    """The running edition as it is `today`: two sessions held, the third ahead."""
    sessions = {session.number: session for session in edition.sessions.order_by("number")}
    by_person = {e.participant_id: e for e in edition.enrolments.all()}
    enrolments = {email: by_person[person.pk] for email, person in cast.participants.items()}
    item_ids = _literature(sessions, cast)
    groups.form_groups(actor=cast.teacher, edition_id=edition.pk, session_id=sessions[1].pk, size=content.GROUP_SIZE)
    StudyGroup.objects.filter(edition=edition).update(formed_at=_moment(sessions[1].date, 15))
    response_ids = _cases(sessions, cast, enrolments)
    _hours(sessions, cast, enrolments)
    _register(sessions, cast, enrolments, today)
    email, note = content.ABSENCE
    next_session = min((s for s in sessions.values() if s.date > today), key=lambda s: s.date)
    attendance.report_absence(
        actor=cast.participants[email], session_id=next_session.pk, enrolment_id=enrolments[email].pk, note=note, today=today
    )
    _drop_notices(item_ids, response_ids)
