"""A centre other than Minhang, made from its data: agencies as units, neighbourhoods as streets.

The centre is kept in the database it was imported into (`hub_meta`, key `centre`, JSON), so a hub
opened on that database (`python -m hub serve --db baltimore.db`, the units and export commands)
serves that centre: its district, streets, units, routing and map extent, with no folder to carry
around. It is written as the same reference files the shipped district has (units, boundary,
street seeds, categories, bureaus, routing rules) into a temporary folder and read back by the
same loaders, so a centre from data is checked exactly like the shipped one.

- Streets: one per neighbourhood or district of the data, placed at the mean of its cases' points
  (the hub's street areas are the nearest-seed partition, approximate as for Minhang). The code
  is drawn from the name (`BAL` + 6 hex digits), so it stays the same whatever else the file holds.
- Units: the district centre (`MH`, the hub's top unit, named after the centre), a street centre
  per street, and one bureau per agency (`A-` + the agency's letters and digits).
- Map extent: the mapping's area box; committees and grids: none (no data has them).
- Routing: for each category, the agency that handled most of its cases (by agreement, 商定).
- A later import adds streets and units; it never moves or removes one.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.db import schema
from hub.directory import BOUNDARY_FILE, CATEGORIES_FILE, SEEDS_FILE, UNITS_FILE, Directory, default_data_dir
from hub.importing.mapping import Mapping
from hub.importing.rows import Record
from hub.org.chart import POLICE, RULES_FILE, OrgChart
from hub.org.seed import BUREAUS_FILE, DISTRICT_CENTRE

META_KEY = "centre"


@dataclass
class CentreData:
    code: str
    name: str
    zone: str
    area: tuple[float, float, float, float]
    boundary_source: str
    streets: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Street code → {"name", "lon", "lat"}."""
    units: dict[str, str] = field(default_factory=dict)
    """Agency unit id → its name."""
    agency_units: dict[str, str] = field(default_factory=dict)
    """Source agency → unit id."""
    rules: dict[str, str] = field(default_factory=dict)
    """Category code → the unit id most of its cases went to."""

    def street_code(self, name: str) -> str | None:
        return next((code for code, s in self.streets.items() if s["name"] == name[:60]), None)

    def to_json(self) -> str:
        return json.dumps({"code": self.code, "name": self.name, "zone": self.zone, "area": list(self.area),
                           "boundary_source": self.boundary_source, "streets": self.streets, "units": self.units,
                           "agency_units": self.agency_units, "rules": self.rules}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CentreData:
        d = json.loads(text)
        return cls(code=d["code"], name=d["name"], zone=d["zone"], area=tuple(d["area"]),
                   boundary_source=d["boundary_source"], streets=d["streets"], units=d["units"],
                   agency_units=d["agency_units"], rules=d.get("rules", {}))


@dataclass
class StoredCentre:
    """What a hub needs of a centre kept in its database."""

    data: CentreData
    directory: Directory
    chart: OrgChart


def street_code(centre: str, name: str) -> str:
    """The code of the street named `name` in `centre`: drawn from the name, the same in every import."""
    return f"{centre}{hashlib.sha1(name.encode()).hexdigest()[:6].upper()}"


def _unit_id(agency: str, taken: set[str]) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "", agency.upper())[:20] or "AGENCY"
    unit = f"A-{slug}"
    if unit in taken:
        unit = f"A-{slug[:14]}-{hashlib.sha1(agency.encode()).hexdigest()[:5].upper()}"
    return unit


def build(mapping: Mapping, records: Iterable[Record], existing: CentreData | None) -> CentreData:
    """The centre of `mapping` with the streets and agencies of `records` added to `existing`."""
    centre = existing or CentreData(code=mapping.centre_code, name=mapping.centre_name, zone=mapping.zone.key,
                                    area=mapping.area, boundary_source=mapping.boundary_source)
    points: dict[str, list[tuple[float, float]]] = {}
    handled: Counter[tuple[str, str]] = Counter()
    agency_names: dict[str, str] = {}
    for record in records:
        points.setdefault(record.street, []).append((record.lon, record.lat))
        handled[(record.category_code, record.agency)] += 1
        agency_names.setdefault(record.agency, record.agency_name)
    west, south, east, north = centre.area
    inset_x, inset_y = (east - west) * 1e-4, (north - south) * 1e-4
    for name, where in sorted(points.items()):
        if centre.street_code(name) is not None:
            continue
        lon = min(max(sum(p[0] for p in where) / len(where), west + inset_x), east - inset_x)
        lat = min(max(sum(p[1] for p in where) / len(where), south + inset_y), north - inset_y)
        centre.streets[street_code(centre.code, name[:60])] = {"name": name[:60], "lon": round(lon, 6),
                                                           "lat": round(lat, 6)}
    for agency in sorted(agency_names):
        if agency not in centre.agency_units:
            unit = _unit_id(agency, set(centre.units) | {POLICE, DISTRICT_CENTRE})
            centre.agency_units[agency] = unit
            centre.units[unit] = agency_names[agency][:60]
    best: dict[str, tuple[int, str]] = {}
    for (category, agency), count in sorted(handled.items()):
        if count > best.get(category, (0, ""))[0]:
            best[category] = (count, agency)
    for category, (_count, agency) in best.items():
        centre.rules.setdefault(category, centre.agency_units[agency])
    return centre


