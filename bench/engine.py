"""The hub's engine: commands/s through the full path, the timers at 100,000 open cases,
and a simulated day at 50x replayed through the engine.

    python bench/engine.py [--commands 6000] [--open-cases 100000] [--sim-hours 24] [--pg URL]

* commands/s: one client pipelines case.create / register / dispatch commands (256 in
  flight) into a real hub on loopback; the same client is subscribed, so every event is also
  fanned out and decoded; from
  the first send to the last command.result. SQLite, and PostgreSQL when --pg is given.
  The hub stands for `serve`, so it freezes what it holds once open as serve does
  (`EmbeddedHub(own_process=True)`, hub/collector.py); the freeze is undone after the phase.
  Baseline (same run): the same frames answered by a bare websockets echo (the transport's
  ceiling with no validation, no log, no fan-out).
* timers: 100,000 open cases loaded into the hub (the timekeeper tracks 200,000 timers:
  overall and step); the clock then advances one second per tick over a working day and
  each tick's `due(now, 200)` (what the keeper runs per commit) is timed; hub RSS measured.
  The phase runs in a process of its own (spawned), so the RSS is a hub's with its 100,000
  cases (and the interpreter with its imports, ~120 MB before the hub opens), not also the heap
  the earlier phases of this process left behind (~180 MB before the hub opened when it ran
  here, ~30 MB more in the figure).
  The collector's passes are counted apart by where they start: inside a tick (issue 15's
  target: none, and the longest tick at most 1 ms) or between ticks; the five longest ticks are
  listed, since on a shared 2-core machine the longest is often one preemption; so are the longest ticks in the
  thread's CPU time (`tick_cpu_*`: the scheduler's own work, a preemption left out). The target is judged on the
  wall-clock figure.
  Baseline: a scan of every timer per tick (sampled).
  With `--emergencies`, three emergencies are active meanwhile (a level II typhoon over a CAP-like
  polygon of the district, a level IV rainstorm on three streets, a whole-district drill), so every
  case.create is checked against their areas and most are linked (one more `emergency.changed` each).
* case linking: the `case.create` job alone (no network, no commit), in microseconds per case, with
  no emergency and with the three above active (nearly every case linked); the difference is
  what linking cases to emergencies costs the hub's one writer.
* the simulator: `--sim-hours` of requests at 50x replayed through the engine's commands.
Prints JSON and writes bench/results/engine.json.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import gc
import json
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec
import sqlalchemy as sa
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from hub.directory import Directory
from hub.embedded import EmbeddedHub
from hub.emergency.book import EmergencyBook
from hub.emergency.commands import EmergencyCommands
from hub.emergency.linking import CaseLinker
from hub.emergency.plans import load_plans
from hub.engine.batch import Batch
from hub.engine.cases import CaseEngine
from hub.engine.timers import level_at
from hub.org.chart import OrgChart
from hub.simulator import Simulator
from protocol import (
    PROTOCOL_VERSION,
    Command,
    EmergencyArea,
    EmergencyDeclareArgs,
    EmergencyLevel,
    EmergencyType,
    Hello,
    encode,
)

TARGETS = {"sqlite_commands_per_s": 5000, "postgres_commands_per_s": 3000, "tick_ms": 1.0, "rss_mb": 300}
DAY = datetime(2026, 9, 15, 0, 0, tzinfo=UTC) - timedelta(hours=8)  # a Tuesday, Shanghai midnight


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _pipeline(url: str, token: str | None, frames: list[bytes]) -> float:
    """Send all frames with 256 in flight; seconds until the last answer."""
    async with connect(url, subprotocols=[PROTOCOL_VERSION], max_size=None, compression=None) as ws:  # type: ignore[list-item]
        if token:
            await ws.send(encode(Hello(token=token, client="bench")), text=True)
        answered = 0
        window = asyncio.Semaphore(256)
        done = asyncio.Event()

        async def reader() -> None:
            nonlocal answered
            async for frame in ws:
                if '"command.result"' in (frame if isinstance(frame, str) else frame.decode()):
                    answered += 1
                    window.release()
                    if answered == len(frames):
                        done.set()

        task = asyncio.ensure_future(reader())
        start = time.perf_counter()
        for frame in frames:
            await window.acquire()
            await ws.send(frame, text=True)
        await asyncio.wait_for(done.wait(), 600)
        task.cancel()
        return time.perf_counter() - start


def _command_frames(hub: EmbeddedHub, count: int) -> tuple[list[bytes], list[bytes]]:
    """case.create frames, then register + dispatch frames for the cases they will make."""
    sim = Simulator(hub.hub.directory, seed=3, rate=50)
    creates, ids = [], []
    for _, args in sim.arrivals(DAY + timedelta(hours=9), DAY + timedelta(hours=12)):
        creates.append(msgspec.structs.replace(args, received_at=None))
        if len(creates) >= count:
            break
    frames = [encode(Command(id=uuid.uuid4().hex, name="case.create", args=msgspec.to_builtins(a))) for a in creates]
    return frames, ids  # type: ignore[return-value]


MINHANG = [[121.24, 31.241], [121.326, 30.982], [121.352, 30.977], [121.552, 30.988], [121.571, 30.999],
           [121.575, 31.02], [121.576, 31.082], [121.561, 31.112], [121.343, 31.236], [121.265, 31.26],
           [121.242, 31.248], [121.24, 31.241]]
"""The composed typhoon warning's polygon (resources/cap/shanghai_minhang_typhoon_orange.cap.xml)."""


