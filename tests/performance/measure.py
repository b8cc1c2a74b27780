"""P1 and P2 for every page and API operation of the inventory, as every role that may use it.

A target is an inventory entry with a role whose outcome is OK. Each request runs in a savepoint
that is rolled back afterwards, so a write leaves nothing behind and every measurement meets the
same data. Used by the pinned query counts (test_query_counts.py) and by `make bench`.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.security.inventory import ADMIN, ENTRIES, OK, Entry
from tests.security.sending import outcome, send
from tests.security.world import ROLES, World

# Where one role's view says more than another's, the count is taken for each role that may look.
TIMING_ROLE_ORDER = ("coordinator", "teacher_own", "participant_own", "anonymous")


@dataclass(frozen=True)
class Target:
    entry: Entry
    role: str

    @property
    def key(self) -> str:
        return f"{self.entry.method.upper()} {self.entry.key} as {self.role}"

    @property
    def is_page_read(self) -> bool:
        """A GET of a page or of an API resource: the reads P1's "at most 10" is about."""
        return not self.entry.writes


def targets() -> list[Target]:
    return [
        Target(entry, role)
        for entry in ENTRIES
        for role in ROLES
        if entry.expect[role] == OK and not entry.pending and entry.key != ADMIN
    ]


def timing_targets() -> list[Target]:
    """One role per entry for the timings: the first of TIMING_ROLE_ORDER that may use it."""
    chosen = []
    for entry in ENTRIES:
        if entry.pending or entry.key == ADMIN:
            continue
        role = next((r for r in TIMING_ROLE_ORDER if entry.expect[r] == OK), None)
        if role is not None:
            chosen.append(Target(entry, role))
    return chosen


def logged_in_clients(world: World) -> dict[str, Client]:
    made = {}
    for role in ROLES:
        client = Client()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        made[role] = client
    return made


class Refused(AssertionError):
    pass


def _send_and_roll_back(target: Target, world: World, clients: dict[str, Client], *, capture: bool):
    client = clients[target.role]
    # Logging out (or a login) changes the client's cookie; the session row it removes comes back
    # with the rollback, so the cookie is put back too and the role stays logged in.
    cookies = client.cookies
    client.cookies = type(cookies)()
    client.cookies.update(cookies)
    try:
        return _send_in_savepoint(target, world, client, capture=capture)
    finally:
        client.cookies = cookies


def _send_in_savepoint(target: Target, world: World, client: Client, *, capture: bool):
    with transaction.atomic():
        if capture:
            with CaptureQueriesContext(connection) as queries:
                response = send(target.entry, world, target.role, client)
        else:
            queries, response = None, send(target.entry, world, target.role, client)
        transaction.set_rollback(True)
    if outcome(target.entry, response) != OK:
        raise Refused(f"{target.key}: answered {response.status_code}, {response.content[:200]!r}")
    return response, queries


def count_queries(target: Target, world: World, clients: dict[str, Client], *, warm_up: bool = True) -> int:
    """The queries of one request with nothing cached: the count a cold start or an expired cache
    pays (after a warm-up request, so what each process computes once, e.g. holidays, is done)."""
    if warm_up:
        _send_and_roll_back(target, world, clients, capture=False)
    cache.clear()
    _response, queries = _send_and_roll_back(target, world, clients, capture=True)
    cache.clear()
    return len(queries)


def server_times(target: Target, world: World, clients: dict[str, Client], rounds: int) -> list[float]:
    """Milliseconds per request, in-process through Django's whole handler, caches warm."""
    _send_and_roll_back(target, world, clients, capture=False)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        _send_and_roll_back(target, world, clients, capture=False)
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]
