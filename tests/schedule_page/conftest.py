"""Fixtures for the coordinator's schedule page: an edition with a known, valid schedule, logged-in
clients per role, and helpers that post the page's form as a browser would."""

import datetime
import html
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from leergang.catalog.models import Edition
from leergang.scheduling import rules
from tests import factories

FIRST_DATE = datetime.date(2027, 1, 13)
# rules.plan(FIRST_DATE, 7, ScheduleRules()): Wednesdays, 28+ days apart, no holidays (region noord).
PLANNED = rules.plan(FIRST_DATE, 7, rules.ScheduleRules())
SPRING_HOLIDAY = datetime.date(2027, 2, 24)  # a Wednesday in the spring school holiday, region noord


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def edition(db) -> Edition:
    """An open edition (region noord, Wednesdays, 28 days) with seven valid sessions and a 100 m² room."""
    room = factories.RoomFactory(area_m2=Decimal("100.0"))
    edition = factories.EditionFactory(start_date=FIRST_DATE, room=room)
    for number, day in enumerate(PLANNED, start=1):
        factories.SessionFactory(
            edition=edition,
            number=number,
            date=day,
            kind="closing" if number == len(PLANNED) else "content",
            theme_nl=f"Thema {number}",
            theme_en=f"Theme {number}",
        )
    return edition


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def page_url(edition_id: int, name: str = "page", language: str = "nl") -> str:
    with translation.override(language):
        return reverse(f"schedule:{name}", kwargs={"edition_id": edition_id})


def stored_rows(edition: Edition) -> list[dict]:
    """The edition's sessions as the page's form rows (strings, as a browser posts them)."""
    return [
        {
            "number": str(s.number),
            "kind": s.kind,
            "date": s.date.isoformat(),
            "start_time": s.start_time.strftime("%H:%M"),
            "end_time": s.end_time.strftime("%H:%M"),
            "delivery_mode": s.delivery_mode,
            "theme_nl": s.theme_nl,
            "theme_en": s.theme_en,
        }
        for s in edition.sessions.order_by("number")
    ]


def form_data(rows: list[dict], **extra) -> dict:
    """The schedule form's POST data: the management form, every row, and extra fields."""
    data = {
        "sessions-TOTAL_FORMS": str(len(rows)),
        "sessions-INITIAL_FORMS": str(len(rows)),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "60",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"sessions-{index}-{name}"] = value
    data.update(extra)
    return data


def snapshot(edition: Edition) -> list[tuple]:
    return list(
        edition.sessions.order_by("number").values_list(
            "id", "number", "kind", "date", "start_time", "end_time", "delivery_mode", "theme_nl", "theme_en"
        )
    )


def text_of(response) -> str:
    """The markup as a reader sees its characters (tags dropped, entities decoded, spaces collapsed)."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content).replace("\xa0", " ").split())


def input_values(response, field: str) -> list[str]:
    """The value attributes of the rows' inputs for one field, in row order."""
    tags = re.findall(rf'<input\b[^>]*\bname="sessions-\d+-{field}"[^>]*>', response.content.decode())
    return [html.unescape(found.group(1)) if (found := re.search(r'\bvalue="([^"]*)"', tag)) else "" for tag in tags]


HTMX = {"HTTP_HX_REQUEST": "true"}
