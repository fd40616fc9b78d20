"""Hot-spot analysis over 100,000 cases: what `analysis.hotspots` costs the hub.

    python bench/hotspots.py [--cases 100000] [--repeat 5]

* query, cold: what the hub does for the first `analysis.hotspots` after a commit: the columns
  read from 100,000 `Case` structs in memory (`hub.analysis.columns.read`), then the statistics
  (`hub.analysis.hotspots.find`: binning, Poisson tests, sparse Gi*, Benjamini-Hochberg);
* query, warm: the same question again before the next commit (the columns are cached), i.e.
  the statistics alone;
* baseline: the same analysis written as a plain Python loop over the cases (dict counts,
  neighbour lookups, the Poisson tail summed term by term, the normal tail by `math.erfc`, BH by a
  sort), run in the same process on the same cases; it must find the same hot spots.

The cases: nine weeks over the hub's 441 grids of Minhang, busier towards the middle, with a
planted surge in three grids in the last week. Target: the cold query <= 2 s (issue 13).
Prints a table and JSON, and writes the JSON to bench/results/hotspots.json.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from hub.analysis import columns, hotspots  # noqa: E402
from hub.directory import Directory  # noqa: E402
from hub.org import grids as grid_cells  # noqa: E402
from protocol import OPEN_STATUSES, Case, CaseStatus, Channel  # noqa: E402

TARGET_S = 2.0
END = datetime(2026, 6, 1, tzinfo=UTC)
DAY = 86400.0


def make_cases(n: int, seed: int = 1) -> tuple[list[Case], list[str], list[str]]:
    rng = random.Random(seed)
    grids = list(grid_cells.generate(Directory.load()).values())
    xs = [int(g.id[1:6]) for g in grids]
    ys = [int(g.id[7:11]) for g in grids]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    weights = [0.3 + math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 80.0) for x, y in zip(xs, ys, strict=True)]
    surge = sorted(grids, key=lambda g: g.id)[200:203]
    cases = []
    categories = ["03001", "03005", "01001", "01002"]
    for i in range(n):
        if i < 150:
            grid = surge[i % 3]
            at = END - timedelta(seconds=rng.uniform(1, 7 * DAY - 1))
        else:
            grid = rng.choices(grids, weights)[0]
            at = END - timedelta(seconds=rng.uniform(1, 63 * DAY - 1))
        lon0, lat0 = grid.ring[0]
        cases.append(Case(id=f"{i:016x}", serial=f"MH-{i}", version=1, status=CaseStatus.RECEIVED, received_at=at,
                          updated_at=at, channel=Channel.HOTLINE_12345, category_code=categories[i % 4],
                          category_zh="类", category_en="category", street_code=grid.street_code, street_name="街道",
                          address="路", description="", lon=lon0 + rng.uniform(0.0005, 0.0095),
                          lat=lat0 + rng.uniform(0.0005, 0.0095)))
    return cases, [g.id for g in grids], [g.id for g in surge]


def query(cases: list[Case], grid_ids: list[str], cols: columns.CaseColumns | None = None) -> list[str]:
    cols = cols if cols is not None else columns.read(cases, OPEN_STATUSES)
    xy = [columns.grid_xy(g) for g in grid_ids]
    keys = columns.cell_key(np.asarray([p[0] for p in xy if p]), np.asarray([p[1] for p in xy if p]))
    end = END.timestamp()
    found = hotspots.find(cols, keys, hotspots.Window(end - 7 * DAY, end, end - 63 * DAY))
    return [str(h["cell"]) for h in found["hotspots"]]  # type: ignore[index,union-attr]


def _poisson_sf(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), summed term by term."""
    if k <= 0:
        return 1.0
    term, total = math.exp(-mu), 0.0
    for i in range(k):
        total += term
        term *= mu / (i + 1)
    return max(0.0, 1.0 - total)


def _bh(p: dict[str, float]) -> dict[str, float]:
    order = sorted(p, key=lambda c: p[c])
    n, q, running = len(order), {}, 1.0
    for rank in range(n, 0, -1):
        cell = order[rank - 1]
        running = min(running, p[cell] * n / rank)
        q[cell] = running
    return q


def baseline(cases: list[Case], grid_ids: list[str]) -> list[str]:
    """The same analysis in plain Python: one loop over the cases, then one over the grids."""
    end = END.timestamp()
    start, history_start = end - 7 * DAY, end - 63 * DAY
    area = set(grid_ids)
    count = dict.fromkeys(area, 0)
    history = dict.fromkeys(area, 0)
    for case in cases:
        if case.exercise_id is not None or case.duplicate_of is not None:
            continue
        t = case.received_at.timestamp()
        if not history_start <= t < end:
            continue
        cell = grid_cells.grid_id(case.lon, case.lat)
        if cell not in area:
            continue
        if t >= start:
            count[cell] += 1
        else:
            history[cell] += 1
    ratio = 7 / 56
    expected = {c: (history[c] + 0.5) * ratio for c in area}
    excess = {c: (count[c] - expected[c]) / math.sqrt(expected[c]) for c in area}
    n = len(area)
    mean = sum(excess.values()) / n
    s = math.sqrt(sum(v * v for v in excess.values()) / n - mean * mean)
    z, p_space, p_time = {}, {}, {}
    for cell in area:
        x, y = columns.grid_xy(cell) or (0, 0)
        around = [columns.cell_id(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        around = [a for a in around if a in area]
        w = len(around)
        local = sum(excess[a] for a in around)
        z[cell] = (local - mean * w) / (s * math.sqrt((n * w - w * w) / (n - 1)))
        p_space[cell] = 0.5 * math.erfc(z[cell] / math.sqrt(2))
        p_time[cell] = _poisson_sf(count[cell], expected[cell])
    q_space, q_time = _bh(p_space), _bh(p_time)
    hot = [c for c in area if q_time[c] < 0.05 and q_space[c] < 0.05 and count[c] >= 3 and count[c] > expected[c]]
    return sorted(hot, key=lambda c: -z[c])


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cases, grid_ids, surge = make_cases(args.cases)
    cold_s, found = timed(lambda: query(cases, grid_ids), args.repeat)
    cols = columns.read(cases, OPEN_STATUSES)
    warm_s, _ = timed(lambda: query(cases, grid_ids, cols), args.repeat)
    base_s, base_found = timed(lambda: baseline(cases, grid_ids), max(1, args.repeat // 2))
    result = {
        "benchmark": "hotspots", "cases": args.cases, "grids": len(grid_ids), "python": platform.python_version(),
        "machine": platform.machine(),
        "query_cold_s": round(cold_s, 4), "target_query_cold_s": TARGET_S, "meets_target": cold_s <= TARGET_S,
        "query_warm_s": round(warm_s, 4),
        "baseline_pure_python_s": round(base_s, 4), "speedup_cold_vs_baseline": round(base_s / cold_s, 1),
        "hot_spots": found, "planted": surge, "baseline_hot_spots": base_found,
        "same_as_baseline": found == base_found, "planted_found": sorted(surge) == sorted(found or []),
    }
    print(f"{'what':<34}{'seconds':>10}{'target':>10}")
    print(f"{'query, cold (columns + stats)':<34}{cold_s:>10.3f}{TARGET_S:>10.1f}")
    print(f"{'query, warm (stats, cached cols)':<34}{warm_s:>10.3f}{'':>10}")
    print(f"{'baseline: plain Python loop':<34}{base_s:>10.3f}{'':>10}")
    print(f"hot spots {found}; planted {surge}; baseline agrees: {found == base_found}")
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "hotspots.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
