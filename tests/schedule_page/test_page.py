"""The coordinator's schedule page (M8, M10) with Django's test client: view, plan, check, save,
add and remove rows, move coming sessions online, and who may do so."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from leergang.accounts.models import User
from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from leergang.demo import content
from leergang.scheduling import rules, services
from tests import factories

from .conftest import HTMX, PLANNED, SPRING_HOLIDAY, form_data, input_values, page_url, snapshot, stored_rows, text_of

pytestmark = pytest.mark.django_db


# -- viewing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "title"), [("nl", content.PROGRAMME["title_nl"]), ("en", content.PROGRAMME["title_en"])])
def test_coordinator_sees_the_demo_editions_sessions(client, demo, language, title):
    client.force_login(User.objects.get(email=content.COORDINATOR["email"]))
    edition = Edition.objects.get(programme__slug=content.SLUG, status="open")
    response = client.get(page_url(edition.pk, language=language))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}">' in body
    assert title in text_of(response)
    assert input_values(response, "date") == [s.date.isoformat() for s in edition.sessions.order_by("number")]
    assert input_values(response, "start_time") == ["13:30"] * 7
    assert input_values(response, "end_time") == ["19:30"] * 7
    assert 'type="date"' in body and 'type="time"' in body
    # Every input, select and textarea of the table has a label.
    ids = re.findall(r'<(?:input|select|textarea)\b[^>]*\bid="(id_sessions-\d+-\w+)"', body)
    assert len(ids) == 7 * 8
    for field_id in ids:
        assert f'<label for="{field_id}"' in body, field_id
    assert 'role="status"' in body and 'aria-live="polite"' in body


def test_the_page_shows_times_and_themes(coordinator_client, edition):
    response = coordinator_client.get(page_url(edition.pk, language="en"))
    body = response.content.decode()
    assert "Theme 3" in body and "Thema 3" in body
    assert input_values(response, "number") == [str(n) for n in range(1, 8)]
    assert "The dates meet the programme's rules." in text_of(response)


# -- planning (not saved) ----------------------------------------------------------------------


def test_plan_fills_in_the_planners_dates_without_saving(coordinator_client, edition):
    before = snapshot(edition)
    first = datetime.date(2027, 9, 1)
    data = form_data(stored_rows(edition), first_date=first.isoformat())
    response = coordinator_client.post(page_url(edition.pk, "plan", "en"), data, **HTMX)
    assert response.status_code == 200
    expected = rules.plan(first, 7, services.schedule_rules(edition))
    assert input_values(response, "date") == [d.isoformat() for d in expected]
    assert 'id="schedule-status" hx-swap-oob="innerHTML"' in response.content.decode()
    assert "not saved yet" in text_of(response)
    assert snapshot(edition) == before


def test_plan_uses_the_number_of_rows_and_seven_when_there_are_none(coordinator_client, db):
    empty = factories.EditionFactory()
    response = coordinator_client.post(page_url(empty.pk, "plan"), form_data([], first_date="2027-09-01"), **HTMX)
    dates = input_values(response, "date")
    assert dates == [d.isoformat() for d in rules.plan(datetime.date(2027, 9, 1), 7, services.schedule_rules(empty))]
    assert input_values(response, "number") == [str(n) for n in range(1, 8)]
    assert 'value="closing" selected' in response.content.decode()
    assert not empty.sessions.exists()


def test_plan_orders_dates_by_session_number(coordinator_client, edition):
    rows = stored_rows(edition)[:3]
    rows.reverse()  # rows 3, 2, 1 in the table
    response = coordinator_client.post(page_url(edition.pk, "plan"), form_data(rows, first_date="2027-09-01"), **HTMX)
    planned = rules.plan(datetime.date(2027, 9, 1), 3, services.schedule_rules(edition))
    assert input_values(response, "date") == [d.isoformat() for d in reversed(planned)]


def test_plan_outside_the_known_holidays_explains_it_in_the_form(coordinator_client, edition):
    before = snapshot(edition)
    data = form_data(stored_rows(edition), first_date="2035-01-03")
    response = coordinator_client.post(page_url(edition.pk, "plan", "en"), data, **HTMX)
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"  # the rows stay as they are
    body = response.content.decode()
    assert 'id="first-date-error"' in body and "School holidays are only known" in text_of(response)
    assert snapshot(edition) == before


def test_plan_without_htmx_shows_the_whole_page(coordinator_client, edition):
    response = coordinator_client.post(page_url(edition.pk, "plan", "en"), {"first_date": "2027-09-01"})
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    expected = rules.plan(datetime.date(2027, 9, 1), 7, services.schedule_rules(edition))
    assert input_values(response, "date") == [d.isoformat() for d in expected]


def test_plan_without_a_first_date_asks_for_one(coordinator_client, edition):
    response = coordinator_client.post(page_url(edition.pk, "plan", "en"), form_data(stored_rows(edition)), **HTMX)
    assert "Choose the first date to plan from." in text_of(response)


# -- checking (not saved) ----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "holiday"), [("nl", "Voorjaarsvakantie"), ("en", "Spring Break")])
def test_check_reports_a_date_moved_into_a_school_holiday(coordinator_client, edition, language, holiday):
    with translation.override(language):
        expected = rules.validate([SPRING_HOLIDAY], services.schedule_rules(edition))
    assert [v.rule for v in expected] == ["school_holiday"]
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[1]["date"] = SPRING_HOLIDAY.isoformat()  # session 2, between 13 January and 10 March
    response = coordinator_client.post(page_url(edition.pk, "check", language), form_data(rows), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    # In the summary (the live region's content) with the validator's message in the page's language ...
    assert expected[0].message in html.unescape(body)
    assert holiday in html.unescape(body)
    # ... next to the affected row only (out-of-band swaps of every row's violation list) ...
    row_2 = re.search(r'<div id="sessions-1-violations"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert 'data-rule="school_holiday"' in row_2
    row_1 = re.search(r'<div id="sessions-0-violations"[^>]*>(.*?)</div>', body, re.S).group(1)
    assert "data-rule" not in row_1
    # ... and the explicit acceptance is offered.
    assert 'name="accept_violations"' in body
    assert snapshot(edition) == before


def test_check_of_valid_dates_says_so_and_clears_the_rows(coordinator_client, edition):
    response = coordinator_client.post(page_url(edition.pk, "check", "en"), form_data(stored_rows(edition)), **HTMX)
    body = response.content.decode()
    assert "The dates meet the programme" in body
    assert "data-rule" not in body
    assert body.count('hx-swap-oob="true"') == 7 + 1  # every row's list, and the acceptance box
    assert 'name="accept_violations"' not in body


def test_check_outside_the_known_period_gives_the_validators_message(coordinator_client, edition):
    rows = stored_rows(edition)
    rows[6]["date"] = "2035-01-03"
    response = coordinator_client.post(page_url(edition.pk, "check", "en"), form_data(rows), **HTMX)
    assert "School holidays are only known" in text_of(response)


def test_check_skips_rows_without_a_valid_date(coordinator_client, edition):
    rows = stored_rows(edition)
    rows[3]["date"] = ""
    response = coordinator_client.post(page_url(edition.pk, "check", "en"), form_data(rows), **HTMX)
    assert "1 session has no valid date yet" in text_of(response)


# -- saving -------------------------------------------------------------------------------------


def test_saving_a_valid_schedule_updates_the_sessions_and_keeps_their_ids(coordinator_client, edition):
    ids = list(edition.sessions.order_by("number").values_list("id", flat=True))
    rows = stored_rows(edition)
    rows[6]["date"] = "2027-08-25"  # the closing session later, still valid
    rows[6]["end_time"] = "18:00"
    rows[2]["theme_en"] = "Trust between organisations"
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 302
    assert response["Location"] == page_url(edition.pk, language="en")
    sessions = list(edition.sessions.order_by("number"))
    assert [s.id for s in sessions] == ids
    assert sessions[6].date == datetime.date(2027, 8, 25)
    assert sessions[6].end_time == datetime.time(18, 0)
    assert sessions[2].theme_en == "Trust between organisations"
    assert AuditEntry.objects.filter(action="schedule.replaced", object_id=str(edition.pk)).exists()
    page = coordinator_client.get(response["Location"])
    assert "The schedule has been saved." in text_of(page)
    assert 'class="message message-success"' in page.content.decode()


def test_saving_with_a_violation_is_refused_without_the_tick(coordinator_client, edition):
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[1]["date"] = SPRING_HOLIDAY.isoformat()
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 422
    body = response.content.decode()
    assert 'data-rule="school_holiday"' in body
    assert "accept the violations explicitly" in text_of(response)
    assert 'name="accept_violations"' in body
    assert input_values(response, "date")[1] == SPRING_HOLIDAY.isoformat()  # what was entered stays
    assert snapshot(edition) == before
    assert not AuditEntry.objects.filter(action="schedule.violations_accepted").exists()


def test_saving_with_a_violation_and_the_tick_stores_it_and_audits_the_override(coordinator_client, edition):
    rows = stored_rows(edition)
    rows[1]["date"] = SPRING_HOLIDAY.isoformat()
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows, accept_violations="on"))
    assert response.status_code == 302
    assert edition.sessions.get(number=2).date == SPRING_HOLIDAY
    entry = AuditEntry.objects.get(action="schedule.violations_accepted", object_id=str(edition.pk))
    assert entry.after["violations"][0]["rule"] == "school_holiday"
    assert "audit log" in text_of(coordinator_client.get(response["Location"]))


def test_duplicate_numbers_are_a_form_error_in_the_users_language(coordinator_client, edition):
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[2]["number"] = "2"
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 422
    body = response.content.decode()
    assert re.search(r'id="id_sessions-2-number_error">Each session needs its own number\.', body)
    assert 'aria-invalid="true"' in body
    assert snapshot(edition) == before


def test_an_end_before_the_start_is_a_form_error(coordinator_client, edition):
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[0]["end_time"] = "12:00"
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 422
    assert 'id="id_sessions-0-end_time_error">Choose an end time after the start time.' in response.content.decode()
    assert snapshot(edition) == before


def test_incomplete_rows_are_marked_and_nothing_is_saved(coordinator_client, edition):
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[4]["date"] = ""
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 422
    assert 'id="id_sessions-4-date_error">Choose a date.' in response.content.decode()
    assert snapshot(edition) == before


def test_a_session_that_cannot_be_removed_is_a_conflict(coordinator_client, edition, monkeypatch):
    """Nothing points at sessions yet except their parts; pretend attendance was recorded for session 7."""
    monkeypatch.setattr(services, "has_records", lambda session: session.number == 7)
    before = snapshot(edition)
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(stored_rows(edition)[:6]))
    assert response.status_code == 409
    page = text_of(response)
    assert "Session 7 cannot be removed" in page
    assert "Keep session 7 in the list." in page
    assert snapshot(edition) == before


def test_a_room_too_small_refuses_bringing_a_session_on_site(coordinator_client, edition, settings):
    settings.DISTANCING_M2_PER_PERSON = Decimal("10")
    factories.EnrolmentFactory.create_batch(12, edition=edition)  # 12 + 2 staff > 100 m² / 10
    edition.sessions.update(delivery_mode="online")
    before = snapshot(edition)
    rows = stored_rows(edition)
    rows[5]["delivery_mode"] = "hybrid"
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows))
    assert response.status_code == 422
    assert re.search(
        r'id="id_sessions-5-delivery_mode_error">The room \(100\.0 m²\) holds only 10 people', response.content.decode()
    )
    assert snapshot(edition) == before


def test_saving_a_moved_session_tells_the_people_involved(coordinator_client, edition, monkeypatch):
    """The service announces changed sessions (leergang.scheduling.notify writes the e-mails)."""
    announced = []
    monkeypatch.setattr(services.notify, "sessions_changed", lambda *, edition, changes: announced.extend(changes))
    rows = stored_rows(edition)
    rows[6]["date"] = "2027-08-25"
    coordinator_client.post(page_url(edition.pk), form_data(rows))
    assert [(session.number, old["date"]) for session, old in announced] == [(7, PLANNED[6].isoformat())]


# -- adding and removing rows -------------------------------------------------------------------


def test_adding_a_row_gives_the_next_number_and_saves_nothing(coordinator_client, edition):
    before = snapshot(edition)
    response = coordinator_client.post(page_url(edition.pk, "rows", "en"), form_data(stored_rows(edition), add="1"), **HTMX)
    assert response.status_code == 200
    assert input_values(response, "number") == [str(n) for n in range(1, 9)]
    assert input_values(response, "date")[-1] == ""
    assert 'name="sessions-TOTAL_FORMS" value="8"' in response.content.decode()
    assert "session 8 was added" in text_of(response)
    assert snapshot(edition) == before


def test_removing_a_row_and_saving_deletes_that_session(coordinator_client, edition):
    rows = stored_rows(edition)
    response = coordinator_client.post(page_url(edition.pk, "rows", "en"), form_data(rows, remove="6"), **HTMX)
    assert input_values(response, "number") == [str(n) for n in range(1, 7)]
    assert edition.sessions.count() == 7
    response = coordinator_client.post(page_url(edition.pk, language="en"), form_data(rows[:6]))
    assert response.status_code == 302
    assert list(edition.sessions.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_a_new_session_is_saved_with_the_next_number(coordinator_client, edition):
    rows = stored_rows(edition)
    new = dict(rows[6], number="8", date="2027-09-22", kind="content", theme_nl="Extra", theme_en="Extra")
    response = coordinator_client.post(page_url(edition.pk), form_data([*rows, new]))
    assert response.status_code == 302
    assert edition.sessions.get(number=8).date == datetime.date(2027, 9, 22)


# -- delivery mode (M10) ------------------------------------------------------------------------


def test_the_room_panel_explains_and_offers_moving_online(coordinator_client, edition, settings):
    settings.DISTANCING_M2_PER_PERSON = Decimal("10")
    factories.EnrolmentFactory.create_batch(12, edition=edition)
    response = coordinator_client.get(page_url(edition.pk, language="en"))
    page = text_of(response)
    assert "may not meet on site" in page
    assert "holds only 10 people" in page
    assert "Move coming sessions online" in page


def test_moving_coming_sessions_online(coordinator_client, edition, settings):
    settings.DISTANCING_M2_PER_PERSON = Decimal("10")
    factories.EnrolmentFactory.create_batch(12, edition=edition)
    ids = list(edition.sessions.order_by("number").values_list("id", flat=True))
    response = coordinator_client.post(page_url(edition.pk, "online", "en"))
    assert response.status_code == 302
    assert set(edition.sessions.values_list("delivery_mode", flat=True)) == {"online"}
    assert list(edition.sessions.order_by("number").values_list("id", flat=True)) == ids
    page = coordinator_client.get(response["Location"])
    assert "now take place online" in text_of(page)
    assert "Move coming sessions online" not in text_of(page)


def test_no_switch_is_offered_when_the_room_is_fine(coordinator_client, edition):
    page = text_of(coordinator_client.get(page_url(edition.pk, language="en")))
    assert "This edition may meet on site." in page
    assert "Move coming sessions online" not in page


# -- who may use it -----------------------------------------------------------------------------

ENDPOINTS = [("page", "get"), ("page", "post"), ("check", "post"), ("plan", "post"), ("rows", "post"), ("online", "post")]


@pytest.mark.parametrize(("name", "method"), ENDPOINTS)
@pytest.mark.parametrize("role", ["participant", "teacher_user"])
def test_participants_and_teachers_get_404(client, edition, request, role, name, method):
    client.force_login(request.getfixturevalue(role))
    before = snapshot(edition)
    response = getattr(client, method)(page_url(edition.pk, name), form_data(stored_rows(edition), first_date="2027-09-01"))
    assert response.status_code == 404
    assert snapshot(edition) == before


@pytest.mark.parametrize(("name", "method"), ENDPOINTS)
def test_a_missing_edition_is_404(coordinator_client, db, name, method):
    assert getattr(coordinator_client, method)(page_url(987654, name)).status_code == 404


@pytest.mark.parametrize(("name", "method"), ENDPOINTS)
def test_anonymous_visitors_are_sent_to_the_login(client, edition, name, method):
    response = getattr(client, method)(page_url(edition.pk, name))
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/account/login/?next=")


def test_no_email_is_sent_while_planning_and_checking(coordinator_client, edition):
    data = form_data(stored_rows(edition), first_date="2027-09-01")
    coordinator_client.post(page_url(edition.pk, "plan"), data, **HTMX)
    coordinator_client.post(page_url(edition.pk, "check"), data, **HTMX)
    assert mail.outbox == []
    assert PLANNED[0] == edition.sessions.get(number=1).date


# -- links to the page --------------------------------------------------------------------------


def test_the_dashboard_links_each_edition_to_its_schedule(client, demo):
    client.force_login(User.objects.get(email=content.COORDINATOR["email"]))
    body = client.get("/en/account/").content.decode()
    # Editions completed more than a year ago are in the archive of all editions, not on the overview (issue 9).
    for edition in Edition.objects.filter(programme__slug=content.SLUG).exclude(status="completed"):
        assert f'href="{page_url(edition.pk, language="en")}"' in body
    archive = client.get("/en/coordinatie/edities/").content.decode()
    for edition in Edition.objects.filter(programme__slug=content.SLUG):
        assert f'href="{page_url(edition.pk, language="en")}"' in archive


def test_the_programme_page_links_to_the_schedule_for_coordinators_only(client, demo):
    edition = Edition.objects.get(programme__slug=content.SLUG, status="open")
    programme_page = f"/en/opleidingen/{content.SLUG}/"
    link = f'href="{page_url(edition.pk, language="en")}"'
    assert link not in client.get(programme_page).content.decode()
    client.force_login(User.objects.get(email=content.PARTICIPANTS[0]["email"]))
    assert link not in client.get(programme_page).content.decode()
    client.force_login(User.objects.get(email=content.COORDINATOR["email"]))
    assert link in client.get(programme_page).content.decode()
