"""The wall's figures with 100,000 cases: what they cost the commit path and the event loop.

    python bench/figures.py [--cases 100000]

* fold: `FiguresProjection.fold` of one changed case (one step of the loop, one new trace),
  the work the writer adds per case a commit changed; measured over many single-case folds and
  over commits of 200 cases;
* build: the projection from 100,000 cases in memory, as a hub that opens on a full log does;
* publish: `figures()` plus encoding, the work the event loop does once per publish (at most
  every `figures_interval_s`), and the frame's size;
* baseline: the obvious way, a full recount over every case for each publish (the same
  numbers but the open state and this month's steps scanned from all 100,000 cases).

Targets: a fold <= 5 µs per changed case; a publish <= 10 ms (it runs on the event loop).
Prints JSON and writes it to bench/results/figures.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402

from hub.directory import Directory  # noqa: E402
from hub.engine.cases import CENTRE_ZONE  # noqa: E402
from hub.engine.figures import FiguresProjection  # noqa: E402
from protocol import OPEN_STATUSES, Case, CaseStatus, Channel, SlaLevel, encode  # noqa: E402
from protocol.events import Timer, Trace  # noqa: E402

TARGETS = {"fold_us_per_case": 5.0, "publish_ms": 10.0}
NOW = datetime(2026, 11, 24, 2, 30, tzinfo=UTC)
STEPS = [("register", CaseStatus.REGISTERED), ("dispatch", CaseStatus.DISPATCHED), ("sign", CaseStatus.SIGNED),
         ("start", CaseStatus.HANDLING), ("feedback", CaseStatus.FEEDBACK), ("verify", CaseStatus.CLOSED),
         ("callback", CaseStatus.CALLED_BACK)]


def make_cases(n: int, streets: list[str]) -> list[Case]:
    rng = random.Random(1)
    units = [f"u-{i:03d}" for i in range(200)]
    grids = [f"G{i:05d}" for i in range(440)]
    channels = list(Channel)
    cases = []
    for k in range(n):
        received = NOW - timedelta(minutes=rng.randrange(0, 40 * 24 * 60))
        steps = rng.randrange(0, len(STEPS) + 1)
        unit = rng.choice(units)
        history = [Trace(at=received + timedelta(minutes=10 * (i + 1)), actor="bench", action=a, status=s,
                         unit_id=unit if i >= 1 else None) for i, (a, s) in enumerate(STEPS[:steps])]
        status = history[-1].status if history else CaseStatus.RECEIVED
        overall = Timer(started_at=received, due_at=received + timedelta(hours=48),
                        yellow_at=received + timedelta(hours=24), orange_at=received + timedelta(hours=38))
        cases.append(Case(
            id=f"c{k:07d}", serial=f"MH2026-{k:06d}", version=1 + steps, status=status, received_at=received,
            updated_at=history[-1].at if history else received, channel=rng.choice(channels), category_code="01001",
            category_zh="", category_en="", street_code=rng.choice(streets), street_name="", address="",
            description="", lon=121.4, lat=31.1, grid_id=rng.choice(grids), unit_id=unit if steps >= 2 else None,
            unit_name=unit if steps >= 2 else None, level=rng.choice(list(SlaLevel)), overall=overall,
            satisfied=(rng.random() < 0.8) if steps == len(STEPS) else None, history=history,
        ))
    return cases


def recount(cases: list[Case], now: datetime) -> dict[str, object]:
    """The baseline: every publish scans every case."""
    local = now.astimezone(CENTRE_ZONE)
    month = (local.year, local.month)
    levels: Counter[str] = Counter()
    units: Counter[tuple[str | None, str]] = Counter()
    for case in cases:
        if case.status in OPEN_STATUSES:
            levels[case.level.value] += 1
            units[(case.unit_id, "open")] += 1
            units[(case.street_code, "open")] += 1
            units[(case.grid_id, "open")] += 1
        for trace in case.history:
            at = trace.at.astimezone(CENTRE_ZONE)
            if (at.year, at.month) == month:
                units[(trace.unit_id, trace.action)] += 1
    return {"levels": levels, "units": len(units)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    directory = Directory.load()
    streets = {code: s.name for code, s in directory.streets.items()}
    cases = make_cases(args.cases, list(streets))

    projection = FiguresProjection(CENTRE_ZONE, streets)
    t = time.perf_counter()
    projection.build(cases, NOW)
    build_s = time.perf_counter() - t

    # One step for each open case: the before is the case, the after has one more trace.
    movable = [c for c in cases if c.status in OPEN_STATUSES and len(c.history) < len(STEPS)][:20_000]
    afters = []
    for case in movable:
        action, status = STEPS[len(case.history)]
        trace = Trace(at=NOW, actor="bench", action=action, status=status, unit_id=case.unit_id or "u-000")
        afters.append(msgspec.structs.replace(case, status=status, history=(*case.history, trace),
                                              unit_id=trace.unit_id, version=case.version + 1))
    old = {c.id: c for c in movable}
    t = time.perf_counter()
    for after in afters:
        projection.fold(old, {after.id: after}, NOW)
    fold_single_us = (time.perf_counter() - t) / len(afters) * 1e6
    # The same steps undone and redone in commits of 200 cases.
    back = {a.id: a for a in afters}
    batches = [{a.id: old[a.id] for a in afters[i:i + 200]} for i in range(0, len(afters), 200)]
    t = time.perf_counter()
    for batch in batches:
        projection.fold(back, batch, NOW)
    fold_batch_us = (time.perf_counter() - t) / len(afters) * 1e6

    runs = []
    for _ in range(20):
        projection.version += 1
        t = time.perf_counter()
        frame = encode(projection.figures(args.cases, NOW))
        runs.append(time.perf_counter() - t)
    publish_ms = sorted(runs)[len(runs) // 2] * 1e3

    t = time.perf_counter()
    recount(cases, NOW)
    baseline_ms = (time.perf_counter() - t) * 1e3

    result = {
        "benchmark": "figures",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cases": args.cases,
        "open_cases": sum(1 for c in cases if c.status in OPEN_STATUSES),
        "fold_us_per_case": round(fold_single_us, 2),
        "fold_us_per_case_in_commits_of_200": round(fold_batch_us, 2),
        "build_s": round(build_s, 3),
        "publish_ms": round(publish_ms, 2),
        "frame_bytes": len(frame),
        "baseline_full_recount_ms": round(baseline_ms, 1),
        "publish_vs_baseline": round(baseline_ms / publish_ms, 1),
        "targets": TARGETS,
        "met": {"fold_us_per_case": fold_single_us <= TARGETS["fold_us_per_case"],
                "publish_ms": publish_ms <= TARGETS["publish_ms"]},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "figures.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
