"""Rows of a source file, read and checked: each becomes a `Record` or a `Reject` with its reason.

A reject names the row's line in the file (for a JSON array, the request's position, 1-based), the
source id when it has one, and one reason from a fixed list (docs/data-import.md):
missing or bad dates, closed before received, due before received, a date in the future,
missing coordinates, coordinates outside the area or swapped, an unknown category or status, an
agency with no unit (Minhang), a duplicate id.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub.importing.mapping import Mapping
from protocol import Channel

Raw = dict[str, str]


class SourceError(Exception):
    """The file as a whole cannot be read (not CSV, not JSON, a column the mapping names is absent)."""


@dataclass(frozen=True, slots=True)
class Record:
    """One source row, checked, in the hub's words. Instants are UTC."""

    line: int
    source_id: str
    category_code: str
    status: str
    """received, dispatched, closed or merged (mapping.STEPS)."""
    received: datetime
    dispatched: datetime | None
    closed: datetime | None
    due: datetime | None
    agency: str
    agency_name: str
    street: str
    lon: float
    lat: float
    address: str
    description: str
    channel: Channel
    satisfied: bool | None


@dataclass(frozen=True, slots=True)
class Reject:
    line: int
    source_id: str
    reason: str


def read_raw(path: Path, mapping: Mapping) -> Iterator[tuple[int, Raw]]:
    """(line, row) of each request of the file, in file order."""
    try:
        if mapping.format == "open311":
            yield from _open311(path)
            return
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            absent = sorted({c for c in [*mapping.columns.values(), *mapping.description_columns] if c not in header})
            if absent:
                raise SourceError(f"{path.name}: no column(s) {', '.join(absent)} (the mapping names them)")
            start = 2
            for row in reader:
                yield start, row
                start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"{path.name}: not a CSV file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path.name}: not UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror})") from None


def _open311(path: Path) -> Iterator[tuple[int, Raw]]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path.name}, line {exc.lineno}: not JSON ({exc.msg})") from None
    if isinstance(data, dict) and isinstance(data.get("service_requests"), list):
        data = data["service_requests"]  # the XML-style wrapper some servers keep in JSON
    if not isinstance(data, list):
        raise SourceError(f"{path.name}: not an Open311 GeoReport v2 array of service requests")
    for number, item in enumerate(data, start=1):
        if isinstance(item, dict):
            yield number, {str(k): "" if v is None else str(v) for k, v in item.items()}
        else:
            yield number, {}


