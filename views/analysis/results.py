"""The hub's analysis answers as typed values (`analysis.hotspots`, `analysis.recurring`, `analysis.trends`).

Plain msgspec Structs converted from a `command.result`: the screens and the wall's tile read
fields, not dictionary keys, and an answer of another shape fails here, in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

Ring = list[tuple[float, float]]


class TopCategory(msgspec.Struct, frozen=True):
    code: str
    name_zh: str
    name_en: str
    count: int


class HotSpot(msgspec.Struct, frozen=True):
    cell: str
    street_code: str
    street_name: str
    lon: float
    lat: float
    ring: Ring
    count: int
    expected: float
    history: int
    neighbours: int
    neighbours_count: int
    neighbours_expected: float
    z: float
    p_time: float
    p_space: float
    q_time: float
    q_space: float
    confidence: int
    top_categories: list[TopCategory]
    case_ids: list[str]
    reason_en: str
    reason_zh: str

    def reason(self, language: str) -> str:
        return self.reason_zh if language.startswith("zh") else self.reason_en

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected > 0 else float("inf")


class HotSpots(msgspec.Struct, frozen=True):
    window_start: datetime
    until: datetime
    history_start: datetime
    category_code: str | None
    method: str
    area: str
    cells: int
    alpha: float
    min_cases: int
    window_cases: int
    history_cases: int
    hotspots: list[HotSpot]
    baseline: str = "history"
    """`history` (each grid against its own), or `area` (too little history: the area's average grid)."""


class Recurrence(msgspec.Struct, frozen=True):
    category_code: str
    category_zh: str
    category_en: str
    place: str
    cell: str | None
    ring: Ring | None
    street_code: str
    street_name: str
    count: int
    days: int
    open: int
    first: datetime
    last: datetime
    case_ids: list[str]

    def category(self, language: str) -> str:
        return self.category_zh if language.startswith("zh") else self.category_en


class Recurring(msgspec.Struct, frozen=True):
    since: datetime
    until: datetime
    place: str
    pairs: int
    items: list[Recurrence]


class Trend(msgspec.Struct, frozen=True):
    code: str
    name_zh: str
    name_en: str
    this_week: int
    weekly_before: float
    change_pct: float | None
    direction: str
    p: float
    significant: bool
    weeks: list[int]

    def name(self, language: str) -> str:
        return self.name_zh if language.startswith("zh") else self.name_en


class Trends(msgspec.Struct, frozen=True):
    week_start: datetime
    until: datetime
    weeks: int
    this_week: int
    weekly_before: float
    categories: list[Trend]
    areas: list[Trend]


def hot_spots(result: dict[str, Any]) -> HotSpots:
    return msgspec.convert(result, HotSpots)


def recurring(result: dict[str, Any]) -> Recurring:
    return msgspec.convert(result, Recurring)


def trends(result: dict[str, Any]) -> Trends:
    return msgspec.convert(result, Trends)
