"""Business actions on programmes and editions. Each is atomic, names its actor and is audited."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from leergang.enrolment import selectors as enrolment_selectors

from .models import CancellationFeeKind, Edition, Programme, Session

EDITION_FIELDS = [
    "programme",
    "start_date",
    "status",
    "language",
    "capacity",
    "fee",
    "weekday",
    "start_time",
    "end_time",
    "min_gap_days",
    "holiday_region",
    "location",
    "room",
    "cancellation_free_until",
    "cancellation_fee_kind",
    "cancellation_fee_value",
]


def _require_manager(actor: Any) -> None:
    if not permissions.can_manage_editions(actor):
        raise PermissionDenied(_("Only the programme office can change editions."))


def seats_taken(edition: Edition) -> int:
    return enrolment_selectors.seats_taken(edition.pk)


def _check_times(edition: Edition, changed: set[str] | frozenset[str] = frozenset()) -> None:
    if edition.end_time <= edition.start_time:
        # Name the field the caller changed; when both or neither changed, the end time.
        field = "start_time" if "start_time" in changed and "end_time" not in changed else "end_time"
        message = (
            _("Choose a start time before the end time.")
            if field == "start_time"
            else _("Choose an end time after the start time.")
        )
        raise Invalid(_("The end time must be later than the start time."), [{"field": field, "message": str(message)}])


CENT = Decimal("0.01")


def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
    """Money to cents, so "2995", 2995 and "2995.00" are the same value (and the same in the audit)."""
    for name in ("fee", "cancellation_fee_value"):
        value = fields.get(name)
        if isinstance(value, Decimal) and value.is_finite():
            fields = {**fields, name: value.quantize(CENT) + 0}  # + 0 turns -0.00 into 0.00
    return fields


def _validate(edition: Edition, changed: set[str] | frozenset[str] = frozenset()) -> None:
    """The model's field validation plus the rules its database constraints enforce, without queries:
    Django would check each CheckConstraint (and each foreign key) with a query of its own, which
    callers never need, as they pass model instances for foreign keys."""
    _check_times(edition, changed)
    if edition.fee is not None and edition.fee < 0:
        raise Invalid(_("The fee cannot be negative."), [{"field": "fee", "message": str(_("Enter 0 or more."))}])
    value = edition.cancellation_fee_value
    if value is not None and value < 0:
        raise Invalid(
            _("The cancellation fee cannot be negative."),
            [{"field": "cancellation_fee_value", "message": str(_("Enter 0 or more."))}],
        )
    if edition.cancellation_fee_kind == CancellationFeeKind.PERCENTAGE and value is not None and value > 100:
        raise Invalid(
            _("A cancellation fee in percent cannot be more than 100."),
            [{"field": "cancellation_fee_value", "message": str(_("Enter a percentage from 0 to 100."))}],
        )
    edition.full_clean(exclude=["programme", "room"], validate_constraints=False)


@transaction.atomic
def create_edition(*, actor: Any, programme: Programme, start_date, capacity: int, fee: Decimal, **fields: Any) -> Edition:
    _require_manager(actor)
    fields = _normalise({"fee": fee, **fields})
    edition = Edition(programme=programme, start_date=start_date, capacity=capacity, **fields)
    _validate(edition)
    edition.save()
    audit.record(actor=actor, action="edition.created", obj=edition, after=audit.snapshot(edition, EDITION_FIELDS))
    return edition


@transaction.atomic
def update_edition(*, actor: Any, edition_id: int, changes: dict[str, Any]) -> Edition:
    """Change an edition's settings. The row is locked so a capacity check cannot race an admission.

    Returns the edition with `programme` loaded and `seats_taken` set (counted under the lock), as
    `selectors.with_seats_taken` would; saves and audits only when something really changed."""
    _require_manager(actor)
    edition = (
        Edition.objects.select_for_update(of=("self",))
        .select_related("programme", "room__location")
        .filter(pk=edition_id)
        .first()
    )
    if edition is None:
        raise NotFound(_("There is no edition with this number."))
    before = audit.snapshot(edition, EDITION_FIELDS)
    old_place = edition.place
    changes = _normalise(changes)
    for name, value in changes.items():
        if name not in EDITION_FIELDS:
            raise Invalid(_("This field cannot be changed."), [{"field": name, "message": str(_("Unknown field."))}])
        setattr(edition, name, value)
    edition.seats_taken = seats_taken(edition)
    if "capacity" in changes and edition.capacity < edition.seats_taken:
        raise Conflict(
            _("The capacity cannot be lower than the %(taken)s seats already taken.") % {"taken": edition.seats_taken},
            [{"field": "capacity", "message": str(_("Choose at least %(taken)s.") % {"taken": edition.seats_taken})}],
        )
    _validate(edition, set(changes))
    after = audit.snapshot(edition, EDITION_FIELDS)
    if after != before:
        edition.save()
        audit.record(actor=actor, action="edition.updated", obj=edition, before=before, after=after)
        if edition.place != old_place:
            _tell_about_new_place(edition, old_place)
    return edition


def _tell_about_new_place(edition: Edition, old_place: str) -> None:
    """Coming sessions move with the edition: their calendar entries change and people are told."""
    from leergang.scheduling import notify  # scheduling builds on the catalogue, not the reverse

    today = timezone.localdate()
    Session.objects.filter(edition=edition, date__gte=today).update(calendar_sequence=F("calendar_sequence") + 1)
    notify.upcoming_sessions_moved(edition=edition, today=today, old_place=old_place)