class Checker:
    """Turns raw rows into records, remembering ids already seen (a duplicate is a reject)."""

    def __init__(self, mapping: Mapping, now: datetime, agencies: set[str] | None = None,
                 inside: Callable[[float, float], bool] | None = None) -> None:
        self.m = mapping
        self.now = now
        self.agencies = agencies
        """Unit ids an agency may map to (Minhang: the chart's units); None: a centre of its own."""
        self.inside = inside
        """The district's own outline (Minhang), checked after the area box."""
        self.seen: dict[str, int] = {}
        self._col = mapping.columns
        iso = mapping.date_format == "iso"
        self._parse = _iso_parser(mapping.zone) if iso else _strptime_parser(mapping.date_format, mapping.zone)

    def check(self, line: int, row: Raw) -> Record | Reject:
        m, col = self.m, self._col
        sid = row.get(col["id"], "").strip()
        if not sid:
            return Reject(line, "", "missing id")
        first = self.seen.get(sid)
        if first is not None:
            return Reject(line, sid, f"duplicate id (first on line {first})")
        self.seen[sid] = line
        source_category = row.get(col["category"], "").strip()
        category = m.categories.get(source_category)
        if category is None:
            return Reject(line, sid, f"unknown category {source_category!r}")
        source_status = row.get(col["status"], "").strip()
        status = m.statuses.get(source_status)
        if status is None:
            return Reject(line, sid, f"unknown status {source_status!r}")
        received = self._date(row, "received")
        if not isinstance(received, datetime):
            return Reject(line, sid, received or "missing received date")
        if received > self.now:
            return Reject(line, sid, "received date in the future")
        dispatched = self._date(row, "dispatched")
        if isinstance(dispatched, str):
            return Reject(line, sid, dispatched)
        closed: datetime | None = None
        if status in ("closed", "merged"):
            found = self._date(row, "closed")
            if not isinstance(found, datetime):
                return Reject(line, sid, found or f"missing close date (status {source_status!r})")
            if found < received:
                return Reject(line, sid, "closed before received")
            if found > self.now:
                return Reject(line, sid, "close date in the future")
            closed = found
        if dispatched is not None and (dispatched < received or (closed is not None and dispatched > closed)):
            return Reject(line, sid, "dispatched outside received..closed")
        due = self._date(row, "due")
        if isinstance(due, str):
            return Reject(line, sid, due)
        if due is not None and due < received:
            return Reject(line, sid, "due before received")
        where = self._place(row)
        if isinstance(where, str):
            return Reject(line, sid, where)
        agency = row.get(col.get("agency", ""), "").strip() if "agency" in col else ""
        if self.agencies is not None:
            unit = m.agencies.get(agency)
            if unit is None or unit not in self.agencies:
                return Reject(line, sid, f"agency {agency!r} has no unit in [agencies]")
            agency = unit
        elif not agency:
            return Reject(line, sid, "missing agency")
        agency_name = row.get(col["agency_name"], "").strip() if "agency_name" in col else ""
        street = row.get(col["street"], "").strip() if "street" in col else ""
        if not street or street.lower() in ("unspecified", "0 unspecified", "n/a", "null"):
            street = m.unknown_street
        description = " · ".join(v for c in m.description_columns if (v := row.get(c, "").strip()))
        channel_text = row.get(col["channel"], "").strip() if "channel" in col else ""
        satisfied_text = row.get(col["satisfied"], "").strip().lower() if "satisfied" in col else ""
        satisfied = (True if satisfied_text in ("1", "yes", "true", "satisfied")
                     else False if satisfied_text in ("0", "no", "false", "unsatisfied", "not satisfied") else None)
        return Record(
            line=line, source_id=sid, category_code=category, status=status, received=received,
            dispatched=dispatched, closed=closed, due=due, agency=agency, agency_name=agency_name or agency,
            street=street, lon=where[0], lat=where[1],
            address=row.get(col.get("address", ""), "").strip()[:200] if "address" in col else "",
            description=description[:500] or source_category,
            channel=m.channels.get(channel_text, m.default_channel), satisfied=satisfied,
        )

    def _date(self, row: Raw, key: str) -> datetime | str | None:
        """The instant, None when the column is absent or empty, or the reason it is bad."""
        column = self._col.get(key)
        if column is None:
            return None
        text = row.get(column, "").strip()
        if not text:
            return None
        try:
            return self._parse(text)
        except ValueError:
            return f"bad {key} date {text[:40]!r}"

    def _place(self, row: Raw) -> tuple[float, float] | str:
        lat_text = row.get(self._col["lat"], "").strip()
        lon_text = row.get(self._col["lon"], "").strip()
        if not lat_text or not lon_text:
            return "missing coordinates"
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            return f"bad coordinates {lat_text[:20]!r}, {lon_text[:20]!r}"
        west, south, east, north = self.m.area
        if west <= lon <= east and south <= lat <= north:
            if self.inside is not None and not self.inside(lon, lat):
                return f"coordinates outside the district ({lat:.5f}, {lon:.5f})"
            return lon, lat
        if west <= lat <= east and south <= lon <= north:
            return "coordinates swapped (latitude and longitude)"
        return f"coordinates outside the area ({lat:.5f}, {lon:.5f})"


def _iso_parser(zone: Any) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(UTC)

    return parse


def _strptime_parser(fmt: str, zone: Any) -> Callable[[str], datetime]:
    def parse(text: str) -> datetime:
        moment = datetime.strptime(text, fmt)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(UTC)

    return parse
