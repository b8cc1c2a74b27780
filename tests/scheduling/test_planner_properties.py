"""Properties of the planner, checked against the rules one date at a time (Hypothesis)."""

import datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from leergang.scheduling import rules

FIRST = datetime.date(2014, 1, 1)
LAST_START = datetime.date(2029, 6, 30)  # leaves room for a plan inside the known period

schedule_rules = st.builds(
    rules.ScheduleRules,
    weekday=st.integers(min_value=0, max_value=6),
    min_gap_days=st.integers(min_value=0, max_value=70),
    holiday_region=st.sampled_from(rules.REGIONS),
)
first_dates = st.dates(min_value=FIRST, max_value=LAST_START)
counts = st.integers(min_value=1, max_value=10)


def planned_or_none(first_date, count, schedule):
    try:
        return rules.plan(first_date, count, schedule)
    except rules.OutsideKnownYears:
        return None


def blocked(day: datetime.date, schedule: rules.ScheduleRules) -> bool:
    """A date no schedule may use: wrong weekday or a holiday."""
    return bool(rules.date_violations(day, schedule))


def days_between(start: datetime.date, end: datetime.date):
    day = start
    while day < end:
        yield day
        day += datetime.timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(first_dates, counts, schedule_rules)
def test_every_plan_passes_the_validator(first_date, count, schedule):
    dates = planned_or_none(first_date, count, schedule)
    assume(dates is not None)
    assert len(dates) == count
    assert dates[0] >= first_date
    assert rules.validate(dates, schedule) == []


@settings(max_examples=300, deadline=None)
@given(first_dates, counts, schedule_rules)
def test_no_valid_schedule_starts_earlier(first_date, count, schedule):
    """Every date from the first date up to the planned start is unusable, so no valid schedule
    (which needs a usable first date) can start earlier."""
    dates = planned_or_none(first_date, count, schedule)
    assume(dates is not None)
    assert all(blocked(day, schedule) for day in days_between(first_date, dates[0]))


@settings(max_examples=300, deadline=None)
@given(first_dates, counts, schedule_rules)
def test_each_date_is_the_earliest_valid_one_after_its_predecessor(first_date, count, schedule):
    dates = planned_or_none(first_date, count, schedule)
    assume(dates is not None)
    gap = datetime.timedelta(days=max(schedule.min_gap_days, 1))
    for previous, day in zip(dates, dates[1:], strict=False):
        assert day - previous >= gap
        assert all(blocked(candidate, schedule) for candidate in days_between(previous + gap, day))
