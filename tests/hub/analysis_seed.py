"""Cases with a known shape for the analysis tests: a uniform field over a block of grids, and a surge.

Every case goes in through `case.create` on a real hub (with `received_at` in the past), so the
analysis reads what the hub made of them, not what the test meant.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from hub.embedded import EmbeddedHub
from hub.org.grids import Grid
from tests.hub.conftest import WAIT_S, RawClient, greet

WEEKS = 9
"""Eight weeks of history and the week analysed."""


@dataclass
class Field:
    grids: list[Grid]
    end: datetime
    """Every case is received before this (the analyses' `until`)."""
    background: str
    """The category of the uniform field; the surge's is `surge`."""
    surge: str
    surge_grid: Grid | None = None
    surge_ids: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    repeated_address: str = ""
    repeated_ids: list[str] = field(default_factory=list)


def block(hub: EmbeddedHub, size: int = 8) -> list[Grid]:
    """A square block of `size`×`size` grids of the district (the one nearest its middle that is full)."""
    grids = hub.hub.org.grids
    by_xy = {(int(g.id[1:6]), int(g.id[7:11])): g for g in grids.values()}
    xs = sorted(x for x, _ in by_xy)
    ys = sorted(y for _, y in by_xy)
    mid_x, mid_y = xs[len(xs) // 2], ys[len(ys) // 2]
    for radius in range(0, 30):
        for x0 in (mid_x - radius, mid_x + radius):
            for y0 in (mid_y - radius, mid_y + radius):
                cells = [by_xy.get((x, y)) for x in range(x0, x0 + size) for y in range(y0, y0 + size)]
                if all(c is not None for c in cells):
                    return [c for c in cells if c is not None]
    raise AssertionError("no full block of grids")


def _point(grid: Grid, rng: random.Random) -> tuple[float, float]:
    (west, south), (east, _), (_, north) = grid.ring[0], grid.ring[1], grid.ring[2]
    return (round(rng.uniform(west + 0.0005, east - 0.0005), 6), round(rng.uniform(south + 0.0005, north - 0.0005), 6))


def case_args(grid: Grid, category: str, at: datetime, rng: random.Random, address: str = "",
              **extra: Any) -> dict[str, Any]:
    lon, lat = _point(grid, rng)
    return {"channel": "hotline_12345", "category_code": category, "street_code": grid.street_code,
            "description": "分析测试", "address": address or f"测试路 {rng.randint(1, 999)} 号", "lon": lon,
            "lat": lat, "received_at": at.isoformat().replace("+00:00", "Z"), **extra}


async def create_all(client: RawClient, commands: list[dict[str, Any]]) -> list[str]:
    """Send every `case.create` at once (pipelined) and return the case ids, in order."""
    ids = [f"seed-{n}" for n in range(len(commands))]
    for command_id, args in zip(ids, commands, strict=True):
        await client.send({"type": "command", "id": command_id, "name": "case.create", "args": args})
    answers: dict[str, str] = {}
    while len(answers) < len(ids):
        frame = await asyncio.wait_for(client.recv(), WAIT_S)
        if frame["type"] == "command.result":
            assert frame["ok"], frame
            answers[frame["id"]] = frame["result"]["id"]
    return [answers[i] for i in ids]


async def seed(hub: EmbeddedHub, *, surge: int = 0, per_week: float = 2.0, seed_n: int = 7,
               drills_in_surge_grid: int = 0) -> Field:
    """A uniform field (Poisson, `per_week` a grid, over `WEEKS` weeks) on a block of grids, and `surge`
    more cases of another category in one grid of the block in the last week."""
    rng = random.Random(seed_n)
    grids = block(hub)
    background, surge_category = sorted(hub.hub.directory.categories)[:2]
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    start = end - timedelta(weeks=WEEKS)
    span = (end - start).total_seconds()
    commands = []
    for grid in grids:
        n = _poisson(rng, per_week * WEEKS)
        for _ in range(n):
            at = start + timedelta(seconds=rng.uniform(0, span - 1))
            commands.append(case_args(grid, background, at, rng))
    result = Field(grids=grids, end=end, background=background, surge=surge_category)
    surge_grid = grids[len(grids) // 2 + 3]
    surge_commands = [case_args(surge_grid, surge_category, end - timedelta(seconds=rng.uniform(60, 6.5 * 86400)), rng)
                      for _ in range(surge)]
    drill_commands = [case_args(surge_grid, surge_category, end - timedelta(seconds=rng.uniform(60, 6.5 * 86400)), rng,
                                exercise_id="DRILL-1") for _ in range(drills_in_surge_grid)]
    address = "莘庄镇 复发路 8 号"
    repeated = [case_args(grids[0], surge_category, end - timedelta(days=d, hours=3), rng, address=address)
                for d in (2, 9, 23, 40)]
    client, _ = await greet(hub)
    try:
        ids = await create_all(client, commands + surge_commands + drill_commands + repeated)
    finally:
        await client.ws.close()
    result.ids = ids[: len(commands)]
    if surge:
        result.surge_grid = surge_grid
        result.surge_ids = ids[len(commands): len(commands) + surge]
    result.repeated_address = address
    result.repeated_ids = ids[-len(repeated):]
    return result


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth), from the test's own seeded generator."""
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
