"""Where a call's point lies: the hub's answer (`geo.locate`), or the console's own reading of the map.

While the hub is away the console places a point from the `geography` the hub sent: the street
whose area holds it and the grid whose cell holds it. The case is then created with the street
alone and the hub fills in the committee and grid from the point (as `case.create` does).

>>> from protocol import Geography, GridArea, StreetArea
>>> g = Geography(version="v", district_code="D", district_name="区", boundary=[], boundary_source="t",
...               approximate=True, streets=[StreetArea(code="S1", name="一街", seed=(0.5, 0.5),
...               area=[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)])],
...               grids=[GridArea(id="G1", street_code="S1", committee_code="C1",
...                               ring=[(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (0.0, 0.5), (0.0, 0.0)])])
>>> place = place_locally(g, 0.2, 0.2)
>>> place.street_code, place.grid_id, place.from_hub
('S1', 'G1', False)
>>> place_locally(g, 5.0, 5.0) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from protocol import Geography


@dataclass(frozen=True, slots=True)
class Place:
    lon: float
    lat: float
    street_code: str
    street_name: str
    committee_code: str | None = None
    committee_name: str | None = None
    grid_id: str | None = None
    from_hub: bool = True
    """False: placed by the console from its map while the hub was away (the hub completes it)."""

    @classmethod
    def from_result(cls, lon: float, lat: float, result: dict[str, Any]) -> Place:
        return cls(lon, lat, str(result["street_code"]), str(result["street_name"]), result.get("committee_code"),
                   result.get("committee_name"), result.get("grid_id"))


def _inside(ring: Sequence[Sequence[float]], lon: float, lat: float) -> bool:
    """Even-odd ray casting."""
    inside = False
    for i in range(len(ring)):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[i - 1][0], ring[i - 1][1]
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def place_locally(geography: Geography, lon: float, lat: float) -> Place | None:
    """The street area and grid cell holding the point, or None outside every street area."""
    street = next((s for s in geography.streets if len(s.area) >= 3 and _inside(s.area, lon, lat)), None)
    if street is None:
        return None
    grid = next((g for g in geography.grids if _inside(g.ring, lon, lat)), None)
    return Place(lon, lat, street.code, street.name, None, None, grid.id if grid else None, from_hub=False)
