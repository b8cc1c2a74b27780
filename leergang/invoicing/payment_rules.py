"""Pure payment rules: an invoice's status from what was paid, what is still owed, when it is overdue,
and the checks on a payment as it is typed. No database access here; payments.py applies these.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from leergang.core.errors import Invalid

from .models import InvoiceStatus
from .rules import CENT

ZERO = Decimal("0.00")
# The largest amount a Payment can hold (max_digits=11, two decimals).
MAX_AMOUNT = Decimal("999999999.99")
MAX_REFERENCE_LENGTH = 140
# The statuses in which money is still expected on an invoice.
OUTSTANDING = (InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID)


def status_for(*, total: Decimal, paid: Decimal, credited: bool) -> str:
    """An invoice's status: credited wins (nothing is owed any more); paid once the payments reach the
    total; partly paid while something but not all was paid; open otherwise."""
    if credited:
        return InvoiceStatus.CREDITED
    if paid >= total:
        return InvoiceStatus.PAID
    if paid > ZERO:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.OPEN


def still_owed(total: Decimal, paid: Decimal) -> Decimal:
    """What remains to be paid: never below zero."""
    return max(total - paid, ZERO).quantize(CENT)


def is_overdue(*, status: str, due_on: datetime.date, on: datetime.date) -> bool:
    """Open or partly paid, with the due date before `on` (the due date itself is still in time)."""
    return status in OUTSTANDING and due_on < on


def clean_amount(value: Any) -> Decimal:
    """A payment's amount: more than zero, at most two decimals."""
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise _invalid("amount", _("The amount is not valid."), _("Enter an amount such as 2995.00."))
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):
        raise _invalid("amount", _("The amount is not valid."), _("Use at most two decimals."))
    if amount <= 0:
        raise _invalid("amount", _("The amount is not valid."), _("Enter an amount of more than 0.00."))
    if amount > MAX_AMOUNT:
        raise _invalid("amount", _("The amount is not valid."), _("This amount is too large."))
    return amount.quantize(CENT)


def parse_typed_amount(text: str) -> str:
    """An amount as people type it ("1.500,00", "€ 1,500.00", "250") in the notation clean_amount reads:
    the last of "." and "," is the decimal separator, the other one groups thousands."""
    compact = "".join(str(text).replace("€", "").split())
    if "," in compact and "." in compact:
        decimal_mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        compact = compact.replace(group_mark, "").replace(decimal_mark, ".")
    elif "," in compact:
        compact = compact.replace(",", ".")
    return compact


def check_paid_on(paid_on: datetime.date, *, issued_on: datetime.date, today: datetime.date) -> datetime.date:
    """Money arrives between the invoice's date and today."""
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        raise _invalid("paid_on", _("The payment date is not valid."), _("Enter a date as YYYY-MM-DD."))
    if paid_on > today:
        raise _invalid(
            "paid_on",
            _("A payment cannot be recorded for a date in the future."),
            _("Choose today (%(date)s) or earlier.") % {"date": today.isoformat()},
        )
    if paid_on < issued_on:
        raise _invalid(
            "paid_on",
            _("A payment cannot be dated before the invoice."),
            _("Choose %(date)s or later.") % {"date": issued_on.isoformat()},
        )
    return paid_on


def clean_reference(reference: Any) -> str:
    """The bank's reference or a note: one line, at most MAX_REFERENCE_LENGTH characters."""
    if reference is None:
        return ""
    if not isinstance(reference, str):
        raise _invalid("reference", _("The reference is not valid."), _("Enter text."))
    reference = " ".join(reference.split())
    if len(reference) > MAX_REFERENCE_LENGTH:
        raise _invalid(
            "reference",
            _("The reference is too long."),
            _("Use at most %(max)s characters.") % {"max": MAX_REFERENCE_LENGTH},
        )
    return reference


def _invalid(field: str, detail: Any, message: Any) -> Invalid:
    return Invalid(detail, [{"field": field, "message": str(message)}])
