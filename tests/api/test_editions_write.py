"""POST and PATCH /editions: created and changed through the real services, defaults, validation (422),
capacity conflicts (409), nothing stored on bad input, and the audit trail."""

import datetime
from decimal import Decimal

import pytest

from leergang.catalog.models import Edition
from leergang.core.models import AuditEntry
from tests import factories

from .helpers import API, assert_error, nothing_changes

pytestmark = pytest.mark.django_db


def post(client, body, headers):
    return client.post(f"{API}/editions", body, content_type="application/json", **headers)


def patch(client, edition_id, body, headers):
    return client.patch(f"{API}/editions/{edition_id}", body, content_type="application/json", **headers)


# --- POST /editions -------------------------------------------------------------------------


def test_create_with_required_fields_applies_defaults(client, programme, new_edition, as_coordinator):
    response = post(client, new_edition, as_coordinator)
    assert response.status_code == 201, response.content
    body = response.json()
    edition = Edition.objects.get(pk=body["id"])
    assert body["programme"] == programme.slug
    assert (body["start_date"], body["capacity"], body["fee"]) == ("2027-09-01", 20, "2995.00")
    assert body["holiday_region"] == "noord"
    assert body["status"] == "draft"
    assert body["location"] == ""
    assert (body["seats_taken"], body["sessions"]) == (0, [])
    assert (edition.programme, edition.start_date, edition.capacity, edition.fee) == (
        programme,
        datetime.date(2027, 9, 1),
        20,
        Decimal("2995.00"),
    )
    assert (edition.holiday_region, edition.status) == ("noord", "draft")


def test_create_with_every_field(client, programme, as_coordinator):
    body = {
        "programme": programme.slug,
        "start_date": "2027-10-06",
        "capacity": 12,
        "fee": "4150.50",
        "holiday_region": "zuid",
        "location": "Kasteel De Hoge Veluwe, Otterlo",
        "status": "open",
        "language": "en",
        "weekday": "thursday",
        "start_time": "09:00",
        "end_time": "17:00",
        "min_gap_days": 14,
    }
    response = post(client, body, as_coordinator)
    assert response.status_code == 201, response.content
    answer = response.json()
    assert {name: answer[name] for name in body} == body
    edition = Edition.objects.get(pk=answer["id"])
    assert (edition.holiday_region, edition.status, edition.location, edition.fee) == (
        "zuid",
        "open",
        body["location"],
        Decimal("4150.50"),
    )
    assert (edition.weekday, edition.start_time, edition.end_time, edition.min_gap_days) == (
        3,
        datetime.time(9),
        datetime.time(17),
        14,
    )


def test_created_edition_can_be_read_back(client, new_edition, as_coordinator):
    created = post(client, {**new_edition, "status": "open"}, as_coordinator).json()
    assert client.get(f"{API}/editions/{created['id']}").json() == created


@pytest.mark.parametrize("fee", [2995, "2995", "2995.0", "2.995e3", 2995.0])
def test_fee_is_stored_in_cents_however_it_is_written(client, new_edition, as_coordinator, fee):
    response = post(client, {**new_edition, "fee": fee}, as_coordinator)
    assert response.status_code == 201, response.content
    assert response.json()["fee"] == "2995.00"
    assert AuditEntry.objects.get(action="edition.created").after["fee"] == "2995.00"


def test_past_start_dates_are_allowed(client, new_edition, as_coordinator):
    response = post(client, {**new_edition, "start_date": "2014-09-03", "status": "completed"}, as_coordinator)
    assert response.status_code == 201, response.content
    assert response.json()["start_date"] == "2014-09-03"


def test_two_editions_may_start_on_the_same_day(client, new_edition, as_coordinator):
    first = post(client, new_edition, as_coordinator)
    second = post(client, new_edition, as_coordinator)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert Edition.objects.filter(start_date="2027-09-01").count() == 2


def test_coordinator_may_create_for_an_unpublished_programme(client, hidden_programme, new_edition, as_coordinator):
    response = post(client, {**new_edition, "programme": hidden_programme.slug}, as_coordinator)
    assert response.status_code == 201
    assert response.json()["programme"] == "nog-geheim"


def test_create_writes_an_audit_entry(client, coordinator, new_edition, as_coordinator):
    before = AuditEntry.objects.count()
    edition_id = post(client, new_edition, as_coordinator).json()["id"]
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.get(action="edition.created")
    assert entry.actor == coordinator
    assert (entry.object_type, entry.object_id) == ("catalog.edition", str(edition_id))
    assert entry.before is None
    assert entry.after["capacity"] == 20
    assert entry.after["fee"] == "2995.00"
    assert entry.after["start_date"] == "2027-09-01"
    assert entry.after["status"] == "draft"


