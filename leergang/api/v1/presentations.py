"""Presentations at the closing session (M15): the order of the slots and who presented. No business logic here."""

import datetime

from ninja import Router, Schema
from pydantic import StrictBool

from leergang.learning import presentations

from .auth import bearer, coordinator_bearer
from .schemas import ErrorOut, WholeNumber

router = Router(tags=["presentation"])


class PresentationIn(Schema):
    # A JSON boolean only: pydantic would otherwise read "yes", "true" or 1 as true.
    presented: StrictBool


class PresentationOut(Schema):
    presented: bool | None
    recorded_at: datetime.datetime | None
    position: int | None


class SlotOut(Schema):
    position: int
    enrolment_id: int
    name: str
    presented: bool | None


class OrderIn(Schema):
    enrolment_ids: list[WholeNumber]


def _slots(slots) -> list[dict]:
    return [
        {
            "position": slot.position,
            "enrolment_id": slot.enrolment_id,
            "name": slot.enrolment.participant.get_full_name(),
            "presented": slot.presented,
        }
        for slot in slots
    ]


@router.put(
    "/enrolments/{enrolment_id}/presentation",
    response={200: PresentationOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary=(
        "Record whether the participant presented at the closing session (the edition's teachers, coordinator); "
        "`true` only once the closing session's date has come (409 before it or without a closing session)"
    ),
)
def record(request, enrolment_id: int, payload: PresentationIn):
    slot = presentations.record_presentation(actor=request.user, enrolment_id=enrolment_id, presented=payload.presented)
    return {"presented": slot.presented, "recorded_at": slot.recorded_at, "position": slot.position}


@router.get(
    "/editions/{edition_id}/presentations",
    response={200: list[SlotOut], 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=bearer,
    summary=(
        "The presentation slots of the closing session in order, one per enrolled participant "
        "(the edition's teachers, coordinator); new participants are appended in name order"
    ),
)
def list_slots(request, edition_id: int):
    return _slots(presentations.ensure_slots(actor=request.user, edition_id=edition_id))


@router.put(
    "/editions/{edition_id}/presentations/order",
    response={200: list[SlotOut], 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=coordinator_bearer,
    summary=(
        "Change the order of the presentations (coordinator): `enrolment_ids` names every enrolled participant "
        "of the edition exactly once (422 otherwise, nothing changed)"
    ),
)
def reorder(request, edition_id: int, payload: OrderIn):
    slots = presentations.reorder_slots(actor=request.user, edition_id=edition_id, enrolment_ids=payload.enrolment_ids)
    return _slots(slots)
