"""The attendance links on the learning pages (M17): staff take attendance and show the code, a
participant checks in on the session's day."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def session_page(session):
    return reverse("learning_sessions:session", kwargs={"session_id": session.pk})


def edition_page(edition):
    return reverse("learning_sessions:edition", kwargs={"edition_id": edition.pk})


def links(session):
    return (
        reverse("attendance:register", kwargs={"session_id": session.pk}),
        reverse("attendance:code", kwargs={"session_id": session.pk}),
    )


def test_staff_see_take_attendance_and_the_code_per_session(client, today_session, ahead, edition, teacher_user, coordinator):
    for user in (teacher_user, coordinator):
        client.force_login(user)
        for session in (today_session, ahead):
            html = client.get(session_page(session)).content.decode()
            assert all(link in html for link in links(session))
            assert "Take attendance" in client.get("/en" + session_page(session)[3:]).content.decode()
        html = client.get(edition_page(edition)).content.decode()
        assert all(link in html for session in (today_session, ahead) for link in links(session))
        assert reverse("attendance:check_in") not in html


def test_a_participant_sees_check_in_on_the_session_day_only(client, today_session, ahead, edition, enrolment, participant):
    client.force_login(participant)
    check_in = reverse("attendance:check_in")
    html = client.get(session_page(today_session)).content.decode()
    assert check_in in html
    assert not any(link in html for link in links(today_session))
    assert check_in not in client.get(session_page(ahead)).content.decode()
    html = client.get(edition_page(edition)).content.decode()
    assert html.count(f'href="{check_in}"') == 1
    assert not any(link in html for session in (today_session, ahead) for link in links(session))
