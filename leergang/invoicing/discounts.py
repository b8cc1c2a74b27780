"""Discount codes at registration: checking a typed code against an edition, and redeeming it.

A code's use counts from the moment the application it was typed on is stored (whatever is decided
on the application later). `redeem` runs inside the registration's transaction and locks the code's
row before it counts the uses, so two registrations taking the last use at the same moment are served
one after the other: the second is refused, and its application is rolled back with it.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from leergang.core import audit, sql_rows
from leergang.core.errors import Invalid
from leergang.core.formatting import long_date

from . import discount_rules
from .models import DiscountCode, DiscountRedemption

FIELD = "discount_code"
AUDIT_FIELDS = [
    "code",
    "description",
    "kind",
    "value",
    "valid_from",
    "valid_until",
    "max_uses",
    "programme",
    "edition",
    "active",
]


class CodeRefused(Invalid):
    """A code that cannot be used: a field error on `discount_code` (422 at the API)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message, [{"field": FIELD, "message": message}])
        self.reason = reason


def normalise(code: str | None) -> str:
    """As codes are stored: capitals, without any spaces (`" vroeg 2021 "` is `VROEG2021`)."""
    return "".join((code or "").split()).upper()


def _refused(reason: str, discount: DiscountCode | None = None) -> CodeRefused:
    message = discount_rules.MESSAGES[reason]
    if reason == discount_rules.NOT_YET_VALID and discount is not None:
        message = message % {"date": long_date(discount.valid_from)}
    return CodeRefused(reason, str(message))


def _terms(discount: DiscountCode) -> discount_rules.Terms:
    return discount_rules.Terms(
        active=discount.active,
        valid_from=discount.valid_from,
        valid_until=discount.valid_until,
        max_uses=discount.max_uses,
        programme_id=discount.programme_id,
        edition_id=discount.edition_id,
    )


def _check(discount: DiscountCode | None, *, edition: Any, today: datetime.date) -> DiscountCode:
    if discount is None:
        raise _refused(discount_rules.UNKNOWN)
    uses = discount.redemptions.count() if discount.max_uses is not None else 0
    reason = discount_rules.refusal(
        _terms(discount), uses=uses, programme_id=edition.programme_id, edition_id=edition.pk, on=today
    )
    if reason is not None:
        raise _refused(reason, discount)
    return discount


def _lookup(code: str):
    # Codes are stored in capitals; matching regardless of case also finds one entered otherwise.
    return DiscountCode.objects.filter(code__iexact=normalise(code))


def check_code(*, code: str, edition: Any, today: datetime.date | None = None) -> DiscountCode:
    """The discount code `code` (as typed) if it may be used for `edition` today; CodeRefused
    (an Invalid naming the field `discount_code`) with a message for the applicant otherwise."""
    if not normalise(code):
        raise _refused(discount_rules.UNKNOWN)
    return _check(_lookup(code).first(), edition=edition, today=today or timezone.localdate())


@transaction.atomic
def redeem(*, code: str, application: Any, today: datetime.date | None = None) -> DiscountRedemption:
    """Use `code` for `application` (already saved, in the caller's transaction): the code's row is
    locked and every check repeated under the lock, so the last use is taken only once."""
    if not normalise(code):
        raise _refused(discount_rules.UNKNOWN)
    discount = _check(
        _lookup(code).select_for_update().first(),
        edition=application.edition,
        today=today or timezone.localdate(),
    )
    redemption = DiscountRedemption.objects.create(discount=discount, application=application, redeemed_at=timezone.now())
    audit.record(
        actor=None,
        action="discount_code.redeemed",
        obj=discount,
        after={"code": discount.code, "application": application.pk, "redemption": redemption.pk},
    )
    return redemption


def redemption_for(application_id: int) -> DiscountRedemption | None:
    """The code redeemed with an application, with the code (at most one: one per application).
    Read as SQL (core.sql_rows): it is part of every invoice a change of plan issues."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(DiscountRedemption)} r JOIN {sql_rows.table(DiscountCode)} c ON c."id" = r."discount_id" '
        'WHERE r."application_id" = %s',
        [application_id],
        ((DiscountRedemption, "r"), (DiscountCode, "c")),
    )
    if not rows:
        return None
    redemption, redemption.discount = rows[0]
    return redemption


def amount_for(redemption: DiscountRedemption, fee: Decimal) -> Decimal:
    """What the redeemed code takes off `fee` (the code's kind and value at the time of the invoice)."""
    discount = redemption.discount
    return discount_rules.discount_amount(fee, kind=discount.kind, value=discount.value)


def record_saved(*, actor: Any, discount: DiscountCode, before: dict | None) -> None:
    """Audit a code added or changed by the programme office (the admin saves it; this records it)."""
    audit.record(
        actor=actor,
        action="discount_code.changed" if before else "discount_code.created",
        obj=discount,
        before=before,
        after=audit.snapshot(DiscountCode.objects.get(pk=discount.pk), AUDIT_FIELDS),  # as stored (15 -> 15.00)
    )
