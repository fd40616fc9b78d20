"""The wall's figures: a projection of the log, kept case by case as the writer folds commits.

Two kinds of numbers, both updated from each changed case's before and after (never by a scan):

- **Now**: open cases by level, by status, per unit, street and grid, and the overdue ones.
  A changed case's old contribution is taken out and its new one put in.
- **Counts in time**: cases received (by `received_at`), returned, closed (on time or late),
  rated and satisfied, each at the instant of its step (the `at` of the case's `Trace`),
  into centre-local hour buckets (the centre's totals) and month buckets (per unit and per
  street). A case's `history` only grows, so the steps a commit added are the traces past the
  old length. The definitions follow `hub/engine/stats.py` (the units' statistics).

At start the projection is built from the cases in memory with the same rule (every trace is
new), so a restarted hub counts the same; only `overdue` of the hours before the start is
rebuilt from the cases' current overall limits. Cases of a drill (`exercise_id`) are never
counted: a drill's figures must not be mistaken for the centre's.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from protocol import (
    OPEN_STATUSES,
    AreaFigures,
    Case,
    CaseStatus,
    Channel,
    Figures,
    GridFigures,
    HourFigures,
    SlaLevel,
    Totals,
    encode,
)

HOURS = 192
"""Hours in `Figures.hours`: eight days, so a wall compares with the same hour a week ago."""
HOUR = timedelta(hours=1)

CHANNELS = list(Channel)
_CHANNEL_INDEX = {channel: i for i, channel in enumerate(CHANNELS)}
# Slots of an hour bucket: one per channel, then these.
CLOSED, ON_TIME, RETURNED, RATED, SATISFIED = range(len(CHANNELS), len(CHANNELS) + 5)
_SLOTS = len(CHANNELS) + 5
# Slots of a month's per-area counters.
A_RECEIVED, A_CLOSED, A_ON_TIME, A_RETURNED, A_RATED, A_SATISFIED = range(6)
RED = SlaLevel.RED
RECEIVING = frozenset({"dispatch", "arbitrate", "escalate"})
"""Steps that give a unit a case (its `received`, as in the units' statistics)."""


class FiguresProjection:
    """Figures of the centre, folded from the cases each commit changed."""

    def __init__(self, zone: ZoneInfo, streets: Mapping[str, str],
                 unit_name: Callable[[str], str | None] = lambda unit_id: None,
                 grid_street: Callable[[str], str | None] = lambda grid_id: None) -> None:
        self.zone = zone
        self.streets = dict(streets)
        """Street code → name: every street is listed, counted or not."""
        self.unit_name = unit_name
        """The organisation's name of a unit (None for one it does not know: the cases' name is used)."""
        self.grid_street = grid_street
        """The street of a grid as the organisation says (None: the street of its latest case)."""
        self.version = 0
        """Raised by every fold that changed a case counted here (the publisher's dirty mark)."""
        # now
        self.open_by_level: dict[SlaLevel, int] = dict.fromkeys(SlaLevel, 0)
        self.open_by_status: dict[CaseStatus, int] = {}
        self.overdue_now = 0
        self.unit_open: dict[str, int] = {}
        self.unit_overdue: dict[str, int] = {}
        self.street_open: dict[str, int] = {}
        self.street_overdue: dict[str, int] = {}
        self.grid_open: dict[str, int] = {}
        self.grid_overdue: dict[str, int] = {}
        self._grid_streets: dict[str, str] = {}
        self._names: dict[str, str] = {}
        # counts in time
        self.hours: dict[datetime, list[int]] = {}
        """UTC start of a centre-local hour → its counts (see the slots above)."""
        self.months: dict[tuple[int, int], list[int]] = {}
        self.unit_months: dict[tuple[int, int], dict[str, list[int]]] = {}
        self.street_months: dict[tuple[int, int], dict[str, list[int]]] = {}
        self.overdue_at: dict[datetime, int] = {}
        """Hour start → open overdue cases after the last fold in that hour."""

    # --- folding ---------------------------------------------------------------------

    def fold(self, old: Mapping[str, Case], changed: Mapping[str, Case], now: datetime) -> None:
        """Count the cases of one commit; `old` holds them as they were before it."""
        counted = False
        for case_id, after in changed.items():
            if after.exercise_id is None:
                self._case(old.get(case_id), after)
                counted = True
        if counted:
            self.version += 1
            self.overdue_at[self.hour_of(now)] = self.overdue_now

    def build(self, cases: Iterable[Case], now: datetime) -> None:
        """Start from the cases in memory (a hub that opens on an existing log)."""
        horizon = self.window_start(now)
        kept = [c for c in cases if c.exercise_id is None and (c.status in OPEN_STATUSES or c.updated_at >= horizon)]
        for case in kept:
            self._case(None, case)
        self._rebuild_overdue(kept, now)
        self.version += 1

    def _case(self, before: Case | None, after: Case) -> None:
        if before is not None:
            self._now(before, -1)
        self._now(after, 1)
        history = after.history
        start = 0
        if before is None:
            self._count(after.received_at, after, None, _CHANNEL_INDEX[after.channel], A_RECEIVED)
        else:
            start = len(before.history)
        for i in range(start, len(history)):
            trace = history[i]
            action = trace.action
            if action in RECEIVING:
                self._unit_count(trace.at, trace.unit_id, A_RECEIVED)
            elif action == "return":
                self._count(trace.at, after, history[i - 1].unit_id if i else None, RETURNED, A_RETURNED)
            elif action == "verify" and trace.status is CaseStatus.CLOSED:
                on_time = after.overall is None or trace.at <= after.overall.due_at
                self._count(trace.at, after, trace.unit_id, CLOSED, A_CLOSED, on_time)
            elif action == "callback":
                satisfied = trace.status is CaseStatus.CALLED_BACK and after.satisfied is True
                self._count(trace.at, after, trace.unit_id, RATED, A_RATED, satisfied)

    def _now(self, case: Case, sign: int) -> None:
        if case.status not in OPEN_STATUSES:
            return
        red = case.level is RED
        self.open_by_level[case.level] += sign
        self.open_by_status[case.status] = self.open_by_status.get(case.status, 0) + sign
        street = case.street_code
        self.street_open[street] = self.street_open.get(street, 0) + sign
        unit = case.unit_id
        if unit is not None:
            self.unit_open[unit] = self.unit_open.get(unit, 0) + sign
            if case.unit_name is not None:
                self._names[unit] = case.unit_name
        grid = case.grid_id
        if grid is not None:
            self.grid_open[grid] = self.grid_open.get(grid, 0) + sign
            self._grid_streets[grid] = street
        if red:
            self.overdue_now += sign
            self.street_overdue[street] = self.street_overdue.get(street, 0) + sign
            if unit is not None:
                self.unit_overdue[unit] = self.unit_overdue.get(unit, 0) + sign
            if grid is not None:
                self.grid_overdue[grid] = self.grid_overdue.get(grid, 0) + sign

    def _count(self, at: datetime, case: Case, unit_id: str | None, slot: int, area_slot: int,
               plus_next: bool = False) -> None:
        """One step at `at`: the centre's hour, the month of the case's street and of `unit_id`."""
        local = at.astimezone(self.zone)
        hour = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        bucket = self.hours.get(hour)
        if bucket is None:
            bucket = self.hours[hour] = [0] * _SLOTS
        bucket[slot] += 1
        month_key = (local.year, local.month)
        month = self.months.get(month_key)
        if month is None:
            month = self.months[month_key] = [0] * 6
        month[area_slot] += 1
        areas = [self.street_months.setdefault(month_key, {}).setdefault(case.street_code, [0] * 6)]
        if unit_id is not None:
            areas.append(self.unit_months.setdefault(month_key, {}).setdefault(unit_id, [0] * 6))
            if case.unit_id == unit_id and case.unit_name is not None:
                self._names[unit_id] = case.unit_name
        for area in areas:
            area[area_slot] += 1
        if plus_next:
            bucket[slot + 1] += 1
            month[area_slot + 1] += 1
            for area in areas:
                area[area_slot + 1] += 1

    def _unit_count(self, at: datetime, unit_id: str | None, area_slot: int) -> None:
        if unit_id is None:
            return
        local = at.astimezone(self.zone)
        self.unit_months.setdefault((local.year, local.month), {}).setdefault(unit_id, [0] * 6)[area_slot] += 1

    def _rebuild_overdue(self, cases: list[Case], now: datetime) -> None:
        """`overdue` of the hours before a start, from each case's open periods and overall limit."""
        current = self.hour_of(now)
        first = current - HOUR * (HOURS - 1)
        ends = [first + HOUR * (k + 1) for k in range(HOURS - 1)]  # ends of the past hours
        delta = [0] * (HOURS + 1)
        for case in cases:
            if case.overall is None:
                continue
            due = case.overall.due_at
            opened = case.received_at
            status = CaseStatus.RECEIVED
            periods: list[tuple[datetime, datetime | None]] = []
            for trace in case.history:
                is_open, was_open = trace.status in OPEN_STATUSES, status in OPEN_STATUSES
                if was_open and not is_open:
                    periods.append((opened, trace.at))
                elif is_open and not was_open:
                    opened = trace.at
                status = trace.status
            if status in OPEN_STATUSES:
                periods.append((opened, None))
            for start, end in periods:
                start = max(start, due)
                if end is not None and end <= start:
                    continue
                lo = _first_end_after(ends, start)
                hi = len(ends) if end is None else _first_end_after(ends, end)
                delta[lo] += 1
                delta[hi] -= 1
        running = 0
        for k, end in enumerate(ends):
            running += delta[k]
            self.overdue_at[end - HOUR] = running
        self.overdue_at[current] = self.overdue_now

    # --- reading ---------------------------------------------------------------------

    def hour_of(self, moment: datetime) -> datetime:
        """UTC start of the centre-local hour holding `moment`."""
        local = moment.astimezone(self.zone)
        return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)

    def window_start(self, now: datetime) -> datetime:
        """The oldest instant any figure still counts: the month's start or 192 hours back."""
        local = now.astimezone(self.zone)
        month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
        return min(month_start, self.hour_of(now) - HOUR * (HOURS - 1))

    def figures(self, as_of_seq: int, now: datetime) -> Figures:
        """The figures as of `now` (drops the buckets that fell out of every window)."""
        self._prune(now)
        local = now.astimezone(self.zone)
        current = self.hour_of(now)
        first = current - HOUR * (HOURS - 1)
        hours = []
        overdue = self._overdue_before(first)
        empty = [0] * _SLOTS
        for k in range(HOURS):
            start = first + HOUR * k
            bucket = self.hours.get(start, empty)
            overdue = self.overdue_at.get(start, overdue)
            if start == current:
                overdue = self.overdue_now
            hours.append(HourFigures(
                start=start,
                received_by_channel={c.value: bucket[i] for i, c in enumerate(CHANNELS)},
                closed=bucket[CLOSED], closed_on_time=bucket[ON_TIME], overdue=overdue,
            ))
        day_start = datetime.combine(local.date(), datetime.min.time(), self.zone).astimezone(UTC)
        today = [0] * _SLOTS
        for start, bucket in self.hours.items():
            if day_start <= start <= current:
                for i, value in enumerate(bucket):
                    today[i] += value
        month_key = (local.year, local.month)
        month = self.months.get(month_key, [0] * 6)
        units = self.unit_months.get(month_key, {})
        streets = self.street_months.get(month_key, {})
        unit_ids = sorted(set(units) | {u for u, n in self.unit_open.items() if n})
        street_codes = sorted(set(self.streets) | set(streets) | {s for s, n in self.street_open.items() if n})
        return Figures(
            as_of_seq=as_of_seq,
            as_of=now.astimezone(UTC),
            zone=self.zone.key,
            open_by_level={level.value: n for level, n in self.open_by_level.items()},
            open_by_status={s.value: self.open_by_status.get(s, 0) for s in CaseStatus if s in OPEN_STATUSES},
            overdue_now=self.overdue_now,
            hours=hours,
            today=Totals(received=sum(today[: len(CHANNELS)]), closed=today[CLOSED], closed_on_time=today[ON_TIME],
                         returned=today[RETURNED], rated=today[RATED], satisfied=today[SATISFIED]),
            month=_totals(month),
            units_month=[_area(u, self._unit_label(u), units.get(u), self.unit_open.get(u, 0),
                               self.unit_overdue.get(u, 0)) for u in unit_ids],
            streets_month=[_area(s, self.streets.get(s, s), streets.get(s), self.street_open.get(s, 0),
                                 self.street_overdue.get(s, 0)) for s in street_codes],
            grids=[GridFigures(grid_id=g, street_code=self.grid_street(g) or self._grid_streets.get(g, ""), open=n,
                               overdue=self.grid_overdue.get(g, 0))
                   for g, n in sorted(self.grid_open.items()) if n],
        )

    def _unit_label(self, unit_id: str) -> str:
        return self.unit_name(unit_id) or self._names.get(unit_id) or unit_id

    def _overdue_before(self, first: datetime) -> int:
        earlier = [start for start in self.overdue_at if start < first]
        return self.overdue_at[max(earlier)] if earlier else 0

    def _prune(self, now: datetime) -> None:
        horizon = self.window_start(now)
        for start in [s for s in self.hours if s < horizon]:
            del self.hours[start]
        old = sorted(s for s in self.overdue_at if s < horizon)
        for start in old[:-1]:  # keep the last one: it carries into the window
            del self.overdue_at[start]
        local = now.astimezone(self.zone)
        month_key = (local.year, local.month)
        for months in (self.months, self.unit_months, self.street_months):
            for key in [k for k in months if k < month_key]:
                del months[key]


