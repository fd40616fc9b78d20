"""The district's map as the hub holds it: what the `geography` message carries to every client.

Street areas are the hub's own partition (nearest seed, as `Directory.street_of` ranks them;
longitude is scaled here by the cosine of the district's mid latitude, there by the two points'
mean latitude, which agree to metres within a district), so a wall or a drill-down draws the
areas the hub places cases in. Grids are the organisation's.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable

import msgspec

from hub.directory import Directory
from hub.org.grids import Grid, generate
from protocol import Geography, GridArea, StreetArea

BOUNDARY_SOURCE = "Apache ECharts (Apache-2.0)"
"""Credit for the shipped district boundary (resources/data/SOURCES.md)."""

Point = tuple[float, float]


def build(directory: Directory, grids: Iterable[Grid], boundary_source: str = BOUNDARY_SOURCE) -> Geography:
    """The `geography` of this directory and these grids; its `version` is a digest of the content."""
    rings = [[[float(x), float(y)] for x, y in ring] for polygon in directory.boundary for ring in polygon]
    seeds = {code: street.seed for code, street in directory.streets.items()}
    streets = [
        StreetArea(code=code, name=street.name, seed=list(street.seed),
                   area=[list(p) for p in street_area(code, seeds, _bounds(rings))])
        for code, street in sorted(directory.streets.items())
    ]
    cells = [GridArea(id=g.id, street_code=g.street_code, committee_code=g.committee_code,
                      ring=[[x, y] for x, y in g.ring]) for g in sorted(grids, key=lambda g: g.id)]
    draft = Geography(version="", district_code=directory.district.code, district_name=directory.district.name,
                      boundary=rings, boundary_source=boundary_source, approximate=True, streets=streets,
                      grids=cells)
    digest = hashlib.sha256(msgspec.json.encode(draft)).hexdigest()[:16]
    return msgspec.structs.replace(draft, version=digest)


def shipped() -> Geography:
    """The map of the shipped district (Minhang) and its generated grids: for tools and tests."""
    directory = Directory.load()
    return build(directory, generate(directory).values())


def _bounds(rings: list[list[list[float]]]) -> tuple[float, float, float, float]:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def street_area(code: str, seeds: dict[str, Point], bounds: tuple[float, float, float, float]) -> list[Point]:
    """The convex cell of points nearer `code`'s seed than any other, inside the bounds (+0.05°)."""
    west, south, east, north = bounds
    scale = math.cos(math.radians((south + north) / 2))
    box = [(west - 0.05, south - 0.05), (east + 0.05, south - 0.05), (east + 0.05, north + 0.05),
           (west - 0.05, north + 0.05)]
    cell = [(lon * scale, lat) for lon, lat in box]
    sx, sy = seeds[code][0] * scale, seeds[code][1]
    for other, (lon, lat) in seeds.items():
        if other == code:
            continue
        ox, oy = lon * scale, lat
        # keep p with (o - s)·p <= (|o|² - |s|²) / 2: nearer s than o
        cell = _clip(cell, ox - sx, oy - sy, (ox * ox + oy * oy - sx * sx - sy * sy) / 2)
        if not cell:
            return []
    return [(round(x / scale, 6), round(y, 6)) for x, y in cell]


def _clip(ring: list[Point], a: float, b: float, c: float) -> list[Point]:
    """Sutherland–Hodgman: the part of a convex ring where a·x + b·y <= c."""
    out: list[Point] = []
    for i, p in enumerate(ring):
        q = ring[(i + 1) % len(ring)]
        fp, fq = a * p[0] + b * p[1] - c, a * q[0] + b * q[1] - c
        if fp <= 0:
            out.append(p)
        if (fp < 0 < fq) or (fq < 0 < fp):
            t = fp / (fp - fq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out
