"""P4: the schedule planner and validator, pure functions, timed alone."""

import datetime
import random
import statistics
import time


def figures() -> dict:
    from leergang.scheduling import rules

    schedule = rules.ScheduleRules()
    generator = random.Random(4)
    firsts = [datetime.date(2015, 1, 1) + datetime.timedelta(days=generator.randrange(0, 14 * 365)) for _ in range(1000)]
    rules.plan(firsts[0], 7, schedule)  # warm the holiday caches, as a running server has them
    plan_times, check_times = [], []
    started_all = time.perf_counter()
    plans = []
    for first in firsts:
        started = time.perf_counter()
        plans.append(rules.plan(first, 7, schedule))
        plan_times.append((time.perf_counter() - started) * 1000)
    all_plans = time.perf_counter() - started_all
    for dates in plans:
        started = time.perf_counter()
        rules.validate(dates, schedule)
        check_times.append((time.perf_counter() - started) * 1000)
    result = {
        "plan_median_ms": statistics.median(plan_times),
        "check_median_ms": statistics.median(check_times),
        "plans_1000_s": all_plans,
    }
    result["ok"] = result["plan_median_ms"] < 2 and result["check_median_ms"] < 1 and result["plans_1000_s"] < 2
    return result


def print_table(result: dict) -> None:
    print("P4 scheduling (7 dates, region noord)")
    print(f"  plan median   {result['plan_median_ms']:7.3f} ms   (bar: under 2 ms)")
    print(f"  check median  {result['check_median_ms']:7.3f} ms   (bar: under 1 ms)")
    print(f"  1000 plans    {result['plans_1000_s']:7.3f} s    (bar: under 2 s)\n")
