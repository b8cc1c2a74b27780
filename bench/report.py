"""The summary table of a `make bench` run, as Markdown for the README (`python -m bench.report`
prints it from bench/results.json)."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def _mark(ok: bool) -> str:
    return "meets" if ok else "**misses**"


def _p2_groups(targets: list[dict]) -> tuple[list[dict], list[dict]]:
    writes = ("POST", "PUT", "PATCH", "DELETE")
    return (
        [row for row in targets if not row["target"].startswith(writes)],
        [row for row in targets if row["target"].startswith(writes)],
    )


def markdown(results: dict) -> str:
    lines = ["| bar | measured | result |", "|---|---|---|"]
    data = results["large_data_set"]
    p1 = results["p1"]
    reads = [row for row in p1 if not row["target"].startswith(("POST", "PUT", "PATCH", "DELETE"))]
    lines.append(
        f"| P1 queries per request, {len(p1)} targets (every page and API operation x every role allowed) | "
        f"reads at most {max(r['large'] for r in reads)} (median {statistics.median(r['large'] for r in reads):g}); "
        f"{sum(r['same'] for r in p1)} of {len(p1)} the same on the small and the large set | "
        f"{_mark(all(r['ok'] for r in p1))} |"
    )
    p2 = results["p2"]
    page_rows, write_rows = _p2_groups(p2["targets"])
    health = p2["healthz"]
    for label, rows in (("reads", page_rows), ("writes", write_rows)):
        if not rows:
            continue
        slowest = max(rows, key=lambda r: r["p95_ms"])
        lines.append(
            f"| P2 server time, {label} ({len(rows)}), p95 on the large set | "
            f"slowest {slowest['p95_ms']:.1f} ms ({slowest['ratio']:.0f}x /healthz, {slowest['target']}); "
            f"median p95 {statistics.median(r['p95_ms'] for r in rows):.1f} ms; /healthz p95 {health['p95_ms']:.2f} ms | "
            f"{sum(r['ok'] for r in rows)} of {len(rows)} meet |"
        )
    load = results.get("p3_p7")
    if load:
        for row in load["targets"]:
            lines.append(
                f"| P3 throughput, {row['name']} | {row['rps']:.0f} req/s, {row['ratio']:.2f}x /healthz "
                f"(bar {row['bar']}x) | {_mark(row['ok'])} |"
            )
        memory = load["memory_mb"]
        task = memory.get("task_worker_peak")
        beside = f"; e-mail worker peak {task:.0f} MB (outside the bar)" if task is not None else ""
        lines.append(
            f"| P7 worker memory | gunicorn workers peak {memory.get('gunicorn_workers_peak') or 0:.0f} MB{beside} | "
            f"{_mark(memory.get('ok', False))} |"
        )
    p4 = results["p4"]
    lines.append(
        f"| P4 planner / validator | plan {p4['plan_median_ms']:.3f} ms, check {p4['check_median_ms']:.3f} ms, "
        f"1,000 plans {p4['plans_1000_s']:.3f} s | {_mark(p4['ok'])} |"
    )
    p5 = results["p5"]
    lines.append(
        f"| P5 documents | invoice PDF {p5['invoice']['invoice_pdf_median_ms']:.0f} ms; 25 diplomas "
        f"{p5['diplomas']['median_s']:.2f} s | {_mark(p5['invoice']['ok'] and p5['diplomas']['ok'])} |"
    )
    for name, entry in (results.get("p6") or {}).items():
        if "skipped" in entry:
            lines.append(f"| P6 whole edition, {name} | skipped: {entry['skipped']} | - |")
        else:
            lines.append(
                f"| P6 whole edition, {name} | {entry['median_total_s']:.2f} s | {_mark(entry['median_total_s'] < entry['bar_s'])} |"
            )
    lines.append(
        f"| P7 generator | {data['editions']} editions, {data['participants']} participants, {data['attendance']} "
        f"attendance rows, {data['invoices']} invoices, {data['awards']} awards in {data['seconds']:.1f} s | "
        f"{_mark(data['ok'])} |"
    )
    machine = results["machine"]
    lines.append("")
    lines.append(
        f"Measured {results['when'][:10]} on {machine['cpus']} cores, Python {machine['python']}"
        + (f", load generator {load['generator']}" if load else "")
        + "."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("results.json")
    print(markdown(json.loads(path.read_text())))
