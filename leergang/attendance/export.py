"""The attendance of an edition as CSV (M22): one row per enrolled participant, one column per
session, and the number of content sessions attended. One function for the API and the page."""

from __future__ import annotations

import csv
import io

from leergang.catalog.models import Edition, SessionKind
from leergang.core.csvsafe import neutralise
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from .models import Attendance, AttendanceStatus


def filename(edition: Edition) -> str:
    return f"attendance-edition-{edition.pk}.csv"


def attendance_csv(edition: Edition) -> str:
    """Three queries: the sessions, the enrolled participants and their attendance."""
    sessions = list(edition.sessions.order_by("number").only("pk", "edition_id", "number", "date", "kind"))
    enrolments = list(
        Enrolment.objects.filter(edition=edition, status=EnrolmentStatus.ENROLLED)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    statuses = {
        (enrolment_id, session_id): status
        for enrolment_id, session_id, status in Attendance.objects.filter(
            session__edition=edition, enrolment__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "session_id", "status")
    }
    content = {session.pk for session in sessions if session.kind == SessionKind.CONTENT}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["enrolment_id", "name", "email", "organisation"]
        + [f"{session.number} ({session.date.isoformat()})" for session in sessions]
        + ["content_sessions_attended"]
    )
    for enrolment in enrolments:
        person = enrolment.participant
        row = [statuses.get((enrolment.pk, session.pk), "") for session in sessions]
        attended = sum(
            1
            for session in sessions
            if session.pk in content and statuses.get((enrolment.pk, session.pk)) == AttendanceStatus.PRESENT
        )
        writer.writerow(
            [enrolment.pk, neutralise(person.get_full_name()), neutralise(person.email), neutralise(enrolment.organisation)]
            + row
            + [attended]
        )
    return buffer.getvalue()
