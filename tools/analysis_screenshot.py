"""Seeded cases for the analysis view's screenshot: nine weeks over the district with two planted surges.

    await seed_demo(feed, grids)   # through case.create with received_at in the past, on a running hub

Every grid gets a steady background of a few everyday categories (busier towards the district's
middle); one grid gets a surge of overflowing bins this week and a block of three grids a surge
of road-surface damage, so the hot-spot view has something a reader can check. Seeded, so the
pictures are the same each time. Used by `tools/screenshot.py --analysis`.
"""

from __future__ import annotations

import asyncio
import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from backend_client.connection import FeedConnection
from protocol.messages import GridArea

WEEKS = 9
BACKGROUND = ("03001", "03005", "05001", "01015", "05004")


def _point(grid: GridArea, rng: random.Random) -> tuple[float, float]:
    lons = [p[0] for p in grid.ring]
    lats = [p[1] for p in grid.ring]
    return (round(rng.uniform(min(lons) + 0.0005, max(lons) - 0.0005), 6),
            round(rng.uniform(min(lats) + 0.0005, max(lats) - 0.0005), 6))


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _args(grid: GridArea, category: str, at: datetime, rng: random.Random) -> dict[str, Any]:
    lon, lat = _point(grid, rng)
    return {"channel": "hotline_12345", "category_code": category, "street_code": grid.street_code,
            "description": "历史工单", "address": f"{rng.choice('东西南北中')}环路 {rng.randint(1, 400)} 号",
            "lon": lon, "lat": lat, "received_at": at.isoformat().replace("+00:00", "Z")}


async def seed_demo(feed: FeedConnection, grids: list[GridArea], categories: set[str], seed: int = 3) -> int:
    """Create the cases; returns how many."""
    rng = random.Random(seed)
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    span = WEEKS * 7 * 86400.0
    background = [c for c in BACKGROUND if c in categories] or sorted(categories)[:5]
    xs = [float(g.id[1:6]) for g in grids]
    ys = [float(g.id[7:11]) for g in grids]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    commands = []
    for grid, x, y in zip(grids, xs, ys, strict=True):
        busy = 0.4 + 1.6 * math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 60.0)
        for _ in range(_poisson(rng, busy * WEEKS)):
            commands.append(_args(grid, rng.choice(background), end - timedelta(seconds=rng.uniform(60, span)), rng))
    ordered = sorted(grids, key=lambda g: g.id)
    by_id = {g.id: g for g in grids}
    single = ordered[len(ordered) // 3]
    bins = "05001" if "05001" in categories else background[0]
    road = "01015" if "01015" in categories else background[-1]
    for _ in range(24):
        commands.append(_args(single, bins, end - timedelta(seconds=rng.uniform(60, 6.5 * 86400)), rng))
    start = ordered[2 * len(ordered) // 3]
    x0, y0 = int(start.id[1:6]), int(start.id[7:11])
    block = [g for g in (by_id.get(f"G{x0 + dx:05d}-{y0:04d}") for dx in range(3)) if g is not None]
    for grid in block:
        for _ in range(11):
            commands.append(_args(grid, road, end - timedelta(seconds=rng.uniform(60, 6.5 * 86400)), rng))
    for chunk in range(0, len(commands), 200):
        answers = await asyncio.gather(*(feed.send_command("case.create", c) for c in commands[chunk:chunk + 200]))
        refused = [a for a in answers if not a.ok]
        if refused:
            raise SystemExit(f"case.create refused: {refused[0].error}")
    return len(commands)
