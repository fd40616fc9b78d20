"""The organisation a new hub starts from: centres, committees and grids from the directory, plus
the bureaus, police and member units of `org_bureaus.csv`. Edits and imports are events on top."""

from __future__ import annotations

from pathlib import Path

from hub.directory import Directory, default_data_dir
from hub.org.grids import Grid
from hub.org.units_file import read_units
from protocol import Unit, UnitKind

DISTRICT_CENTRE = "MH"
BUREAUS_FILE = "org_bureaus.csv"


def street_centre(street_code: str) -> str:
    return f"S{street_code}"


def committee_unit(committee_code: str) -> str:
    return f"C{committee_code}"


def seed_units(directory: Directory, grids: dict[str, Grid], data_dir: Path | None = None) -> list[Unit]:
    units = [Unit(id=DISTRICT_CENTRE, name=f"{directory.district.name}城市运行管理中心",
                  kind=UnitKind.DISTRICT_CENTRE)]
    for street in directory.streets.values():
        units.append(Unit(id=street_centre(street.code), name=f"{street.name}城运分中心",
                          kind=UnitKind.STREET_CENTRE, parent_id=DISTRICT_CENTRE, street_code=street.code))
    for committee in directory.committees.values():
        units.append(Unit(id=committee_unit(committee.code), name=committee.name, kind=UnitKind.COMMITTEE,
                          parent_id=street_centre(committee.street_code), street_code=committee.street_code,
                          committee_code=committee.code))
    for grid in grids.values():
        owner = directory.committees[grid.committee_code]
        units.append(Unit(id=grid.id, name=f"{owner.name}{grid.id}网格", kind=UnitKind.GRID,
                          parent_id=committee_unit(grid.committee_code), street_code=grid.street_code,
                          committee_code=grid.committee_code, workers=list(grid.workers)))
    units.extend(read_units((data_dir or default_data_dir()) / BUREAUS_FILE))
    return units