REQUIRED = ["programme", "start_date", "capacity", "fee"]


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_required_field_is_required(client, new_edition, as_coordinator, missing):
    body = {name: value for name, value in new_edition.items() if name != missing}
    with nothing_changes():
        errors = assert_error(post(client, body, as_coordinator), 422, field=missing)["errors"]
    assert [item["field"] for item in errors] == [missing]


def test_empty_object_names_every_required_field(client, as_coordinator, programme):
    with nothing_changes():
        errors = assert_error(post(client, {}, as_coordinator), 422)["errors"]
    assert sorted(item["field"] for item in errors) == sorted(REQUIRED)


BAD_CREATE = [
    ("capacity", "twenty"),
    ("capacity", 1.5),
    ("capacity", True),
    ("capacity", None),
    ("capacity", [20]),
    ("capacity", 0),
    ("capacity", -3),
    ("capacity", 10001),
    ("fee", "-1.00"),
    ("fee", -0.01),
    ("fee", "2995.001"),
    ("fee", "twee"),
    ("fee", ""),
    ("fee", "NaN"),
    ("fee", "Infinity"),
    ("fee", True),
    ("fee", None),
    ("fee", "1000000000"),
    ("start_date", "13-01-2027"),
    ("start_date", "2027-02-30"),
    ("start_date", "tomorrow"),
    ("start_date", ""),
    ("start_date", None),
    ("programme", 42),
    ("programme", ""),
    ("programme", None),
    ("programme", "no-such-programme"),
    ("holiday_region", "west"),
    ("holiday_region", "Noord"),
    ("holiday_region", None),
    ("status", "archived"),
    ("status", "Draft"),
    ("status", None),
    ("language", "de"),
    ("weekday", "wed"),
    ("start_time", "25:00"),
    ("start_time", "half twee"),
    ("end_time", "13:30"),  # equal to the default start time
    ("end_time", "09:00"),  # before the default start time
    ("min_gap_days", 366),
    ("min_gap_days", -1),
    ("location", "x" * 301),
    ("location", 5),
]


@pytest.mark.parametrize(("field", "value"), BAD_CREATE, ids=[f"{f}={v!r}"[:40] for f, v in BAD_CREATE])
def test_bad_values_are_422_and_store_nothing(client, new_edition, as_coordinator, field, value):
    with nothing_changes():
        assert_error(post(client, {**new_edition, field: value}, as_coordinator), 422, field=field)


def test_end_time_before_start_time_is_422(client, new_edition, as_coordinator):
    with nothing_changes():
        body = assert_error(
            post(client, {**new_edition, "start_time": "18:00", "end_time": "09:00"}, as_coordinator), 422, field="end_time"
        )
    assert body["errors"] == [{"field": "end_time", "message": body["errors"][0]["message"]}]


def test_several_bad_fields_are_all_reported(client, new_edition, as_coordinator):
    with nothing_changes():
        errors = assert_error(post(client, {**new_edition, "capacity": 0, "fee": "-5", "status": "gone"}, as_coordinator), 422)[
            "errors"
        ]
    assert {item["field"] for item in errors} == {"capacity", "fee", "status"}


# --- PATCH /editions/{id} -------------------------------------------------------------------


def test_patch_changes_only_the_given_fields(client, edition, as_coordinator):
    before = client.get(f"{API}/editions/{edition.id}").json()
    response = patch(client, edition.id, {"capacity": 30}, as_coordinator)
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["capacity"] == 30
    assert {k: v for k, v in after.items() if k != "capacity"} == {k: v for k, v in before.items() if k != "capacity"}
    edition.refresh_from_db()
    assert edition.capacity == 30
    assert edition.fee == Decimal("2995.00")
    assert edition.status == "open"


def test_patch_every_field(client, edition, as_coordinator):
    other = factories.ProgrammeFactory(slug="ander-programma")
    changes = {
        "programme": "ander-programma",
        "start_date": "2027-02-03",
        "capacity": 18,
        "fee": "3100.10",
        "holiday_region": "midden",
        "location": "Utrecht",
        "status": "running",
        "language": "en",
        "weekday": "friday",
        "start_time": "10:00",
        "end_time": "16:15",
        "min_gap_days": 0,
    }
    response = patch(client, edition.id, changes, as_coordinator)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {name: body[name] for name in changes} == changes
    edition.refresh_from_db()
    assert edition.programme == other
    assert (edition.fee, edition.weekday, edition.end_time, edition.min_gap_days) == (
        Decimal("3100.10"),
        4,
        datetime.time(16, 15),
        0,
    )
    assert len(body["sessions"]) == 2  # sessions stay with the edition


def test_patch_location_to_empty(client, edition, as_coordinator):
    assert patch(client, edition.id, {"location": ""}, as_coordinator).json()["location"] == ""
    edition.refresh_from_db()
    assert edition.location == ""


