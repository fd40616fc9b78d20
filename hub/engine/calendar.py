"""The centre's working calendar: which days are worked and which hours of them count.

Working-time limits (e.g. "8 working hours", "5 working days") stop over nights, the lunch break,
weekends and public holidays, and run on the Saturdays and Sundays the State Council declares
working days (调休). The day list comes from a CSV (`resources/data/cn_holidays.csv`, one row per
holiday or adjusted working day) so a centre updates it each November when the next year's notice
is published, without a code change.

Times on the wire are UTC; the calendar computes in China Standard Time. That is a fixed +08:00
(no DST since 1991), so no tz database is needed on a Windows desk. Internally everything is counted
in integer microseconds, so `working_time_between(a, add_working_time(a, h)) == h` holds exactly.

A year the CSV does not cover (e.g. 2027 before its notice) is computed with plain weekends, and
the first use of each such year logs a warning: a timer that is slightly off over an unknown
holiday is better than a hub that stops opening cases on 1 January. `strict=True` raises instead.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

CENTRE_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time, the centre's local time (fixed offset, see the module docstring)."""

HOLIDAYS_FILE = "cn_holidays.csv"
DEFAULT_HOURS: tuple[tuple[time, time], ...] = ((time(9, 0), time(12, 0)), (time(13, 30), time(18, 0)))
"""Office hours of the centre: 09:00–12:00 and 13:30–18:00 local, i.e. 7.5 working hours a day."""

_US = timedelta(microseconds=1)
_DAY_US = 86_400_000_000
_ONE_DAY = timedelta(days=1)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KINDS = ("holiday", "adjusted_workday")


class CalendarError(ValueError):
    """A holiday file or working-hours setting that cannot be used; the message names file and line."""


def default_holidays_path() -> Path:
    """`resources/data/cn_holidays.csv` of the installed package (a checkout or a wheel alike)."""
    return Path(str(resources.files("resources").joinpath("data", HOLIDAYS_FILE)))


def _us_of_day(moment: time) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def working_periods(hours: Iterable[tuple[time, time]]) -> tuple[tuple[int, int], ...]:
    """Working periods as (start, end) microseconds of the day; an end of 00:00 means midnight."""
    periods: list[tuple[int, int]] = []
    for start, end in hours:
        lo, hi = _us_of_day(start), _us_of_day(end) or _DAY_US
        if start.tzinfo is not None or end.tzinfo is not None:
            raise CalendarError(f"working hours {start}–{end}: give local times without a time zone")
        if hi <= lo:
            raise CalendarError(f"working hours {start}–{end}: the end is not after the start")
        if periods and lo < periods[-1][1]:
            raise CalendarError(f"working hours {start}–{end}: not after the previous period, or overlapping it")
        periods.append((lo, hi))
    if not periods:
        raise CalendarError("working hours: at least one period is needed")
    return tuple(periods)


def _to_us(hours: float | timedelta) -> int:
    """A duration as integer microseconds, rounded as `timedelta(hours=...)` rounds it."""
    if not isinstance(hours, timedelta):
        if not math.isfinite(hours):
            raise ValueError(f"hours must be finite, not {hours}")
        hours = timedelta(hours=hours)
    if hours < timedelta(0):
        raise ValueError(f"a duration cannot be negative ({hours})")
    return hours // _US


