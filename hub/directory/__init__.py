"""The district's reference data: streets/towns, committees, case categories and the boundary.

Loaded once at hub start from `resources/data` (shipped inside the package, so end users need
no shared folder). Every file problem becomes one `DirectoryError` naming the file and line: a
hub that cannot tell where a case belongs must not start with half a directory.

Street and committee areas are APPROXIMATE. No openly licensed street/town boundaries exist for
the district, so its polygon is partitioned by nearest seed point: one hand-placed approximate
centre per street (`street_seeds.csv`; a deterministic point inside the polygon for a street
it omits) and one deterministic point per committee inside its street's area. Screens that show
these areas must say they are approximate; a real centre imports its own surveyed boundaries.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hub.directory.geometry import EdgeIndex, distance2
from hub.directory.loaders import load_boundary, load_categories, load_seeds, load_units
from hub.directory.records import Category, Committee, DirectoryError, District, Point, Polygon, Ring, Street

UNITS_FILE = "minhang_units.csv"
BOUNDARY_FILE = "minhang_boundary.geojson"
CATEGORIES_FILE = "categories.csv"
SEEDS_FILE = "street_seeds.csv"
"""Optional: without it every street gets a deterministic but arbitrary seed."""

_PLACEMENT_TRIES = 50_000


def default_data_dir() -> Path:
    """`resources/data` of the installed package (a checkout or a wheel alike)."""
    return Path(str(resources.files("resources").joinpath("data")))


@dataclass
class Directory:
    """Streets, committees, categories and boundary of the one district this hub serves."""

    district: District
    streets: dict[str, Street]
    committees: dict[str, Committee]
    categories: dict[str, Category]
    boundary: list[Polygon]
    """Polygons of (lon, lat) rings: the outer ring first, then holes."""
    index: EdgeIndex = field(repr=False)
    _by_street: dict[str, list[Committee]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, data_dir: Path | None = None) -> Directory:
        """Read the files of `data_dir` (default: the package's resources/data)."""
        folder = data_dir or default_data_dir()
        district, street_names, raw_committees = load_units(folder / UNITS_FILE)
        boundary = load_boundary(folder / BOUNDARY_FILE, district.code)
        categories = load_categories(folder / CATEGORIES_FILE)
        index = EdgeIndex.build(boundary)
        seeds_path = folder / SEEDS_FILE
        seeds = load_seeds(seeds_path, street_names, index) if seeds_path.exists() else {}
        streets = {
            code: Street(code, name, seeds.get(code) or index.random_point(random.Random(f"street:{code}")))
            for code, name in street_names.items()
        }
        directory = cls(district, streets, {}, categories, boundary, index)
        directory._place_committees(raw_committees)
        return directory

    def _place_committees(self, raw: list[tuple[str, str, str]]) -> None:
        """One point per committee, drawn from its own code so the layout never shifts.

        Seeded by the committee's code (not by file order), so adding one committee to the CSV
        moves no other committee's area.
        """
        self._by_street = {code: [] for code in self.streets}
        box = self.index
        for code, name, street_code in sorted(raw):
            rng = random.Random(f"committee:{code}")
            seed = self.streets[street_code].seed
            for _ in range(_PLACEMENT_TRIES):
                point = (rng.uniform(box.west, box.east), rng.uniform(box.south, box.north))
                if self.street_of(*point).code == street_code and self.contains(*point):
                    seed = (round(point[0], 6), round(point[1], 6))
                    break
            committee = Committee(code, name, street_code, seed)
            self.committees[code] = committee
            self._by_street[street_code].append(committee)

    def contains(self, lon: float, lat: float) -> bool:
        """True when the point lies inside the district boundary."""
        return self.index.contains(lon, lat)

    def street_of(self, lon: float, lat: float) -> Street:
        """The street with the nearest seed: an APPROXIMATE partition (see the module docstring)."""
        return min(self.streets.values(), key=lambda street: distance2((lon, lat), street.seed))

    def committee_of(self, lon: float, lat: float) -> Committee | None:
        """The nearest committee within the point's street (approximate); None if it has none."""
        candidates = self._by_street[self.street_of(lon, lat).code]
        if not candidates:
            return None
        return min(candidates, key=lambda committee: distance2((lon, lat), committee.seed))

    def committees_in(self, street_code: str) -> list[Committee]:
        """The committees of one street, by code."""
        return list(self._by_street.get(street_code, []))

    def random_point(self, rng: random.Random) -> Point:
        """A uniformly random point inside the district."""
        return self.index.random_point(rng)


__all__ = [
    "Category",
    "Committee",
    "Directory",
    "DirectoryError",
    "District",
    "Point",
    "Polygon",
    "Ring",
    "Street",
    "default_data_dir",
]
