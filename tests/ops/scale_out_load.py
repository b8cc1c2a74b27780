"""A small load generator for the scale-out test: JSON requests from a pool of threads, each one
sent to the app server it is assigned to, with every answer kept (status, body, which server).

Only the standard library, so it runs wherever the tests run; a request that gets no HTTP answer at
all (refused, reset, timed out) is kept too, with `status` None and the error, so the test can
count it as a failure instead of losing it in a thread.
"""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TIMEOUT = 30  # seconds: an answer slower than this counts as no answer


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict | None = None
    token: str | None = None


@dataclass(frozen=True)
class Answer:
    base: str
    call: Call
    status: int | None
    body: Any
    error: str = ""

    @property
    def port(self) -> int:
        return urlsplit(self.base).port

    def describe(self) -> str:
        return f"{self.call.method} {self.base}{self.call.path} -> {self.status or self.error}: {self.body!r}"[:500]


def send(base: str, call: Call) -> Answer:
    data = json.dumps(call.body).encode() if call.body is not None else None
    request = urllib.request.Request(base + call.path, data=data, method=call.method)  # noqa: S310 - loopback only
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if call.token:
        request.add_header("Authorization", f"Bearer {call.token}")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    except OSError as error:  # refused, reset, timed out: no HTTP answer
        return Answer(base, call, None, None, f"{type(error).__name__}: {error}")
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode(errors="replace")
    return Answer(base, call, status, body)


def round_robin(bases: list[str], calls: list[Call]) -> list[tuple[str, Call]]:
    """Call i goes to server i modulo the number of servers."""
    return [(bases[index % len(bases)], call) for index, call in enumerate(calls)]


def run(assigned: list[tuple[str, Call]], *, threads: int) -> list[Answer]:
    """Send every call to its server from `threads` threads at once; the answers in the calls' order."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(lambda pair: send(*pair), assigned))
