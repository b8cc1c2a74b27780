"""The check-in code page for teachers and the check-in page for participants (M17)."""

import datetime
import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone, translation

from leergang.attendance import checkin
from leergang.attendance.models import Attendance, CheckInCode
from leergang.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def code_url(session, language="en"):
    with translation.override(language):
        return reverse("attendance:code", kwargs={"session_id": session.pk})


def check_in_url(language="en"):
    with translation.override(language):
        return reverse("attendance:check_in")


def shown_code(html):
    match = re.search(r'id="check-in-code" data-code="(\d{6})">(\d{6})<', html)
    assert match and match.group(1) == match.group(2)
    return match.group(1)


# -- the code page -----------------------------------------------------------------------------------


def test_the_addresses(today_session):
    assert code_url(today_session, "nl") == f"/nl/leren/bijeenkomst/{today_session.pk}/incheckcode/"
    assert check_in_url("nl") == "/nl/leren/inchecken/"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_teacher_opens_renews_and_stops_the_code(client, settings, today_session, teacher_user, language):
    settings.PUBLIC_BASE_URL = "https://leergang.example.org"
    client.force_login(teacher_user)
    page = client.get(code_url(today_session, language))
    assert page.status_code == 200 and 'value="open"' in page.content.decode()
    assert not CheckInCode.objects.exists()  # a GET shows nothing and creates nothing

    response = client.post(code_url(today_session, language), {"action": "open"})
    assert response.status_code == 303 and response["Location"] == code_url(today_session, language)
    html = client.get(code_url(today_session, language)).content.decode()
    code = shown_code(html)
    assert CheckInCode.objects.get().code == code
    link = f"https://leergang.example.org/{language}/leren/inchecken/?code={code}"
    qr = segno.make(link, error="m").svg_inline(omitsize=True, svgclass="check-in-qr-svg", lineclass="check-in-qr-line")
    assert qr in html  # the QR code holds exactly that link
    assert re.search(r'<div class="check-in-qr" role="img" aria-label="[^"]+', html)
    expires = timezone.localtime(CheckInCode.objects.get().expires_at)
    separator = "." if language == "nl" else ":"
    assert f"{expires:%H}{separator}{expires:%M}" in html
    assert 'value="renew"' in html and 'value="stop"' in html
    assert reverse("attendance:register", kwargs={"session_id": today_session.pk}) in html

    assert client.post(code_url(today_session, language), {"action": "renew"}).status_code == 303
    renewed = shown_code(client.get(code_url(today_session, language)).content.decode())
    assert renewed != code

    assert client.post(code_url(today_session, language), {"action": "stop"}).status_code == 303
    html = client.get(code_url(today_session, language)).content.decode()
    assert 'id="check-in-code"' not in html and 'value="open"' in html
    assert checkin.current_code(today_session.pk) is None


@pytest.mark.parametrize("which", ["ahead", "past"])
def test_on_another_day_the_page_explains_and_opens_nothing(client, request, teacher_user, which):
    session = request.getfixturevalue(which)
    client.force_login(teacher_user)
    html = client.get(code_url(session)).content.decode()
    assert "can be shown only on the day of the session" in html and 'value="open"' not in html
    response = client.post(code_url(session), {"action": "open"})
    assert response.status_code == 409
    assert "can be shown only on the day of the session" in response.content.decode()
    assert not CheckInCode.objects.exists()


def test_an_unknown_action_changes_nothing(client, today_session, teacher_user):
    client.force_login(teacher_user)
    assert client.post(code_url(today_session), {"action": "explode"}).status_code == 422
    assert not CheckInCode.objects.exists()


def test_outsiders_get_404_on_the_code_page(client, today_session, enrolment, participant, other_teacher, outsider):
    for user in (participant, other_teacher, outsider):
        client.force_login(user)
        assert client.get(code_url(today_session)).status_code == 404
        assert client.post(code_url(today_session), {"action": "open"}).status_code == 404
    assert not CheckInCode.objects.exists()


# -- the participant's page --------------------------------------------------------------------------


def test_a_get_prefills_the_code_and_records_nothing(client, today_session, enrolment, participant, teacher_user):
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    client.force_login(participant)
    response = client.get(check_in_url() + f"?code={code}")
    assert response.status_code == 200
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', html).group(0)
    assert f'value="{code}"' in field
    assert 'inputmode="numeric"' in field and 'autocomplete="one-time-code"' in field
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_participant_checks_in_and_sees_the_session(client, today_session, enrolment, participant, teacher_user, language):
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    client.force_login(participant)
    response = client.post(check_in_url(language), {"code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert today_session.theme_en in html or today_session.theme_nl in html
    if language == "en":
        date = today_session.date
        assert f"You are checked in for session {today_session.number} on" in html
        assert f"{date:%A} {date.day} {date:%B} {date.year}" in html
    row = Attendance.objects.get()
    assert (row.enrolment, row.status) == (enrolment, "present")
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_wrong_code_is_a_form_error(client, today_session, enrolment, participant, teacher_user, language):
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client.force_login(participant)
    response = client.post(check_in_url(language), {"code": wrong})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    if language == "en":
        assert "This code is not valid (any more). Check the code on the screen, or ask the teacher." in html
    assert not Attendance.objects.exists()


def test_an_empty_code_asks_for_the_digits(client, today_session, enrolment, participant):
    client.force_login(participant)
    response = client.post(check_in_url(), {"code": "  "})
    assert response.status_code == 422
    assert "Type the six digits on the teacher&#x27;s screen." in response.content.decode()


def test_an_expired_code_is_a_form_error(client, today_session, enrolment, participant, teacher_user):
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk)
    CheckInCode.objects.filter(pk=code.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1), expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(participant)
    response = client.post(check_in_url(), {"code": code.code})
    assert response.status_code == 422 and "This code is not valid (any more)." in response.content.decode()
    assert not Attendance.objects.exists()


def test_too_many_wrong_codes_get_429_even_for_the_right_one(
    client, settings, today_session, enrolment, participant, teacher_user
):
    settings.CHECK_IN_RATE_LIMIT = 3
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client.force_login(participant)
    for _attempt in range(3):
        assert client.post(check_in_url(), {"code": wrong}).status_code == 422
    response = client.post(check_in_url(), {"code": code})
    assert response.status_code == 429
    assert "You have typed a wrong code too often." in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_limit_is_per_person_not_per_address(client, settings, today_session, enrolment, other_enrolment, teacher_user):
    settings.CHECK_IN_RATE_LIMIT = 2
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    client.force_login(enrolment.participant)
    for _attempt in range(2):
        client.post(check_in_url(), {"code": wrong})
    assert client.post(check_in_url(), {"code": code}).status_code == 429
    client.force_login(other_enrolment.participant)  # the same classroom wifi, another person
    assert client.post(check_in_url(), {"code": code}).status_code == 200
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [other_enrolment.pk]


def test_right_codes_do_not_count_toward_the_limit(client, settings, today_session, enrolment, participant, teacher_user):
    settings.CHECK_IN_RATE_LIMIT = 1
    code = checkin.open_check_in(actor=teacher_user, session_id=today_session.pk).code
    client.force_login(participant)
    for _attempt in range(3):
        assert client.post(check_in_url(), {"code": code}).status_code == 200
    assert AuditEntry.objects.filter(action="attendance.checked_in").count() == 1


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(check_in_url() + "?code=123456")
    assert response.status_code == 302 and "next=" in response["Location"]
