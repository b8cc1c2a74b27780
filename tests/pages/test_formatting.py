"""Dates, times and money as people write them, per language."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from leergang.core import formatting
from leergang.core.templatetags import leergang as tags


@pytest.mark.parametrize(
    ("language", "amount", "expected"),
    [
        ("nl", Decimal("2995.00"), "€\u00a02.995"),
        ("en", Decimal("2995.00"), "€2,995"),
        ("nl", Decimal("2995.5"), "€\u00a02.995,50"),
        ("en", "1234567.891", "€1,234,567.89"),
        ("nl", 0, "€\u00a00"),
        ("nl", Decimal("-12.50"), "-€\u00a012,50"),
        ("en", None, ""),
    ],
)
def test_money(language, amount, expected):
    with translation.override(language):
        assert formatting.money(amount) == expected


@pytest.mark.parametrize(
    ("language", "weekday", "expected"),
    [
        ("nl", False, "13 januari 2021"),
        ("nl", True, "woensdag 13 januari 2021"),
        ("en", False, "13 January 2021"),
        ("en", True, "Wednesday 13 January 2021"),
    ],
)
def test_long_date(language, weekday, expected):
    with translation.override(language):
        assert formatting.long_date(datetime.date(2021, 1, 13), with_weekday=weekday) == expected


@pytest.mark.parametrize(
    ("language", "expected_clock", "expected_range"),
    [("nl", "13.30", "13.30–19.30 uur"), ("en", "13:30", "13:30–19:30")],
)
def test_times(language, expected_clock, expected_range):
    with translation.override(language):
        assert formatting.clock(datetime.time(13, 30)) == expected_clock
        assert formatting.time_range(datetime.time(13, 30), datetime.time(19, 30)) == expected_range


@pytest.mark.parametrize(
    ("language", "count", "weekday", "expected"),
    [
        ("nl", 7, 2, "7 bijeenkomsten op woensdag, 13.30–19.30 uur"),
        ("en", 7, 2, "7 sessions on Wednesdays, 13:30–19:30"),
        ("nl", 5, 0, "5 bijeenkomsten op maandag, 13.30–19.30 uur"),
        ("en", 5, 4, "5 sessions on Fridays, 13:30–19:30"),
        ("nl", 1, 2, "1 bijeenkomst, 13.30–19.30 uur"),
        ("en", 1, 2, "1 session, 13:30–19:30"),
    ],
)
def test_session_rhythm(language, count, weekday, expected):
    with translation.override(language):
        assert formatting.session_rhythm(count, weekday, datetime.time(13, 30), datetime.time(19, 30)) == expected


def test_session_rhythm_tag_keeps_the_times_on_one_line():
    with translation.override("nl"):
        html = tags.session_rhythm(7, 2, datetime.time(13, 30), datetime.time(19, 30))
    assert html == '7 bijeenkomsten op woensdag, <span class="nowrap">13.30–19.30 uur</span>'


@pytest.mark.parametrize(
    ("theme", "expected"),
    [
        ("Dialogisch leiderschap: hoe schept u de voorwaarden?", ("Dialogisch leiderschap", "Hoe schept u de voorwaarden?")),
        ("Drie bijzondere thema's, in drie kortere colleges.", ("Drie bijzondere thema's, in drie kortere colleges.", "")),
        ("", ("", "")),
    ],
)
def test_theme_parts(theme, expected):
    assert tags.theme_parts(theme) == expected
