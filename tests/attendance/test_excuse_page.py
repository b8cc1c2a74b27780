"""The page where a participant reports they cannot attend a session, or takes it back."""

import pytest
from django.urls import reverse
from django.utils import translation

from leergang.attendance.models import Attendance
from tests import factories

from .helpers import excuse

pytestmark = pytest.mark.django_db


def url(session, language="nl"):
    with translation.override(language):
        return reverse("attendance:excuse", kwargs={"session_id": session.pk})


def test_the_address_is_the_same_in_both_languages_but_for_the_prefix(ahead):
    assert url(ahead) == f"/nl/leren/bijeenkomst/{ahead.pk}/afmelden/"
    assert url(ahead, "en") == f"/en/leren/bijeenkomst/{ahead.pk}/afmelden/"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_participant_sees_the_form(client, ahead, enrolment, participant, language):
    client.force_login(participant)
    response = client.get(url(ahead, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert 'name="note"' in html and 'value="report"' in html
    if language == "en":
        assert "I cannot attend" in html and "Reason (optional)" in html


def test_reporting_and_withdrawing_through_the_page(client, ahead, enrolment, participant):
    client.force_login(participant)
    response = client.post(url(ahead, "en"), {"action": "report", "note": "Training elsewhere"})
    assert response.status_code == 302 and response["Location"] == url(ahead, "en")
    row = Attendance.objects.get()
    assert (row.status, row.note, row.enrolment, row.recorded_by) == ("excused", "Training elsewhere", enrolment, participant)

    page = client.get(url(ahead, "en")).content.decode()
    assert "Thank you for letting us know that you cannot attend" in page
    assert "You have let us know that you cannot attend this session." in page
    assert "Training elsewhere" in page and 'value="withdraw"' in page

    response = client.post(url(ahead, "en"), {"action": "withdraw"})
    assert response.status_code == 302
    assert not Attendance.objects.exists()
    page = client.get(url(ahead, "en")).content.decode()
    assert "Your absence has been withdrawn" in page and 'value="report"' in page


def test_the_dutch_page_reports_too(client, ahead, enrolment, participant):
    client.force_login(participant)
    assert client.post(url(ahead), {"action": "report", "note": ""}).status_code == 302
    assert Attendance.objects.get().status == "excused"


def test_a_too_long_reason_is_shown_at_the_field(client, ahead, enrolment, participant):
    client.force_login(participant)
    response = client.post(url(ahead, "en"), {"action": "report", "note": "x" * 301})
    assert response.status_code == 422
    assert "Keep the reason to at most 300 characters." in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_unknown_action_changes_nothing(client, ahead, enrolment, participant):
    client.force_login(participant)
    response = client.post(url(ahead, "en"), {"action": "present"})
    assert response.status_code == 422
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("which", ["today_session", "past"])
def test_from_the_session_day_on_the_page_says_so_and_changes_nothing(client, request, enrolment, participant, which):
    session = request.getfixturevalue(which)
    client.force_login(participant)
    page = client.get(url(session, "en")).content.decode()
    assert "You can no longer report or withdraw an absence here" in page
    assert 'value="report"' not in page and 'value="withdraw"' not in page

    response = client.post(url(session, "en"), {"action": "report", "note": "Te laat"})
    assert response.status_code == 409
    assert "please contact the programme office" in response.content.decode().lower()
    assert not Attendance.objects.exists()


def test_withdrawing_after_the_date_keeps_the_excuse(client, past, enrolment, participant):
    excuse(past, enrolment, note="Ziek")
    client.force_login(participant)
    page = client.get(url(past, "en")).content.decode()
    assert "You have let us know that you cannot attend this session." in page
    assert client.post(url(past, "en"), {"action": "withdraw"}).status_code == 409
    assert Attendance.objects.get().status == "excused"


def test_someone_not_enrolled_in_the_edition_gets_404(client, ahead, enrolment, teacher_user, coordinator, other_teacher):
    stranger = factories.EnrolmentFactory(participant=factories.UserFactory(email="x@example.org")).participant
    for user in (stranger, teacher_user, coordinator, other_teacher):
        client.force_login(user)
        assert client.get(url(ahead)).status_code == 404
        assert client.post(url(ahead), {"action": "report"}).status_code == 404
    assert not Attendance.objects.exists()


def test_a_cancelled_participant_gets_404(client, ahead, enrolment, participant):
    enrolment.status = "cancelled"
    enrolment.save()
    client.force_login(participant)
    assert client.get(url(ahead)).status_code == 404


def test_a_missing_session_gets_404_like_a_forbidden_one(client, participant, enrolment):
    client.force_login(participant)
    assert client.get("/nl/leren/bijeenkomst/999999/afmelden/").status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, ahead):
    response = client.get(url(ahead))
    assert response.status_code == 302
    assert "/account/" in response["Location"] and "next=" in response["Location"]


def test_the_page_reads_a_fixed_number_of_queries(client, ahead, enrolment, participant, django_assert_max_num_queries):
    client.force_login(participant)
    with django_assert_max_num_queries(8):
        assert client.get(url(ahead)).status_code == 200
