"""GET /editions/{id}: the contract's shape and formats, seats_taken, visibility of drafts and unpublished programmes."""

import re

import pytest

from tests import factories

from .helpers import API, assert_error

pytestmark = pytest.mark.django_db


def test_edition_has_the_contract_shape(client, edition):
    response = client.get(f"{API}/editions/{edition.id}")
    assert response.status_code == 200
    body = response.json()
    assert {"id", "programme", "start_date", "capacity", "seats_taken", "fee", "status", "sessions"} <= set(body)
    assert body["id"] == edition.id
    assert body["programme"] == "leiderschap-in-de-praktijk"  # the slug, not an id or a title
    assert body["start_date"] == "2027-01-13"
    assert body["capacity"] == 25
    assert body["seats_taken"] == 0
    assert body["fee"] == "2995.00"
    assert body["status"] == "open"
    assert body["holiday_region"] == "noord"
    assert body["location"] == "Hoofdgebouw, Amsterdam"


def test_sessions_have_the_contract_shape_in_number_order(client, edition):
    sessions = client.get(f"{API}/editions/{edition.id}").json()["sessions"]
    first, closing = sessions
    assert set(first) >= {"id", "number", "kind", "date", "start_time", "end_time", "theme", "delivery_mode"}
    assert (first["number"], first["kind"], first["date"], first["start_time"], first["end_time"]) == (
        1,
        "content",
        "2027-01-13",
        "13:30",
        "19:30",
    )
    assert first["theme"] == "Vertrouwen als basis"
    assert first["delivery_mode"] == "on_site"
    assert first["parts"] == [{"title": "Inleiding", "teacher": "Anna de Vries"}]
    assert (closing["number"], closing["kind"], closing["start_time"], closing["end_time"]) == (2, "closing", "09:00", "12:30")
    assert closing["delivery_mode"] == "online"
    assert closing["parts"] == []


def test_formats_are_exact(client, edition):
    body = client.get(f"{API}/editions/{edition.id}").json()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", body["start_date"])
    assert re.fullmatch(r"\d+\.\d{2}", body["fee"])
    for item in body["sessions"]:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["date"])
        assert re.fullmatch(r"\d{2}:\d{2}", item["start_time"]) and re.fullmatch(r"\d{2}:\d{2}", item["end_time"])


@pytest.mark.parametrize(
    ("stored", "shown"), [("2995", "2995.00"), ("0", "0.00"), ("1250.5", "1250.50"), ("999999.99", "999999.99")]
)
def test_money_always_has_two_decimals(client, programme, stored, shown):
    edition = factories.EditionFactory(programme=programme, fee=stored)
    assert client.get(f"{API}/editions/{edition.id}").json()["fee"] == shown


def test_seats_taken_counts_enrolled_not_cancelled(client, edition):
    factories.EnrolmentFactory.create_batch(3, edition=edition)
    factories.EnrolmentFactory.create_batch(2, edition=edition, status="cancelled")
    factories.EnrolmentFactory.create_batch(4)  # other editions do not count
    body = client.get(f"{API}/editions/{edition.id}").json()
    assert body["seats_taken"] == 3
    assert body["full"] is False


def test_full_edition(client, programme):
    edition = factories.EditionFactory(programme=programme, capacity=2)
    factories.EnrolmentFactory.create_batch(2, edition=edition)
    body = client.get(f"{API}/editions/{edition.id}").json()
    assert (body["seats_taken"], body["full"]) == (2, True)


def test_location_falls_back_to_the_room(client, programme):
    room = factories.RoomFactory()
    edition = factories.EditionFactory(programme=programme, location="", room=room)
    assert client.get(f"{API}/editions/{edition.id}").json()["location"] == "Hoofdgebouw, De Boelelaan 1105, 1081 HV Amsterdam"


def test_unknown_edition_is_404(client, edition):
    assert_error(client.get(f"{API}/editions/{edition.id + 1000}"), 404)


def test_huge_edition_id_is_404_not_500(client, edition):
    assert_error(client.get(f"{API}/editions/99999999999999999999"), 404)


def test_non_numeric_edition_id_is_422(client, edition):
    assert_error(client.get(f"{API}/editions/first"), 422, field="edition_id")


@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_draft_edition_is_404_for_others(client, draft_edition, who, bearer, participant, teacher_user):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    assert_error(client.get(f"{API}/editions/{draft_edition.id}", **headers), 404)


def test_draft_edition_is_visible_to_coordinator(client, draft_edition, as_coordinator):
    response = client.get(f"{API}/editions/{draft_edition.id}", **as_coordinator)
    assert response.status_code == 200
    assert response.json()["status"] == "draft"


@pytest.mark.parametrize("who", ["anonymous", "participant", "teacher"])
def test_edition_of_unpublished_programme_is_404_for_others(client, hidden_programme, who, bearer, participant, teacher_user):
    headers = {"anonymous": {}, "participant": bearer(participant), "teacher": bearer(teacher_user)}[who]
    hidden = hidden_programme.editions.get()
    assert hidden.status == "open"
    assert_error(client.get(f"{API}/editions/{hidden.id}", **headers), 404)


def test_edition_of_unpublished_programme_is_visible_to_coordinator(client, hidden_programme, as_coordinator):
    hidden = hidden_programme.editions.get()
    response = client.get(f"{API}/editions/{hidden.id}", **as_coordinator)
    assert response.status_code == 200
    assert response.json()["programme"] == "nog-geheim"


def test_demo_2021_edition(client, demo):
    programme = client.get(f"{API}/programmes/sturen-vanuit-vertrouwen").json()
    first = programme["editions"][0]
    body = client.get(f"{API}/editions/{first['id']}").json()
    assert body["programme"] == "sturen-vanuit-vertrouwen"
    assert body["status"] == "completed"
    assert len(body["sessions"]) == 7
    assert body["sessions"][-1]["kind"] == "closing"
    assert body["seats_taken"] > 0
