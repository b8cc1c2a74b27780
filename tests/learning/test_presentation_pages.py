"""The presentations page (M15): the edition's teachers and the programme office see the order of
presentations at the closing session; the office moves participants up and down (htmx or plain
forms); who presented is recorded from the closing session's date on. Everyone else gets a 404."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leergang.core.models import AuditEntry
from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import presentations, selectors
from leergang.learning.models import PresentationSlot
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam"))
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"presentations:{name}", kwargs=kwargs)


def enrol(edition, first_name, last_name):
    user = factories.UserFactory(first_name=first_name, last_name=last_name)
    return factories.EnrolmentFactory(edition=edition, participant=user)


def closing_session(edition, date):
    return factories.SessionFactory(edition=edition, number=7, kind="closing", date=date)


def order(edition):
    return list(
        PresentationSlot.objects.filter(edition=edition, position__isnull=False)
        .order_by("position")
        .values_list("enrolment_id", flat=True)
    )


def move(client, edition, enrolment, direction, **headers):
    return client.post(url("move", edition_id=edition.pk), {"enrolment": enrolment.pk, "direction": direction}, **headers)


def record(client, edition, enrolment, presented, language="nl", **headers):
    return client.post(
        url("record", language, edition_id=edition.pk), {"enrolment": enrolment.pk, "presented": presented}, **headers
    )


@pytest.fixture
def trio(edition):
    """Three participants enrolled out of name order: Visser, Bakker, de Jong."""
    return [enrol(edition, "Zoë", "Visser"), enrol(edition, "Anna", "Bakker"), enrol(edition, "Jan", "de Jong")]


def test_the_office_sees_the_order_and_the_closing_session(client, coordinator, edition, trio):
    closing_session(edition, datetime.date(2099, 6, 16))
    visser, bakker, de_jong = trio
    client.force_login(coordinator)
    response = client.get(url("edition", "en", edition_id=edition.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tuesday 16 June 2099" in text and "13:30" in text
    assert text.index("Anna Bakker") < text.index("Jan de Jong") < text.index("Zoë Visser")
    assert order(edition) == [bakker.pk, de_jong.pk, visser.pk]
    assert 'name="direction"' in text
    # Before the closing session no recording, and the page says from when.
    assert 'name="presented"' not in text
    assert "From Tuesday 16 June 2099, the day of the closing session, you can record here who presented." in text


def test_without_a_closing_session_the_page_says_so(client, coordinator, edition, trio):
    client.force_login(coordinator)
    text = client.get(url("edition", "en", edition_id=edition.pk)).content.decode()
    assert "The closing session has not been planned yet." in text
    assert 'name="presented"' not in text


def test_moving_without_javascript(client, coordinator, edition, trio):
    visser, bakker, de_jong = trio
    client.force_login(coordinator)
    client.get(url("edition", edition_id=edition.pk))
    response = move(client, edition, visser, "up")
    assert response.status_code == 302
    assert response["Location"].startswith(url("edition", edition_id=edition.pk))
    assert order(edition) == [bakker.pk, visser.pk, de_jong.pk]
    response = move(client, edition, bakker, "down")
    assert order(edition) == [visser.pk, bakker.pk, de_jong.pk]
    # At the top, up changes nothing.
    assert move(client, edition, visser, "up").status_code == 302
    assert order(edition) == [visser.pk, bakker.pk, de_jong.pk]
    text = client.get(response["Location"]).content.decode()
    assert text.index("Zoë Visser") < text.index("Anna Bakker")
    assert AuditEntry.objects.filter(action="presentation.reordered").count() == 2


def test_moving_with_htmx_swaps_only_the_list(client, coordinator, edition, trio):
    visser, bakker, de_jong = trio
    client.force_login(coordinator)
    response = move(client, edition, de_jong, "down", **HTMX)  # de Jong is second: now last
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith('<div id="presentation-list"')
    assert "<html" not in text
    assert 'hx-swap-oob="innerHTML"' in text
    assert "Jan de Jong" in text
    assert order(edition) == [bakker.pk, visser.pk, de_jong.pk]
    assert 'hx-post="' in text and 'hx-target="#presentation-list"' in text


def test_teachers_see_the_order_but_cannot_move(client, teacher_user, edition, trio):
    visser, bakker, de_jong = trio
    client.force_login(teacher_user)
    text = client.get(url("edition", edition_id=edition.pk)).content.decode()
    assert "Anna Bakker" in text
    assert 'name="direction"' not in text
    assert move(client, edition, visser, "up").status_code == 404
    assert order(edition) == [bakker.pk, de_jong.pk, visser.pk]


def test_a_bad_direction_changes_nothing(client, coordinator, edition, trio):
    visser, bakker, de_jong = trio
    client.force_login(coordinator)
    client.get(url("edition", edition_id=edition.pk))
    response = client.post(url("move", "en", edition_id=edition.pk), {"enrolment": visser.pk, "direction": "sideways"})
    assert response.status_code == 422
    assert "Choose up or down." in response.content.decode()
    assert order(edition) == [bakker.pk, de_jong.pk, visser.pk]


def test_moving_someone_of_another_edition_is_404(client, coordinator, edition, trio):
    stranger = factories.EnrolmentFactory()
    client.force_login(coordinator)
    assert move(client, edition, stranger, "up").status_code == 404
    assert client.post(url("move", edition_id=edition.pk), {"enrolment": "abc", "direction": "up"}).status_code == 404


def test_recording_before_the_closing_date_is_refused(client, teacher_user, edition, trio):
    closing_session(edition, TODAY + datetime.timedelta(days=1))
    visser = trio[0]
    client.force_login(teacher_user)
    for presented in ("yes", "no"):
        response = record(client, edition, visser, presented, language="en")
        assert response.status_code == 409
        assert "can be recorded from the day of the closing session" in response.content.decode()
    assert PresentationSlot.objects.filter(presented__isnull=False).count() == 0
    # With htmx the refusal comes inside the list.
    response = record(client, edition, visser, "yes", language="en", **HTMX)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert PresentationSlot.objects.filter(presented__isnull=False).count() == 0


def test_recording_without_a_closing_session_is_refused(client, coordinator, edition, trio):
    client.force_login(coordinator)
    assert record(client, edition, trio[0], "yes").status_code == 409
    assert PresentationSlot.objects.filter(presented__isnull=False).count() == 0


@pytest.mark.parametrize("days_ago", [0, 3])
def test_recording_from_the_closing_date(client, teacher_user, edition, trio, days_ago):
    closing_session(edition, TODAY - datetime.timedelta(days=days_ago))
    visser, bakker, _ = trio
    client.force_login(teacher_user)
    text = client.get(url("edition", "en", edition_id=edition.pk)).content.decode()
    assert 'name="presented"' in text
    assert "you can record here who presented" not in text

    response = record(client, edition, visser, "yes")
    assert response.status_code == 302
    response = record(client, edition, bakker, "no", language="en", **HTMX)
    assert response.status_code == 200
    assert "Recorded: Anna Bakker did not present." in response.content.decode()
    slots = {slot.enrolment_id: slot for slot in PresentationSlot.objects.all()}
    assert slots[visser.pk].presented is True and slots[visser.pk].recorded_by == teacher_user
    assert slots[bakker.pk].presented is False
    assert selectors.presented(visser.pk) is True

    text = client.get(url("edition", "en", edition_id=edition.pk)).content.decode()
    assert "Did not present" in text and "Not recorded" in text


def test_an_unclear_answer_records_nothing(client, coordinator, edition, trio):
    closing_session(edition, TODAY)
    client.force_login(coordinator)
    assert record(client, edition, trio[0], "maybe").status_code == 422
    assert PresentationSlot.objects.filter(presented__isnull=False).count() == 0


def test_recording_someone_of_another_edition_is_404(client, coordinator, edition, trio):
    closing_session(edition, TODAY)
    stranger = factories.EnrolmentFactory()
    client.force_login(coordinator)
    assert record(client, edition, stranger, "yes").status_code == 404
    assert PresentationSlot.objects.filter(presented__isnull=False).count() == 0


def test_who_may_see_the_page(client, edition, enrolment, participant, other_teacher, teacher_user, coordinator):
    address = url("edition", edition_id=edition.pk)
    client.force_login(participant)
    assert client.get(address).status_code == 404
    assert record(client, edition, enrolment, "no").status_code == 404
    assert move(client, edition, enrolment, "up").status_code == 404
    client.force_login(other_teacher)
    assert client.get(address).status_code == 404
    assert client.get(url("edition", edition_id=999_999)).status_code == 404
    client.force_login(teacher_user)
    assert client.get(address).status_code == 200
    client.force_login(coordinator)
    assert client.get(address).status_code == 200
    client.logout()
    response = client.get(address)
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_both_languages_render(client, coordinator, edition, trio, language):
    closing_session(edition, datetime.date(2099, 6, 16))
    client.force_login(coordinator)
    response = client.get(url("edition", language, edition_id=edition.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'<html lang="{language}">' in text
    assert ("16 juni 2099" in text) if language == "nl" else ("16 June 2099" in text)


# -- the participant's dashboard ----------------------------------------------------------------


def test_presentation_for_says_where_the_participant_presents(coordinator, edition, trio, django_assert_max_num_queries):
    visser, bakker, de_jong = trio
    assert selectors.presentation_for(visser.pk) is None  # no order yet
    closing = closing_session(edition, datetime.date(2099, 6, 16))
    presentations.ensure_slots(actor=coordinator, edition_id=edition.pk)
    with django_assert_max_num_queries(3):
        turn = selectors.presentation_for(visser.pk)
    assert (turn.position, turn.total, turn.closing_session, turn.presented) == (3, 3, closing, None)

    de_jong.status = EnrolmentStatus.CANCELLED
    de_jong.save(update_fields=["status"])
    presentations.ensure_slots(actor=coordinator, edition_id=edition.pk)
    assert selectors.presentation_for(de_jong.pk) is None
    turn = selectors.presentation_for(visser.pk)
    assert (turn.position, turn.total) == (2, 2)
