"""SLA scheduler cost per tick: the heap against a naive scan of every timer, same run.

    python bench/sla_scheduler.py [--cases 100000] [--seconds 86400] [--naive-every 360]

Tracks `--cases` open cases whose thresholds are spread over the simulated day (starts from three
days before it to noon of it, limits of 2–40 working or calendar hours, as the categories have),
then calls `due(now)` once per simulated second for `--seconds` seconds and times each call; a
second run calls `due(now, max_changes=--slice)` until the second is drained and times each call
(what the hub's loop does so that a burst of changes never blocks it for long).

The baseline scans all timers each tick, comparing precomputed integer thresholds (the cheapest
form a scan can take). It costs tens of ms a tick, so it runs on every `--naive-every`-th tick
only; its per-tick figures are from those ticks. Memory is tracemalloc's count of what building
the scheduler allocates (the Timers themselves belong to the cases and are built beforehand).
Prints JSON and writes it to bench/results/sla_scheduler.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hub.engine.calendar import CENTRE_TZ, WorkCalendar
from hub.engine.sla import SlaScheduler
from hub.engine.timers import LEVELS, level_at, overall_timer
from protocol.events import Timer

DAY = datetime(2026, 9, 15, 0, 0, tzinfo=CENTRE_TZ).astimezone(UTC)
"""A Tuesday, an ordinary working day."""
LIMITS = (2, 4, 6, 8, 16, 24, 40)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def build_timers(count: int, seed: int) -> list[tuple[str, Timer]]:
    rng = random.Random(seed)
    calendar = WorkCalendar.load()
    span = int(timedelta(days=3, hours=12).total_seconds())
    timers = []
    for number in range(count):
        start = DAY - timedelta(days=3) + timedelta(seconds=rng.randrange(span))
        working = rng.random() < 0.8
        timers.append((f"case-{number:06d}", overall_timer(start, rng.choice(LIMITS), working, calendar)))
    return timers


def track_all(timers: list[tuple[str, Timer]]) -> SlaScheduler:
    scheduler = SlaScheduler()
    for case_id, timer in timers:
        scheduler.track(case_id, "overall", timer, level_at(timer, DAY))
    return scheduler


def ms_stats(samples_ns: list[int]) -> dict[str, float]:
    ordered = sorted(samples_ns)
    return {
        "max_ms": round(ordered[-1] / 1e6, 4),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1e6, 4),
        "p999_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.999))] / 1e6, 4),
        "p50_ms": round(ordered[len(ordered) // 2] / 1e6, 4),
        "mean_ms": round(statistics.fmean(ordered) / 1e6, 4),
    }


def run_heap(timers: list[tuple[str, Timer]], seconds: int, slice_: int | None) -> tuple[dict[str, Any], SlaScheduler]:
    """One `due(now)` per simulated second; with `slice_`, as many `due(now, slice_)` calls as it takes."""
    scheduler = track_all(timers)
    costs: list[int] = []
    changes = busiest = 0
    busiest_at = DAY
    clock = time.perf_counter_ns
    for second in range(1, seconds + 1):
        now = DAY + timedelta(seconds=second)
        in_tick = 0
        while True:
            begin = clock()
            done = scheduler.due(now, slice_)
            costs.append(clock() - begin)
            in_tick += len(done)
            if slice_ is None or len(done) < slice_:
                break
        changes += in_tick
        if in_tick > busiest:
            busiest, busiest_at = in_tick, now
    figures = {"max_changes": slice_, "calls": len(costs), "changes": changes, "max_changes_in_a_tick": busiest,
               "busiest_tick_local": busiest_at.astimezone(CENTRE_TZ).isoformat(), **ms_stats(costs)}
    return figures, scheduler


def run_naive(timers: list[tuple[str, Timer]], seconds: int, every: int) -> tuple[dict[str, Any], list[int]]:
    def us(moment: datetime) -> int:
        return (moment - EPOCH) // timedelta(microseconds=1)

    rows = [(us(t.yellow_at), us(t.orange_at), us(t.due_at)) for _, t in timers]
    levels = [LEVELS.index(level_at(t, DAY)) for _, t in timers]
    costs: list[int] = []
    changes = 0
    for second in range(every, seconds + 1, every):
        now = us(DAY + timedelta(seconds=second))
        begin = time.perf_counter_ns()
        for index, (yellow, orange, due) in enumerate(rows):
            level = 3 if now >= due else 2 if now >= orange else 1 if now >= yellow else 0
            if level != levels[index]:
                levels[index] = level
                changes += 1
        costs.append(time.perf_counter_ns() - begin)
    return {"ticks_sampled": len(costs), "every_nth_tick": every, **ms_stats(costs)}, levels


def measure_memory(timers: list[tuple[str, Timer]]) -> dict[str, float]:
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        scheduler = track_all(timers)
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    del scheduler
    return {"scheduler_mb": round(used / 2**20, 2), "bytes_per_timer": round(used / len(timers), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=86_400)
    parser.add_argument("--naive-every", type=int, default=360)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--slice", type=int, default=200, help="max_changes per call in the sliced run")
    args = parser.parse_args()
    load = os.getloadavg()
    timers = build_timers(args.cases, args.seed)
    memory = measure_memory(timers)
    heap, scheduler = run_heap(timers, args.seconds, None)
    sliced, _ = run_heap(timers, args.seconds, args.slice)
    naive, naive_levels = run_naive(timers, args.seconds, args.naive_every)
    end = DAY + timedelta(seconds=args.seconds)
    agree = all(scheduler.level(case_id, "overall") is level_at(timer, end) for case_id, timer in timers)
    if args.seconds % args.naive_every == 0:
        agree = agree and all(LEVELS[level] is level_at(t, end) for level, (_, t) in zip(naive_levels, timers,
                                                                                          strict=True))
    result = {
        "benchmark": "sla_scheduler",
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": [round(value, 2) for value in load],
        "cases": args.cases,
        "simulated_day": DAY.astimezone(CENTRE_TZ).date().isoformat(),
        "heap_per_tick": heap,
        "heap_sliced_per_call": sliced,
        "naive_scan": naive,
        "memory": memory,
        "speedup_p99": round(naive["p99_ms"] / heap["p99_ms"], 1) if heap["p99_ms"] else None,
        "levels_agree_with_level_at": agree,
        "target": "max and p99 per tick <= 1 ms; < 300 bytes per tracked timer",
        "note": "working-time thresholds bunch (cases received overnight or at the weekend all start at 09:00), "
                "so one second can carry thousands of changes (about 3 us each); the sliced run caps each call at "
                "--slice changes, as the hub's loop should. On a shared machine single calls also stall "
                "for other processes: compare p99 more than max",
    }
    text = json.dumps(result, indent=2)
    print(text)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "sla_scheduler.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
