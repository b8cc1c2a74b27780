"""Presentations at the closing session (M15): slots and their order, recording, permissions, audit (R8)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from leergang.core.models import AuditEntry
from leergang.enrolment.models import EnrolmentStatus
from leergang.learning import presentations
from leergang.learning.models import PresentationSlot
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate(timezone=ZoneInfo("Europe/Amsterdam"))


def presentation_url(enrolment_id):
    return f"/api/v1/enrolments/{enrolment_id}/presentation"


def slots_url(edition_id):
    return f"/api/v1/editions/{edition_id}/presentations"


def put_json(client, url, body, headers):
    return client.put(url, body, content_type="application/json", **headers)


def record(client, headers, enrolment_id, body):
    return put_json(client, presentation_url(enrolment_id), body, headers)


def enrol(edition, first_name, last_name):
    user = factories.UserFactory(first_name=first_name, last_name=last_name)
    return factories.EnrolmentFactory(edition=edition, participant=user)


def closing_session(edition, date):
    return factories.SessionFactory(edition=edition, number=7, kind="closing", date=date)


def presented_in_enrolment(client, headers, enrolment_id):
    response = client.get(f"/api/v1/enrolments/{enrolment_id}", **headers)
    assert response.status_code == 200, response.content
    return response.json()["presented"]


@pytest.fixture
def trio(edition):
    """Three participants enrolled out of name order."""
    return [enrol(edition, "Zoë", "Visser"), enrol(edition, "Anna", "Bakker"), enrol(edition, "Jan", "de Jong")]


def listed(client, headers, edition_id):
    response = client.get(slots_url(edition_id), **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_slots_are_created_in_name_order_and_new_ones_appended(client, bearer, coordinator, edition, trio):
    visser, bakker, de_jong = trio
    office = bearer(coordinator)
    body = listed(client, office, edition.pk)
    assert [(s["position"], s["enrolment_id"]) for s in body] == [(1, bakker.pk), (2, de_jong.pk), (3, visser.pk)]
    assert body[0] == {"position": 1, "enrolment_id": bakker.pk, "name": "Anna Bakker", "presented": None}
    assert PresentationSlot.objects.filter(edition=edition).count() == 3

    # Asking again changes nothing.
    entries = AuditEntry.objects.count()
    assert listed(client, office, edition.pk) == body
    assert AuditEntry.objects.count() == entries

    # A later participant is appended even when their name sorts first; a cancelled one drops out.
    late = enrol(edition, "Bram", "Aalders")
    de_jong.status = EnrolmentStatus.CANCELLED
    de_jong.save()
    body = listed(client, office, edition.pk)
    assert [(s["position"], s["enrolment_id"]) for s in body] == [(1, bakker.pk), (2, visser.pk), (3, late.pk)]
    assert PresentationSlot.objects.get(enrolment=de_jong).position is None
    entry = AuditEntry.objects.filter(action="presentation.slots_updated").first()
    assert entry.before == {"order": [bakker.pk, de_jong.pk, visser.pk]}
    assert entry.after == {"order": [bakker.pk, visser.pk, late.pk]}


def test_reorder(client, bearer, coordinator, edition, trio):
    visser, bakker, de_jong = trio
    office = bearer(coordinator)
    listed(client, office, edition.pk)
    new_order = [visser.pk, bakker.pk, de_jong.pk]
    response = put_json(client, slots_url(edition.pk) + "/order", {"enrolment_ids": new_order}, office)
    assert response.status_code == 200, response.content
    assert [s["enrolment_id"] for s in response.json()] == new_order
    assert [s["enrolment_id"] for s in listed(client, office, edition.pk)] == new_order
    entry = AuditEntry.objects.get(action="presentation.reordered")
    assert entry.actor == coordinator
    assert entry.before == {"order": [bakker.pk, de_jong.pk, visser.pk]}
    assert entry.after == {"order": new_order}


@pytest.mark.parametrize(
    "ids",
    [
        "missing_one",
        "duplicate",
        "stranger",
        "cancelled",
        "not_integers",
    ],
)
def test_reorder_refuses_a_list_that_is_not_exactly_the_participants(client, bearer, coordinator, edition, trio, ids):
    visser, bakker, de_jong = trio
    office = bearer(coordinator)
    before = listed(client, office, edition.pk)
    stranger = factories.EnrolmentFactory()
    cancelled = enrol(edition, "Piet", "Smit")
    cancelled.status = EnrolmentStatus.CANCELLED
    cancelled.save()
    body = {
        "missing_one": [visser.pk, bakker.pk],
        "duplicate": [visser.pk, bakker.pk, de_jong.pk, visser.pk],
        "stranger": [visser.pk, bakker.pk, de_jong.pk, stranger.pk],
        "cancelled": [visser.pk, bakker.pk, de_jong.pk, cancelled.pk],
        "not_integers": [str(visser.pk), bakker.pk, de_jong.pk],
    }[ids]
    entries = AuditEntry.objects.count()
    response = put_json(client, slots_url(edition.pk) + "/order", {"enrolment_ids": body}, office)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
    assert response.json()["errors"][0]["field"].startswith("enrolment_ids")
    assert listed(client, office, edition.pk) == before
    assert AuditEntry.objects.count() == entries


def test_reorder_is_for_the_office_only(client, bearer, teacher_user, edition, trio):
    response = put_json(client, slots_url(edition.pk) + "/order", {"enrolment_ids": [e.pk for e in trio]}, bearer(teacher_user))
    assert response.status_code == 403
    assert client.put(slots_url(edition.pk) + "/order", {}, content_type="application/json").status_code == 401


def test_presented_true_before_the_closing_date_is_refused(client, bearer, teacher_user, edition, enrolment):
    teacher = bearer(teacher_user)
    # No closing session at all.
    response = record(client, teacher, enrolment.pk, {"presented": True})
    assert response.status_code == 409
    assert response.json()["detail"]
    # A closing session still to come.
    closing_session(edition, TODAY + datetime.timedelta(days=1))
    response = record(client, teacher, enrolment.pk, {"presented": True})
    assert response.status_code == 409
    assert response.json()["errors"] == []
    assert not PresentationSlot.objects.filter(enrolment=enrolment).exists()
    assert not AuditEntry.objects.filter(action="presentation.recorded").exists()
    assert presented_in_enrolment(client, teacher, enrolment.pk) is None


@pytest.mark.parametrize("days_ago", [0, 3])
def test_presented_true_once_the_closing_date_has_come(client, bearer, teacher_user, participant, edition, enrolment, days_ago):
    closing_session(edition, TODAY - datetime.timedelta(days=days_ago))
    response = record(client, bearer(teacher_user), enrolment.pk, {"presented": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["presented"] is True
    assert body["position"] == 1
    assert body["recorded_at"]
    assert presented_in_enrolment(client, bearer(participant), enrolment.pk) is True

    entry = AuditEntry.objects.get(action="presentation.recorded")
    assert entry.actor == teacher_user
    assert entry.before["presented"] is None
    assert entry.before["recorded_by"] is None
    assert entry.after["presented"] is True
    assert entry.after["recorded_by"] == teacher_user.pk
    assert entry.after["enrolment"] == enrolment.pk


def test_false_can_be_recorded_any_time_and_changed_later(client, bearer, coordinator, edition, enrolment, other_enrolment):
    office = bearer(coordinator)
    closing_session(edition, TODAY + datetime.timedelta(days=30))
    response = record(client, office, enrolment.pk, {"presented": False})
    assert response.status_code == 200, response.content
    assert response.json()["presented"] is False
    assert presented_in_enrolment(client, office, enrolment.pk) is False
    assert presented_in_enrolment(client, office, other_enrolment.pk) is None
    # The slot was created with the others, in name order.
    assert PresentationSlot.objects.filter(edition=edition).count() == 2

    edition.sessions.filter(kind="closing").update(date=TODAY)
    assert record(client, office, enrolment.pk, {"presented": True}).status_code == 200
    entries = list(AuditEntry.objects.filter(action="presentation.recorded").order_by("id"))
    assert [(e.before["presented"], e.after["presented"]) for e in entries] == [(None, False), (False, True)]


def test_who_may_record(client, bearer, edition, enrolment, other_enrolment, participant, other_teacher, teacher_user):
    closing_session(edition, TODAY)
    assert record(client, bearer(other_teacher), enrolment.pk, {"presented": True}).status_code == 404
    response = record(client, bearer(participant), enrolment.pk, {"presented": True})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert record(client, bearer(participant), other_enrolment.pk, {"presented": True}).status_code == 404
    assert record(client, {}, enrolment.pk, {"presented": True}).status_code == 401
    assert record(client, bearer(teacher_user), 999999, {"presented": True}).status_code == 404
    assert not PresentationSlot.objects.exists()
    assert record(client, bearer(teacher_user), enrolment.pk, {"presented": True}).status_code == 200


def test_cancelled_enrolment_cannot_be_recorded(client, bearer, coordinator, edition, enrolment):
    enrolment.status = EnrolmentStatus.CANCELLED
    enrolment.save()
    assert record(client, bearer(coordinator), enrolment.pk, {"presented": False}).status_code == 409


@pytest.mark.parametrize("body", [{"presented": "yes"}, {"presented": "true"}, {"presented": 1}, {"presented": None}, {}])
def test_bad_bodies(client, bearer, coordinator, edition, enrolment, body):
    closing_session(edition, TODAY)
    response = record(client, bearer(coordinator), enrolment.pk, body)
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["field"] == "presented"
    assert not PresentationSlot.objects.exists()


def test_who_may_see_the_list(client, bearer, edition, enrolment, participant, teacher_user, other_teacher):
    assert client.get(slots_url(edition.pk)).status_code == 401
    assert client.get(slots_url(edition.pk), **bearer(teacher_user)).status_code == 200
    assert client.get(slots_url(edition.pk), **bearer(other_teacher)).status_code == 403
    assert client.get(slots_url(edition.pk), **bearer(participant)).status_code == 403
    assert client.get(slots_url(999999), **bearer(teacher_user)).status_code == 404
    edition.status = "draft"
    edition.save()
    assert client.get(slots_url(edition.pk), **bearer(other_teacher)).status_code == 404


def test_database_keeps_positions_unique_and_records_complete(coordinator, edition, trio):
    slots = presentations.ensure_slots(actor=coordinator, edition_id=edition.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        PresentationSlot.objects.filter(pk=slots[1].pk).update(position=slots[0].position)
    with pytest.raises(IntegrityError), transaction.atomic():
        PresentationSlot.objects.filter(pk=slots[0].pk).update(presented=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PresentationSlot.objects.filter(pk=slots[0].pk).update(position=0)


def test_openapi_declares_the_errors(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    put = paths["/api/v1/enrolments/{enrolment_id}/presentation"]["put"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(put)
    assert put["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert {"200", "401", "403", "404"} <= set(paths["/api/v1/editions/{edition_id}/presentations"]["get"]["responses"])
    assert {"200", "401", "403", "404", "422"} <= set(
        paths["/api/v1/editions/{edition_id}/presentations/order"]["put"]["responses"]
    )