def test_patch_a_draft_edition(client, draft_edition, as_coordinator):
    response = patch(client, draft_edition.id, {"status": "open"}, as_coordinator)
    assert response.status_code == 200
    draft_edition.refresh_from_db()
    assert draft_edition.status == "open"


def test_patch_writes_an_audit_entry_with_before_and_after(client, coordinator, edition, as_coordinator):
    patch(client, edition.id, {"capacity": 30, "fee": "3000.00"}, as_coordinator)
    entry = AuditEntry.objects.get(action="edition.updated")
    assert entry.actor == coordinator
    assert (entry.object_type, entry.object_id) == ("catalog.edition", str(edition.id))
    assert (entry.before["capacity"], entry.after["capacity"]) == (25, 30)
    assert (entry.before["fee"], entry.after["fee"]) == ("2995.00", "3000.00")
    changed = {name for name in entry.after if entry.after[name] != entry.before[name]}
    assert changed == {"capacity", "fee"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"capacity": 25},
        {"capacity": 25, "status": "open", "fee": "2995.00"},
        {"fee": "2995"},
        {"fee": 2995},
        {"start_time": "13:30"},
        {"unknown_field": 1},
    ],
)
def test_patch_that_changes_nothing_writes_no_audit_entry(client, edition, as_coordinator, body):
    with nothing_changes():
        response = patch(client, edition.id, body, as_coordinator)
    assert response.status_code == 200
    assert response.json()["capacity"] == 25


def test_patch_capacity_below_seats_taken_is_409(client, edition, as_coordinator):
    factories.EnrolmentFactory.create_batch(3, edition=edition)
    factories.EnrolmentFactory.create_batch(2, edition=edition, status="cancelled")
    with nothing_changes():
        body = assert_error(patch(client, edition.id, {"capacity": 2}, as_coordinator), 409, field="capacity")
    assert "3" in body["detail"]


def test_patch_capacity_down_to_seats_taken_is_allowed(client, edition, as_coordinator):
    factories.EnrolmentFactory.create_batch(3, edition=edition)
    factories.EnrolmentFactory.create_batch(2, edition=edition, status="cancelled")  # cancelled seats are free
    response = patch(client, edition.id, {"capacity": 3}, as_coordinator)
    assert response.status_code == 200
    assert (response.json()["capacity"], response.json()["seats_taken"], response.json()["full"]) == (3, 3, True)


def test_409_with_other_changes_stores_none_of_them(client, edition, as_coordinator):
    factories.EnrolmentFactory.create_batch(3, edition=edition)
    with nothing_changes():
        assert_error(patch(client, edition.id, {"capacity": 1, "fee": "10.00", "status": "running"}, as_coordinator), 409)


NOT_NULLABLE = [
    "programme",
    "start_date",
    "capacity",
    "fee",
    "holiday_region",
    "location",
    "status",
    "language",
    "weekday",
    "start_time",
    "end_time",
    "min_gap_days",
]


@pytest.mark.parametrize("field", NOT_NULLABLE)
def test_patch_null_is_422(client, edition, as_coordinator, field):
    with nothing_changes():
        assert_error(patch(client, edition.id, {field: None}, as_coordinator), 422, field=field)


BAD_PATCH = [
    ("capacity", 0),
    ("capacity", "many"),
    ("capacity", True),
    ("fee", "-0.01"),
    ("fee", "12.345"),
    ("fee", "gratis"),
    ("status", "archived"),
    ("holiday_region", "oost"),
    ("start_date", "2027-13-01"),
    ("end_time", "10:00"),  # before the stored start time 13:30
    ("start_time", "20:00"),  # after the stored end time 19:30
    ("programme", "no-such-programme"),
    ("min_gap_days", 400),
]


@pytest.mark.parametrize(("field", "value"), BAD_PATCH, ids=[f"{f}={v!r}" for f, v in BAD_PATCH])
def test_patch_bad_values_are_422_and_change_nothing(client, edition, as_coordinator, field, value):
    with nothing_changes():
        assert_error(patch(client, edition.id, {field: value}, as_coordinator), 422, field=field)


def test_patch_one_bad_field_keeps_the_good_ones_out_too(client, edition, as_coordinator):
    with nothing_changes():
        assert_error(patch(client, edition.id, {"capacity": 40, "end_time": "08:00"}, as_coordinator), 422, field="end_time")


def test_patch_unknown_edition_is_404(client, edition, as_coordinator):
    with nothing_changes():
        assert_error(patch(client, edition.id + 1000, {"capacity": 30}, as_coordinator), 404)


def test_patch_non_numeric_id_is_422(client, edition, as_coordinator):
    with nothing_changes():
        assert_error(patch(client, "first", {"capacity": 30}, as_coordinator), 422, field="edition_id")
