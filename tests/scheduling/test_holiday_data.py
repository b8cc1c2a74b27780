"""The `holidays` package against the school holidays the Rijksoverheid published (shared/data).

Every day of every holiday in the CSV must be a school holiday in the package for that region, and
the package must list no school holiday in the CSV's period that the CSV does not have. When this
was written the two agreed on every day of every school year 2020-2021 to 2027-2028 in all three
regions. Should they ever differ, the published dates (the CSV, compiled from the Rijksoverheid's
announcements) are right: the package copies the same announcements and lags behind corrections.
"""

import csv
import datetime
import os
from collections import defaultdict
from pathlib import Path

import holidays
import pytest

from leergang.scheduling import rules

CSV_PATH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "school_holidays_nl.csv"
SUBDIVISIONS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}


def published() -> dict[tuple[str, str], set[datetime.date]]:
    """{(school_year, region): every holiday day} from the CSV."""
    if not CSV_PATH.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CSV_PATH} is missing: CI must have shared/ beside the project")
        # Only a checkout without shared/ beside it (not CI, which fails above) may skip, saying why.
        pytest.skip(f"{CSV_PATH} not found (shared/ is not beside this checkout)")
    days: dict[tuple[str, str], set[datetime.date]] = defaultdict(set)
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            start, end = datetime.date.fromisoformat(row["start"]), datetime.date.fromisoformat(row["end"])
            assert start <= end, row
            days[(row["school_year"], row["region"])].update(
                start + datetime.timedelta(days=n) for n in range((end - start).days + 1)
            )
    return days


def test_csv_covers_every_region_and_school_year():
    data = published()
    years = sorted({year for year, _ in data})
    assert years[0] == "2020-2021" and len(years) >= 8
    assert {region for _, region in data} == set(rules.REGIONS)


@pytest.mark.parametrize("region", rules.REGIONS)
def test_package_agrees_with_the_published_dates(region):
    data = published()
    by_year = {year: days for (year, reg), days in data.items() if reg == region}
    all_published = set().union(*by_year.values())
    period_start, period_end = min(all_published), max(all_published)
    package = holidays.country_holidays(
        "NL",
        subdiv=SUBDIVISIONS[region],
        years=range(period_start.year, period_end.year + 1),
        categories=("school",),
    )
    package_days = {day for day in package if period_start <= day <= period_end}
    for year, days in sorted(by_year.items()):
        missing = sorted(days - package_days)
        assert not missing, f"{region} {year}: the package misses published holiday days {missing[:5]}"
    extra = sorted(package_days - all_published)
    assert not extra, f"{region}: the package lists school holidays not in the published dates: {extra[:5]}"


@pytest.mark.parametrize("region", rules.REGIONS)
def test_validator_flags_every_published_holiday_wednesday(region):
    """The rules module (not only the package) sees each published holiday."""
    data = published()
    schedule = rules.ScheduleRules(holiday_region=region)
    wednesdays = sorted(day for (year, reg), days in data.items() if reg == region for day in days if day.weekday() == 2)
    assert wednesdays
    for day in wednesdays:
        if rules.is_known(day, region):
            assert [v.rule for v in rules.validate([day], schedule) if v.rule == "school_holiday"] == ["school_holiday"]
