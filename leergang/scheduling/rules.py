"""Scheduling rules, pure Python (no ORM): Dutch school and public holidays, the validator, the planner.

Holiday data comes from the `holidays` package. School holidays are known from the first year the
package covers up to the end of the last summer holiday it lists for the region: after that the
next school year's autumn break is not published yet, so such a date is refused
(`OutsideKnownYears`) rather than planned blindly.

Messages are translated with the active language (callers wrap calls in `translation.override`).
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

REGIONS = ("noord", "midden", "zuid")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RULE_WEEKDAY = "weekday"
RULE_MIN_GAP = "min_gap"
RULE_SCHOOL_HOLIDAY = "school_holiday"
RULE_PUBLIC_HOLIDAY = "public_holiday"
RULES = (RULE_WEEKDAY, RULE_MIN_GAP, RULE_SCHOOL_HOLIDAY, RULE_PUBLIC_HOLIDAY)

_SUBDIVISION = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}
_PROBE_YEARS = range(1990, 2101)
_SUMMER = "Summer Break"


@dataclass(frozen=True)
class Violation:
    date: datetime.date
    rule: str
    message: str

    def as_dict(self) -> dict:
        return {"date": self.date, "rule": self.rule, "message": self.message}


class OutsideKnownYears(ValueError):
    """A date lies outside the period for which the school holidays are known."""


@dataclass(frozen=True)
class ScheduleRules:
    weekday: int = 2  # Monday is 0: Wednesday
    min_gap_days: int = 28
    holiday_region: str = "noord"


def _holiday_language() -> str:
    return "nl" if (get_language() or "nl").startswith("nl") else "en_US"


@lru_cache(maxsize=8)
def known_range(region: str) -> tuple[datetime.date, datetime.date]:
    """First and last day for which the school holidays of `region` are known."""
    years = [
        year
        for year in _PROBE_YEARS
        if holidays.country_holidays("NL", subdiv=_SUBDIVISION[region], years=year, categories=("school",))
    ]
    data = holidays.country_holidays("NL", subdiv=_SUBDIVISION[region], years=years, categories=("school",), language="en_US")
    last_summer_day = max(day for day, name in data.items() if _SUMMER in name)
    return datetime.date(years[0], 1, 1), last_summer_day


def known_years() -> tuple[int, int]:
    """The years (first, last) for which some school holidays are known, in every region."""
    ranges = [known_range(region) for region in REGIONS]
    return max(r[0] for r in ranges).year, min(r[1] for r in ranges).year


def is_known(day: datetime.date, region: str) -> bool:
    first, last = known_range(region)
    return first <= day <= last


def ensure_known(day: datetime.date, region: str) -> None:
    if not is_known(day, region):
        first, last = known_range(region)
        raise OutsideKnownYears(
            _(
                "School holidays are only known from %(first)s to %(last)s; %(date)s lies outside that period, "
                "so it cannot be checked."
            )
            % {"first": first.isoformat(), "last": last.isoformat(), "date": day.isoformat()}
        )


@lru_cache(maxsize=512)
def _school_holidays(region: str, year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", subdiv=_SUBDIVISION[region], years=year, categories=("school",), language=language)


@lru_cache(maxsize=256)
def _public_holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language=language)


def school_holiday(day: datetime.date, region: str) -> str | None:
    """The name of the school holiday on `day` in `region`, or None."""
    return _school_holidays(region, day.year, _holiday_language()).get(day)


def public_holiday(day: datetime.date) -> str | None:
    return _public_holidays(day.year, _holiday_language()).get(day)


def weekday_name(index: int) -> str:
    names = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]
    return names[index]


def _region_name(region: str) -> str:
    return {"noord": _("North"), "midden": _("Middle"), "zuid": _("South")}[region]


def date_violations(day: datetime.date, rules: ScheduleRules, *, check_holidays: bool = True) -> list[Violation]:
    """Violations of the rules that concern one date on its own."""
    found = []
    if day.weekday() != rules.weekday:
        found.append(
            Violation(
                day,
                RULE_WEEKDAY,
                _("%(date)s is a %(actual)s; sessions of this edition are on %(expected)s.")
                % {
                    "date": day.isoformat(),
                    "actual": weekday_name(day.weekday()),
                    "expected": weekday_name(rules.weekday),
                },
            )
        )
    if not check_holidays:
        return found
    name = school_holiday(day, rules.holiday_region)
    if name:
        found.append(
            Violation(
                day,
                RULE_SCHOOL_HOLIDAY,
                _("%(date)s falls in the %(name)s (region %(region)s); choose a date outside the school holidays.")
                % {"date": day.isoformat(), "name": name, "region": _region_name(rules.holiday_region)},
            )
        )
    name = public_holiday(day)
    if name:
        found.append(
            Violation(
                day,
                RULE_PUBLIC_HOLIDAY,
                _("%(date)s is a public holiday (%(name)s); choose another date.") % {"date": day.isoformat(), "name": name},
            )
        )
    return found


def validate(dates: list[datetime.date], rules: ScheduleRules, *, allow_unknown: bool = False) -> list[Violation]:
    """Every violation of a proposed schedule, in date order, each with its rule and a message.

    A date outside the known holiday period raises OutsideKnownYears, unless `allow_unknown`
    (imports of old schedules): then only its weekday and gap are checked.
    """
    ordered = sorted(dates)
    if not allow_unknown:
        for day in ordered:
            ensure_known(day, rules.holiday_region)
    found: list[Violation] = []
    for day in ordered:
        found.extend(date_violations(day, rules, check_holidays=is_known(day, rules.holiday_region)))
    for previous, day in itertools.pairwise(ordered):
        gap = (day - previous).days
        if gap < rules.min_gap_days:
            found.append(
                Violation(
                    day,
                    RULE_MIN_GAP,
                    _("%(date)s is %(gap)s days after the previous session (%(previous)s); at least %(min)s days are needed.")
                    % {"date": day.isoformat(), "gap": gap, "previous": previous.isoformat(), "min": rules.min_gap_days},
                )
            )
    found.sort(key=lambda v: (v.date, RULES.index(v.rule)))
    return found


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _free(day: datetime.date, region: str) -> bool:
    return not (_school_holidays(region, day.year, "en_US").get(day) or _public_holidays(day.year, "en_US").get(day))


def plan(first_date: datetime.date, count: int, rules: ScheduleRules) -> list[datetime.date]:
    """The earliest valid dates: the first on or after `first_date`, each next one at least the gap later.

    Taking the earliest valid date at every step is optimal: an earlier date never makes a later
    one unreachable, because every rule only pushes later dates further out.
    Raises OutsideKnownYears when the plan would need a date outside the known period.
    """
    step = datetime.timedelta(days=7)
    dates: list[datetime.date] = []
    candidate = _next_weekday(first_date, rules.weekday)
    while len(dates) < count:
        ensure_known(candidate, rules.holiday_region)
        if _free(candidate, rules.holiday_region):
            dates.append(candidate)
            earliest = candidate + datetime.timedelta(days=max(rules.min_gap_days, 1))
            candidate = _next_weekday(earliest, rules.weekday)
        else:
            candidate += step
    return dates
