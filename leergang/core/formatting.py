"""Dates, times and money written the way people write them in each language."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy


def _language() -> str:
    return (get_language() or "nl").split("-")[0]


def money(amount: Decimal | int | str | None) -> str:
    """`€ 2.995` / `€ 2.995,50` in Dutch, `€2,995` / `€2,995.50` in English."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, cents = divmod(abs(value), 1)
    grouped = f"{int(whole):,}"
    sign = "-" if value < 0 else ""
    if _language() == "nl":
        text = grouped.replace(",", ".")
        if cents:
            text += "," + f"{cents:.2f}"[2:]
        return f"{sign}€\u00a0{text}"
    text = grouped
    if cents:
        text += "." + f"{cents:.2f}"[2:]
    return f"{sign}€{text}"


def long_date(value: datetime.date | None, with_weekday: bool = False) -> str:
    """`13 januari 2021` / `13 January 2021`, optionally with the weekday in front."""
    if value is None:
        return ""
    return formats.date_format(value, "l j F Y" if with_weekday else "j F Y")


def hours(minutes: int | None) -> str:
    """Minutes as hours the way people say them: `4`, `1,5` / `1.5`, `0,25` / `0.25` (to two decimals)."""
    if minutes is None:
        return ""
    value = (Decimal(int(minutes)) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    text = f"{value:f}"
    return text.replace(".", ",") if _language() == "nl" else text


def clock(value: datetime.time | None) -> str:
    """`13.30` in Dutch, `13:30` in English."""
    if value is None:
        return ""
    separator = "." if _language() == "nl" else ":"
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def time_range(start: datetime.time | None, end: datetime.time | None) -> str:
    """`13.30–19.30 uur` in Dutch, `13:30–19:30` in English."""
    if start is None or end is None:
        return clock(start or end)
    return gettext("%(start)s–%(end)s") % {"start": clock(start), "end": clock(end)}


# How a weekly rhythm is said: "on Wednesdays" / "op woensdag".
_RECURRING_WEEKDAYS = (
    pgettext_lazy("recurring, as in: sessions on Mondays", "Mondays"),
    pgettext_lazy("recurring, as in: sessions on Tuesdays", "Tuesdays"),
    pgettext_lazy("recurring, as in: sessions on Wednesdays", "Wednesdays"),
    pgettext_lazy("recurring, as in: sessions on Thursdays", "Thursdays"),
    pgettext_lazy("recurring, as in: sessions on Fridays", "Fridays"),
    pgettext_lazy("recurring, as in: sessions on Saturdays", "Saturdays"),
    pgettext_lazy("recurring, as in: sessions on Sundays", "Sundays"),
)


def recurring_weekday(index: int) -> str:
    return str(_RECURRING_WEEKDAYS[index])


def session_rhythm(count: int, weekday: int, start: datetime.time | None, end: datetime.time | None) -> str:
    """`7 bijeenkomsten op woensdag, 13.30–19.30 uur` / `7 sessions on Wednesdays, 13:30–19:30`."""
    values = {"count": count, "weekdays": recurring_weekday(weekday), "times": time_range(start, end)}
    return (
        ngettext(
            "%(count)s session, %(times)s",
            "%(count)s sessions on %(weekdays)s, %(times)s",
            count,
        )
        % values
    )
