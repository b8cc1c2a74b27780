"""What the presentations page's POST views and the teacher check cost (P2): the edition is read and
checked once per request, a move locks and syncs once, recording does not read the list again, and
whether someone teaches an edition is one query. Pinned, so a second check or read shows up."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from leergang.accounts import permissions as account_permissions
from leergang.catalog.models import ProgrammeTeacher
from leergang.learning import permissions as learning_permissions
from leergang.learning.models import PresentationSlot
from tests import factories

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"presentations:{name}", kwargs=kwargs)


@pytest.fixture
def trio(edition):
    people = [("Zoë", "Visser"), ("Anna", "Bakker"), ("Jan", "de Jong")]
    return [
        factories.EnrolmentFactory(edition=edition, participant=factories.UserFactory(first_name=first, last_name=last))
        for first, last in people
    ]


@pytest.fixture
def closing(edition):
    return factories.SessionFactory(
        edition=edition, number=7, kind="closing", date=timezone.localdate() - datetime.timedelta(days=1)
    )


def test_recording_without_javascript_reads_the_edition_and_the_list_once(
    client, coordinator, edition, trio, closing, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(url("edition", edition_id=edition.pk))  # the slots exist: no first-look sync below
    # login session, user, the edition, its slots, the enrolled participants, the closing session;
    # the service: savepoint, the enrolment, the edition locked, the enrolment locked, the slot,
    # its update, the audit entry, release. Nothing read again for the redirect.
    with django_assert_num_queries(14):
        response = client.post(url("record", edition_id=edition.pk), {"enrolment": trio[0].pk, "presented": "no"})
    assert response.status_code == 302
    assert PresentationSlot.objects.get(enrolment=trio[0]).presented is False


def test_a_teacher_is_asked_once_per_check(client, teacher_user, edition, trio, closing, django_assert_num_queries):
    client.force_login(teacher_user)
    client.get(url("edition", edition_id=edition.pk))
    # As the office's 14, plus one query each time the page and the service ask whether they teach it.
    with django_assert_num_queries(16):
        response = client.post(url("record", edition_id=edition.pk), {"enrolment": trio[1].pk, "presented": "no"})
    assert response.status_code == 302


def test_moving_locks_and_syncs_once(client, coordinator, edition, trio, django_assert_num_queries):
    client.force_login(coordinator)
    client.get(url("edition", edition_id=edition.pk))
    first = PresentationSlot.objects.get(position=1).enrolment_id
    # login session, user; the service: savepoint, the edition locked, its slots, the enrolled
    # participants, the positions emptied, the new positions, the audit entry, release.
    with django_assert_num_queries(10):
        response = client.post(url("move", edition_id=edition.pk), {"enrolment": first, "direction": "down"})
    assert response.status_code == 302
    assert PresentationSlot.objects.get(position=2).enrolment_id == first


def _list(html: str) -> str:
    """The table of the list, without the announcement that differs between answers and with the
    CSRF tokens (masked afresh in every answer) blanked."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[html.index("<table") : html.index("</table>")])


def test_the_list_after_recording_is_the_list_read_afresh(client, coordinator, edition, trio, closing):
    """The view updates the slot it has in hand instead of reading the list again: the markup must be
    the same as a fresh read's."""
    client.force_login(coordinator)
    client.get(url("edition", edition_id=edition.pk))
    answered = client.post(url("record", edition_id=edition.pk), {"enrolment": trio[2].pk, "presented": "yes"}, **HTMX)
    assert answered.status_code == 200
    assert "Recorded: Jan de Jong presented." in answered.content.decode()
    fresh = client.get(url("edition", edition_id=edition.pk), **HTMX)
    assert _list(answered.content.decode()) == _list(fresh.content.decode())
    assert 'data-presented="yes"' in _list(fresh.content.decode())


def _teacher(programme=None):
    user = factories.TeacherUserFactory()
    teacher = factories.TeacherFactory(user=user)
    if programme is not None:
        ProgrammeTeacher.objects.create(programme=programme, teacher=teacher)
    return user, teacher


def test_whether_someone_teaches_an_edition_is_one_query(edition, django_assert_num_queries):
    other = factories.EditionFactory()
    lead, _ = _teacher(edition.programme)
    part_teacher, teacher = _teacher()
    session = factories.SessionFactory(edition=edition, number=1)
    session.parts.create(title_nl="Deel", teacher=teacher)
    profile_less = factories.TeacherUserFactory()
    cases = [(lead, edition), (lead, other), (part_teacher, edition), (part_teacher, other), (profile_less, edition)]
    for user, checked in cases:
        with django_assert_num_queries(1):
            answer = learning_permissions.teaches_edition(user, checked)
        assert answer == account_permissions.teaches_edition(user, checked)
    assert [learning_permissions.teaches_edition(user, checked) for user, checked in cases] == [True, False, True, False, False]


def test_a_coordinator_and_a_participant_cost_no_teacher_query(coordinator, edition, participant):
    with CaptureQueriesContext(connection) as captured:
        assert learning_permissions.is_staff_of(coordinator, edition)
        assert not learning_permissions.is_staff_of(participant, edition)
    assert len(captured) == 0
