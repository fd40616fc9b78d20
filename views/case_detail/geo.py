"""The district's shapes for the case map, from `resources/data` (see its SOURCES.md).

The boundary is the ECharts sketch of 闵行区; street areas are APPROXIMATE: like the hub, the
district is split by nearest hand-placed street seed (a Voronoi cell clipped to the boundary by
the map). Grid cells follow the hub's generated 0.01° lattice, whose ids name the south-west
corner. Pure Python, read once per process.

>>> grid_cell("G12135-3105")[:2]
[(121.35, 31.05), (121.36, 31.05)]
>>> grid_cell("nonsense") is None
True
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

Point = tuple[float, float]
Ring = list[Point]

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "data"
BOUNDARY_SOURCE = "Apache ECharts (Apache-2.0)"
"""Credit for the boundary, as resources/data/SOURCES.md gives its origin."""
GRID_DEG = 0.01
_GRID_ID = re.compile(r"^G(\d{5})-(\d{4})$")


@dataclass(frozen=True)
class Seed:
    code: str
    name: str
    point: Point


@dataclass(frozen=True)
class District:
    rings: list[Ring]
    """Outer rings and holes of the boundary (even-odd), (lon, lat)."""
    seeds: dict[str, Seed]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north."""
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return min(lons), min(lats), max(lons), max(lats)

    def street_area(self, code: str) -> Ring | None:
        """The approximate area of a street: points nearer its seed than any other (unclipped)."""
        seed = self.seeds.get(code)
        if seed is None:
            return None
        west, south, east, north = self.bounds
        scale = math.cos(math.radians((south + north) / 2))  # as the hub ranks distances
        box = [(west - 0.05, south - 0.05), (east + 0.05, south - 0.05), (east + 0.05, north + 0.05),
               (west - 0.05, north + 0.05)]
        cell = [(lon * scale, lat) for lon, lat in box]
        sx, sy = seed.point[0] * scale, seed.point[1]
        for other in self.seeds.values():
            if other.code == code:
                continue
            ox, oy = other.point[0] * scale, other.point[1]
            # keep p with (o - s)·p <= (|o|² - |s|²) / 2: nearer s than o
            cell = _clip(cell, ox - sx, oy - sy, (ox * ox + oy * oy - sx * sx - sy * sy) / 2)
            if not cell:
                return None
        return [(x / scale, y) for x, y in cell]


def _clip(ring: Ring, a: float, b: float, c: float) -> Ring:
    """Sutherland–Hodgman: the part of a convex ring where a·x + b·y <= c."""
    out: Ring = []
    for i, p in enumerate(ring):
        q = ring[(i + 1) % len(ring)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def grid_cell(grid_id: str | None) -> Ring | None:
    """The square of a generated grid (`G12135-3105`: from 121.35° E, 31.05° N), or None."""
    match = _GRID_ID.match(grid_id or "")
    if match is None:
        return None
    lon, lat = int(match.group(1)) * GRID_DEG, int(match.group(2)) * GRID_DEG
    return [(round(x, 6), round(y, 6)) for x, y in
            ((lon, lat), (lon + GRID_DEG, lat), (lon + GRID_DEG, lat + GRID_DEG), (lon, lat + GRID_DEG))]


@functools.cache
def district(data_dir: Path = DATA_DIR) -> District:
    """The boundary and the street seeds (read once)."""
    data = json.loads((data_dir / "minhang_boundary.geojson").read_text(encoding="utf-8"))
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    rings: list[Ring] = []
    for feature in features:
        geometry = feature.get("geometry", feature)
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings += [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]
    seeds: dict[str, Seed] = {}
    with (data_dir / "street_seeds.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            seeds[row["code"]] = Seed(row["code"], row["name"], (float(row["lon"]), float(row["lat"])))
    return District(rings, seeds)
