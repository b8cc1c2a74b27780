"""Pure invoice rules: numbers, amounts, dates, the recipient's details and the texts an invoice carries.

No database access here; services.py applies these inside a transaction.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from leergang.core.errors import Invalid

CENT = Decimal("0.01")
LANGUAGES = ("nl", "en")

# The legal ground of the exemption, in the invoice's language (frozen into the invoice at issue).
VAT_EXEMPTION_NOTE = _("Exempt from VAT under article 11, paragraph 1, sub o, of the Dutch VAT Act 1968 (Wet OB 1968).")
# The invoice line for a place in an edition: programme title and the edition's first day.
PARTICIPATION_LINE = _("Participation in %(programme)s, edition starting %(date)s")
# The invoice line of a cancellation fee: the place's programme and edition, and the day it was cancelled.
CANCELLATION_FEE_LINE = _("Cancellation fee: %(programme)s, edition starting %(date)s, cancelled on %(cancelled)s")

# Recipient (invoice address) keys as services accept them, with their longest allowed length.
RECIPIENT_FIELDS = {
    "organisation": 200,
    "contact_name": 200,
    "address": 200,
    "postal_code": 20,
    "city": 100,
    "email": 254,
    "po_number": 100,
}
REQUIRED_RECIPIENT_FIELDS = ("address", "postal_code", "city")
MAX_REASON_LENGTH = 1000


def invoice_number(year: int, sequence: int) -> str:
    """`2027-0001`: the year and a four-digit (or longer) sequence within it."""
    return f"{year}-{sequence:04d}"


def cents(value: Decimal | int | str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_text(value: Decimal | int | str) -> str:
    """The contract's money format: `"2995.00"`, `"-2995.00"`."""
    return f"{cents(value):.2f}"


def line(description: str, amount: Decimal | int | str) -> dict[str, str]:
    return {"description": description, "amount": amount_text(amount)}


def lines_total(lines: list[dict[str, str]]) -> Decimal:
    return sum((cents(item["amount"]) for item in lines), Decimal("0.00"))


def credited_lines(lines: list[dict[str, str]]) -> list[dict[str, str]]:
    """A credit note's lines: the invoice's own, each with the opposite amount."""
    return [line(item["description"], Decimal("0.00") - cents(item["amount"])) for item in lines]


def due_date(issued_on: datetime.date, term_days: int) -> datetime.date:
    return issued_on + datetime.timedelta(days=term_days)


def money(amount: Decimal | int | str, language: str) -> str:
    """Amounts on the document, always with cents: `€ 2.995,00` (nl), `€2,995.00` (en); minus sign in front."""
    value = cents(amount)
    sign = "\u2212" if value < 0 else ""
    text = f"{abs(value):,.2f}"
    if language == "nl":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
        return f"{sign}€\u00a0{text}"
    return f"{sign}€{text}"


def iban_groups(iban: str) -> str:
    """`NL91 ABNA 0417 1643 00`: the way an IBAN is printed for people."""
    compact = "".join(iban.split()).upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise Invalid(
            _("An invoice is written in Dutch or English."),
            [{"field": "language", "message": str(_("Choose nl or en."))}],
        )
    return language


def clean_recipient(recipient: dict[str, Any]) -> dict[str, str]:
    """The invoice address with every key present (missing and null become ""), trimmed and checked.

    Errors name the field as the API's invoice object does (`invoice.city`).
    """
    if not isinstance(recipient, dict):
        raise Invalid(_("The invoice address is missing."), [{"field": "invoice", "message": str(_("Send an invoice address."))}])
    errors = []
    unknown = sorted(set(recipient) - set(RECIPIENT_FIELDS))
    for key in unknown:
        errors.append({"field": f"invoice.{key}", "message": str(_("This field is not part of an invoice address."))})
    cleaned: dict[str, str] = {}
    for key, max_length in RECIPIENT_FIELDS.items():
        value = recipient.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.append({"field": f"invoice.{key}", "message": str(_("Enter text."))})
            continue
        value = " ".join(value.split())  # one line each: no line breaks or runs of spaces on a document
        if len(value) > max_length:
            errors.append({"field": f"invoice.{key}", "message": str(_("Use at most %(max)s characters.") % {"max": max_length})})
        cleaned[key] = value
    for key in REQUIRED_RECIPIENT_FIELDS:
        if key in cleaned and not cleaned[key]:
            errors.append({"field": f"invoice.{key}", "message": str(_("This field is required."))})
    if not cleaned.get("organisation") and not cleaned.get("contact_name") and "organisation" in cleaned:
        errors.append(
            {"field": "invoice.organisation", "message": str(_("Enter the organisation (or a person) the invoice is for."))}
        )
    if cleaned.get("email"):
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors.append({"field": "invoice.email", "message": str(_("Enter an e-mail address, for example name@example.org."))})
    if errors:
        raise Invalid(_("The invoice address is not complete; see errors for what to change."), errors)
    return cleaned


def clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise Invalid(
            _("The reason is too long."),
            [{"field": "reason", "message": str(_("Use at most %(max)s characters.") % {"max": MAX_REASON_LENGTH})}],
        )
    return reason
