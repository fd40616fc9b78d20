"""What the wall's tiles say, worked out from the hub's `figures` (pure Python, no Qt).

The hub counts; this module only picks, divides and words. Rates are shown with one decimal
and "—" where there is nothing to divide by; a ranking places only units or streets with
enough cases for the rate to mean something, and says so in its rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from protocol.messages import AreaFigures, Figures, HourFigures

MIN_CLOSED_TO_RANK = 5
MIN_RATED_TO_RANK = 3


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def local_hours(figures: Figures) -> list[tuple[datetime, HourFigures]]:
    """Each hour bucket with its centre-local start."""
    zone = ZoneInfo(figures.zone)
    return [(hour.start.astimezone(zone), hour) for hour in figures.hours]


def received(hour: HourFigures) -> int:
    return sum(hour.received_by_channel.values())


@dataclass(frozen=True)
class Intake:
    today: int
    same_hour_yesterday: int
    same_hour_last_week: int
    by_channel: dict[str, int]


def intake(figures: Figures) -> Intake:
    """Today's intake so far, against yesterday and the same weekday last week up to the same hour."""
    hours = local_hours(figures)
    if not hours:
        return Intake(0, 0, 0, {})
    now_local = hours[-1][0]
    today_start = now_local.replace(hour=0)

    def window(days_back: int) -> list[HourFigures]:
        start = today_start - timedelta(days=days_back)
        end = now_local - timedelta(days=days_back)
        return [h for t, h in hours if start <= t <= end]

    by_channel: dict[str, int] = {}
    for hour in window(0):
        for channel, count in hour.received_by_channel.items():
            by_channel[channel] = by_channel.get(channel, 0) + count
    return Intake(today=sum(by_channel.values()),
                  same_hour_yesterday=sum(received(h) for h in window(1)),
                  same_hour_last_week=sum(received(h) for h in window(7)),
                  by_channel=by_channel)


def change_text(now: int, then: int, versus: str) -> str:
    """'▲ 12 % vs same hour yesterday (131)'; arrows and words, never a colour alone."""
    if then == 0:
        return f"{versus}: {then}"
    delta = (now - then) / then
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "="
    return f"{arrow} {abs(delta) * 100:.0f} % {versus} ({then})"


def last_24(figures: Figures) -> list[tuple[datetime, HourFigures]]:
    return local_hours(figures)[-24:]


def day_before(figures: Figures) -> list[tuple[datetime, HourFigures]]:
    """The 24 hours a day before `last_24`, hour for hour."""
    return local_hours(figures)[-48:-24]


@dataclass(frozen=True)
class Ranked:
    place: int
    area: AreaFigures
    value: float | None
    shown: str
    share: float


def ranking(areas: Sequence[AreaFigures], metric: str) -> list[Ranked]:
    """Areas in their ranking order for `metric`; unranked (too few cases) ones are left out.

    on_time: closed on time ÷ closed, highest first, at least MIN_CLOSED_TO_RANK closed;
    satisfaction: satisfied ÷ rated, highest first, at least MIN_RATED_TO_RANK rated;
    overdue: open overdue cases now, most first; returns: cases returned this month, most first.
    Ties go to the area with more cases, then by name, so the order never flickers.
    """
    scored: list[tuple[float, int, str, AreaFigures, str]] = []
    for area in areas:
        if metric == "on_time":
            if area.closed < MIN_CLOSED_TO_RANK:
                continue
            value = area.closed_on_time / area.closed
            scored.append((value, area.closed, area.name, area, percent(value)))
        elif metric == "satisfaction":
            if area.rated < MIN_RATED_TO_RANK:
                continue
            value = area.satisfied / area.rated
            scored.append((value, area.rated, area.name, area, percent(value)))
        elif metric == "overdue":
            if area.overdue_now:
                scored.append((float(area.overdue_now), area.open_now, area.name, area, f"{area.overdue_now:,}"))
        elif metric == "returns":
            if area.returned:
                scored.append((float(area.returned), area.received, area.name, area, f"{area.returned:,}"))
        else:
            raise ValueError(f"unknown ranking metric {metric!r}")
    scored.sort(key=lambda s: (-s[0], -s[1], s[2]))
    top = max((s[0] for s in scored), default=0.0) or 1.0
    ratio = metric in ("on_time", "satisfaction")
    out: list[Ranked] = []
    for n, (value, _weight, _name, area, shown) in enumerate(scored, 1):
        out.append(Ranked(place=n, area=area, value=value, shown=shown, share=value if ratio else value / top))
    return out
