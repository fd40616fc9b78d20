"""Alert lines per desk per 10 minutes on a simulated day and in a surge, the console's rules against the old.

    python bench/alert_rate.py [--seed 1] [--scenario day|surge|both] [--step-s 10]

A real hub on a virtual clock (hub/virtual_clock.py) runs the simulator's own arrivals and case
steps: a normal day (rate 1, about 3,000 new cases, from local midnight) and a typhoon surge
(rate 10 for 6 hours from 08:00 local). Each desk is a real `FeedConnection` + `CaseStore` +
`AlertBook` over a WebSocket on loopback: the centre (every case) and each street sub-centre's
desk (`unit_scope`). Each desk's officer acknowledges every new line 2 minutes after it was
raised, with `alert.ack`. A line is a row raised in the alerts panel (an alert that joins an
open row is not a line). Windows are the 10-minute windows of the measured hours.

Each scenario runs twice on the same seed, so the same day: once with the console's rules
(`DISCIPLINED`) and once with the rules as they were (`LEGACY`), the same-run baseline.
Targets (issue 16): centre mean <= 2 and <= 1 % of windows in flood (> 10) on a normal day;
each street desk mean <= 1; centre <= 10 % of windows in flood during the surge.
Prints tables and writes bench/results/alert_rate.json.
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import json
import logging
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend_client.alerts import DISCIPLINED, FLOOD_WINDOW, LEGACY, Alert, AlertBook, AlertPolicy
from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from hub.virtual_clock import ClockDriver, VirtualClock
from protocol import Role, UnitKind

DAY_START = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
"""00:00 on Tuesday 24 November 2026 in Shanghai."""
ACK_AFTER = timedelta(minutes=2)
TARGETS = {
    ("day", "centre", "mean"): 2.0, ("day", "centre", "flood_share"): 0.01, ("day", "street", "mean"): 1.0,
    ("surge", "centre", "flood_share"): 0.10,
}


@dataclass
class Desk:
    name: str
    unit_id: str | None
    store: CaseStore
    conn: FeedConnection
    book: AlertBook
    acks: list[tuple[datetime, int, int]] = field(default_factory=list)
    """(when, order, alert id) of the officer's acknowledgements to come."""


async def caught_up(store: CaseStore, target: int) -> None:
    """Wait until the store has applied every event up to `target` (its event tap says so)."""
    if store.last_seq >= target:
        return
    done = asyncio.Event()

    def tap(_event: object) -> None:
        if store.last_seq >= target:
            done.set()

    store.event_taps.append(tap)
    try:
        while store.last_seq < target and not done.is_set():
            try:
                await asyncio.wait_for(done.wait(), 0.05)  # a snapshot applies without taps
            except TimeoutError:
                pass
    finally:
        store.event_taps.remove(tap)


async def run(policy: AlertPolicy, *, rate: float, start: datetime, hours: float, seed: int, step_s: float,
              street_desks: int | None) -> dict[str, Any]:
    clock = VirtualClock(start)
    with tempfile.TemporaryDirectory() as folder:
        async with EmbeddedHub(f"sqlite:///{Path(folder) / 'hub.db'}", simulate=True, rate=rate, seed=seed,
                               clock=clock, backfill_hours=8.0, user="centre-officer") as hub:
            assert hub.driver is not None
            driver = ClockDriver(hub.hub, clock, hub.driver.loops, min_step=timedelta(seconds=step_s))
            streets = sorted(u.id for u in hub.hub.org.units.values() if u.kind is UnitKind.STREET_CENTRE)
            desks: list[Desk] = []
            for name, unit_id, token in [("centre", None, hub.token)] + [
                    (f"street {s}", s, hub.add_user(f"desk-{s.lower()}", Role.DUTY)) for s in streets[:street_desks]]:
                store = CaseStore()
                conn = FeedConnection(hub.url, token, store)
                book = AlertBook(store, policy=policy)
                book.set_desk(unit_id)
                await conn.start()
                desks.append(Desk(name, unit_id, store, conn, book))
            order = 0

            def next_ack() -> datetime | None:
                return min((d.acks[0][0] for d in desks if d.acks), default=None)

            async def each(now: datetime) -> None:
                nonlocal order
                head = hub.hub.head_seq
                await asyncio.gather(*(caught_up(d.store, head) for d in desks))
                sends = []
                for desk in desks:
                    desk.book.tick(now)
                    _, new = desk.book.drain()
                    for alert in new:
                        order += 1
                        heapq.heappush(desk.acks, (alert.raised_at + ACK_AFTER, order, alert.id))
                    while desk.acks and desk.acks[0][0] <= now:
                        _, _, alert_id = heapq.heappop(desk.acks)
                        row = desk.book.alerts.get(alert_id)
                        if row is not None and not row.acked:
                            sends.append(acknowledge(desk, row))
                if sends:
                    await asyncio.gather(*sends)
                    head = hub.hub.head_seq
                    await asyncio.gather(*(caught_up(d.store, head) for d in desks))

            await asyncio.gather(*(caught_up(d.store, hub.hub.head_seq) for d in desks))
            began = time.perf_counter()
            steps = await driver.run_until(start + timedelta(hours=hours), also=next_ack, each=each)
            wall = time.perf_counter() - began
            created = sum(1 for c in hub.hub.writer.cases.values() if c.received_at >= start)
            result = {"policy": policy.name, "new_cases": created, "clock_steps": steps, "wall_s": round(wall, 1),
                      "desks": {d.name: figures(d.book, start, start + timedelta(hours=hours)) for d in desks}}
            for desk in desks:
                await desk.conn.close()
            return result


