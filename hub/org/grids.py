"""Grids (网格) over the district: square cells of 0.01° (about 1 km), each owned by a committee.

No open data gives Minhang's real grid boundaries, so the hub generates them: every cell of a
0.01° lattice that touches the district polygon (its centre or a corner inside) becomes a grid,
owned by the committee nearest to the cell's inside point. Ids name the cell's south-west corner
(`G12135-3105` starts at 121.35° E, 31.05° N), so they are stable whatever else changes. Finding
the grid of a point is arithmetic, not a search. A real centre imports its surveyed grids.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from hub.directory import Directory, Point

CELL_DEG = 0.01
_SCALE = round(1 / CELL_DEG)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红玉兰文斌婷雪琳晨浩宇欣怡"


@dataclass(frozen=True, slots=True)
class Grid:
    id: str
    committee_code: str
    street_code: str
    ring: list[Point]
    """The cell's outline, closed (first point repeated), (lon, lat)."""
    workers: tuple[str, ...]


def grid_id(lon: float, lat: float) -> str:
    """The id of the cell holding (lon, lat)."""
    return f"G{math.floor(lon * _SCALE):05d}-{math.floor(lat * _SCALE):04d}"


def generate(directory: Directory) -> dict[str, Grid]:
    """Every cell touching the district, with its owning committee and one or two grid workers."""
    west, south = math.floor(directory.index.west * _SCALE), math.floor(directory.index.south * _SCALE)
    east, north = math.ceil(directory.index.east * _SCALE), math.ceil(directory.index.north * _SCALE)
    grids: dict[str, Grid] = {}
    for x in range(west, east):
        for y in range(south, north):
            lon0, lat0 = x / _SCALE, y / _SCALE
            probes = [(lon0 + CELL_DEG / 2, lat0 + CELL_DEG / 2), (lon0 + 1e-6, lat0 + 1e-6),
                      (lon0 + CELL_DEG - 1e-6, lat0 + 1e-6), (lon0 + 1e-6, lat0 + CELL_DEG - 1e-6),
                      (lon0 + CELL_DEG - 1e-6, lat0 + CELL_DEG - 1e-6)]
            inside = next((p for p in probes if directory.contains(*p)), None)
            if inside is None:
                continue
            committee = directory.committee_of(*inside)
            if committee is None:
                continue
            gid = grid_id(lon0 + CELL_DEG / 2, lat0 + CELL_DEG / 2)
            ring = [(lon0, lat0), (lon0 + CELL_DEG, lat0), (lon0 + CELL_DEG, lat0 + CELL_DEG),
                    (lon0, lat0 + CELL_DEG), (lon0, lat0)]
            grids[gid] = Grid(gid, committee.code, committee.street_code, [_round(p) for p in ring],
                              _workers(gid))
    return grids


def _round(point: Point) -> Point:
    return (round(point[0], 4), round(point[1], 4))


def _workers(gid: str) -> tuple[str, ...]:
    """One or two made-up names, drawn from the grid's id (the same every start)."""
    rng = random.Random(f"grid:{gid}")
    return tuple(rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
                 for _ in range(rng.choice((1, 2))))