def _split(moment: datetime) -> tuple[date, int]:
    """(local date, microseconds into that local day) of an aware instant."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; instants are UTC-aware datetimes")
    local = moment.astimezone(CENTRE_TZ)
    return local.date(), _us_of_day(local.time())


def _join(day: date, us: int) -> datetime:
    """The UTC instant `us` microseconds into the local `day`."""
    return (datetime(day.year, day.month, day.day, tzinfo=CENTRE_TZ) + timedelta(microseconds=us)).astimezone(UTC)


@dataclass
class WorkCalendar:
    """Days off, adjusted working days and office hours of one centre.

    Mutable only in the set of years already warned about (so a warning is logged once, not per call).
    """

    holidays: frozenset[date]
    workdays: frozenset[date]
    """Adjusted working days (调休): Saturdays or Sundays that are worked."""
    years: frozenset[int]
    """Years the day list covers; other years fall back to plain weekends (or raise when strict)."""
    periods: tuple[tuple[int, int], ...] = field(default_factory=lambda: working_periods(DEFAULT_HOURS))
    """Office hours as (start, end) microseconds of the local day, from `working_periods(hours)`."""
    strict: bool = False
    names: dict[date, str] = field(default_factory=dict, repr=False)
    """The holiday each listed day belongs to (春节, 国庆节 …), for display."""
    _warned: set[int] = field(default_factory=set, init=False, repr=False, compare=False)

    @classmethod
    def load(
        cls,
        path: Path | str | None = None,
        hours: Sequence[tuple[time, time]] = DEFAULT_HOURS,
        *,
        strict: bool = False,
    ) -> WorkCalendar:
        """Read a holiday CSV (default: the package's cn_holidays.csv); columns date, kind, name[, name_en]."""
        path = Path(path) if path is not None else default_holidays_path()
        holidays: set[date] = set()
        workdays: set[date] = set()
        names: dict[date, str] = {}
        for line, day, kind, name in _read_rows(path):
            if day in names:
                raise CalendarError(f"{path}, line {line}: date {day} appears twice")
            if kind == "adjusted_workday":
                if day.weekday() < 5:
                    raise CalendarError(f"{path}, line {line}: adjusted_workday {day} is a "
                                        f"{day:%A}, not a Saturday or Sunday")
                workdays.add(day)
            else:
                holidays.add(day)
            names[day] = name
        if not names:
            raise CalendarError(f"{path}: no rows")
        years = frozenset(day.year for day in names)
        return cls(frozenset(holidays), frozenset(workdays), years, working_periods(hours), strict, names)

    def _covered(self, day: date) -> bool:
        if day.year in self.years:
            return True
        if self.strict:
            raise CalendarError(f"{day}: the holiday list covers only {', '.join(map(str, sorted(self.years)))}")
        if day.year not in self._warned:
            self._warned.add(day.year)
            log.warning("holiday list has no year %d: counting it with weekends only (provisional)", day.year)
        return False

    def is_working_day(self, day: date) -> bool:
        """True on weekdays that are no holiday and on adjusted working days (调休)."""
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        self._covered(day)
        return day.weekday() < 5

    def covers(self, day: date) -> bool:
        """True when `day`'s year is in the holiday list (results for other years are provisional)."""
        return day.year in self.years

    def working_time_per_day(self) -> timedelta:
        """Length of one full working day (7.5 h with the default hours)."""
        return timedelta(microseconds=sum(hi - lo for lo, hi in self.periods))

    def add_working_time(self, start: datetime, hours: float | timedelta) -> datetime:
        """The UTC instant when `hours` of working time have passed since `start`.

        Ends at the end of a period rather than the start of the next one when the time runs out
        exactly there (a limit used up at 12:00 is due at 12:00, not at 13:30). Zero gives `start`.
        """
        remaining = _to_us(hours)
        if remaining == 0:
            return start.astimezone(UTC)
        day, at = _split(start)
        while True:
            if self.is_working_day(day):
                for lo, hi in self.periods:
                    if hi <= at:
                        continue
                    begin = max(lo, at)
                    if remaining <= hi - begin:
                        return _join(day, begin + remaining)
                    remaining -= hi - begin
            day += _ONE_DAY
            at = 0

    def add_working_times(self, start: datetime, spans: Sequence[timedelta]) -> list[datetime]:
        """`add_working_time(start, span)` for each of `spans`, in one walk of the calendar.

        A timer's yellow, orange and due instants are three spans from the same start: walking the
        days once for all three instead of once each took `overall_timer` from ~60 % of a
        `case.create` job's time (the hub's writer thread, bench/feed_throughput.py) to a third of
        it. The instants are the same to the microsecond (tests/hub/test_calendar.py compares them).
        """
        wanted = sorted((_to_us(span), index) for index, span in enumerate(spans))
        found: list[datetime | None] = [None] * len(wanted)
        pending = 0
        while pending < len(wanted) and wanted[pending][0] == 0:
            found[wanted[pending][1]] = start.astimezone(UTC)
            pending += 1
        if pending < len(wanted):
            day, at = _split(start)
            used = 0  # working time counted from `start` up to the beginning of the current period slice
            while pending < len(wanted):
                if self.is_working_day(day):
                    for lo, hi in self.periods:
                        if hi <= at:
                            continue
                        begin = max(lo, at)
                        while pending < len(wanted) and wanted[pending][0] - used <= hi - begin:
                            target, index = wanted[pending]
                            found[index] = _join(day, begin + target - used)
                            pending += 1
                        if pending == len(wanted):
                            break
                        used += hi - begin
                day += _ONE_DAY
                at = 0
        return [moment for moment in found if moment is not None]

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from `a` to `b` (negative when `b` is before `a`)."""
        if b < a:
            return -self.working_time_between(b, a)
        first, lo_us = _split(a)
        last, hi_us = _split(b)
        total = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                lo = lo_us if day == first else 0
                hi = hi_us if day == last else _DAY_US
                for start, end in self.periods:
                    total += max(0, min(end, hi) - max(start, lo))
            day += _ONE_DAY
        return timedelta(microseconds=total)

    @staticmethod
    def add_calendar_time(start: datetime, hours: float | timedelta) -> datetime:
        """`start` plus `hours` of clock time: calendar-hour limits ignore days off and office hours."""
        _split(start)  # refuse naive datetimes here too
        return (start + timedelta(microseconds=_to_us(hours))).astimezone(UTC)


def _read_rows(path: Path) -> Iterable[tuple[int, date, str, str]]:
    """(line, date, kind, name) of each row; every problem is a CalendarError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CalendarError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise CalendarError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CalendarError(f"{path}: cannot read ({exc.strerror})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[tuple[int, date, str, str]] = []
    try:
        missing = [name for name in ("date", "kind", "name") if name not in (reader.fieldnames or [])]
        if missing:
            raise CalendarError(f"{path}, line 1: header lacks column(s) {', '.join(missing)}")
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise CalendarError(f"{path}, line {line}: wrong number of fields")
            text_date, kind, name = row["date"].strip(), row["kind"].strip(), row["name"].strip()
            if not _DATE.match(text_date):
                raise CalendarError(f"{path}, line {line}: date {text_date!r} is not YYYY-MM-DD")
            try:
                day = date.fromisoformat(text_date)
            except ValueError:
                raise CalendarError(f"{path}, line {line}: date {text_date!r} does not exist") from None
            if kind not in _KINDS:
                raise CalendarError(f"{path}, line {line}: kind {kind!r} is not {'|'.join(_KINDS)}")
            if not name:
                raise CalendarError(f"{path}, line {line}: name is empty")
            rows.append((line, day, kind, name))
    except csv.Error as exc:
        raise CalendarError(f"{path}, line {reader.line_num}: bad CSV ({exc})") from None
    return rows


@functools.cache
def default_calendar() -> WorkCalendar:
    """The package's holiday list with the default office hours, read once on first use."""
    return WorkCalendar.load()