async def acknowledge(desk: Desk, alert: Alert) -> None:
    for kind, key, ids in desk.book.ack_batches(alert):
        await desk.conn.send_command("alert.ack", {"case_ids": ids, "kind": kind.value, "key": key,
                                                   "comment": "bench: acknowledged after 2 minutes"})


def figures(book: AlertBook, start: datetime, end: datetime) -> dict[str, Any]:
    windows = int((end - start) / FLOOD_WINDOW)
    counts = [0] * windows
    kinds: Counter[str] = Counter()
    for at, key in book.line_times:
        if start <= at < end:
            counts[int((at - start) / FLOOD_WINDOW)] += 1
            kinds[key] += 1
    ordered = sorted(counts)
    return {
        "lines": sum(counts), "mean": round(statistics.fmean(counts), 2), "median": statistics.median(counts),
        "p95": ordered[min(windows - 1, int(0.95 * windows))], "max": ordered[-1],
        "over_1": round(sum(c > 1 for c in counts) / windows, 3),
        "over_2": round(sum(c > 2 for c in counts) / windows, 3),
        "over_10": round(sum(c > 10 for c in counts) / windows, 3), "top_kinds": kinds.most_common(4),
    }


def table(scenario: str, now: dict[str, Any], before: dict[str, Any]) -> str:
    lines = [f"\n{scenario}: {now['new_cases']} new cases measured (baseline run: {before['new_cases']}); "
             f"{now['clock_steps']} clock steps in {now['wall_s']} s",
             f"{'desk':<20} {'rules':<12} {'lines':>6} {'mean':>6} {'median':>6} {'p95':>4} {'max':>4} "
             f"{'>1':>6} {'>2':>6} {'>10':>6}  target  top kinds"]
    for desk in now["desks"]:
        for label, run_ in (("disciplined", now), ("legacy", before)):
            f = run_["desks"][desk]
            kind = "centre" if desk == "centre" else "street"
            target = []
            if (scenario, kind, "mean") in TARGETS:
                target.append(f"mean<={TARGETS[(scenario, kind, 'mean')]:g}")
            if (scenario, kind, "flood_share") in TARGETS:
                target.append(f">10<={TARGETS[(scenario, kind, 'flood_share')]:.0%}")
            top = ", ".join(f"{k} {n}" for k, n in f["top_kinds"])
            lines.append(f"{desk if label == 'disciplined' else '':<20} {label:<12} {f['lines']:>6} {f['mean']:>6} "
                         f"{f['median']:>6} {f['p95']:>4} {f['max']:>4} {f['over_1']:>6.1%} {f['over_2']:>6.1%} "
                         f"{f['over_10']:>6.1%}  {' '.join(target) if label == 'disciplined' else '':<7} {top}")
    streets = [f for d, f in now["desks"].items() if d != "centre"]
    if streets:
        lines.append(f"street desks, disciplined: mean of means {statistics.fmean(s['mean'] for s in streets):.2f}, "
                     f"highest mean {max(s['mean'] for s in streets):.2f} (target each <= 1)")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    scenarios = {"day": dict(rate=1.0, start=DAY_START, hours=24.0),
                 "surge": dict(rate=10.0, start=DAY_START + timedelta(hours=8), hours=6.0)}
    chosen = list(scenarios) if args.scenario == "both" else [args.scenario]
    out: dict[str, Any] = {"seed": args.seed, "step_s": args.step_s, "ack_after_s": ACK_AFTER.total_seconds(),
                           "python": platform.python_version(), "targets": {"/".join(k): v for k, v in TARGETS.items()},
                           "scenarios": {}}
    for name in chosen:
        runs = {}
        for policy in (DISCIPLINED, LEGACY):
            runs[policy.name] = await run(policy, seed=args.seed, step_s=args.step_s, street_desks=args.streets,
                                          **scenarios[name])  # type: ignore[arg-type]
        out["scenarios"][name] = runs
        print(table(name, runs["disciplined"], runs["legacy"]), flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", choices=("day", "surge", "both"), default="both")
    parser.add_argument("--step-s", type=float, default=10.0, help="the virtual clock's smallest step (seconds)")
    parser.add_argument("--streets", type=int, default=None, help="only the first N street desks (default: all)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(main_async(args))
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "alert_rate.json").write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
