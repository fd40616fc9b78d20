"""The district's shapes for the maps, from the hub's `geography` message.

The hub sends its map once per connection (when the console does not hold that version): the
boundary, each street's area as the hub places cases in it, and every grid's outline. Street
areas are the hub's approximation when `approximate` is set, and a map must say so. Pure
Python; one `District` is kept per version.

>>> from protocol import Geography, GridArea, StreetArea
>>> g = Geography(version="v1", district_code="310112", district_name="闵行区",
...               boundary=[[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]], boundary_source="test",
...               approximate=True, streets=[StreetArea(code="S1", name="一街", seed=(0.5, 0.5),
...               area=[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)])],
...               grids=[GridArea(id="G1", street_code="S1", committee_code="C1",
...                               ring=[(0.0, 0.0), (0.5, 0.0), (0.5, 0.5), (0.0, 0.5), (0.0, 0.0)])])
>>> district_of(g).grid_cell("G1")[:2]
[(0.0, 0.0), (0.5, 0.0)]
>>> district_of(g).grid_cell("nonsense") is None
True
>>> district_of(g).bounds
(0.0, 0.0, 1.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from protocol import Geography

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Street:
    code: str
    name: str
    seed: Point
    area: Ring


@dataclass(frozen=True)
class District:
    version: str
    name: str
    rings: list[Ring]
    """Outer rings and holes of the boundary (even-odd), (lon, lat)."""
    streets: dict[str, Street]
    grids: dict[str, Ring]
    source: str
    """Credit line of the boundary's source."""
    approximate: bool

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """West, south, east, north."""
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return min(lons), min(lats), max(lons), max(lats)

    def street_area(self, code: str) -> Ring | None:
        """The street's area as the hub places cases in it (unclipped), or None."""
        street = self.streets.get(code)
        return list(street.area) if street is not None and street.area else None

    def grid_cell(self, grid_id: str | None) -> Ring | None:
        """The grid's outline, or None for a grid the hub did not name."""
        ring = self.grids.get(grid_id or "")
        return list(ring) if ring is not None else None


_held: dict[str, District] = {}


def district_of(geography: Geography) -> District:
    """The shapes of one `geography` message (built once per version)."""
    held = _held.get(geography.version)
    if held is None:
        held = District(
            version=geography.version,
            name=geography.district_name,
            rings=[[(x, y) for x, y in ring] for ring in geography.boundary],
            streets={s.code: Street(s.code, s.name, (s.seed[0], s.seed[1]), [(x, y) for x, y in s.area])
                     for s in geography.streets},
            grids={g.id: [(x, y) for x, y in g.ring] for g in geography.grids},
            source=geography.boundary_source,
            approximate=geography.approximate,
        )
        _held.clear()  # one hub, one map: the newest replaces the last
        _held[geography.version] = held
    return held