_EMERGENCIES = [
    EmergencyDeclareArgs(type=EmergencyType.TYPHOON, level=EmergencyLevel.LEVEL_II, title="bench typhoon",
                         area=EmergencyArea(polygon=MINHANG), activate_plan=False),
    EmergencyDeclareArgs(type=EmergencyType.RAINSTORM, level=EmergencyLevel.LEVEL_IV, title="bench rainstorm",
                         area=EmergencyArea(street_codes=["310112001", "310112006", "310112101"]),
                         activate_plan=False),
    EmergencyDeclareArgs(type=EmergencyType.RAINSTORM, level=EmergencyLevel.LEVEL_III, title="bench drill",
                         exercise=True, activate_plan=False),
]


async def _declare_emergencies(hub: EmbeddedHub) -> int:
    for args in _EMERGENCIES:
        def job(args: EmergencyDeclareArgs = args) -> Any:
            return lambda batch: hub.hub.emergency_commands.declare(batch, args, "bench")
        outcome = await hub.hub.run_internal("emergency.declare", job())
        assert outcome.ok, outcome.error
    return len(hub.hub.emergencies.active_ids)


def case_link_cost(count: int = 2000, rounds: int = 7) -> dict[str, Any]:
    """Microseconds per `case.create` job (best of `rounds`), without and with three active emergencies."""
    directory = Directory.load()
    org = OrgChart(directory)
    sim = Simulator(directory, seed=3, rate=50)
    creates = [msgspec.structs.replace(a, received_at=None)
               for _, a in sim.arrivals(DAY + timedelta(hours=9), DAY + timedelta(hours=12))][:count]
    book = EmergencyBook()
    engine = CaseEngine(directory, locate=org.locate, link=CaseLinker(book).link)
    now = datetime.now(UTC)

    def per_case() -> tuple[float, int]:
        best, linked = float("inf"), 0
        for _ in range(rounds):
            batch = Batch(now=now, next_seq=1, cases={}, counters={})
            start = time.perf_counter()
            outcomes = [engine.create(batch, args, "bench") for args in creates]
            best = min(best, (time.perf_counter() - start) / len(creates))
            linked = sum(1 for o in outcomes if len(o.events) > 1)
        return round(best * 1e6, 2), linked

    none_us, _ = per_case()
    commands = EmergencyCommands(book, org, load_plans(None))
    counters: dict[str, int] = {}
    for args in _EMERGENCIES:
        batch = Batch(now=now, next_seq=1, cases={}, counters=counters)
        book.fold([], commands.declare(batch, args, "bench").events)
        counters.update(batch.counters_changed)
    three_us, linked = per_case()
    return {"cases": len(creates), "create_job_us_no_emergency": none_us, "create_job_us_3_active": three_us,
            "linked_of_them": linked, "added_us_per_case": round(three_us - none_us, 2)}


async def commands_per_s(db: str, count: int, emergencies: bool = False) -> dict[str, Any]:
    try:
        return await _commands_per_s(db, count, emergencies)
    finally:
        gc.unfreeze()  # the phases after this one see the collector as an embedded hub leaves it


