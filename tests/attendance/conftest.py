"""Fixtures for reporting an absence: an edition with a session ahead, one today and one past."""

import pytest

from leergang.catalog.models import ProgrammeTeacher
from tests import factories

from .helpers import enrol, session_in


@pytest.fixture
def edition(db):
    return factories.EditionFactory()


@pytest.fixture
def ahead(edition):
    return session_in(edition, 10, number=3)


@pytest.fixture
def today_session(edition):
    return session_in(edition, 0, number=2)


@pytest.fixture
def past(edition):
    return session_in(edition, -3, number=1)


@pytest.fixture
def enrolment(edition, participant):
    return factories.EnrolmentFactory(edition=edition, participant=participant)


@pytest.fixture
def other_enrolment(edition):
    return enrol(edition, "other@example.org", "Bram", "de Vries")


@pytest.fixture
def teacher_user(edition):
    user = factories.TeacherUserFactory(email="teacher@example.org")
    ProgrammeTeacher.objects.create(programme=edition.programme, teacher=factories.TeacherFactory(user=user))
    return user


@pytest.fixture
def other_teacher(db):
    other = factories.EditionFactory()
    user = factories.TeacherUserFactory(email="other-teacher@example.org")
    ProgrammeTeacher.objects.create(programme=other.programme, teacher=factories.TeacherFactory(user=user))
    return user


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The check-in limit counts in the cache per person; ids are reused between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def outsider(db):
    """A participant of another edition."""
    return factories.EnrolmentFactory(participant=factories.UserFactory(email="outsider@example.org")).participant
