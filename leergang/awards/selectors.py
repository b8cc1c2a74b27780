"""Where an enrolment stands toward its award: the facts from the database fed to the pure rule."""

from __future__ import annotations

from django.utils import timezone

from leergang.attendance.models import Attendance
from leergang.catalog.models import SessionKind
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import selectors as learning_selectors

from . import rules


def policy_for(programme) -> rules.Policy:
    """The programme's award rule, as data on the programme (M18)."""
    return rules.Policy(
        min_content_attended=programme.award_min_content_sessions,
        require_paper=programme.award_requires_paper,
        require_presentation=programme.award_requires_presentation,
    )


def facts_for(enrolment: Enrolment) -> rules.Facts:
    """Four queries: the sessions, the enrolment's attendance, its paper and its presentation."""
    today = timezone.localdate()
    statuses = dict(Attendance.objects.filter(enrolment=enrolment).values_list("session_id", "status"))
    sessions = list(enrolment.edition.sessions.order_by("number").values_list("pk", "kind", "date"))
    closing_dates = [day for _pk, kind, day in sessions if kind == SessionKind.CLOSING]
    return rules.Facts(
        sessions=tuple(rules.SessionFact(kind, day <= today, statuses.get(pk)) for pk, kind, day in sessions),
        paper=learning_selectors.paper_status(enrolment.pk)["status"],
        presented=learning_selectors.presented(enrolment.pk),
        cancelled=enrolment.status != EnrolmentStatus.ENROLLED,
        final=bool(closing_dates) and max(closing_dates) <= today,
    )


def standing(enrolment: Enrolment) -> rules.Outcome:
    return rules.evaluate(policy_for(enrolment.edition.programme), facts_for(enrolment))
