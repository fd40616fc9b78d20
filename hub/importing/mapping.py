"""The mapping file (TOML): which column is which, and how a source's words become the hub's.

```toml
[source]
format = "csv"                 # csv (a 311 export) or open311 (GeoReport v2 JSON: an array of requests)
id = "ServiceRequestNum"       # the source's own id: re-importing the same id changes nothing
category = "SRType"
agency = "Agency"              # becomes the responsible unit
received = "CreatedDate"
closed = "CloseDate"           # read only when the status maps to closed or merged
due = "DueDate"                # optional: the overall limit; else the category's limit
status = "SRStatus"
street = "Neighborhood"        # neighbourhood or district: the case's street
lat = "Latitude"
lon = "Longitude"
date_format = "%m/%d/%Y %I:%M:%S %p"   # strptime format, or "iso"
timezone = "America/New_York"  # the zone of dates written without an offset

[centre]
code = "BAL"                   # "MH" imports into Minhang; any other code is a centre of its own
name = "Baltimore City"
area = [-76.72, 39.19, -76.52, 39.38]  # west, south, east, north: a point outside is rejected

[categories]                   # source category -> GB/T 47678.5 code (resources/data/categories.csv)
"SW-Dirty Alley" = "06012"

[statuses]                     # source status -> received | dispatched | closed | merged
"Closed" = "closed"

[channels]                     # source channel -> hotline_12345, app, grid_patrol, ... ("*": the rest)
"Phone" = "hotline_12345"
```

Every problem is a `MappingError` naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from protocol import Channel

MINHANG = "MH"
"""The centre code of the shipped district: an import with it goes into Minhang's organisation."""
STEPS = ("received", "dispatched", "closed", "merged")
"""What a source status may map to: where the case stands in the loop once imported."""
OPEN311_COLUMNS = {
    "id": "service_request_id", "category": "service_name", "agency": "agency_responsible",
    "received": "requested_datetime", "closed": "updated_datetime", "due": "expected_datetime",
    "status": "status", "address": "address", "description": "description", "lat": "lat", "lon": "long",
}
"""Open311 GeoReport v2 field names, the defaults of a mapping with `format = "open311"`."""
_COLUMN_KEYS = ("id", "category", "agency", "agency_name", "received", "dispatched", "closed", "due", "status",
                "street", "address", "description", "lat", "lon", "channel", "satisfied")
_REQUIRED = ("id", "category", "received", "status", "lat", "lon")


class MappingError(Exception):
    """The mapping file is missing, not TOML, or names something wrong; the message says where."""


@dataclass(frozen=True)
class Mapping:
    path: Path
    format: str
    columns: dict[str, str]
    """Our field → the source's column (only the fields the source has)."""
    description_columns: tuple[str, ...]
    date_format: str
    zone: ZoneInfo
    centre_code: str
    centre_name: str
    area: tuple[float, float, float, float]
    """(west, south, east, north) in degrees: the centre's map extent; a point outside is rejected."""
    categories: dict[str, str]
    statuses: dict[str, str]
    channels: dict[str, Channel]
    default_channel: Channel
    agencies: dict[str, str] = field(default_factory=dict)
    """Source agency → an existing unit id (needed for Minhang; a centre of its own makes its units)."""
    unknown_street: str = "Unassigned"
    """Street name for a row whose street column is empty (a centre of its own)."""
    boundary_source: str = ""
    """Credit line for the map extent, shown with the map."""

    @property
    def own_centre(self) -> bool:
        """True when the import builds a centre of its own (not Minhang)."""
        return self.centre_code != MINHANG


def load_mapping(path: Path, categories: set[str]) -> Mapping:
    """Read and check a mapping file; `categories` are the hub's category codes."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path}: not TOML ({exc})") from None
    source = _table(path, data, "source")
    fmt = str(source.get("format", "csv"))
    if fmt not in ("csv", "open311"):
        raise MappingError(f"{path}: [source] format {fmt!r} is not csv or open311")
    columns = dict(OPEN311_COLUMNS) if fmt == "open311" else {}
    description: tuple[str, ...] = ()
    for key in _COLUMN_KEYS:
        value = source.get(key)
        if value is None:
            continue
        if key == "description" and isinstance(value, list):
            description = tuple(str(v) for v in value)
            continue
        if not isinstance(value, str):
            raise MappingError(f"{path}: [source] {key} must be a column name (text)")
        if value:
            columns[key] = value
        else:
            columns.pop(key, None)
    if not description and "description" in columns:
        description = (columns["description"],)
    missing = [k for k in _REQUIRED if k not in columns]
    if missing:
        raise MappingError(f"{path}: [source] lacks {', '.join(missing)}")
    try:
        zone = ZoneInfo(str(source.get("timezone", "UTC")))
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"{path}: [source] timezone {source.get('timezone')!r} is not a known zone") from None
    centre = _table(path, data, "centre")
    code = str(centre.get("code", ""))
    if not code.isalnum() or not 1 <= len(code) <= 8:
        raise MappingError(f"{path}: [centre] code {code!r} must be 1-8 letters or digits")
    area = centre.get("area")
    if (not isinstance(area, list) or len(area) != 4 or not all(isinstance(v, int | float) for v in area)
            or not (-180 <= area[0] < area[2] <= 180 and -90 <= area[1] < area[3] <= 90)):
        raise MappingError(f"{path}: [centre] area must be [west, south, east, north] in degrees")
    cats = {str(k): str(v) for k, v in _table(path, data, "categories").items()}
    unknown = sorted({v for v in cats.values() if v not in categories})
    if unknown:
        raise MappingError(f"{path}: [categories] maps to codes the hub does not know: {', '.join(unknown)}")
    statuses = {str(k): str(v) for k, v in _table(path, data, "statuses").items()}
    wrong = sorted({v for v in statuses.values() if v not in STEPS})
    if wrong:
        raise MappingError(f"{path}: [statuses] values must be {', '.join(STEPS)}, not {', '.join(wrong)}")
    channels: dict[str, Channel] = {}
    default = Channel.HOTLINE_12345
    for key, value in data.get("channels", {}).items():
        try:
            channel = Channel(str(value))
        except ValueError:
            raise MappingError(f"{path}: [channels] {key!r} = {value!r} is not one of "
                               f"{', '.join(c.value for c in Channel)}") from None
        if key == "*":
            default = channel
        else:
            channels[str(key)] = channel
    agencies = {str(k): str(v) for k, v in data.get("agencies", {}).items()}
    if code == MINHANG and "agency" in columns and not agencies:
        raise MappingError(f"{path}: an import into Minhang ([centre] code = \"MH\") needs [agencies]: "
                           "source agency = unit id")
    return Mapping(
        path=path, format=fmt, columns=columns, description_columns=description,
        date_format=str(source.get("date_format", "iso")), zone=zone,
        centre_code=code, centre_name=str(centre.get("name", code)),
        area=(float(area[0]), float(area[1]), float(area[2]), float(area[3])),
        categories=cats, statuses=statuses, channels=channels, default_channel=default, agencies=agencies,
        unknown_street=str(centre.get("unknown_street", "Unassigned")),
        boundary_source=str(centre.get("boundary_source", f"{centre.get('name', code)}: the mapping's area box")),
    )


def _table(path: Path, data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise MappingError(f"{path}: no [{name}] table")
    return table
