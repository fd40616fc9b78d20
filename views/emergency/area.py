"""Where an emergency applies, on the hub's map: its rings, the grids it touches, the cases inside.

An emergency's area is streets, grids or a polygon (a CAP warning's); all empty is the whole
district. The area is the union of what it names: a case is inside when its street or its grid
is named, or its point lies in the polygon. Pure Python, no Qt: the room's map tab draws what
this returns, and a test checks it without a screen.

>>> from protocol import Geography, GridArea, StreetArea
>>> from protocol.emergency import EmergencyArea
>>> square = [(0.0, 0.0), (2.0, 0.0), (2.0, 1.0), (0.0, 1.0), (0.0, 0.0)]
>>> g = Geography(version="v1", district_code="310112", district_name="闵行区", boundary=[square],
...               boundary_source="test", approximate=True,
...               streets=[StreetArea(code="S1", name="一街", seed=(0.5, 0.5), area=[(0.0, 0.0), (1.0, 0.0),
...                        (1.0, 1.0), (0.0, 1.0)]),
...                        StreetArea(code="S2", name="二街", seed=(1.5, 0.5), area=[(1.0, 0.0), (2.0, 0.0),
...                        (2.0, 1.0), (1.0, 1.0)])],
...               grids=[GridArea(id="G1", street_code="S1", committee_code="C1",
...                               ring=[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
...                      GridArea(id="G2", street_code="S2", committee_code="C2",
...                               ring=[(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)])])
>>> shapes = area_shapes(EmergencyArea(street_codes=["S2"]), g)
>>> shapes.grid_ids, shapes.whole_district, len(shapes.rings)
(['G2'], False, 1)
>>> shapes.contains(street_code="S2", grid_id=None, lon=1.5, lat=0.5)
True
>>> shapes.contains(street_code="S1", grid_id="G1", lon=0.5, lat=0.5)
False
>>> triangle = area_shapes(EmergencyArea(polygon=[[0.0, 0.0], [1.2, 0.0], [0.0, 1.0]]), g)
>>> triangle.grid_ids, triangle.contains(street_code="S2", grid_id="G2", lon=0.2, lat=0.2)
(['G1'], True)
>>> area_shapes(EmergencyArea(), g).whole_district, area_shapes(EmergencyArea(), g).grid_ids
(True, ['G1', 'G2'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from protocol import Geography
from protocol.emergency import EmergencyArea
from protocol.enums import OPEN_STATUSES
from protocol.events import Case

Point = tuple[float, float]
Ring = list[Point]


def in_ring(lon: float, lat: float, ring: Sequence[Sequence[float]]) -> bool:
    """Even-odd ray casting: is (lon, lat) inside the ring (closed or not)?

    >>> in_ring(0.5, 0.5, [(0, 0), (1, 0), (1, 1), (0, 1)]), in_ring(1.5, 0.5, [(0, 0), (1, 0), (1, 1)])
    (True, False)
    """
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % count][0], ring[(i + 1) % count][1]
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _centre(ring: Sequence[Sequence[float]]) -> Point:
    """The mean of a ring's corners (a grid cell is small and convex enough for this)."""
    pts = list(ring[:-1]) if len(ring) > 1 and tuple(ring[0]) == tuple(ring[-1]) else list(ring)
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


@dataclass(frozen=True)
class AreaShapes:
    """One emergency's area drawn on one map."""

    rings: list[Ring]
    """What to highlight: the named streets' areas, the named grids, the polygon (empty: whole district)."""
    grid_ids: list[str]
    """The grids the area touches (sorted): named ones, those of named streets, those centred in the polygon."""
    whole_district: bool
    street_codes: frozenset[str] = frozenset()
    named_grids: frozenset[str] = frozenset()
    polygon: list[Point] = field(default_factory=list)

    def contains(self, *, street_code: str, grid_id: str | None, lon: float, lat: float) -> bool:
        if self.whole_district:
            return True
        if street_code in self.street_codes or (grid_id is not None and grid_id in self.named_grids):
            return True
        return len(self.polygon) >= 3 and in_ring(lon, lat, self.polygon)

    def contains_case(self, case: Case) -> bool:
        return self.contains(street_code=case.street_code, grid_id=case.grid_id, lon=case.lon, lat=case.lat)


def area_shapes(area: EmergencyArea, geography: Geography) -> AreaShapes:
    """The rings and grids of `area` on the hub's map (named streets or grids it does not know are skipped)."""
    polygon = [(p[0], p[1]) for p in area.polygon]
    whole = not (area.street_codes or area.grid_ids or len(polygon) >= 3)
    codes, named = frozenset(area.street_codes), frozenset(area.grid_ids)
    rings: list[Ring] = []
    if not whole:
        rings += [[(x, y) for x, y in s.area] for s in geography.streets if s.code in codes and s.area]
        rings += [[(x, y) for x, y in g.ring] for g in geography.grids if g.id in named]
        if len(polygon) >= 3:
            rings.append(polygon)
    grids = sorted(g.id for g in geography.grids
                   if whole or g.id in named or g.street_code in codes
                   or (len(polygon) >= 3 and in_ring(*_centre(g.ring), polygon)))
    return AreaShapes(rings=rings, grid_ids=grids, whole_district=whole, street_codes=codes, named_grids=named,
                      polygon=polygon)


def open_cases_inside(cases: Iterable[Case], shapes: AreaShapes, *, exercise: bool) -> list[Case]:
    """The open cases inside the area, drill cases for a drill and real ones otherwise (never mixed)."""
    return [c for c in cases if c.status in OPEN_STATUSES and (c.exercise_id is not None) == exercise
            and shapes.contains_case(c)]
