"""Pure discount rules: how much a code takes off a fee, and whether a code may be used.

No database access here: discounts.py loads the code and counts its uses (under a lock when it
redeems), then asks these rules.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from .rules import CENT, cents

PERCENTAGE = "percentage"
AMOUNT = "amount"

# Why a code is refused, in the order they are checked: first whether the code exists and where it
# applies at all, then when, then whether uses are left (the only reason that needs the lock).
UNKNOWN = "unknown"
INACTIVE = "inactive"
WRONG_PROGRAMME = "wrong_programme"
WRONG_EDITION = "wrong_edition"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
EXHAUSTED = "exhausted"

# What the applicant reads on the discount code field, per reason.
MESSAGES = {
    UNKNOWN: _("We do not know this discount code; check it for typing errors."),
    INACTIVE: _("This discount code can no longer be used."),
    WRONG_PROGRAMME: _("This discount code is not valid for this programme."),
    WRONG_EDITION: _("This discount code is not valid for this edition."),
    NOT_YET_VALID: _("This discount code is not valid yet; you can use it from %(date)s."),
    EXPIRED: _("This discount code has expired."),
    EXHAUSTED: _("This discount code has been used up."),
}

# The invoice line of a discount, in the invoice's language: it names the code that was used.
DISCOUNT_LINE = _("Discount (code %(code)s)")


@dataclass(frozen=True)
class Terms:
    """What a code says about where and when it applies (the DiscountCode's fields)."""

    active: bool = True
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None
    max_uses: int | None = None
    programme_id: int | None = None
    edition_id: int | None = None


def refusal(terms: Terms, *, uses: int, programme_id: int, edition_id: int, on: datetime.date) -> str | None:
    """The reason the code may not be used for this edition (of this programme) on this date, or None.

    Both dates are included in the period; `uses` counts the redemptions so far.
    """
    if not terms.active:
        return INACTIVE
    if terms.programme_id is not None and terms.programme_id != programme_id:
        return WRONG_PROGRAMME
    if terms.edition_id is not None and terms.edition_id != edition_id:
        return WRONG_EDITION
    if terms.valid_from is not None and on < terms.valid_from:
        return NOT_YET_VALID
    if terms.valid_until is not None and on > terms.valid_until:
        return EXPIRED
    if terms.max_uses is not None and uses >= terms.max_uses:
        return EXHAUSTED
    return None


def discount_amount(fee: Decimal | int | str, *, kind: str, value: Decimal | int | str) -> Decimal:
    """What the code takes off `fee`, in cents: a percentage rounded half up, a fixed amount at most
    the fee, so fee minus discount is never below 0.00."""
    fee = cents(fee)
    if fee <= 0:
        return Decimal("0.00")
    value = Decimal(str(value))
    if kind == PERCENTAGE:
        if not Decimal(0) <= value <= Decimal(100):
            raise ValueError(f"a percentage is between 0 and 100: {value}")
        amount = (fee * value / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
    elif kind == AMOUNT:
        if value < 0:
            raise ValueError(f"a discount amount is not negative: {value}")
        amount = cents(value)
    else:
        raise ValueError(f"unknown kind of discount: {kind!r}")
    return min(amount, fee)
