"""Named permission checks for learning (M11-M16). Views, endpoints and services call these.

Who sees a participant's own case (M13): the participant, their group, the edition's teachers and
the programme office. "Their group" is judged per session: an entry written for session n is seen
by those who shared the writer's group in the grouping in force at session n; the case itself
(title, question, context) by everyone who shares or shared a group with the writer in the edition.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from leergang.accounts import permissions
from leergang.catalog.models import ProgrammeTeacher, SessionPart, Teacher
from leergang.enrolment.models import Enrolment, EnrolmentStatus


def is_staff_of(user: Any, edition: Any) -> bool:
    """A coordinator or a teacher of the edition: those who run it."""
    return permissions.is_coordinator(user) or teaches_edition(user, edition)


def teaches_edition(user: Any, edition: Any) -> bool:
    """As accounts.permissions.teaches_edition (a teacher of the programme or of one of the
    edition's session parts), in one query instead of three (profile, programme, session parts):
    every teacher's page asks it."""
    if not getattr(user, "is_teacher", False):
        return False
    return (
        Teacher.objects.filter(user_id=user.pk)
        .filter(
            Exists(ProgrammeTeacher.objects.filter(teacher=OuterRef("pk"), programme_id=edition.programme_id))
            | Exists(SessionPart.objects.filter(teacher=OuterRef("pk"), session__edition_id=edition.pk))
        )
        .exists()
    )


def can_view_enrolment(user: Any, enrolment: Any) -> bool:
    """As accounts.permissions.can_view_enrolment (the programme office, the edition's teachers and
    the participant themselves), with the one-query teacher check. `enrolment.edition` should be
    loaded (or be cheap to load): only a teacher's check reads it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return permissions.is_coordinator(user) or enrolment.participant_id == user.pk or teaches_edition(user, enrolment.edition)


def enrolment_of(user: Any, edition_id: int) -> Enrolment | None:
    """The user's active (not cancelled) enrolment in the edition, or None (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrolment.objects.filter(edition_id=edition_id, participant_id=user.pk, status=EnrolmentStatus.ENROLLED)
        .order_by()
        .first()
    )


def can_manage_groups(user: Any, edition: Any) -> bool:
    """Forming and reshuffling an edition's groups: its teachers and the programme office."""
    return is_staff_of(user, edition)


def can_change_literature(user: Any, edition: Any) -> bool:
    return is_staff_of(user, edition)


def can_assess_papers(user: Any, edition: Any) -> bool:
    return is_staff_of(user, edition)


def can_manage_presentations(user: Any, edition: Any) -> bool:
    return is_staff_of(user, edition)


def can_see_meals(user: Any, edition: Any) -> bool:
    """The meal headcount and dietary requirements: the programme office and the edition's teachers."""
    return is_staff_of(user, edition)


def can_write_case(user: Any, enrolment: Enrolment) -> bool:
    """Only the participant writes their case and its entries, while enrolled."""
    return (
        getattr(user, "is_authenticated", False)
        and enrolment.participant_id == user.pk
        and enrolment.status == EnrolmentStatus.ENROLLED
    )


def can_log_time(user: Any, enrolment: Enrolment) -> bool:
    return can_write_case(user, enrolment)