def _first_end_after(ends: list[datetime], moment: datetime) -> int:
    """Index of the first hour end later than `moment` (an instant exactly at an end counts after it)."""
    lo, hi = 0, len(ends)
    while lo < hi:
        mid = (lo + hi) // 2
        if ends[mid] <= moment:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _totals(counts: list[int]) -> Totals:
    return Totals(received=counts[A_RECEIVED], closed=counts[A_CLOSED], closed_on_time=counts[A_ON_TIME],
                  returned=counts[A_RETURNED], rated=counts[A_RATED], satisfied=counts[A_SATISFIED])


def _area(area_id: str, name: str, counts: list[int] | None, open_now: int, overdue_now: int) -> AreaFigures:
    c = counts or [0] * 6
    return AreaFigures(id=area_id, name=name, received=c[A_RECEIVED], closed=c[A_CLOSED], closed_on_time=c[A_ON_TIME],
                       returned=c[A_RETURNED], rated=c[A_RATED], satisfied=c[A_SATISFIED], open_now=open_now,
                       overdue_now=overdue_now)


class FiguresPublisher:
    """Sends the figures to every live subscriber when they changed, at most once per interval,
    and at each centre-local hour (the hour buckets roll) even when nothing changed.

    One frame is encoded per publish and the same bytes go to every subscriber.
    """

    def __init__(self, projection: FiguresProjection, clock: Callable[[], datetime], head: Callable[[], int],
                 fan_out: Callable[[bytes], None], interval_s: float) -> None:
        self.projection = projection
        self.clock = clock
        self.head = head
        self.fan_out = fan_out
        self.interval_s = interval_s
        self.published = 0
        """Frames fanned out so far (a test waits on it)."""
        self._frame: bytes | None = None
        self._key: tuple[int, datetime] | None = None
        self._sent_key: tuple[int, datetime] | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def frame(self) -> bytes:
        """The current figures, encoded; computed again only when they changed or the hour rolled."""
        now = self.clock()
        key = (self.projection.version, self.projection.hour_of(now))
        if self._frame is None or key != self._key:
            self._frame = encode(self.projection.figures(self.head(), now))
            self._key = key
        return self._frame

    def changed(self) -> None:
        """A commit changed the figures (or may have): publish once the interval allows."""
        self._wake.set()

    poke = changed
    """Look at the clock again now (a test's clock crossed an hour)."""

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="figures")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            now = self.clock()
            hour = self.projection.hour_of(now)
            if self._sent_key != (self.projection.version, hour):
                frame = self.frame()
                self._sent_key = self._key
                self.fan_out(frame)
                self.published += 1
                await asyncio.sleep(self.interval_s)
                continue
            self._wake.clear()
            until_hour = (hour + HOUR - now).total_seconds()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), min(60.0, max(until_hour, 0.001)))
