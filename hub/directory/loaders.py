"""Readers of the directory's files. Each problem becomes one `DirectoryError` naming file and line.

A duty officer who mistypes a code in a centre's own CSV should read "categories.csv, line 12:
limit_kind 'workday' is not working|calendar", not a traceback from deep inside the hub.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hub.directory.geometry import EdgeIndex
from hub.directory.records import Category, DirectoryError, District, Point, Polygon, Ring

_CODE = re.compile(r"^[0-9A-Za-z_.-]{1,32}$")
"""The protocol's `Code` pattern: a centre may add local codes beside the official ones."""

UnitRows = tuple[District, dict[str, str], list[tuple[str, str, str]]]
"""(district, {street code: name}, [(committee code, name, street code)])."""


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DirectoryError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise DirectoryError(f"{path}: cannot read ({exc.strerror})") from None


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row with stripped values) of a CSV file whose header names `required`."""
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    try:
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise DirectoryError(f"{path}, line 1: header lacks column(s) {', '.join(missing)}")
        for row in reader:
            if None in row or any(row.get(name) is None for name in required):
                raise DirectoryError(f"{path}, line {reader.line_num}: wrong number of fields")
            yield reader.line_num, {key: value.strip() for key, value in row.items()}
    except csv.Error as exc:
        raise DirectoryError(f"{path}, line {reader.line_num}: bad CSV ({exc})") from None


def _code(path: Path, line: int, text: str, seen: set[str]) -> str:
    if not _CODE.match(text):
        raise DirectoryError(f"{path}, line {line}: code {text!r} is not 1-32 letters, digits, '_', '.', '-'")
    if text in seen:
        raise DirectoryError(f"{path}, line {line}: code {text} appears twice")
    seen.add(text)
    return text


def _text(path: Path, line: int, name: str, value: str) -> str:
    if not value:
        raise DirectoryError(f"{path}, line {line}: {name} is empty")
    return value


def _number(path: Path, line: int, name: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DirectoryError(f"{path}, line {line}: {name} {text!r} is not a number") from None
    if not low <= value <= high:
        raise DirectoryError(f"{path}, line {line}: {name} {text} is outside {low:g}..{high:g}")
    return value


def load_units(path: Path) -> UnitRows:
    """The district row, its streets/towns and their committees (official statistical codes)."""
    district: District | None = None
    streets: dict[str, str] = {}
    committees: list[tuple[int, str, str, str]] = []
    street_parents: list[tuple[int, str, str]] = []
    seen: set[str] = set()
    for line, row in _rows(path, ("level", "code", "name", "parent_code")):
        code = _code(path, line, row["code"], seen)
        name = _text(path, line, "name", row["name"])
        if row["level"] == "district":
            if district is not None:
                raise DirectoryError(f"{path}, line {line}: a second district row ({code})")
            district = District(code, name)
        elif row["level"] == "street_town":
            streets[code] = name
            street_parents.append((line, code, row["parent_code"]))
        elif row["level"] == "community_village":
            committees.append((line, code, name, row["parent_code"]))
        else:
            raise DirectoryError(f"{path}, line {line}: level {row['level']!r} is not "
                                 "district|street_town|community_village")
    if district is None:
        raise DirectoryError(f"{path}: no row with level 'district'")
    if not streets:
        raise DirectoryError(f"{path}: no row with level 'street_town'")
    for line, code, parent in street_parents:
        if parent != district.code:
            raise DirectoryError(f"{path}, line {line}: street {code} has parent {parent!r}, "
                                 f"not the district {district.code}")
    for line, code, _name, parent in committees:
        if parent not in streets:
            raise DirectoryError(f"{path}, line {line}: committee {code} has unknown street {parent!r}")
    return district, streets, [(code, name, parent) for _line, code, name, parent in committees]


def load_categories(path: Path) -> dict[str, Category]:
    """The case categories (GB/T 47678.5 matters) with weights and overall limits."""
    columns = ("code", "kind", "class_zh", "class_en", "name_zh", "name_en", "weight",
               "overall_limit_hours", "limit_kind")
    categories: dict[str, Category] = {}
    for line, row in _rows(path, columns):
        code = _code(path, line, row["code"], set(categories))
        if row["limit_kind"] not in ("working", "calendar"):
            raise DirectoryError(f"{path}, line {line}: limit_kind {row['limit_kind']!r} is not working|calendar")
        categories[code] = Category(
            code=code,
            kind=row["kind"],
            class_zh=row["class_zh"],
            class_en=row["class_en"],
            name_zh=_text(path, line, "name_zh", row["name_zh"]),
            name_en=_text(path, line, "name_en", row["name_en"]),
            weight=_number(path, line, "weight", row["weight"], 0, 1e6),
            overall_limit_hours=_number(path, line, "overall_limit_hours", row["overall_limit_hours"], 0.1, 8760),
            working_time=row["limit_kind"] == "working",
            **_category_options(path, line, row),
        )
    if not categories:
        raise DirectoryError(f"{path}: no categories")
    if not any(category.weight > 0 for category in categories.values()):
        raise DirectoryError(f"{path}: every weight is 0")
    return categories


def _category_options(path: Path, line: int, row: dict[str, str]) -> dict[str, Any]:
    """Optional columns: `sign_limit_minutes` (the step limit to sign for), `yellow_at`, `orange_at`
    (fractions of a limit where its level turns yellow / orange). Blank: the centre's defaults."""
    options: dict[str, Any] = {}
    if row.get("sign_limit_minutes"):
        options["sign_limit_minutes"] = _number(path, line, "sign_limit_minutes", row["sign_limit_minutes"], 1, 1440)
    if row.get("yellow_at") or row.get("orange_at"):
        yellow = _number(path, line, "yellow_at", row.get("yellow_at") or "0.5", 0.01, 1)
        orange = _number(path, line, "orange_at", row.get("orange_at") or "0.8", 0.01, 1)
        if yellow > orange:
            raise DirectoryError(f"{path}, line {line}: yellow_at {yellow:g} is after orange_at {orange:g}")
        options["thresholds"] = (yellow, orange)
    return options


