"""Business actions on programmes and editions. Each is atomic, names its actor and is audited."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from leergang.accounts import permissions
from leergang.core import audit
from leergang.core.errors import Conflict, Invalid, PermissionDenied
from leergang.enrolment.models import Enrolment, EnrolmentStatus

from .models import Edition, Programme

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
]


def _require_manager(actor: Any) -> None:
    if not permissions.can_manage_editions(actor):
        raise PermissionDenied(_("Only the programme office can change editions."))


def seats_taken(edition: Edition) -> int:
    return Enrolment.objects.filter(edition=edition, status=EnrolmentStatus.ENROLLED).count()


def _check_times(edition: Edition) -> None:
    if edition.end_time <= edition.start_time:
        raise Invalid(
            _("The end time must be later than the start time."),
            [{"field": "end_time", "message": str(_("Choose an end time after the start time."))}],
        )


@transaction.atomic
def create_edition(*, actor: Any, programme: Programme, start_date, capacity: int, fee: Decimal, **fields: Any) -> Edition:
    _require_manager(actor)
    edition = Edition(programme=programme, start_date=start_date, capacity=capacity, fee=fee, **fields)
    _check_times(edition)
    edition.full_clean()
    edition.save()
    audit.record(actor=actor, action="edition.created", obj=edition, after=audit.snapshot(edition, EDITION_FIELDS))
    return edition


@transaction.atomic
def update_edition(*, actor: Any, edition_id: int, changes: dict[str, Any]) -> Edition:
    """Change an edition's settings. The row is locked so a capacity check cannot race an admission."""
    _require_manager(actor)
    edition = Edition.objects.select_for_update().get(pk=edition_id)
    before = audit.snapshot(edition, EDITION_FIELDS)
    for name, value in changes.items():
        if name not in EDITION_FIELDS:
            raise Invalid(_("This field cannot be changed."), [{"field": name, "message": str(_("Unknown field."))}])
        setattr(edition, name, value)
    if "capacity" in changes:
        taken = seats_taken(edition)
        if edition.capacity < taken:
            raise Conflict(
                _("The capacity cannot be lower than the %(taken)s seats already taken.") % {"taken": taken},
                [{"field": "capacity", "message": str(_("Choose at least %(taken)s.") % {"taken": taken})}],
            )
    _check_times(edition)
    edition.full_clean()
    edition.save()
    after = audit.snapshot(edition, EDITION_FIELDS)
    if after != before:
        audit.record(actor=actor, action="edition.updated", obj=edition, before=before, after=after)
    return edition
