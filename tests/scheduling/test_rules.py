"""The scheduling rules as pure functions (no database)."""

import datetime

import pytest

from leergang.scheduling import rules

SEED_2021 = [
    datetime.date(2021, 1, 13),
    datetime.date(2021, 2, 10),
    datetime.date(2021, 3, 24),
    datetime.date(2021, 4, 21),
    datetime.date(2021, 6, 9),
    datetime.date(2021, 9, 15),
    datetime.date(2021, 10, 13),
]


@pytest.mark.parametrize("region", rules.REGIONS)
def test_seed_schedule_is_valid_in_every_region(region):
    assert rules.validate(SEED_2021, rules.ScheduleRules(holiday_region=region)) == []


def test_wrong_weekday_is_a_violation():
    found = rules.validate([datetime.date(2021, 1, 14)], rules.ScheduleRules())
    assert [(v.date, v.rule) for v in found] == [(datetime.date(2021, 1, 14), "weekday")]


def test_too_short_gap_is_a_violation():
    found = rules.validate([datetime.date(2021, 1, 13), datetime.date(2021, 2, 3)], rules.ScheduleRules())
    assert [(v.date, v.rule) for v in found] == [(datetime.date(2021, 2, 3), "min_gap")]
    assert "21" in found[0].message and "28" in found[0].message


def test_school_holiday_is_a_violation_in_its_region_only():
    # 2021-02-17: spring break in the south (13-21 Feb), not in the north (20-28 Feb).
    day = [datetime.date(2021, 2, 17)]
    assert [v.rule for v in rules.validate(day, rules.ScheduleRules(holiday_region="zuid"))] == ["school_holiday"]
    assert rules.validate(day, rules.ScheduleRules(holiday_region="noord")) == []


def test_public_holiday_is_a_violation():
    # King's Day 2022 fell on a Wednesday, outside the school holidays.
    found = rules.validate([datetime.date(2022, 4, 27)], rules.ScheduleRules())
    assert [v.rule for v in found] == ["public_holiday"]


def test_plan_gives_the_earliest_valid_dates():
    planned = rules.plan(datetime.date(2021, 1, 13), 7, rules.ScheduleRules())
    assert planned[0] == datetime.date(2021, 1, 13)
    assert rules.validate(planned, rules.ScheduleRules()) == []
    # Four weeks after 13 January is 10 February, outside the holidays: earliest means exactly that.
    assert planned[1] == datetime.date(2021, 2, 10)


def test_dates_outside_known_years_are_refused():
    first, last = rules.known_years()
    with pytest.raises(rules.OutsideKnownYears):
        rules.validate([datetime.date(last + 1, 1, 8)], rules.ScheduleRules())
    with pytest.raises(rules.OutsideKnownYears):
        rules.plan(datetime.date(first - 1, 6, 1), 1, rules.ScheduleRules())
