"""Fixtures for the API tests: a small published catalogue, the hidden things next to it, role headers."""

import datetime
from decimal import Decimal

import pytest

from leergang.accounts.models import User
from leergang.catalog.models import Edition, LearningGoal, ProgrammeTeacher, Session, SessionPart
from leergang.enrolment.models import Enrolment
from tests import factories


@pytest.fixture
def programme(db):
    programme = factories.ProgrammeFactory(
        slug="leiderschap-in-de-praktijk",
        title_nl="Leiderschap in de praktijk",
        title_en="Leadership in practice",
        tagline_nl="Voor leidinggevenden in de publieke sector",
        tagline_en="For managers in the public sector",
        description_nl="Een leergang van zeven dagen.",
        description_en="A seven-day programme.",
    )
    factories.LearningGoalFactory(programme=programme, order=0, text_nl="Je stuurt op vertrouwen.", text_en="You steer on trust.")
    factories.LearningGoalFactory(
        programme=programme, order=1, text_nl="Je kent je eigen valkuilen.", text_en="You know your own pitfalls."
    )
    return programme


@pytest.fixture
def edition(programme):
    """An open edition with two sessions, one of them with a part taught by a named teacher."""
    edition = factories.EditionFactory(
        programme=programme, status="open", start_date=datetime.date(2027, 1, 13), capacity=25, fee=Decimal("2995.00")
    )
    first = factories.SessionFactory(
        edition=edition, number=1, date=datetime.date(2027, 1, 13), theme_nl="Vertrouwen als basis", theme_en="Trust as a basis"
    )
    factories.SessionFactory(
        edition=edition,
        number=2,
        kind="closing",
        delivery_mode="online",
        date=datetime.date(2027, 2, 10),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(12, 30),
        theme_nl="Afsluiting",
        theme_en="Closing",
    )
    SessionPart.objects.create(
        session=first,
        order=0,
        title_nl="Inleiding",
        title_en="Introduction",
        teacher=factories.TeacherFactory(name="Anna de Vries"),
    )
    return edition


@pytest.fixture
def draft_edition(programme):
    return factories.EditionFactory(programme=programme, status="draft", start_date=datetime.date(2028, 1, 12))


@pytest.fixture
def hidden_programme(db):
    """An unpublished programme whose edition is open: neither is public."""
    programme = factories.ProgrammeFactory(slug="nog-geheim", published=False, title_nl="Nog geheim", title_en="Still secret")
    factories.EditionFactory(programme=programme, status="open")
    return programme


@pytest.fixture
def as_coordinator(coordinator, bearer):
    return bearer(coordinator)


@pytest.fixture
def as_teacher(teacher_user, bearer):
    return bearer(teacher_user)


@pytest.fixture
def as_participant(participant, bearer):
    return bearer(participant)


@pytest.fixture
def new_edition(programme):
    """A valid POST /editions body with only the required fields."""
    return {"programme": programme.slug, "start_date": "2027-09-01", "capacity": 20, "fee": "2995.00"}


def build_catalogue(*, programmes: int, editions: int, sessions: int, enrolments: int, parts: int = 1) -> list:
    """Published programmes, each with open editions, sessions (with parts) and enrolled participants.

    Bulk inserts keep the large set fast; returns the programmes."""
    teacher = factories.TeacherFactory()
    made = []
    for _ in range(programmes):
        programme = factories.ProgrammeFactory()
        LearningGoal.objects.bulk_create(
            [LearningGoal(programme=programme, order=i, text_nl=f"Doel {i}", text_en=f"Goal {i}") for i in range(3)]
        )
        ProgrammeTeacher.objects.create(programme=programme, teacher=teacher)
        created = Edition.objects.bulk_create(
            [
                Edition(
                    programme=programme,
                    start_date=datetime.date(2026, 1, 7) + datetime.timedelta(weeks=i),
                    status="open",
                    capacity=25,
                    fee=Decimal("2995.00"),
                )
                for i in range(editions)
            ]
        )
        session_rows = Session.objects.bulk_create(
            [
                Session(
                    edition=item,
                    number=n,
                    date=item.start_date + datetime.timedelta(days=28 * (n - 1)),
                    start_time=datetime.time(13, 30),
                    end_time=datetime.time(19, 30),
                    theme_nl=f"Thema {n}",
                    theme_en=f"Theme {n}",
                )
                for item in created
                for n in range(1, sessions + 1)
            ]
        )
        SessionPart.objects.bulk_create(
            [
                SessionPart(session=row, order=p, title_nl=f"Deel {p}", teacher=teacher)
                for row in session_rows
                for p in range(parts)
            ]
        )
        people = User.objects.bulk_create(
            [
                User(email=f"{programme.slug}-{i}@example.org", first_name="Deel", last_name=f"Nemer {i}", role="participant")
                for i in range(editions * enrolments)
            ]
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(edition=item, participant=people[e * enrolments + i])
                for e, item in enumerate(created)
                for i in range(enrolments)
            ]
        )
        made.append(programme)
    return made
