"""Pure cancellation terms (M7): what cancelling a place costs on a given day, and how the terms read.

An edition's terms: free up to and including `free_until`; after that a fee, a percentage of what
was invoiced for the place or a fixed amount. Without a date the fee applies from the start; a fee
of 0 means cancelling is always free. The fee never exceeds what was invoiced (a place invoiced at
0.00, or not invoiced at all, is free to cancel). No database access here.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from leergang.core.formatting import long_date, money

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
PERCENTAGE = "percentage"
AMOUNT = "amount"


@dataclass(frozen=True)
class Terms:
    free_until: datetime.date | None
    fee_kind: str
    fee_value: Decimal

    @classmethod
    def of(cls, edition) -> "Terms":
        return cls(edition.cancellation_free_until, edition.cancellation_fee_kind, Decimal(edition.cancellation_fee_value))

    @property
    def has_fee(self) -> bool:
        return self.fee_value > 0


def is_free(terms: Terms, on: datetime.date) -> bool:
    return not terms.has_fee or (terms.free_until is not None and on <= terms.free_until)


def fee(terms: Terms, *, invoiced: Decimal, on: datetime.date) -> Decimal:
    """What cancelling on `on` costs, for a place invoiced at `invoiced` (0.00 when free)."""
    invoiced = max(Decimal(invoiced), ZERO)
    if is_free(terms, on) or invoiced == 0:
        return ZERO
    amount = invoiced * terms.fee_value / Decimal(100) if terms.fee_kind == PERCENTAGE else terms.fee_value
    return min(amount, invoiced).quantize(CENT, rounding=ROUND_HALF_UP)


def _fee_text(terms: Terms) -> str:
    if terms.fee_kind == PERCENTAGE:
        number = f"{terms.fee_value.normalize():f}"
        if (translation.get_language() or "nl").startswith("nl"):
            number = number.replace(".", ",")
        return _("%(percentage)s%% of the invoiced amount") % {"percentage": number}
    return money(terms.fee_value)


def summary(terms: Terms) -> str:
    """One sentence for the programme page, the registration form and the cancel page (active language)."""
    if not terms.has_fee:
        return _("Cancelling is free of charge.")
    if terms.free_until is None:
        return _("Cancelling costs %(fee)s.") % {"fee": _fee_text(terms)}
    return _("Cancelling is free of charge until and including %(date)s; after that it costs %(fee)s.") % {
        "date": long_date(terms.free_until),
        "fee": _fee_text(terms),
    }
