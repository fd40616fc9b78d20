"""Open cases that look like the call being taken: the same category at the same place, lately.

"The same place" is the same grid, the same address (spaces and case ignored) or a point within
`NEAR_M`; "lately" is received within `WINDOW_DAYS`. The nearest and newest come first. Pure
Python over the cases the console holds (every open case is in its store).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from protocol.enums import OPEN_STATUSES
from protocol.events import Case

WINDOW_DAYS = 30
NEAR_M = 150.0
"""Two points this close are one place (a caller's address and a grid worker's point differ)."""
LIMIT = 9
"""Shown at most; each gets a key (Ctrl+1 … Ctrl+9)."""


@dataclass(frozen=True, slots=True)
class Similar:
    case: Case
    same_grid: bool
    same_address: bool
    distance_m: float | None


def _address_key(text: str) -> str:
    return "".join(text.lower().split())


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Metres between two points, flat-earth (good to a metre within a district).

    >>> round(distance_m(121.40, 31.00, 121.41, 31.00))
    953
    """
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def similar_cases(cases: Iterable[Case], *, category_code: str | None, grid_id: str | None, address: str,
                  point: tuple[float, float] | None, now: datetime, limit: int = LIMIT) -> list[Similar]:
    """Open cases of `category_code` at the same place, received within `WINDOW_DAYS` of `now`."""
    if not category_code:
        return []
    since = now - timedelta(days=WINDOW_DAYS)
    key = _address_key(address)
    found: list[Similar] = []
    for case in cases:
        if case.category_code != category_code or case.status not in OPEN_STATUSES or case.received_at < since:
            continue
        same_grid = bool(grid_id) and case.grid_id == grid_id
        same_address = bool(key) and _address_key(case.address) == key
        distance = distance_m(point[0], point[1], case.lon, case.lat) if point is not None else None
        if same_grid or same_address or (distance is not None and distance <= NEAR_M):
            found.append(Similar(case, same_grid, same_address, distance))
    found.sort(key=lambda s: (not s.same_address, s.distance_m if s.distance_m is not None else math.inf,
                              -s.case.received_at.timestamp()))
    return found[:limit]
