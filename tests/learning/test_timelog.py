"""Time investment (M16): a participant logs hours as they type them, sees them against the
programme's norms, and removes their own entries; teachers and the office only look. Through the
real services and the test client; "today" is fixed so that the date rules do not depend on the clock."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from leergang.core.errors import Invalid, NotFound, PermissionDenied
from leergang.core.models import AuditEntry
from leergang.enrolment.models import Enrolment, EnrolmentStatus
from leergang.learning import timelog
from leergang.learning.models import TimeEntry
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)  # between session 2 (10 February) and session 3 (10 March)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(timelog, "today", lambda: TODAY)


@pytest.fixture
def sessions(edition):
    """The seed's shape: six content sessions four weeks apart from 13 January 2027 and a closing one;
    norms of 4 hours per session and 50 hours for the case."""
    programme = edition.programme
    programme.preparation_hours_per_session = 4
    programme.paper_hours = 50
    programme.save(update_fields=["preparation_hours_per_session", "paper_hours"])
    made = [factories.SessionFactory(edition=edition, number=n) for n in range(1, 7)]
    made.append(factories.SessionFactory(edition=edition, number=7, kind="closing"))
    return made


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"timelog:{name}", kwargs=kwargs)


def page(client, enrolment, language="nl"):
    return client.get(url("enrolment", language, enrolment_id=enrolment.pk))


def post_log(client, enrolment, language="nl", **data):
    values = {"kind": "preparation", "session": "", "day": TODAY.isoformat(), "hours": "1", "note": ""} | data
    return client.post(url("log", language, enrolment_id=enrolment.pk), values)


def log(actor, enrolment, hours, kind="preparation", session=None, day=TODAY, note=""):
    return timelog.log_time(
        actor=actor,
        enrolment_id=enrolment.pk,
        kind=kind,
        session_id=session.pk if session else None,
        day=day,
        hours=hours,
        note=note,
    )


def cancel(enrolment):
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save(update_fields=["status"])


@pytest.fixture
def coordinator_user(db):
    return factories.CoordinatorFactory(email="office-time@example.org")


# -- reading hours ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1,5", 90),
        ("1.5", 90),
        ("1:30", 90),
        ("2", 120),
        ("0.25", 15),
        ("0,25", 15),
        (",5", 30),
        ("  2 uur ", 120),
        ("1,5 h", 90),
        ("0:45", 45),
        ("24", 1440),
        ("24:00", 1440),
        ("0,1", 6),
        (3, 180),
    ],
)
def test_hours_are_read_as_people_type_them(typed, minutes):
    assert timelog.parse_hours(typed) == minutes


@pytest.mark.parametrize(
    "typed", ["0", "0:00", "-1", "- 1,5", "25", "24:01", "abc", "", "   ", "1:5", "1,5,5", "0.001", None, True]
)
def test_hours_that_are_not_a_time_of_at_most_a_day_are_refused(typed):
    with pytest.raises(Invalid) as refused:
        timelog.parse_hours(typed)
    assert refused.value.errors[0]["field"] == "hours"


def test_minutes_are_written_back_so_that_they_read_the_same():
    for minutes in (1, 45, 90, 1440):
        assert timelog.parse_hours(timelog.minutes_as_input(minutes)) == minutes


# -- logging through the page ----------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "minutes"), [("1,5", 90), ("1:30", 90), ("2", 120), ("0.25", 15)])
def test_logged_hours_are_stored_as_minutes(client, enrolment, participant, sessions, typed, minutes):
    client.force_login(participant)
    response = post_log(client, enrolment, session=sessions[2].pk, hours=typed, note="  Hoofdstuk  3 ")
    assert response.status_code == 302
    assert response["Location"] == url("enrolment", enrolment_id=enrolment.pk)
    entry = TimeEntry.objects.get()
    assert (entry.enrolment, entry.kind, entry.session, entry.day, entry.minutes, entry.note) == (
        enrolment,
        "preparation",
        sessions[2],
        TODAY,
        minutes,
        "Hoofdstuk 3",
    )
    audit = AuditEntry.objects.get(action="time.logged")
    assert audit.actor == participant
    assert audit.after["minutes"] == minutes and audit.after["session"] == sessions[2].pk


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "more than 0 hours"),
        ("-1", "more than 0 hours"),
        ("25", "at most 24 hours"),
        ("abc", "for example 1.5 or 1:30"),
        ("", "for example 1.5 or 1:30"),
    ],
)
def test_refused_hours_say_what_to_do_and_store_nothing(client, enrolment, participant, sessions, typed, message):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, hours=typed)
    text = response.content.decode()
    assert response.status_code == 422
    assert message in text
    assert 'id="id_hours_error"' in text and 'aria-invalid="true"' in text
    assert "Nothing was saved yet" in text
    assert f'value="{typed}"' in text  # what they typed stays, to be corrected
    assert not TimeEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="time.logged").exists()


def test_every_wrong_field_is_named_at_once(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session="", day="2027-12-01", hours="abc")
    text = response.content.decode()
    assert response.status_code == 422
    assert "Choose the session you prepared for." in text
    assert "Choose today or an earlier date" in text
    assert "for example 1.5 or 1:30" in text
    assert not TimeEntry.objects.exists()


def test_preparation_without_a_session_is_refused(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session="")
    assert response.status_code == 422
    assert "Choose the session you prepared for." in response.content.decode()
    assert not TimeEntry.objects.exists()
    with pytest.raises(Invalid):
        log(participant, enrolment, "1")


def test_a_session_of_another_edition_is_refused(client, enrolment, participant, sessions):
    elsewhere = factories.SessionFactory(number=1)
    client.force_login(participant)
    for session_value in (elsewhere.pk, "999999", "x", "99999999999999999999999"):
        response = post_log(client, enrolment, "en", session=session_value)
        assert response.status_code == 422
        assert "Choose one of the sessions of your edition." in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_time_on_the_own_case_needs_no_session_and_keeps_none(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, kind="case", session=sessions[0].pk, hours="3")
    assert response.status_code == 302
    entry = TimeEntry.objects.get()
    assert (entry.kind, entry.session, entry.minutes) == ("case", None, 180)


def test_an_unknown_kind_is_refused(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", kind="holiday", session=sessions[0].pk)
    assert response.status_code == 422
    assert "Choose preparation for a session or work on your own case and paper." in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_date_in_the_future_is_refused(client, enrolment, participant, sessions):
    client.force_login(participant)
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, day=tomorrow.isoformat())
    assert response.status_code == 422
    assert "Choose today or an earlier date" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_date_long_before_the_first_session_is_refused_and_the_earliest_one_is_named(client, enrolment, participant, sessions):
    client.force_login(participant)
    earliest = sessions[0].date - datetime.timedelta(days=60)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, day=(earliest - datetime.timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert "Choose a date from 14 November 2026 onwards" in response.content.decode()
    assert post_log(client, enrolment, session=sessions[0].pk, day=earliest.isoformat()).status_code == 302
    assert TimeEntry.objects.get().day == earliest


@pytest.mark.parametrize("day", ["", "2027-02-31", "gisteren"])
def test_a_missing_or_unreadable_date_is_refused_once(client, enrolment, participant, sessions, day):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, day=day)
    text = response.content.decode()
    assert response.status_code == 422
    assert text.count("Enter the date on which you did the work.") == 2  # summary and field
    assert not TimeEntry.objects.exists()


def test_a_too_long_note_is_refused(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, note="x" * 301)
    assert response.status_code == 422
    assert "The note is at most 300 characters long." in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_the_success_message_names_the_hours_and_the_day(client, enrolment, participant, sessions):
    client.force_login(participant)
    response = post_log(client, enrolment, "en", session=sessions[0].pk, hours="1,5")
    response = client.get(response["Location"].replace("/nl/", "/en/"))
    assert "Logged: 1.5 hours on 1 March 2027." in response.content.decode()


# -- removing --------------------------------------------------------------------------------------


def test_the_participant_removes_an_own_entry_and_can_put_it_back(client, enrolment, participant, sessions):
    entry = log(participant, enrolment, "1:45", session=sessions[1], note="Artikel")
    client.force_login(participant)
    response = client.post(url("delete", entry_id=entry.pk))
    assert response.status_code == 302
    assert response["Location"] == url("enrolment", enrolment_id=enrolment.pk)
    assert not TimeEntry.objects.exists()
    assert AuditEntry.objects.get(action="time.deleted").before["minutes"] == 105

    text = client.get(url("enrolment", "en", enrolment_id=enrolment.pk)).content.decode()
    assert "The entry “Preparation for session 2” of 1 March 2027 was removed." in text
    assert 'name="hours" value="1:45"' in text
    undo = {"kind": "preparation", "session": sessions[1].pk, "day": TODAY.isoformat(), "hours": "1:45", "note": "Artikel"}
    assert client.post(url("log", enrolment_id=enrolment.pk), undo).status_code == 302
    back = TimeEntry.objects.get()
    assert (back.session, back.minutes, back.note, back.day) == (sessions[1], 105, "Artikel", TODAY)
    # The offer is made once.
    assert "was removed" not in client.get(url("enrolment", "en", enrolment_id=enrolment.pk)).content.decode()


def test_someone_elses_entry_is_not_found_and_stays(
    client, enrolment, other_enrolment, participant, sessions, teacher_user, coordinator_user
):
    theirs = log(other_enrolment.participant, other_enrolment, "2", session=sessions[0])
    for person in (participant, teacher_user, coordinator_user):
        client.force_login(person)
        assert client.post(url("delete", entry_id=theirs.pk)).status_code == 404
    assert client.post(url("delete", entry_id=999999)).status_code == 404
    assert client.post(url("delete", entry_id=99999999999999999999999)).status_code == 404
    assert TimeEntry.objects.get() == theirs
    assert not AuditEntry.objects.filter(action="time.deleted").exists()
    with pytest.raises(NotFound):
        timelog.delete_time(actor=participant, entry_id=theirs.pk)


def test_removing_needs_a_post(client, enrolment, participant, sessions):
    entry = log(participant, enrolment, "1", session=sessions[0])
    client.force_login(participant)
    assert client.get(url("delete", entry_id=entry.pk)).status_code == 405
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_after_cancelling_the_entries_stay_as_they_are(client, enrolment, participant, sessions):
    entry = log(participant, enrolment, "1", session=sessions[0])
    cancel(enrolment)
    client.force_login(participant)
    response = client.post(url("delete", "en", entry_id=entry.pk))
    assert response.status_code == 403
    assert "Your enrolment has been cancelled" in response.content.decode()
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    with pytest.raises(PermissionDenied):
        timelog.delete_time(actor=participant, entry_id=entry.pk)


# -- the summary -----------------------------------------------------------------------------------


def test_the_summary_sets_the_hours_against_the_norms(enrolment, participant, sessions, django_assert_num_queries):
    log(participant, enrolment, "4", session=sessions[0])
    log(participant, enrolment, "1,5", session=sessions[1])
    log(participant, enrolment, "1", session=sessions[1], day=TODAY - datetime.timedelta(days=3))
    log(participant, enrolment, "2", session=sessions[6])  # the closing session: no norm, but preparation
    log(participant, enrolment, "10", kind="case")
    log(participant, enrolment, "2:30", kind="case")
    other = factories.EnrolmentFactory(edition=enrolment.edition)
    log(other.participant, other, "8", session=sessions[0])  # someone else's hours do not count

    loaded = Enrolment.objects.select_related("edition__programme").get(pk=enrolment.pk)
    with django_assert_num_queries(2):
        summary = timelog.time_summary(loaded)
    assert summary.norm_per_session_minutes == 240
    assert summary.content_sessions == 6
    assert summary.preparation_minutes == (4 + 1.5 + 1 + 2) * 60
    assert summary.preparation_norm_minutes == 24 * 60
    assert summary.preparation_percent == 35  # 510 of 1440, rounded down
    assert summary.case_minutes == 750
    assert summary.case_norm_minutes == 50 * 60
    assert summary.case_percent == 25
    assert summary.total_minutes == 510 + 750
    rows = {row.session.number: row for row in summary.sessions}
    assert [number for number in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert (rows[1].minutes, rows[1].norm_minutes, rows[1].percent) == (240, 240, 100)
    assert (rows[2].minutes, rows[2].percent) == (150, 62)  # 62.5, rounded down
    assert (rows[3].minutes, rows[3].percent) == (0, 0)
    assert (rows[7].minutes, rows[7].norm_minutes, rows[7].percent) == (120, 0, None)


def test_the_bars_stop_at_full_and_without_a_norm_there_is_no_bar(enrolment, participant, sessions):
    log(participant, enrolment, "24", session=sessions[0])
    log(participant, enrolment, "5", session=sessions[0], day=TODAY - datetime.timedelta(days=1))
    summary = timelog.time_summary(enrolment)
    assert summary.sessions[0].percent == 100
    assert (summary.preparation_minutes, summary.preparation_percent) == (29 * 60, 100)  # above the norm: a full bar
    programme = enrolment.edition.programme
    programme.preparation_hours_per_session = 0
    programme.paper_hours = 0
    programme.save(update_fields=["preparation_hours_per_session", "paper_hours"])
    summary = timelog.time_summary(Enrolment.objects.select_related("edition__programme").get(pk=enrolment.pk))
    assert (summary.preparation_norm_minutes, summary.preparation_percent, summary.case_percent) == (0, None, None)


def test_a_summary_without_sessions_or_entries_is_all_zero(enrolment):
    summary = timelog.time_summary(enrolment)
    assert (summary.sessions, summary.preparation_minutes, summary.case_minutes, summary.preparation_norm_minutes) == (
        [],
        0,
        0,
        0,
    )


# -- the page --------------------------------------------------------------------------------------


def test_the_participant_sees_totals_against_the_norms_in_english(client, enrolment, participant, sessions):
    log(participant, enrolment, "4", session=sessions[0])
    log(participant, enrolment, "8", session=sessions[1], note="Two books")
    log(participant, enrolment, "12,5", kind="case")
    client.force_login(participant)
    response = page(client, enrolment, "en")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in text
    assert "Your hours" in text
    assert "12 of 24 hours" in text
    assert "12.5 of 50 hours" in text
    assert '<progress class="timelog-bar" max="100" value="50" aria-labelledby="preparation-heading"' in text
    assert 'value="25" aria-labelledby="case-heading"' in text
    assert "About 4 hours of reading per content session, 6 content sessions." in text
    assert "Two books" in text and "Preparation for session 2" in text and "Wednesday 10 February 2027" in text
    # The form: kind, session preselected at the next session, today's date, hours typed as decimals.
    assert 'name="kind" value="preparation"' in text and "checked" in text
    assert f'<option value="{sessions[2].pk}" selected>Session 3, Wednesday 10 March 2027</option>' in text
    assert 'type="date" name="day" value="2027-03-01"' in text and 'max="2027-03-01"' in text
    assert 'inputmode="decimal"' in text
    assert text.count('action="/en/leren/tijd/regel/') == 3  # a remove button per entry


def test_the_dutch_page_renders(client, enrolment, participant, sessions):
    log(participant, enrolment, "1,5", session=sessions[0])
    client.force_login(participant)
    response = page(client, enrolment, "nl")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl">' in text
    assert "woensdag 13 januari 2027" in text
    assert ">1,5<" in text  # hours the Dutch way


def test_a_session_page_can_preselect_its_session(client, enrolment, participant, sessions):
    client.force_login(participant)
    text = client.get(url("enrolment", "en", enrolment_id=enrolment.pk) + f"?sessie={sessions[5].pk}").content.decode()
    assert f'<option value="{sessions[5].pk}" selected>' in text


@pytest.mark.parametrize("viewer", ["teacher", "coordinator"])
def test_teachers_and_the_office_see_the_hours_read_only(
    client, enrolment, participant, sessions, teacher_user, coordinator_user, viewer
):
    log(participant, enrolment, "3", session=sessions[0])
    person = teacher_user if viewer == "teacher" else coordinator_user
    client.force_login(person)
    response = page(client, enrolment, "en")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Hours of" in text and "3 of 24 hours" in text
    assert 'name="hours"' not in text
    assert "/verwijderen/" not in text
    response = post_log(client, enrolment, "en", session=sessions[0].pk, hours="2")
    assert response.status_code == 403
    assert "Only the participant logs their own hours." in response.content.decode()
    assert TimeEntry.objects.count() == 1
    with pytest.raises(PermissionDenied):
        log(person, enrolment, "2", session=sessions[0])


def test_another_participant_gets_not_found_alike_for_a_missing_enrolment(
    client, enrolment, other_enrolment, sessions, other_teacher
):
    for person in (other_enrolment.participant, other_teacher):
        client.force_login(person)
        assert page(client, enrolment).status_code == 404
        assert post_log(client, enrolment, session=sessions[0].pk).status_code == 404
    assert client.get(url("enrolment", enrolment_id=999999)).status_code == 404
    assert client.get(url("enrolment", enrolment_id=99999999999999999999999)).status_code == 404
    assert not TimeEntry.objects.exists()
    with pytest.raises(NotFound):
        log(other_enrolment.participant, enrolment, "1", session=sessions[0])


def test_anonymous_visitors_go_to_the_login_page(client, enrolment, participant, sessions):
    entry = log(participant, enrolment, "1", session=sessions[0])
    for response in (
        page(client, enrolment),
        post_log(client, enrolment, session=sessions[0].pk),
        client.post(url("delete", entry_id=entry.pk)),
    ):
        assert response.status_code == 302
        assert "login" in response["Location"] or "inloggen" in response["Location"]
    assert TimeEntry.objects.count() == 1


def test_a_cancelled_enrolment_shows_its_hours_but_cannot_log(client, enrolment, participant, sessions):
    log(participant, enrolment, "2", session=sessions[0])
    cancel(enrolment)
    client.force_login(participant)
    text = page(client, enrolment, "en").content.decode()
    assert "2 of 24 hours" in text
    assert "Your enrolment has been cancelled, so you can no longer log hours." in text
    assert 'name="hours"' not in text and "/verwijderen/" not in text
    response = post_log(client, enrolment, "en", session=sessions[0].pk, hours="1")
    assert response.status_code == 403
    assert TimeEntry.objects.count() == 1


def test_the_page_needs_no_more_queries_for_more_entries(client, enrolment, participant, sessions):
    client.force_login(participant)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(client, enrolment).status_code == 200
        return len(captured)

    for n in range(3):
        log(participant, enrolment, "1", session=sessions[n % 7], day=TODAY - datetime.timedelta(days=n))
    few = count_queries()
    for n in range(3, 30):
        log(
            participant,
            enrolment,
            "1",
            kind="case" if n % 2 else "preparation",
            session=sessions[n % 7],
            day=TODAY - datetime.timedelta(days=n),
        )
    assert TimeEntry.objects.count() == 30
    assert count_queries() == few
    assert few <= 8
