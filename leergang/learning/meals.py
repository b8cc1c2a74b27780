"""The meal headcount per session (the fee includes a shared meal): who is expected and what they
cannot eat. Reads only, with a fixed number of queries however many participants or sessions.

Expected at a session (and so eating) are the edition's enrolled participants (cancelled ones not
counted) minus those excused for it. The dietary requirements come from each participant's
application (the registration form); enrolments made without an application have none, and empty
requirements are left out. Teachers and staff are not counted: the programme office adds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models.functions import Lower

from leergang.attendance import selectors as attendance_selectors
from leergang.catalog.models import DeliveryMode, Edition, Session
from leergang.enrolment.models import Enrolment, EnrolmentStatus

ENROLMENT_FIELDS = (
    "id",
    "edition_id",
    "status",
    "participant__id",
    "participant__email",
    "participant__first_name",
    "participant__last_name",
    "participant__preferred_language",
    "participant__is_active",
    "application__id",
    "application__first_name",
    "application__last_name",
    "application__dietary_requirements",
)


@dataclass(frozen=True)
class DietaryNeed:
    name: str
    requirement: str


@dataclass
class SessionMeals:
    session: Session
    enrolled: int
    excused: int
    dietary: list[DietaryNeed]
    # The enrolments expected (participant and application loaded), in name order.
    coming: list[Enrolment] = field(default_factory=list)

    @property
    def meals(self) -> int:
        return self.enrolled - self.excused

    @property
    def online(self) -> bool:
        """An online session has no shared meal; the count is still shown for the record."""
        return self.session.delivery_mode == DeliveryMode.ONLINE


def participant_name(enrolment: Enrolment) -> str:
    person = enrolment.participant
    name = person.get_full_name()
    if not name and enrolment.application is not None:
        name = enrolment.application.name
    return name or person.email


def enrolled(edition_id: int) -> list[Enrolment]:
    """The edition's enrolled (not cancelled) participants with what the headcount needs (one query)."""
    return list(
        Enrolment.objects.filter(edition_id=edition_id, status=EnrolmentStatus.ENROLLED)
        .select_related("participant", "application")
        .only(*ENROLMENT_FIELDS)
        .order_by(Lower("participant__last_name"), Lower("participant__first_name"), "pk")
    )


def _headcount(session: Session, people: list[Enrolment], excused: set[int]) -> SessionMeals:
    coming = [enrolment for enrolment in people if enrolment.pk not in excused]
    dietary = []
    for enrolment in coming:
        requirement = " ".join((enrolment.application.dietary_requirements if enrolment.application else "").split())
        if requirement:
            dietary.append(DietaryNeed(participant_name(enrolment), requirement))
    return SessionMeals(
        session=session,
        enrolled=len(people),
        excused=len(people) - len(coming),
        dietary=dietary,
        coming=coming,
    )


def edition_headcount(edition: Edition) -> list[SessionMeals]:
    """A headcount per session of the edition, in session order (three queries)."""
    sessions = list(Session.objects.filter(edition_id=edition.pk).order_by("number"))
    people = enrolled(edition.pk)
    excused = attendance_selectors.excused_by_session([session.pk for session in sessions]) if sessions else {}
    return [_headcount(session, people, excused.get(session.pk, set())) for session in sessions]


def session_headcount(session: Session) -> SessionMeals:
    """The headcount of one session (two queries)."""
    people = enrolled(session.edition_id)
    excused = attendance_selectors.excused_by_session([session.pk]).get(session.pk, set())
    return _headcount(session, people, excused)
