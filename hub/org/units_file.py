"""Units in a CSV file: the shipped bureaus and what `python -m hub units import FILE` reads.

Columns: `id,name,kind,parent_id` and optionally `street_code,committee_code,workers` (workers
separated by `;`). Every row is checked against the protocol's own `unit.upsert` rules, so a file
accepted here is one the hub would accept as commands; a bad row is an error naming the line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import msgspec

from hub.directory import DirectoryError
from protocol import Unit, UnitUpsertArgs

REQUIRED = ("id", "name", "kind", "parent_id")
OPTIONAL = ("street_code", "committee_code", "workers")


def read_units(path: Path) -> list[Unit]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise DirectoryError(f"{path.name}: missing columns {', '.join(missing)} "
                                     f"(expected {','.join(REQUIRED + OPTIONAL)})")
            units: list[Unit] = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                unit = _unit(path.name, line, row)
                if unit.id in seen:
                    raise DirectoryError(f"{path.name} line {line}: unit {unit.id!r} appears twice")
                seen.add(unit.id)
                units.append(unit)
    except OSError as exc:
        raise DirectoryError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"{path.name}: not UTF-8 ({exc.reason})") from exc
    except csv.Error as exc:
        raise DirectoryError(f"{path.name}: not a CSV file ({exc})") from exc
    return units


def _unit(name: str, line: int, row: dict[str, str | None]) -> Unit:
    values: dict[str, object] = {}
    for column in REQUIRED + OPTIONAL:
        text = (row.get(column) or "").strip()
        if column == "workers":
            values[column] = [w.strip() for w in text.split(";") if w.strip()]
        elif text:
            values[column] = text
    try:
        args = msgspec.convert(values, UnitUpsertArgs)
    except msgspec.ValidationError as exc:
        raise DirectoryError(f"{name} line {line}: {exc}") from exc
    return unit_of(args)


def unit_of(args: UnitUpsertArgs) -> Unit:
    return Unit(id=args.id, name=args.name, kind=args.kind, parent_id=args.parent_id,
                street_code=args.street_code, committee_code=args.committee_code, workers=list(args.workers))
