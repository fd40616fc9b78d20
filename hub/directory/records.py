"""Plain records of the directory and its one error type (no I/O, no geometry)."""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[float, float]
"""(lon, lat) in degrees, as in GeoJSON."""
Ring = list[Point]
Polygon = list[Ring]
"""An outer ring followed by its holes."""


class DirectoryError(Exception):
    """A reference file is missing or malformed; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Street:
    """A street office or town (街镇). `seed` is its approximate centre, used for the partition."""

    code: str
    name: str
    seed: Point


@dataclass(frozen=True, slots=True)
class Committee:
    """A neighbourhood or village committee (居村委). `seed` is a synthetic point in its street."""

    code: str
    name: str
    street_code: str
    seed: Point


@dataclass(frozen=True, slots=True)
class Category:
    """One GB/T 47678.5 matter the centre handles, with its overall handling limit."""

    code: str
    kind: str
    class_zh: str
    class_en: str
    name_zh: str
    name_en: str
    weight: float
    """Relative frequency among citizen requests (the simulator draws by it)."""
    overall_limit_hours: float
    working_time: bool
    """True: the limit counts working hours (8 a day); False: calendar hours."""
    sign_limit_minutes: float | None = None
    """The step limit to sign for a dispatched case; None: the centre's default (30 minutes)."""
    thresholds: tuple[float, float] = (0.5, 0.8)
    """(yellow, orange) as fractions of each limit of the category's cases."""
