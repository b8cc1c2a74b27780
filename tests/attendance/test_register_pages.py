"""The register page (M17): a tap per participant, with htmx only that line; without JavaScript a
normal post and a 303 back. Only the edition's teachers and the programme office."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from leergang.attendance.models import Attendance
from leergang.core.models import AuditEntry

from .helpers import enrol, excuse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"attendance:{name}", kwargs=kwargs)


def register_url(session, language="en"):
    return url("register", language, session_id=session.pk)


def record_url(session, enrolment, language="en"):
    return url("record", language, session_id=session.pk, enrolment_id=enrolment.pk)


def pressed(html, status, enrolment):
    """Whether the button for `status` of the participant says it is the current one."""
    match = re.search(rf'<button[^>]*id="{status}-{enrolment.pk}"[^>]*>', html)
    assert match, f"no {status} button for {enrolment.pk}"
    return 'aria-pressed="true"' in match.group(0)


def test_the_addresses(today_session, enrolment):
    assert register_url(today_session, "nl") == f"/nl/leren/bijeenkomst/{today_session.pk}/presentie/"
    assert record_url(today_session, enrolment, "nl") == f"/nl/leren/bijeenkomst/{today_session.pk}/presentie/{enrolment.pk}/"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_teacher_sees_one_line_per_participant(client, today_session, enrolment, other_enrolment, teacher_user, language):
    enrolment.organisation = "Gemeente Utrecht"
    enrolment.save()
    client.force_login(teacher_user)
    response = client.get(register_url(today_session, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    for line in (enrolment, other_enrolment):
        assert f'id="row-{line.pk}"' in html
        assert escape(line.participant.get_full_name()) in html  # generated names may hold an apostrophe
        for status in ("present", "absent", "excused"):
            assert not pressed(html, status, line)
            assert f'hx-post="{record_url(today_session, line, language)}"' in html
    assert "Gemeente Utrecht" in html
    if language == "en":
        assert "Everyone not yet recorded is present" in html
        assert "Not yet recorded" in html


def test_the_coordinator_sees_the_register_and_the_csv_link(client, today_session, enrolment, coordinator, teacher_user):
    client.force_login(coordinator)
    html = client.get(register_url(today_session)).content.decode()
    assert url("csv", edition_id=today_session.edition_id) in html
    client.force_login(teacher_user)
    assert url("csv", edition_id=today_session.edition_id) not in client.get(register_url(today_session)).content.decode()


def test_outsiders_get_404_and_change_nothing(client, today_session, enrolment, participant, other_teacher, outsider):
    for user in (participant, other_teacher, outsider):
        client.force_login(user)
        assert client.get(register_url(today_session)).status_code == 404
        assert client.post(record_url(today_session, enrolment), {"status": "present"}).status_code == 404
        assert client.post(url("all_present", session_id=today_session.pk)).status_code == 404
    assert not Attendance.objects.exists()


def test_a_missing_session_or_enrolment_is_404(client, today_session, teacher_user):
    client.force_login(teacher_user)
    assert client.get("/en/leren/bijeenkomst/999999/presentie/").status_code == 404
    assert client.post(f"/en/leren/bijeenkomst/{today_session.pk}/presentie/999999/", {"status": "present"}).status_code == 404


def test_anonymous_visitors_go_to_the_login_page(client, today_session):
    response = client.get(register_url(today_session))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_tap_with_htmx_returns_only_that_line_and_the_summary(client, today_session, enrolment, other_enrolment, teacher_user):
    client.force_login(teacher_user)
    response = client.post(record_url(today_session, enrolment), {"status": "present"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<main" not in html
    assert html.lstrip().startswith(f'<li id="row-{enrolment.pk}"')
    assert f'id="row-{other_enrolment.pk}"' not in html
    assert pressed(html, "present", enrolment) and not pressed(html, "absent", enrolment)
    assert 'id="register-summary"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r'data-count="present">[^<]*<strong>1</strong>', html)
    assert re.search(r'data-count="unrecorded">[^<]*<strong>1</strong>', html)
    assert "Saved:" in html and "is present" in html
    assert Attendance.objects.get(enrolment=enrolment).status == "present"
    assert AuditEntry.objects.filter(action="attendance.recorded").count() == 1


def test_without_javascript_a_tap_posts_and_comes_back(client, today_session, enrolment, teacher_user):
    client.force_login(teacher_user)
    response = client.post(record_url(today_session, enrolment), {"status": "absent"})
    assert response.status_code == 303
    assert response["Location"] == register_url(today_session) + f"#row-{enrolment.pk}"
    assert Attendance.objects.get().status == "absent"
    html = client.get(register_url(today_session)).content.decode()
    assert pressed(html, "absent", enrolment) and "is absent" in html


def test_before_the_session_day_present_and_absent_are_disabled_excused_works(client, ahead, enrolment, teacher_user):
    client.force_login(teacher_user)
    html = client.get(register_url(ahead)).content.decode()
    for status in ("present", "absent"):
        button = re.search(rf'<button[^>]*id="{status}-{enrolment.pk}"[^>]*>', html).group(0)
        assert "disabled" in button
    assert "disabled" not in re.search(rf'<button[^>]*id="excused-{enrolment.pk}"[^>]*>', html).group(0)
    assert "can be recorded from the day of the session" in html
    assert "Everyone not yet recorded is present" not in html

    response = client.post(record_url(ahead, enrolment), {"status": "present"})
    assert response.status_code == 409
    assert "can be recorded from the day of the session" in response.content.decode()
    response = client.post(record_url(ahead, enrolment), {"status": "present"}, **HTMX)
    assert response.status_code == 200  # so htmx swaps the message in
    assert 'role="alert"' in response.content.decode()
    assert not Attendance.objects.exists()

    assert client.post(record_url(ahead, enrolment), {"status": "excused"}, **HTMX).status_code == 200
    assert Attendance.objects.get().status == "excused"


def test_errors_read_in_the_users_language_never_a_500(client, today_session, edition, enrolment, teacher_user):
    client.force_login(teacher_user)
    response = client.post(record_url(today_session, enrolment), {"status": "late"}, **HTMX)
    assert response.status_code == 200 and "Choose present, absent or excused." in response.content.decode()
    response = client.post(record_url(today_session, enrolment, "nl"), {"status": "late"})
    assert response.status_code == 422
    gone = enrol(edition, "gone@example.org", status="cancelled")
    response = client.post(record_url(today_session, gone), {"status": "present"}, **HTMX)
    assert response.status_code == 200 and "enrolment was cancelled" in response.content.decode()
    assert not Attendance.objects.exists()


def test_an_excuse_reported_ahead_shows_with_its_note(client, today_session, enrolment, teacher_user):
    excuse(today_session, enrolment, note="Dienstreis naar Brussel")
    client.force_login(teacher_user)
    html = client.get(register_url(today_session)).content.decode()
    assert pressed(html, "excused", enrolment)
    assert "Dienstreis naar Brussel" in html
    assert re.search(r'data-count="excused">[^<]*<strong>1</strong>', html)


def test_everyone_not_yet_recorded_is_present_in_one_tap(client, today_session, enrolment, other_enrolment, teacher_user):
    excuse(today_session, other_enrolment)
    client.force_login(teacher_user)
    response = client.post(url("all_present", session_id=today_session.pk), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="register-list"') and "<html" not in html
    assert pressed(html, "present", enrolment) and pressed(html, "excused", other_enrolment)
    assert "1 participant recorded as present." in html
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        enrolment.pk: "present",
        other_enrolment.pk: "excused",
    }
    response = client.post(url("all_present", session_id=today_session.pk))
    assert response.status_code == 303


def test_everyone_present_before_the_day_is_refused_inline(client, ahead, enrolment, teacher_user):
    client.force_login(teacher_user)
    response = client.post(url("all_present", session_id=ahead.pk))
    assert response.status_code == 409
    assert "can be recorded from the day of the session" in response.content.decode()
    assert not Attendance.objects.exists()


def test_on_the_session_day_the_list_polls_a_partial(client, today_session, ahead, enrolment, teacher_user):
    client.force_login(teacher_user)
    html = client.get(register_url(today_session)).content.decode()
    assert f'hx-get="{register_url(today_session)}"' in html and 'hx-trigger="every 15s"' in html
    assert 'hx-trigger="every 15s"' not in client.get(register_url(ahead)).content.decode()

    Attendance.objects.create(
        session=today_session,
        enrolment=enrolment,
        status="present",
        recorded_at=today_session.edition.created_at,
        recorded_by=enrolment.participant,
    )
    response = client.get(register_url(today_session), **HTMX)
    assert response.status_code == 200
    partial = response.content.decode()
    assert partial.lstrip().startswith('<div id="register-list"') and "<html" not in partial
    assert pressed(partial, "present", enrolment)
    assert "HX-Request" in response["Vary"]


def test_the_register_reads_a_fixed_number_of_queries(
    client, today_session, edition, enrolment, teacher_user, django_assert_max_num_queries
):
    for n in range(10):
        excuse(today_session, enrol(edition, f"p{n}@example.org", dietary=None))
    client.force_login(teacher_user)
    with django_assert_max_num_queries(10):
        assert client.get(register_url(today_session)).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(register_url(today_session), **HTMX).status_code == 200


def test_a_tap_costs_the_same_queries_however_many_participants(
    client, today_session, edition, enrolment, teacher_user, django_assert_max_num_queries
):
    for n in range(12):
        excuse(today_session, enrol(edition, f"p{n}@example.org", dietary=None))
    client.force_login(teacher_user)
    with django_assert_max_num_queries(15):
        assert client.post(record_url(today_session, enrolment), {"status": "present"}, **HTMX).status_code == 200