def write_files(centre: CentreData, folder: Path) -> None:
    """The centre as the reference files `Directory.load` and `OrgChart` read."""
    units = io.StringIO()
    out = csv.writer(units, lineterminator="\n")
    out.writerow(["level", "code", "name", "parent_code"])
    out.writerow(["district", centre.code, centre.name, ""])
    for code, street in sorted(centre.streets.items()):
        out.writerow(["street_town", code, street["name"], centre.code])
    (folder / UNITS_FILE).write_text(units.getvalue(), encoding="utf-8")
    west, south, east, north = centre.area
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    (folder / BOUNDARY_FILE).write_text(json.dumps({"type": "Feature", "properties": {"adcode": centre.code,
                                                    "name": centre.name},
                                                    "geometry": {"type": "Polygon", "coordinates": [ring]}}),
                                        encoding="utf-8")
    seeds = io.StringIO()
    out = csv.writer(seeds, lineterminator="\n")
    out.writerow(["code", "name", "lon", "lat"])
    for code, street in sorted(centre.streets.items()):
        out.writerow([code, street["name"], street["lon"], street["lat"]])
    (folder / SEEDS_FILE).write_text(seeds.getvalue(), encoding="utf-8")
    (folder / CATEGORIES_FILE).write_bytes((default_data_dir() / CATEGORIES_FILE).read_bytes())
    bureaus = io.StringIO()
    out = csv.writer(bureaus, lineterminator="\n")
    out.writerow(["id", "name", "kind", "parent_id"])
    for unit, name in sorted(centre.units.items()):
        out.writerow([unit, name, "bureau", DISTRICT_CENTRE])
    out.writerow([POLICE, f"{centre.name} police (110)", "police", DISTRICT_CENTRE])
    (folder / BUREAUS_FILE).write_text(bureaus.getvalue(), encoding="utf-8")
    rules = io.StringIO()
    out = csv.writer(rules, lineterminator="\n")
    out.writerow(["rule_id", "category", "street", "target", "basis", "note_zh", "note_en"])
    for category, unit in sorted(centre.rules.items()):
        name = centre.units[unit]
        out.writerow([f"R-{category}", category, "*", unit, "agreement", f"导入数据中此类案件多由{name}处置",
                      f"most imported cases of this category went to {name}"])
    (folder / RULES_FILE).write_text(rules.getvalue(), encoding="utf-8")


def read(engine: Engine) -> CentreData | None:
    """The centre kept in this database, or None (Minhang, or a database not yet prepared)."""
    try:
        with engine.connect() as conn:
            text = conn.execute(sa.select(schema.meta.c.value).where(schema.meta.c.key == META_KEY)).scalar()
    except sa.exc.SQLAlchemyError:
        return None
    return CentreData.from_json(text) if text else None


def save(engine: Engine, centre: CentreData) -> None:
    """Keep the centre in the database (after checking that it loads)."""
    materialise(centre)
    with engine.begin() as conn:
        done = conn.execute(sa.update(schema.meta).where(schema.meta.c.key == META_KEY)
                            .values(value=centre.to_json())).rowcount
        if not done:
            conn.execute(schema.meta.insert().values(key=META_KEY, value=centre.to_json()))


def materialise(centre: CentreData) -> StoredCentre:
    """The centre's directory and organisation chart, read through the hub's own loaders."""
    with tempfile.TemporaryDirectory(prefix="cc-centre-") as name:
        folder = Path(name)
        write_files(centre, folder)
        directory = Directory.load(folder)
        chart = OrgChart(directory, folder)
    return StoredCentre(centre, directory, chart)


def open_stored(engine: Engine) -> StoredCentre | None:
    """The centre this database serves when it is not Minhang (`hub.core.Hub` asks at start)."""
    centre = read(engine)
    return materialise(centre) if centre is not None else None
