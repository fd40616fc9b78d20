"""The cases an analysis reads, as columns (numpy arrays), and the 0.01° cells they fall in.

Drills (`exercise_id`) and duplicates merged into another case (`duplicate_of`) are left out: a
drill is no real problem, and a merged duplicate is the same problem reported twice. Every other
case counts, whatever its status, at the time it was received.

Cells are the hub's grid lattice (hub/org/grids.py: 0.01°, about 1 km, ids naming the south-west
corner), so on the hub's own map a cell *is* a grid; a centre whose cases fall outside the hub's
grids (an imported city) gets the same lattice over its data's extent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from protocol import Case

CELL_SCALE = 100
"""Cells per degree: the hub's grid lattice (`hub.org.grids.CELL_DEG` = 0.01°)."""
_KEY_SPAN = 1 << 20
"""Cell keys pack (x, y) as x * span + y, both shifted to be non-negative."""
_KEY_SHIFT = 1 << 19

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def cell_id(x: int, y: int) -> str:
    """A cell's id, as `hub.org.grids.grid_id` names the grid of the same lattice square."""
    return f"G{x:05d}-{y:04d}"


def cell_key(x: IntArray, y: IntArray) -> IntArray:
    return (x + _KEY_SHIFT) * _KEY_SPAN + (y + _KEY_SHIFT)


def key_xy(key: int) -> tuple[int, int]:
    return key // _KEY_SPAN - _KEY_SHIFT, key % _KEY_SPAN - _KEY_SHIFT


def cell_ring(x: int, y: int) -> list[list[float]]:
    """The cell's outline (lon, lat), closed."""
    w, s, e, n = x / CELL_SCALE, y / CELL_SCALE, (x + 1) / CELL_SCALE, (y + 1) / CELL_SCALE
    return [[round(w, 4), round(s, 4)], [round(e, 4), round(s, 4)], [round(e, 4), round(n, 4)],
            [round(w, 4), round(n, 4)], [round(w, 4), round(s, 4)]]


@dataclass
class Labels:
    """Codes of one column (categories, streets) numbered in order of first sight, with names."""

    codes: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    names: list[tuple[str, str]] = field(default_factory=list)
    """(zh, en) per code."""

    def number(self, code: str, zh: str, en: str) -> int:
        n = self.index.get(code)
        if n is None:
            n = self.index[code] = len(self.codes)
            self.codes.append(code)
            self.names.append((zh, en))
        return n


@dataclass
class CaseColumns:
    """The countable cases, one row each."""

    ids: list[str]
    t: FloatArray
    """Received, epoch seconds (UTC)."""
    x: IntArray
    y: IntArray
    key: IntArray
    """The cell of each case (`cell_key`)."""
    category: IntArray
    street: IntArray
    open: npt.NDArray[np.bool_]
    addresses: list[str]
    categories: Labels
    streets: Labels

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def latest(self) -> float | None:
        return float(self.t.max()) if len(self.t) else None


def read(cases: Iterable[Case], open_statuses: frozenset[object]) -> CaseColumns:
    """The columns of every countable case (one pass over the cases; ~0.4 µs a field)."""
    ids: list[str] = []
    t: list[float] = []
    lon: list[float] = []
    lat: list[float] = []
    cat: list[int] = []
    street: list[int] = []
    is_open: list[bool] = []
    addresses: list[str] = []
    categories, streets = Labels(), Labels()
    cat_index, street_index = categories.index, streets.index
    for case in cases:
        if case.exercise_id is not None or case.duplicate_of is not None:
            continue
        ids.append(case.id)
        t.append(case.received_at.timestamp())
        lon.append(case.lon)
        lat.append(case.lat)
        c = cat_index.get(case.category_code)
        cat.append(c if c is not None else categories.number(case.category_code, case.category_zh, case.category_en))
        s = street_index.get(case.street_code)
        street.append(s if s is not None else streets.number(case.street_code, case.street_name, case.street_name))
        is_open.append(case.status in open_statuses)
        addresses.append(case.address)
    x = np.floor(np.asarray(lon, dtype=np.float64) * CELL_SCALE).astype(np.int64)
    y = np.floor(np.asarray(lat, dtype=np.float64) * CELL_SCALE).astype(np.int64)
    return CaseColumns(
        ids=ids, t=np.asarray(t, dtype=np.float64), x=x, y=y, key=cell_key(x, y),
        category=np.asarray(cat, dtype=np.int64), street=np.asarray(street, dtype=np.int64),
        open=np.asarray(is_open, dtype=np.bool_), addresses=addresses, categories=categories, streets=streets,
    )


def grid_xy(grid_id: str) -> tuple[int, int] | None:
    """(x, y) of a grid id of the hub's lattice (`G12135-3105`), None for another kind of id."""
    if not grid_id.startswith("G"):
        return None
    head, sep, tail = grid_id[1:].rpartition("-")
    if not sep:
        return None
    try:
        return int(head), int(tail)
    except ValueError:
        return None


def days(seconds: float) -> float:
    return seconds / 86400.0


def iso(epoch_s: float) -> str:
    """RFC 3339 UTC, to the second."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(math.floor(epoch_s), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
