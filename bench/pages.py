"""P1 and P2 for every page and API operation: query counts on the small and the large data set,
and in-process server time on the large one, next to /healthz measured in the same run.

The targets are the permission inventory's (tests/security/inventory.py): every page and API
operation, as every role that may use it, on the objects of tests/security/world.py. Requests that
change something run in a savepoint that is rolled back, so every round meets the same data.
"""

from __future__ import annotations

import statistics
import time

from tests.performance import measure

P1_MAX_QUERIES = 10
P2_MAX_MS = 25.0
P2_MAX_RATIO = 30.0


def query_counts(world, clients) -> dict[str, int]:
    return {target.key: measure.count_queries(target, world, clients) for target in measure.targets()}


def healthz_times(client, rounds: int) -> list[float]:
    client.get("/healthz")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get("/healthz")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def server_times(world, clients, rounds: int) -> tuple[list[dict], dict]:
    """p50/p95 per target; /healthz is measured before, halfway and after (the machine is shared,
    so its figure is taken over the whole run), and the ratio uses its p95 over all three."""
    from django.test import Client

    health_client = Client()
    health = healthz_times(health_client, rounds * 2)
    rows = []
    chosen = measure.timing_targets()
    for index, target in enumerate(chosen):
        if index == len(chosen) // 2:
            health += healthz_times(health_client, rounds * 2)
        times = measure.server_times(target, world, clients, rounds)
        rows.append({"target": target.key, "p50_ms": statistics.median(times), "p95_ms": measure.p95(times)})
    health += healthz_times(health_client, rounds * 2)
    baseline = {"p50_ms": statistics.median(health), "p95_ms": measure.p95(health)}
    for row in rows:
        row["ratio"] = row["p95_ms"] / baseline["p95_ms"]
        row["ok"] = row["p95_ms"] <= P2_MAX_MS and row["ratio"] <= P2_MAX_RATIO
    return rows, baseline


def p1_rows(small: dict[str, int], large: dict[str, int]) -> list[dict]:
    rows = []
    for target in measure.targets():
        key = target.key
        row = {"target": key, "small": small[key], "large": large[key], "same": small[key] == large[key]}
        row["ok"] = row["same"] and (not target.is_page_read or large[key] <= P1_MAX_QUERIES)
        rows.append(row)
    return rows


def print_p1(rows: list[dict]) -> None:
    failing = [row for row in rows if not row["ok"]]
    reads = [row for row in rows if not row["target"].startswith(("POST", "PUT", "PATCH", "DELETE"))]
    print(f"P1 queries per request: {len(rows)} targets (every page and API operation x every role that may use it)")
    print(f"  reads: at most {max(row['large'] for row in reads)} queries (bar: 10); "
          f"writes: at most {max(row['large'] for row in rows if row not in reads)}")  # fmt: skip
    print(f"  same count on the small and the large data set: {sum(row['same'] for row in rows)} of {len(rows)}")
    for row in failing:
        print(f"  FAILS  {row['target']:<70} small {row['small']:>3}  large {row['large']:>3}")
    print()


def print_p2(rows: list[dict], baseline: dict, rounds: int) -> None:
    print(f"P2 server time on the large data set, in-process, {rounds} requests per target")
    print(f"  /healthz p50 {baseline['p50_ms']:.2f} ms, p95 {baseline['p95_ms']:.2f} ms (baseline)")
    print(f"  {'target':<72} {'p50 ms':>7} {'p95 ms':>7} {'x healthz':>9}")
    for row in sorted(rows, key=lambda r: -r["p95_ms"]):
        mark = "" if row["ok"] else "  FAILS"
        print(f"  {row['target']:<72} {row['p50_ms']:7.2f} {row['p95_ms']:7.2f} {row['ratio']:9.1f}{mark}")
    slowest = max(rows, key=lambda r: r["p95_ms"])
    print(f"  bars: p95 <= {P2_MAX_MS:.0f} ms and <= {P2_MAX_RATIO:.0f}x /healthz; "
          f"{sum(r['ok'] for r in rows)} of {len(rows)} meet both; slowest {slowest['target']} ({slowest['p95_ms']:.1f} ms)\n")  # fmt: skip
