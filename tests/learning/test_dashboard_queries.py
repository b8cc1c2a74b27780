"""P1 for the dashboard and the award page: the queries do not grow with the places a participant
has or the editions a teacher teaches (one query for all of a user's places, not one per place),
and stay at 10 or fewer, the login session and the user included."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from leergang.attendance.models import Attendance
from leergang.catalog.models import ProgrammeTeacher
from leergang.learning.models import CaseEntry, LiteratureItem, OwnCase, PresentationSlot, TimeEntry
from tests import factories
from tests.awards.factories import AwardFactory
from tests.awards.standing_data import attend, hand_in, running_edition

MAX_QUERIES = 10
PAGES = ["accounts:dashboard", "my_award:standing"]


def url(name: str) -> str:
    with translation.override("nl"):
        return reverse(name)


def place(participant, number: int):
    """A running place with everything a card and a standing show: attendance (the next session
    excused), reading for the next session, the own case with entries, hours, a paper waiting for
    assessment, a place in the order of presentations next to a fellow participant, and a revoked
    award."""
    edition = running_edition(held=2, title_nl=f"Leergang nummer {number}", preparation_hours_per_session=4, paper_hours=50)
    enrolment = factories.EnrolmentFactory(edition=edition, participant=participant)
    fellow = factories.EnrolmentFactory(edition=edition)
    attend(enrolment, ["present", "absent"])
    now = timezone.now()
    sessions = {session.number: session for session in edition.sessions.all()}
    Attendance.objects.create(
        session=sessions[3], enrolment=enrolment, status="excused", recorded_at=now, recorded_by=participant
    )
    for order in (1, 2):
        LiteratureItem.objects.create(
            session=sessions[3],
            title=f"Artikel {number}.{order}",
            kind="link",
            url=f"https://example.org/{number}/{order}",
            preparation_minutes=90,
            order=order,
            added_at=now,
            added_by=participant,
        )
    case = OwnCase.objects.create(
        enrolment=enrolment, title=f"Casus {number}", question="Hoe?", context="Gemeente", created_at=now, updated_at=now
    )
    for held in (1, 2):
        CaseEntry.objects.create(
            case=case,
            session=sessions[held],
            done="Gedaan",
            learned="Geleerd",
            next_step="Verder",
            created_at=now,
            updated_at=now,
        )
    today = timezone.localdate()
    TimeEntry.objects.create(enrolment=enrolment, kind="preparation", session=sessions[2], day=today, minutes=120, logged_at=now)
    TimeEntry.objects.create(
        enrolment=enrolment, kind="case", session=None, day=today - datetime.timedelta(days=1), minutes=60, logged_at=now
    )
    hand_in(enrolment, "pending")
    for position, someone in enumerate((fellow, enrolment), start=1):
        PresentationSlot.objects.create(enrolment=someone, edition=edition, position=position)
    AwardFactory(enrolment=enrolment, revoked=True)
    return enrolment


def get(client, name: str, assert_queries, count: int):
    cache.clear()  # measured with nothing cached
    with assert_queries(count) as captured:
        response = client.get(url(name))
    assert response.status_code == 200
    return response.content.decode(), len(captured)


@pytest.mark.parametrize("name", PAGES)
def test_three_places_cost_the_queries_of_one(
    client, participant, name, django_assert_max_num_queries, django_assert_num_queries
):
    place(participant, 1)
    client.force_login(participant)
    page, one = get(client, name, django_assert_max_num_queries, MAX_QUERIES)
    assert "Leergang nummer 1" in page
    place(participant, 2)
    place(participant, 3)
    page, _three = get(client, name, django_assert_num_queries, one)
    for number in (1, 2, 3):
        assert f"Leergang nummer {number}" in page


def test_the_cards_of_three_places_show_each_place(client, participant, django_assert_max_num_queries):
    """What the batched reads give each card: its own reading, case, hours and presentation turn."""
    for number in (1, 2, 3):
        place(participant, number)
    client.force_login(participant)
    page, _count = get(client, "accounts:dashboard", django_assert_max_num_queries, MAX_QUERIES)
    for number in (1, 2, 3):
        assert f"Artikel {number}.1" in page and f"Artikel {number}.2" in page
        assert f"Casus {number}" in page
    assert page.count("2 voortgangsverslagen") == 3
    assert page.count("Voorbereiding: 2 van 24 uur") == 3  # six content sessions of four hours
    assert page.count("Eigen casus en paper: 1 van 50 uur") == 3
    assert page.count("U presenteert als nummer 2 van 2") == 3
    assert page.count("Voorbereiding: ongeveer 3 uur") == 3  # the next session's reading
    assert page.count("U heeft zich afgemeld.") == 3  # for the next session


def test_three_editions_cost_a_teacher_the_queries_of_one(db, client, django_assert_max_num_queries, django_assert_num_queries):
    user = factories.TeacherUserFactory(email="docent@example.org")
    teacher = factories.TeacherFactory(user=user)

    def teach(number: int) -> None:
        edition = running_edition(held=2, title_nl=f"Leergang nummer {number}")
        ProgrammeTeacher.objects.create(programme=edition.programme, teacher=teacher)
        for _ in range(number):
            hand_in(factories.EnrolmentFactory(edition=edition), "pending")

    teach(1)
    client.force_login(user)
    page, one = get(client, "accounts:dashboard", django_assert_max_num_queries, MAX_QUERIES)
    assert "Leergang nummer 1" in page
    teach(2)
    teach(3)
    page, _three = get(client, "accounts:dashboard", django_assert_num_queries, one)
    assert "3 deelnemers" in page and "2 deelnemers" in page and "1 deelnemer" in page
