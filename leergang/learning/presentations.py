"""Presentations at the closing session (M15): one slot per enrolled participant, in an order the
programme office may change, and whether each participant presented. Atomic, actor explicit, audited (R8).

Lock order (as everywhere that touches an edition's participants): the edition's row first, then the
enrolment, then the slot.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.catalog.models import Edition, Session, SessionKind
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from . import permissions as learning_permissions
from .models import PresentationSlot

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RECORD_FIELDS = ["enrolment", "presented", "recorded_at", "recorded_by"]
# Case-insensitive, so "de Jong" sorts between "Bakker" and "Visser".
PAGE_EDITION_FIELDS = ("start_date", "status", "programme_id", "programme__title_nl", "programme__title_en")
# What the slots show of their enrolments: the participant's name.
SLOT_ENROLMENT_FIELDS = ("edition_id", "status", "participant__first_name", "participant__last_name", "participant__email")
NAME_ORDER = [Lower("participant__last_name"), Lower("participant__first_name"), "pk"]


def _edition_for(actor: Any, edition_id: int, *, lock: bool = True) -> Edition:
    """The edition, locked (else with its programme, for a page), for its teachers and the programme
    office; 404 when its existence is private to the caller, 403 when it is public but not theirs."""
    # For a page: only what it shows of the edition and its programme (not the programme's 28 columns).
    editions = (
        Edition.objects.select_for_update() if lock else Edition.objects.select_related("programme").only(*PAGE_EDITION_FIELDS)
    )
    edition = editions.filter(pk=edition_id).order_by().first()
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    if learning_permissions.is_staff_of(actor, edition):
        return edition
    if not permissions.can_view_edition(actor, edition):
        raise NotFound(_("There is no edition with this number."))
    raise PermissionDenied(_("Only a teacher of this edition or the programme office can see the presentations."))


def _order(slots: list[PresentationSlot]) -> list[int]:
    return [slot.enrolment_id for slot in slots]


def _write_order(edition: Edition, ordered: list[PresentationSlot], dropped: list[PresentationSlot]) -> None:
    """Number `ordered` 1, 2, ... and take `dropped` out of the order. Positions that change are
    emptied first, so the unique (edition, position) constraint holds after every statement."""
    changed = [slot for number, slot in enumerate(ordered, start=1) if slot.position != number]
    stale = [slot.pk for slot in changed if slot.pk] + [slot.pk for slot in dropped]
    if stale:
        PresentationSlot.objects.filter(pk__in=stale).update(position=None, updated_at=timezone.now())
    for slot in dropped:
        slot.position = None
    for number, slot in enumerate(ordered, start=1):
        slot.position = number
    existing = [slot for slot in changed if slot.pk]
    if existing:
        # bulk_update() leaves auto_now alone: the stamp of the participants' overviews needs it.
        now = timezone.now()
        for slot in existing:
            slot.updated_at = now
        PresentationSlot.objects.bulk_update(existing, ["position", "updated_at"])
    new = [slot for slot in changed if not slot.pk]
    if new:
        PresentationSlot.objects.bulk_create(new)


@dataclass(frozen=True)
class _Plan:
    current: list[PresentationSlot]  # the slots with a place, in order
    ordered: list[PresentationSlot]  # the order the slots should have
    dropped: list[PresentationSlot]  # slots with a place whose participant is no longer enrolled

    @property
    def changes(self) -> bool:
        return bool(self.dropped) or [slot.position for slot in self.ordered] != list(range(1, len(self.ordered) + 1))


def _plan(edition: Edition) -> _Plan:
    """How the slots should be to match the enrolled participants (two queries): the existing order
    stays, new participants are appended in name order, cancelled ones drop out."""
    # Unordered (sorted below): the model's default order joins the edition for nothing.
    slots = list(PresentationSlot.objects.filter(edition=edition).order_by())
    enrolled = list(
        Enrolment.objects.filter(edition=edition, status=EnrolmentStatus.ENROLLED)
        .select_related("participant")
        .order_by(*NAME_ORDER)
        .only(*SLOT_ENROLMENT_FIELDS)
    )
    enrolled_by_id = {enrolment.pk: enrolment for enrolment in enrolled}
    enrolled_ids = enrolled_by_id.keys()
    by_enrolment = {slot.enrolment_id: slot for slot in slots}
    # The enrolments (with their participants) just read serve the slots that stay in the order,
    # rather than a second copy joined into the slots' query; dropped slots need only enrolment_id.
    for slot in slots:
        enrolment = enrolled_by_id.get(slot.enrolment_id)
        if enrolment is not None:
            slot.enrolment = enrolment

    current = sorted((slot for slot in slots if slot.position is not None), key=lambda slot: slot.position)
    kept = [slot for slot in current if slot.enrolment_id in enrolled_ids]
    dropped = [slot for slot in current if slot.enrolment_id not in enrolled_ids]
    kept_ids = {slot.enrolment_id for slot in kept}
    appended = [
        by_enrolment.get(enrolment.pk) or PresentationSlot(enrolment=enrolment, edition=edition)
        for enrolment in enrolled
        if enrolment.pk not in kept_ids
    ]
    return _Plan(current, kept + appended, dropped)


def _sync(actor: Any, edition: Edition) -> list[PresentationSlot]:
    """Bring the slots in line with the enrolled participants (the edition must be locked)."""
    plan = _plan(edition)
    if plan.changes:
        before = _order(plan.current)
        _write_order(edition, plan.ordered, plan.dropped)
        audit.record(
            actor=actor,
            action="presentation.slots_updated",
            obj=edition,
            before={"order": before},
            after={"order": _order(plan.ordered)},
        )
    return plan.ordered


def edition_slots(*, actor: Any, edition_id: int) -> tuple[Edition, list[PresentationSlot]]:
    """The edition (with its programme) and its presentation slots in order, one per enrolled
    participant (the edition's teachers and the programme office). Slots already in order, as at
    every look but the first after a change of participants, are only read: no lock, no
    transaction. Otherwise the edition is locked and missing slots are appended in name order."""
    edition = _edition_for(actor, edition_id, lock=False)
    plan = _plan(edition)
    if not plan.changes:
        return edition, plan.ordered
    with transaction.atomic():
        return edition, _sync(actor, _edition_for(actor, edition_id))


def ensure_slots(*, actor: Any, edition_id: int) -> list[PresentationSlot]:
    """The edition's presentation slots in order, as `edition_slots`."""
    return edition_slots(actor=actor, edition_id=edition_id)[1]


def reorder_slots(*, actor: Any, edition_id: int, enrolment_ids: list[int]) -> list[PresentationSlot]:
    """Put the slots in the given order (the programme office). The list must name every enrolled
    participant of the edition exactly once."""
    if not permissions.is_coordinator(actor):
        raise PermissionDenied(_("Only the programme office can change the order of the presentations."))
    with transaction.atomic():
        edition = _edition_for(actor, edition_id)
        return _reorder(actor, edition, _sync(actor, edition), enrolment_ids)


def _reorder(actor: Any, edition: Edition, slots: list[PresentationSlot], enrolment_ids: list[int]) -> list[PresentationSlot]:
    """`reorder_slots` for an edition already locked and its slots already in line (`_sync`)."""
    by_enrolment = {slot.enrolment_id: slot for slot in slots}
    if len(set(enrolment_ids)) != len(enrolment_ids):
        message = _("Name every participant only once.")
        raise Invalid(message, [{"field": "enrolment_ids", "message": message}])
    if set(enrolment_ids) != set(by_enrolment):
        message = _("Give exactly the enrolled participants of this edition, each once, in the new order.")
        raise Invalid(message, [{"field": "enrolment_ids", "message": message}])
    before = _order(slots)
    if before == list(enrolment_ids):
        return slots
    ordered = [by_enrolment[enrolment_id] for enrolment_id in enrolment_ids]
    _write_order(edition, ordered, [])
    audit.record(
        actor=actor,
        action="presentation.reordered",
        obj=edition,
        before={"order": before},
        after={"order": _order(ordered)},
    )
    return ordered


def closing_date(edition: Edition):
    """The date of the edition's closing session (the last one if there are several), or None."""
    return (
        Session.objects.filter(edition=edition, kind=SessionKind.CLOSING).order_by("-date").values_list("date", flat=True).first()
    )


def record_presentation(*, actor: Any, enrolment_id: int, presented: bool) -> PresentationSlot:
    """Record whether the participant presented (a teacher of the edition or the programme office).
    `True` only once the closing session's date has come (Europe/Amsterdam); `False` at any time."""
    if not isinstance(presented, bool):
        message = _("Choose true or false.")
        raise Invalid(message, [{"field": "presented", "message": message}])
    with transaction.atomic():
        enrolment = Enrolment.objects.select_related("edition").filter(pk=enrolment_id).order_by().first()
        if enrolment is None:
            raise NotFound(_("There is no enrolment with this number."))
        # Who runs the edition records; the participant, who may see their enrolment, is refused;
        # anyone else learns nothing (as can_view_enrolment, with the teacher asked only once).
        if not learning_permissions.is_staff_of(actor, enrolment.edition):
            if getattr(actor, "is_authenticated", False) and enrolment.participant_id == actor.pk:
                raise PermissionDenied(_("Only a teacher of this edition or the programme office can record the presentation."))
            raise NotFound(_("There is no enrolment with this number."))
        edition = Edition.objects.select_for_update().get(pk=enrolment.edition_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.ENROLLED:
            raise Conflict(_("This enrolment was cancelled; no presentation can be recorded for it."))
        if presented:
            day = closing_date(edition)
            if day is None:
                raise Conflict(_("This edition has no closing session, so no presentation can be recorded as given."))
            if day > timezone.localdate(timezone=AMSTERDAM):
                raise Conflict(
                    _("The closing session has not taken place yet; a presentation can be recorded as given from its date on.")
                )

        # order_by(): the model's default order would join the edition to sort a single row.
        slot = PresentationSlot.objects.select_for_update().filter(enrolment=enrolment).order_by().first()
        if slot is None or slot.position is None:
            _sync(actor, edition)
            slot = PresentationSlot.objects.select_for_update().order_by().get(enrolment=enrolment)
        before = audit.snapshot(slot, RECORD_FIELDS)
        slot.presented = presented
        slot.recorded_at = timezone.now()
        slot.recorded_by = actor
        slot.save(update_fields=["presented", "recorded_at", "recorded_by", "updated_at"])
        audit.record(
            actor=actor, action="presentation.recorded", obj=slot, before=before, after=audit.snapshot(slot, RECORD_FIELDS)
        )
    return slot


def recording_open(day: datetime.date | None, today: datetime.date | None = None) -> bool:
    """Whether the presentations page offers recording: from the closing session's date `day` on
    (Europe/Amsterdam); never without a closing session."""
    return day is not None and day <= (today or timezone.localdate(timezone=AMSTERDAM))


MOVE_UP = "up"
MOVE_DOWN = "down"


def move_slot(*, actor: Any, edition_id: int, enrolment_id: int, direction: str) -> list[PresentationSlot]:
    """Move one participant a place up or down in the order (the programme office), through
    `reorder_slots`. At the top or the bottom nothing changes."""
    if direction not in (MOVE_UP, MOVE_DOWN):
        message = _("Choose up or down.")
        raise Invalid(message, [{"field": "direction", "message": message}])
    if not permissions.is_coordinator(actor):
        raise PermissionDenied(_("Only the programme office can change the order of the presentations."))
    with transaction.atomic():
        edition = _edition_for(actor, edition_id)
        slots = _sync(actor, edition)
        order = _order(slots)
        if enrolment_id not in order:
            raise NotFound(_("This participant is not in the order of presentations."))
        index = order.index(enrolment_id)
        other = index - 1 if direction == MOVE_UP else index + 1
        if not 0 <= other < len(order):
            return slots
        order[index], order[other] = order[other], order[index]
        # The edition is locked and the slots in line already: no second lock, read or savepoint.
        return _reorder(actor, edition, slots, order)
