"""Builds the demo content once; running it again changes nothing."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from leergang.accounts.models import User
from leergang.catalog import services as catalog_services
from leergang.catalog.models import (
    EditionStatus,
    LearningGoal,
    Location,
    Programme,
    ProgrammeTeacher,
    Room,
    Session,
    SessionPart,
    Teacher,
)
from leergang.enrolment.models import Enrolment
from leergang.invoicing.models import DiscountCode
from leergang.scheduling import rules

from . import activity, content, history


def _user(data: dict, role: str) -> User:
    user = User.objects.filter(email__iexact=data["email"]).first()
    if user is None:
        user = User.objects.create_user(
            data["email"], password=content.DEMO_PASSWORD, first_name=data["first_name"], last_name=data["last_name"], role=role
        )
    return user


def _sessions(edition, dates_and_themes, teachers_by_name) -> None:
    for number, (day, kind, theme_nl, theme_en, parts) in enumerate(dates_and_themes, start=1):
        session = Session.objects.create(
            edition=edition,
            number=number,
            kind=kind,
            date=day,
            start_time=edition.start_time,
            end_time=edition.end_time,
            theme_nl=theme_nl,
            theme_en=theme_en,
        )
        for order, (title_nl, title_en, teacher_name) in enumerate(parts):
            SessionPart.objects.create(
                session=session, order=order, title_nl=title_nl, title_en=title_en, teacher=teachers_by_name.get(teacher_name)
            )


def _with_dates(dates: list[datetime.date]) -> list:
    """The seed's sessions (kinds, themes, parts) on other dates."""
    return [(day, kind, nl, en, parts) for day, (_old, kind, nl, en, parts) in zip(dates, content.SESSIONS_2021, strict=True)]


def upcoming_dates(today: datetime.date) -> list[datetime.date]:
    """Seven dates under the programme's own rules, starting about two months from now."""
    return rules.plan(today + datetime.timedelta(days=56), len(content.SESSIONS_2021), rules.ScheduleRules())


def running_dates(today: datetime.date) -> list[datetime.date]:
    """Seven dates under the programme's own rules for the edition under way: two sessions before
    `today` and the third as close as the rules allow to two weeks after it.

    The planner is tried from a start one week further back each time, four to twenty weeks before
    `today` (holidays stretch the gaps). Right after a school holiday the third session can only be
    `today` itself; such a plan is taken only when there is no other.
    """
    candidates = []
    for weeks in range(4, 21):
        dates = rules.plan(today - datetime.timedelta(weeks=weeks), len(content.SESSIONS_2021), rules.ScheduleRules())
        if dates[1] < today <= dates[2]:
            candidates.append((dates[2] == today, abs((dates[2] - today).days - 14), dates))
    return min(candidates)[2]


@transaction.atomic
def load_demo(today: datetime.date | None = None) -> bool:
    """Create the demo programme, its three editions (completed, running, open) and the demo users,
    what happened so far in the running edition and how the completed one ended (its register,
    papers, presentations and diplomas). Returns False when the programme was already there.

    `today` (default: the local date) places the running and the upcoming edition in time."""
    coordinator = _user(content.COORDINATOR, "coordinator")
    teacher_user = _user(content.TEACHER_USER, "teacher")
    participants = [_user(p, "participant") for p in content.PARTICIPANTS]
    if Programme.objects.filter(slug=content.SLUG).exists():
        return False

    programme = Programme.objects.create(**content.PROGRAMME)
    for order, (text_nl, text_en) in enumerate(content.LEARNING_GOALS):
        LearningGoal.objects.create(programme=programme, order=order, text_nl=text_nl, text_en=text_en)
    teachers = {}
    for order, data in enumerate(content.LEAD_TEACHERS):
        teacher = Teacher.objects.create(**data)
        ProgrammeTeacher.objects.create(programme=programme, teacher=teacher, order=order)
        teachers[teacher.name] = teacher
    demo_teacher = Teacher.objects.create(user=teacher_user, **content.DEMO_TEACHER)
    teachers[demo_teacher.name] = demo_teacher

    DiscountCode.objects.create(programme=programme, **content.DISCOUNT)

    location = Location.objects.create(**content.LOCATION)
    room = Room.objects.create(location=location, name=content.ROOM["name"], area_m2=Decimal(content.ROOM["area_m2"]))
    common = {"capacity": content.CAPACITY, "fee": Decimal(content.FEE), "location": content.LOCATION_TEXT, "room": room}

    first = catalog_services.create_edition(
        actor=coordinator, programme=programme, start_date=content.SESSIONS_2021[0][0], status=EditionStatus.COMPLETED, **common
    )
    _sessions(first, content.SESSIONS_2021, teachers)
    for data, participant in zip(content.PARTICIPANTS, participants, strict=True):
        Enrolment.objects.create(edition=first, participant=participant, organisation=data["organisation"])

    today = today or timezone.localdate()
    dates = running_dates(today)
    running = catalog_services.create_edition(
        actor=coordinator, programme=programme, start_date=dates[0], status=EditionStatus.RUNNING, **common
    )
    _sessions(running, _with_dates(dates), teachers)
    for data, participant in zip(content.PARTICIPANTS, participants, strict=True):
        Enrolment.objects.create(edition=running, participant=participant, organisation=data["organisation"])

    dates = upcoming_dates(today)
    upcoming = catalog_services.create_edition(
        actor=coordinator, programme=programme, start_date=dates[0], status=EditionStatus.OPEN, **common
    )
    _sessions(upcoming, _with_dates(dates), teachers)
    # Cancellation terms as schools commonly set them (the seed names none): free until six weeks
    # before the start, half the invoice after that.
    upcoming.cancellation_free_until = dates[0] - datetime.timedelta(days=content.CANCELLATION["free_days_before_start"])
    upcoming.cancellation_fee_kind = content.CANCELLATION["fee_kind"]
    upcoming.cancellation_fee_value = Decimal(content.CANCELLATION["fee_value"])
    upcoming.save(update_fields=["cancellation_free_until", "cancellation_fee_kind", "cancellation_fee_value", "updated_at"])

    activity.link_goals([first, running, upcoming])
    by_email = {data["email"]: person for data, person in zip(content.PARTICIPANTS, participants, strict=True)}
    cast = activity.Cast(teacher=teacher_user, participants=by_email)
    activity.bring_to_life(running, cast, today)
    history.complete(first, cast, coordinator)
    return True
