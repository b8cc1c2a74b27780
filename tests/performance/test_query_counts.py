"""P1 pinned: the SQL queries of every page and API operation, as every role that may use it.

Each count is taken with nothing cached (measure.count_queries), on the permission tests' world
(the demo and its neighbours), then again after twelve more editions of 25 participants with their
history were generated into the same database (leergang/demo/large.py): the count must not change,
so no page does a query per row. Every count is pinned exactly in query_pins.json, so a page that
starts doing more queries fails here, and one that does fewer asks for its pin to be lowered; a
read (a GET of a page or of the API) may do at most ten.

After a deliberate change, rewrite the pins with
`LEERGANG_UPDATE_QUERY_PINS=1 pytest tests/performance/test_query_counts.py` and review the diff.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

import pytest

from leergang.demo.large import generate
from tests.security.world import world_in_rollback

from . import measure

PINS_FILE = Path(__file__).with_name("query_pins.json")
READ_LIMIT = 10
UPDATE = os.environ.get("LEERGANG_UPDATE_QUERY_PINS") == "1"
TARGETS = measure.targets()


def _count_all(world, clients, *, warm_up: bool) -> dict[str, int | str]:
    counts: dict[str, int | str] = {}
    for target in TARGETS:
        try:
            counts[target.key] = measure.count_queries(target, world, clients, warm_up=warm_up)
        except measure.Refused as refused:
            counts[target.key] = str(refused)
    return counts


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), world_in_rollback() as world:
        clients = measure.logged_in_clients(world)
        small = _count_all(world, clients, warm_up=True)
        generate(editions=12, per_edition=25, years=3)
        large = _count_all(world, clients, warm_up=False)  # warm since the first round
    if UPDATE:
        PINS_FILE.write_text(json.dumps({key: value for key, value in small.items()}, indent=1, sort_keys=True) + "\n")
    return small, large


@functools.cache
def pins() -> dict[str, int]:
    return json.loads(PINS_FILE.read_text()) if PINS_FILE.exists() else {}


def test_every_target_is_pinned_and_every_pin_is_a_target():
    if UPDATE:
        pytest.skip("rewriting the pins")
    keys = {target.key for target in TARGETS}
    assert sorted(keys - set(pins())) == [], "targets without a pin: run with LEERGANG_UPDATE_QUERY_PINS=1"
    assert sorted(set(pins()) - keys) == [], "pins of targets that no longer exist"


@pytest.mark.parametrize("target", TARGETS, ids=[target.key for target in TARGETS])
def test_query_count(target, counts, db):
    small, large = counts
    assert isinstance(small[target.key], int), small[target.key]
    assert large[target.key] == small[target.key], (
        f"{target.key}: {small[target.key]} queries on the small data set, {large[target.key]} with more editions"
    )
    if target.is_page_read:
        assert small[target.key] <= READ_LIMIT, f"{target.key}: {small[target.key]} queries, at most {READ_LIMIT} (P1)"
    assert small[target.key] == pins().get(target.key), (
        f"{target.key}: {small[target.key]} queries, pinned at {pins().get(target.key)}"
    )
