"""The wall map's areas: the district boundary, its streets (approximate) and its grid cells.

From the same shipped shapes as the case drill-down (`views/case_detail/geo.py`): street areas
are the hub's nearest-seed split, clipped to the boundary; grid cells are the hub's 0.01°
lattice, kept where the hub keeps it: the cell's centre or a corner inside the district, so
every grid the hub's figures name has its area on the map. Built once per process.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath, QPolygonF

from views.case_detail import geo
from widgets.wall_map import MapArea

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class MapGeography:
    boundary: list[Ring]
    areas: list[MapArea]
    area_ids: frozenset[str]


def _inside(point: tuple[float, float], rings: list[Ring]) -> bool:
    """Even-odd rule over every ring (outer rings and holes)."""
    x, y = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def _probes(lon: float, lat: float, step: float) -> list[tuple[float, float]]:
    """The points the hub tries to place a cell in its district (hub/org/grids.py): centre, then corners."""
    e = 1e-6
    return [(lon + step / 2, lat + step / 2), (lon + e, lat + e), (lon + step - e, lat + e),
            (lon + e, lat + step - e), (lon + step - e, lat + step - e)]


def _path(rings: list[Ring]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(path.fillRule().OddEvenFill)
    for ring in rings:
        path.addPolygon(QPolygonF([QPointF(x, y) for x, y in ring]))
        path.closeSubpath()
    return path


def _rings(path: QPainterPath) -> list[Ring]:
    rings = []
    for polygon in path.toSubpathPolygons():
        if polygon.size() >= 3:
            rings.append([(polygon.at(i).x(), polygon.at(i).y()) for i in range(polygon.size())])
    return rings


@functools.cache
def map_geography() -> MapGeography:
    district = geo.district()
    boundary = [list(ring) for ring in district.rings]
    outline = _path(boundary)
    areas: list[MapArea] = []
    for code, seed in sorted(district.seeds.items()):
        area = district.street_area(code)
        if area is None:
            continue
        clipped = _rings(_path([list(area)]).intersected(outline))
        if clipped:
            areas.append(MapArea(id=code, name=seed.name, rings=clipped, kind="street", label=True))
    west, south, east, north = district.bounds
    step = geo.GRID_DEG
    for i in range(math.floor(west / step), math.ceil(east / step)):
        for j in range(math.floor(south / step), math.ceil(north / step)):
            lon, lat = round(i * step, 2), round(j * step, 2)
            if not any(_inside(probe, boundary) for probe in _probes(lon, lat, step)):
                continue
            grid_id = f"G{round(lon * 100):05d}-{round(lat * 100):04d}"
            cell = geo.grid_cell(grid_id)
            if cell is not None:
                areas.append(MapArea(id=grid_id, name=grid_id, rings=[list(cell)], kind="grid", label=False))
    return MapGeography(boundary=boundary, areas=areas, area_ids=frozenset(a.id for a in areas))
