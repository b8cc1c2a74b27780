"""Scheduling rules, pure Python (no ORM): Dutch school and public holidays, the validator, the planner.

Holiday data comes from the `holidays` package. A date in a year for which it knows no Dutch
school holidays is refused (`OutsideKnownYears`) rather than planned blindly.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _

REGIONS = ("noord", "midden", "zuid")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RULE_WEEKDAY = "weekday"
RULE_MIN_GAP = "min_gap"
RULE_SCHOOL_HOLIDAY = "school_holiday"
RULE_PUBLIC_HOLIDAY = "public_holiday"

_SUBDIVISION = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}
_PROBE_YEARS = range(1990, 2101)


@dataclass(frozen=True)
class Violation:
    date: datetime.date
    rule: str
    message: str


class OutsideKnownYears(ValueError):
    """A date lies in a year for which the school holidays are not known."""


@dataclass(frozen=True)
class ScheduleRules:
    weekday: int = 2  # Monday is 0: Wednesday
    min_gap_days: int = 28
    holiday_region: str = "noord"


@lru_cache(maxsize=1)
def known_years() -> tuple[int, int]:
    """First and last year for which the `holidays` package knows Dutch school holidays."""
    years = [year for year in _PROBE_YEARS if holidays.country_holidays("NL", subdiv="Noord", years=year, categories=("school",))]
    return years[0], years[-1]


def ensure_known(day: datetime.date) -> None:
    first, last = known_years()
    if not first <= day.year <= last:
        raise OutsideKnownYears(
            _("School holidays are only known from %(first)s to %(last)s; %(date)s lies outside that range.")
            % {"first": first, "last": last, "date": day.isoformat()}
        )


@lru_cache(maxsize=256)
def _school_holidays(region: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", subdiv=_SUBDIVISION[region], years=year, categories=("school",))


@lru_cache(maxsize=256)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def school_holiday(day: datetime.date, region: str) -> str | None:
    """The name of the school holiday on `day` in `region`, or None."""
    return _school_holidays(region, day.year).get(day)


def public_holiday(day: datetime.date) -> str | None:
    return _public_holidays(day.year).get(day)


def weekday_name(index: int) -> str:
    return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")][index]


def date_violations(day: datetime.date, rules: ScheduleRules) -> list[Violation]:
    """Violations of the rules that concern one date on its own."""
    ensure_known(day)
    found = []
    if day.weekday() != rules.weekday:
        found.append(
            Violation(
                day,
                RULE_WEEKDAY,
                _("%(date)s is a %(actual)s; sessions of this edition are on %(expected)s.")
                % {"date": day.isoformat(), "actual": weekday_name(day.weekday()), "expected": weekday_name(rules.weekday)},
            )
        )
    name = school_holiday(day, rules.holiday_region)
    if name:
        found.append(
            Violation(
                day,
                RULE_SCHOOL_HOLIDAY,
                _("%(date)s falls in the school holidays (%(name)s, region %(region)s); choose a date outside them.")
                % {"date": day.isoformat(), "name": name, "region": rules.holiday_region},
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


def validate(dates: list[datetime.date], rules: ScheduleRules) -> list[Violation]:
    """Every violation of a proposed schedule, in date order, each with its rule and a message."""
    found: list[Violation] = []
    ordered = sorted(dates)
    for day in ordered:
        found.extend(date_violations(day, rules))
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
    found.sort(key=lambda v: (v.date, v.rule))
    return found


def _next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def plan(first_date: datetime.date, count: int, rules: ScheduleRules) -> list[datetime.date]:
    """The earliest valid dates: the first on or after `first_date`, each next one at least the gap later.

    Greedy earliest choice is optimal here: taking an earlier valid date never makes a later
    one unreachable, because every constraint only pushes later dates further out.
    Raises OutsideKnownYears when the plan would run past the known years.
    """
    dates: list[datetime.date] = []
    candidate = _next_weekday(first_date, rules.weekday)
    while len(dates) < count:
        if dates:
            earliest = dates[-1] + datetime.timedelta(days=max(rules.min_gap_days, 1))
            candidate = _next_weekday(max(candidate, earliest), rules.weekday)
        ensure_known(candidate)
        if school_holiday(candidate, rules.holiday_region) or public_holiday(candidate):
            candidate += datetime.timedelta(days=7)
            continue
        dates.append(candidate)
    return dates
