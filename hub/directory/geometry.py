"""Point-in-polygon and nearest-point helpers, in plain Python (the hub has no GIS dependency)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from hub.directory.records import DirectoryError, Point, Polygon

_BANDS = 64
"""Latitude bands of the edge index; 64 keeps one point test to a few dozen edges."""

Edge = tuple[float, float, float, float]


def distance2(a: Point, b: Point) -> float:
    """Squared distance with longitude shrunk by cos(lat): good enough to rank nearby points."""
    dx = (a[0] - b[0]) * math.cos(math.radians((a[1] + b[1]) / 2))
    return dx * dx + (a[1] - b[1]) ** 2


@dataclass(frozen=True)
class EdgeIndex:
    """Every ring edge bucketed by latitude band, so ray casting looks at few edges.

    Simulated load tests place thousands of points a second; scanning all ~530 edges of the
    district for each would dominate the simulator's cost.
    """

    west: float
    south: float
    east: float
    north: float
    bands: tuple[tuple[Edge, ...], ...]

    @classmethod
    def build(cls, polygons: list[Polygon]) -> EdgeIndex:
        lons = [p[0] for poly in polygons for ring in poly for p in ring]
        lats = [p[1] for poly in polygons for ring in poly for p in ring]
        south, north = min(lats), max(lats)
        bands: list[list[Edge]] = [[] for _ in range(_BANDS)]
        for poly in polygons:
            for ring in poly:
                for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
                    if y1 == y2:
                        continue
                    for band in range(_band(south, north, min(y1, y2)), _band(south, north, max(y1, y2)) + 1):
                        bands[band].append((x1, y1, x2, y2))
        return cls(min(lons), south, max(lons), north, tuple(tuple(band) for band in bands))

    def contains(self, lon: float, lat: float) -> bool:
        """Even-odd ray casting over every ring: holes and several polygons come out right."""
        if not (self.south <= lat <= self.north and self.west <= lon <= self.east):
            return False
        inside = False
        for x1, y1, x2, y2 in self.bands[_band(self.south, self.north, lat)]:
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
        return inside

    def random_point(self, rng: random.Random, tries: int = 100_000) -> Point:
        """A uniformly random point inside (rejection sampling in the bounding box)."""
        for _ in range(tries):
            point = (rng.uniform(self.west, self.east), rng.uniform(self.south, self.north))
            if self.contains(*point):
                return point
        raise DirectoryError("the boundary encloses no area")


def _band(south: float, north: float, lat: float) -> int:
    span = (north - south) or 1.0
    return min(_BANDS - 1, max(0, int((lat - south) / span * _BANDS)))
