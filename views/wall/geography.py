"""The wall map's areas, from the hub's `geography`: the boundary, its streets and its grids.

Street areas are the hub's own (clipped here to the boundary); grids are exactly the hub's, so
every grid its figures name has its area on the map, for Minhang's shipped organisation or a
centre's own. Built once per version of the hub's map.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPath, QPolygonF

from protocol import Geography
from widgets.wall_map import MapArea

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class MapGeography:
    version: str
    boundary: list[Ring]
    areas: list[MapArea]
    area_ids: frozenset[str]
    source: str
    """Credit line of the boundary's source."""
    approximate: bool


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


_held: dict[str, MapGeography] = {}


def map_geography(geography: Geography) -> MapGeography:
    """The wall's areas of one `geography` message (built once per version)."""
    held = _held.get(geography.version)
    if held is not None:
        return held
    boundary = [[(x, y) for x, y in ring] for ring in geography.boundary]
    outline = _path(boundary)
    areas: list[MapArea] = []
    for street in sorted(geography.streets, key=lambda s: s.code):
        if not street.area:
            continue
        clipped = _rings(_path([[(x, y) for x, y in street.area]]).intersected(outline))
        if clipped:
            areas.append(MapArea(id=street.code, name=street.name, rings=clipped, kind="street", label=True))
    for grid in geography.grids:
        areas.append(MapArea(id=grid.id, name=grid.id, rings=[[(x, y) for x, y in grid.ring]], kind="grid",
                             label=False))
    held = MapGeography(version=geography.version, boundary=boundary, areas=areas,
                        area_ids=frozenset(a.id for a in areas), source=geography.boundary_source,
                        approximate=geography.approximate)
    _held.clear()
    _held[geography.version] = held
    return held
