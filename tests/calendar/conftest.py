"""Fixtures for the calendar feeds: the demo's 2021 edition, a participant with several
enrolments, and the feed fetchers."""

import datetime

import pytest

from leergang.catalog.models import Edition, Programme, SessionPart
from leergang.demo import content
from leergang.enrolment.models import Enrolment
from tests import factories

from .helpers import parse_ics


@pytest.fixture
def demo_edition(demo) -> Edition:
    """The seed's completed 2021 edition: 13:30-19:30 on 13 January ... 13 October 2021."""
    return Edition.objects.get(programme__slug=content.SLUG, start_date=datetime.date(2021, 1, 13))


@pytest.fixture
def demo_programme(demo) -> Programme:
    return Programme.objects.get(slug=content.SLUG)


@pytest.fixture
def two_editions(db):
    """Two editions of another programme; the second is online and has a part with a teacher."""
    programme = factories.ProgrammeFactory(title_nl="Leiderschap in de praktijk", title_en="Leadership in practice")
    first = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 1, 13), location="Utrecht")
    second = factories.EditionFactory(programme=programme, start_date=datetime.date(2027, 9, 1), location="Zwolle")
    for number in (1, 2):
        factories.SessionFactory(edition=first, number=number)
    online = factories.SessionFactory(edition=second, number=1, delivery_mode="online")
    factories.SessionFactory(edition=second, number=2, kind="closing")
    SessionPart.objects.create(
        session=online, title_nl="Inleiding", title_en="Introduction", teacher=factories.TeacherFactory(name="Anna de Vries")
    )
    return first, second


@pytest.fixture
def enrolled_person(two_editions):
    """A participant enrolled in both editions, plus a cancelled enrolment in a third one."""
    first, second = two_editions
    person = factories.UserFactory(email="pieter@example.org", preferred_language="nl")
    cancelled_edition = factories.EditionFactory(programme=first.programme, start_date=datetime.date(2028, 1, 12))
    factories.SessionFactory(edition=cancelled_edition, number=1)
    return {
        "person": person,
        "first": factories.EnrolmentFactory(edition=first, participant=person),
        "second": factories.EnrolmentFactory(edition=second, participant=person),
        "cancelled": factories.EnrolmentFactory(edition=cancelled_edition, participant=person, status="cancelled"),
    }


@pytest.fixture
def fetch_edition_feed(client):
    """fetch_edition_feed(edition_id, **headers) -> (response, parsed calendar or None)."""

    def fetch(edition_id, **headers):
        response = client.get(f"/api/v1/editions/{edition_id}/calendar.ics", **headers)
        calendar = parse_ics(response.content) if response.status_code == 200 else None
        return response, calendar

    return fetch


@pytest.fixture
def fetch_private_feed(client):
    """fetch_private_feed(enrolment_or_token) -> (response, parsed calendar or None), without logging in."""

    def fetch(target):
        token = target.calendar_token if isinstance(target, Enrolment) else target
        response = client.get(f"/kalender/{token}.ics")
        calendar = parse_ics(response.content) if response.status_code == 200 else None
        return response, calendar

    return fetch