async def _commands_per_s(db: str, count: int, emergencies: bool) -> dict[str, Any]:
    async with EmbeddedHub(db, simulate=False, own_process=True) as hub:
        active = await _declare_emergencies(hub) if emergencies else 0
        creates, _ = _command_frames(hub, count // 3)
        elapsed_create = await _pipeline(hub.url, hub.token, creates)
        ids = list(hub.hub.writer.cases)
        steps = [encode(Command(id=uuid.uuid4().hex, name="case.register", args={"id": i})) for i in ids]
        steps += [encode(Command(id=uuid.uuid4().hex, name="case.dispatch", args={"id": i, "unit_id": "MH"}))
                  for i in ids]
        elapsed_steps = await _pipeline(hub.url, hub.token, steps)
        total = len(creates) + len(steps)
        baseline_frames = creates + steps
        linked = sum(1 for c in hub.hub.writer.cases.values() if c.emergency_id is not None)
    return {"commands": total, "active_emergencies": active, "cases_linked": linked,
            "commands_per_s": round(total / (elapsed_create + elapsed_steps), 1),
            "create_per_s": round(len(creates) / elapsed_create, 1),
            "register_dispatch_per_s": round(len(steps) / elapsed_steps, 1), "_frames": baseline_frames}


@contextlib.contextmanager
def fresh_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url`, dropped afterwards: every run writes the same log
    into the same empty tables (a run into a database holding an earlier run's cases dispatched those too)."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"bench_engine_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


async def echo_baseline(frames: list[bytes]) -> float:
    answer_ok = '{"type":"command.result","id":"x","ok":true,"result":{}}'

    async def handler(ws: Any) -> None:
        async for _ in ws:
            await ws.send(answer_ok)

    async with serve(handler, "127.0.0.1", 0, subprotocols=[PROTOCOL_VERSION], compression=None) as server:  # type: ignore[list-item]
        port = next(iter(server.sockets)).getsockname()[1]
        elapsed = await _pipeline(f"ws://127.0.0.1:{port}/feed", None, frames)
    return round(len(frames) / elapsed, 1)


def timers_in_own_process(db: str, open_cases: int) -> dict[str, Any]:
    """`timers` in a fresh spawned process: its RSS is the hub's, not this process's earlier phases'."""
    ctx = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=ctx) as pool:
        return pool.submit(_run_timers, db, open_cases).result()


def _run_timers(db: str, open_cases: int) -> dict[str, Any]:
    return asyncio.run(timers(db, open_cases))


async def timers(db: str, open_cases: int) -> dict[str, Any]:
    clock_now = [DAY + timedelta(hours=7)]
    rss_before = rss_mb()
    async with EmbeddedHub(db, simulate=False, clock=lambda: clock_now[0]) as hub:
        sim = Simulator(hub.hub.directory, seed=5, rate=50)
        pool = [msgspec.structs.replace(a, received_at=None)
                for _, a in sim.arrivals(DAY - timedelta(days=1), DAY)][:5000]
        created = 0
        while created < open_cases:
            n = min(2000, open_cases - created)
            def job(args: Any) -> Any:
                return lambda batch: hub.hub.cases.create(batch, args, "bench")

            await asyncio.gather(*(hub.hub.run_internal("case.create", job(pool[(created + i) % len(pool)]))
                                   for i in range(n)))
            created += n
        rss_loaded = rss_mb()
        keeper = hub.hub.timekeeper
        assert keeper is not None
        await keeper.stop()  # drive the scheduler by hand, tick by tick
        scheduler = keeper.scheduler
        tracked = len(scheduler)
        ticks, changes = [], 0
        cpu_ticks: list[float] = []  # the same ticks in the thread's CPU time: the scheduler's work without preemption
        pauses: list[float] = []  # the cyclic collector's passes that started inside a tick
        between: list[float] = []  # and those that started between ticks (the bench's own loop)
        started_at = [0.0]
        in_tick = [False]
        inside = [False]

        def on_gc(phase: str, _info: dict[str, int]) -> None:
            if phase == "start":
                started_at[0] = time.perf_counter()
                inside[0] = in_tick[0]
            else:
                (pauses if inside[0] else between).append(time.perf_counter() - started_at[0])

        def tick(now: datetime) -> int:
            in_tick[0] = True
            cpu_start = time.thread_time()
            start = time.perf_counter()
            due = scheduler.due(now, 200)
            ticks.append(time.perf_counter() - start)
            cpu_ticks.append(time.thread_time() - cpu_start)
            in_tick[0] = False
            return len(due)

        gc.callbacks.append(on_gc)
        for second in range(0, 11 * 3600):
            now = DAY + timedelta(hours=7, seconds=second)
            n = tick(now)
            changes += n
            while n == 200:  # the keeper commits a slice and comes straight back
                n = tick(now)
                changes += n
        gc.callbacks.remove(on_gc)
        timers_list = [c.overall for c in hub.hub.writer.cases.values() if c.overall]
        scans = []
        for k in range(20):
            now = DAY + timedelta(hours=8 + k / 2)
            start = time.perf_counter()
            for t in timers_list:
                level_at(t, now)
            scans.append(time.perf_counter() - start)
    ticks.sort()
    cpu_ticks.sort()
    return {"open_cases": open_cases, "timers_tracked": tracked, "level_changes": changes,
            "tick_max_ms": round(1000 * ticks[-1], 3), "tick_p99_ms": round(1000 * ticks[int(0.99 * len(ticks))], 4),
            "tick_longest_5_ms": [round(1000 * t, 3) for t in ticks[-5:]],
            "tick_cpu_max_ms": round(1000 * cpu_ticks[-1], 3),
            "tick_cpu_longest_5_ms": [round(1000 * t, 3) for t in cpu_ticks[-5:]],
            "ticks": len(ticks), "baseline_scan_tick_ms": round(1000 * sorted(scans)[len(scans) // 2], 2),
            "gc_passes_inside_ticks": len(pauses), "gc_longest_pass_inside_ms": round(1000 * max(pauses, default=0), 3),
            "gc_passes_between_ticks": len(between),
            "hub_rss_mb": round(rss_loaded, 1), "rss_before_hub_mb": round(rss_before, 1)}


async def simulated_day(db: str, hours: float) -> dict[str, Any]:
    end = DAY + timedelta(hours=hours)
    async with EmbeddedHub(db, simulate=True, rate=50, backfill_hours=hours, clock=lambda: end) as hub:
        driver = hub.driver
        assert driver is not None
        driver.history = Simulator(hub.hub.directory, seed=1, rate=50)  # the day itself at 50x
        start = time.perf_counter()
        await asyncio.wait_for(driver.settled.wait(), 3600)
        elapsed = time.perf_counter() - start
        return {"hours": hours, "cases": len(hub.hub.writer.cases), "events": hub.hub.head_seq,
                "seconds": round(elapsed, 1), "events_per_s": round(hub.hub.head_seq / elapsed, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=6000)
    parser.add_argument("--open-cases", type=int, default=100_000)
    parser.add_argument("--sim-hours", type=float, default=24)
    parser.add_argument("--pg", help="PostgreSQL URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test): the "
                        "phase runs in a new database made beside it and dropped after, as the tests do")
    parser.add_argument("--skip", nargs="*", default=[], choices=["commands", "link", "timers", "day"])
    parser.add_argument("--emergencies", action="store_true",
                        help="three active emergencies while the commands run (cases checked against their areas)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "engine.json")
    args = parser.parse_args()
    report: dict[str, Any] = {"benchmark": "engine", "when": datetime.now(UTC).isoformat(timespec="seconds"),
                              "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    targets: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "commands" not in args.skip:
            sqlite = asyncio.run(commands_per_s(f"sqlite:///{tmp}/c.db", args.commands, args.emergencies))
            frames = sqlite.pop("_frames")
            report["commands_sqlite"] = sqlite
            report["baseline_echo_commands_per_s"] = asyncio.run(echo_baseline(frames))
            targets["sqlite_commands_per_s"] = {"target": TARGETS["sqlite_commands_per_s"],
                                                "figure": sqlite["commands_per_s"],
                                                "met": sqlite["commands_per_s"] >= TARGETS["sqlite_commands_per_s"]}
            if args.pg:
                with fresh_database(args.pg) as url:
                    pg = asyncio.run(commands_per_s(url, args.commands, args.emergencies))
                pg.pop("_frames")
                report["commands_postgres"] = pg
                targets["postgres_commands_per_s"] = {"target": TARGETS["postgres_commands_per_s"],
                                                      "figure": pg["commands_per_s"],
                                                      "met": pg["commands_per_s"] >= TARGETS["postgres_commands_per_s"]}
        if "link" not in args.skip:
            report["case_link"] = case_link_cost()
        if "timers" not in args.skip:
            t = timers_in_own_process(f"sqlite:///{tmp}/t.db", args.open_cases)
            report["timers"] = t
            targets["tick_ms"] = {"target": TARGETS["tick_ms"], "figure": t["tick_max_ms"],
                                  "met": t["tick_max_ms"] <= TARGETS["tick_ms"]}
            targets["gc_passes_inside_ticks"] = {"target": 0, "figure": t["gc_passes_inside_ticks"],
                                                 "met": t["gc_passes_inside_ticks"] == 0}
            targets["hub_rss_mb"] = {"target": TARGETS["rss_mb"], "figure": t["hub_rss_mb"],
                                     "met": t["hub_rss_mb"] <= TARGETS["rss_mb"]}
        if "day" not in args.skip:
            report["simulated_day_50x"] = asyncio.run(simulated_day(f"sqlite:///{tmp}/d.db", args.sim_hours))
    report["targets"] = targets
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
