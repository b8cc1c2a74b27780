"""One factory per model. `.build()` gives unsaved objects for rule tests without a database."""

import datetime
from decimal import Decimal

import factory

from leergang.accounts.models import Role, User
from leergang.catalog.models import Edition, LearningGoal, Location, Programme, Room, Session, Teacher
from leergang.enrolment.models import Enrolment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    role = Role.PARTICIPANT
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR


class TeacherUserFactory(UserFactory):
    role = Role.TEACHER


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    published = True
    title_nl = factory.Sequence(lambda n: f"Opleiding {n}")
    title_en = factory.Sequence(lambda n: f"Programme {n}")


class LearningGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningGoal

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(int)
    text_nl = factory.Sequence(lambda n: f"Leerdoel {n}")
    text_en = factory.Sequence(lambda n: f"Learning goal {n}")


class TeacherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Teacher

    name = factory.Faker("name", locale="nl_NL")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = "Hoofdgebouw"
    address = "De Boelelaan 1105"
    postal_code = "1081 HV"
    city = "Amsterdam"


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    location = factory.SubFactory(LocationFactory)
    name = factory.Sequence(lambda n: f"Zaal {n}")
    area_m2 = Decimal("100.0")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    programme = factory.SubFactory(ProgrammeFactory)
    start_date = datetime.date(2027, 1, 13)
    status = "open"
    capacity = 25
    fee = Decimal("2995.00")
    location = "Hoofdgebouw, Amsterdam"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    edition = factory.SubFactory(EditionFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = "content"
    date = factory.LazyAttribute(lambda o: o.edition.start_date + datetime.timedelta(days=28 * (o.number - 1)))
    start_time = datetime.time(13, 30)
    end_time = datetime.time(19, 30)
    theme_nl = factory.Sequence(lambda n: f"Thema {n}")
    theme_en = factory.Sequence(lambda n: f"Theme {n}")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    edition = factory.SubFactory(EditionFactory)
    participant = factory.SubFactory(UserFactory)