def load_seeds(path: Path, streets: dict[str, str], index: EdgeIndex) -> dict[str, Point]:
    """Approximate street centres: each must name a known street and lie inside the boundary."""
    seeds: dict[str, Point] = {}
    for line, row in _rows(path, ("code", "lon", "lat")):
        code = _code(path, line, row["code"], set(seeds))
        if code not in streets:
            raise DirectoryError(f"{path}, line {line}: {code} is not a street of the units file")
        point = (_number(path, line, "lon", row["lon"], -180, 180), _number(path, line, "lat", row["lat"], -90, 90))
        if not index.contains(*point):
            raise DirectoryError(f"{path}, line {line}: seed of {code} lies outside the district boundary")
        seeds[code] = point
    return seeds


def load_boundary(path: Path, district_code: str) -> list[Polygon]:
    """The district's (Multi)Polygon from a GeoJSON FeatureCollection, Feature or bare geometry."""
    try:
        data: Any = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise DirectoryError(f"{path}, line {exc.lineno} column {exc.colno}: bad JSON ({exc.msg})") from None
    where = "top level"
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise DirectoryError(f"{path}: FeatureCollection has no features")
        mine = [i for i, f in enumerate(features)
                if isinstance(f, dict) and str((f.get("properties") or {}).get("adcode")) == district_code]
        if not mine and len(features) > 1:
            raise DirectoryError(f"{path}: no feature has properties.adcode {district_code}")
        number = mine[0] if mine else 0
        data, where = features[number], f"feature {number}"
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise DirectoryError(f"{path}, {where}: geometry is not a Polygon or MultiPolygon")
    coordinates = data.get("coordinates")
    raw = [coordinates] if data["type"] == "Polygon" else coordinates
    if not isinstance(raw, list) or not raw:
        raise DirectoryError(f"{path}, {where}: geometry has no coordinates")
    return [_polygon(path, f"{where}, polygon {p}", poly) for p, poly in enumerate(raw)]


def _polygon(path: Path, where: str, raw: Any) -> Polygon:
    if not isinstance(raw, list) or not raw:
        raise DirectoryError(f"{path}, {where}: not a list of rings")
    polygon: Polygon = []
    for r, ring in enumerate(raw):
        if not isinstance(ring, list) or len(ring) < 4:
            raise DirectoryError(f"{path}, {where}, ring {r}: fewer than 4 positions")
        points: Ring = []
        for i, position in enumerate(ring):
            if (not isinstance(position, list) or len(position) < 2
                    or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position[:2])
                    or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90)):
                raise DirectoryError(f"{path}, {where}, ring {r}, position {i}: not a [lon, lat] pair")
            points.append((float(position[0]), float(position[1])))
        polygon.append(points)
    return polygon
