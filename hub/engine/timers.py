"""Time limits of a case as absolute thresholds (blue → yellow 50 % → orange 80 % → red 100 %).

A `protocol.events.Timer` carries instants, not durations, so a console colours a case without
knowing the calendar: the hub does the calendar walk once, here. For a working-time limit the
fractions are positions in *working* time (50 % of 8 working hours is the instant 4 working hours
after the start, which may be the next morning), mapped back to wall-clock UTC instants.

The same functions serve the overall handling limit (处置时限) and a step's limit (环节时限).

A pause (挂起) moves only thresholds still ahead: a level a case has already reached, and the
supervision it triggered, is history and stays. An extension (延期) moves the due instant, and
yellow / orange unless they were reached before its approval. The Timer has no room for pause
state, so a paused timer is a `PausedTimer` beside it until it resumes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from hub.engine.calendar import WorkCalendar, default_calendar
from protocol.enums import SlaLevel
from protocol.events import Timer

YELLOW_AT = 0.5
ORANGE_AT = 0.8
Thresholds = tuple[float, float]
"""(yellow, orange) as fractions of the limit; a category may set its own."""
DEFAULT_THRESHOLDS: Thresholds = (YELLOW_AT, ORANGE_AT)

LEVELS = (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED)
"""The levels in the order a running clock reaches them."""


class PausedTimer(NamedTuple):
    """A timer whose clock stopped at `paused_at` (case 挂起); its level is frozen there."""

    timer: Timer
    paused_at: datetime


def check_thresholds(thresholds: Thresholds) -> Thresholds:
    """`thresholds` if 0 < yellow <= orange <= 1, else ValueError (a typo in a category must not pass)."""
    yellow, orange = thresholds
    if not 0 < yellow <= orange <= 1:
        raise ValueError(f"thresholds {thresholds}: need 0 < yellow <= orange <= 1")
    return yellow, orange


def _advance(calendar: WorkCalendar, start: datetime, span: timedelta, working: bool) -> datetime:
    """`start` moved on by `span` of the timer's own clock (working or calendar time)."""
    return calendar.add_working_time(start, span) if working else calendar.add_calendar_time(start, span)


def overall_timer(
    start: datetime,
    limit_hours: float,
    working_time: bool,
    calendar: WorkCalendar | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Timer:
    """A limit of `limit_hours` (working or calendar hours) that starts running at `start`.

    `calendar` defaults to the package's calendar, read on first use, so callers that predate the
    calendar (`overall_timer(received, hours, working)`) keep working unchanged.
    """
    cal = calendar or default_calendar()
    yellow, orange = check_thresholds(thresholds)
    limit = timedelta(hours=limit_hours)
    if limit < timedelta(0):
        raise ValueError(f"a limit cannot be negative ({limit_hours} h)")
    if working_time:  # the three instants in one walk of the calendar
        due_at, yellow_at, orange_at = cal.add_working_times(start, (limit, limit * yellow, limit * orange))
    elif start.tzinfo is UTC:  # the hub's instants: plain sums (what add_calendar_time gives, ~3x cheaper)
        due_at, yellow_at, orange_at = start + limit, start + limit * yellow, start + limit * orange
    else:
        due_at, yellow_at, orange_at = (cal.add_calendar_time(start, span)
                                        for span in (limit, limit * yellow, limit * orange))
    return Timer(
        started_at=start.astimezone(UTC),
        due_at=due_at,
        yellow_at=yellow_at,
        orange_at=orange_at,
        working_time=working_time,
    )


def level_at(timer: Timer | PausedTimer, now: datetime) -> SlaLevel:
    """Blue before yellow_at, yellow from it, orange from orange_at, red from due_at; frozen while paused."""
    if isinstance(timer, PausedTimer):
        return level_at(timer.timer, min(now, timer.paused_at))
    if now >= timer.due_at:
        return SlaLevel.RED
    if now >= timer.orange_at:
        return SlaLevel.ORANGE
    if now >= timer.yellow_at:
        return SlaLevel.YELLOW
    return SlaLevel.BLUE


def threshold(timer: Timer, level: SlaLevel) -> datetime:
    """The instant from which `level` holds (started_at for blue)."""
    if level is SlaLevel.RED:
        return timer.due_at
    if level is SlaLevel.ORANGE:
        return timer.orange_at
    if level is SlaLevel.YELLOW:
        return timer.yellow_at
    return timer.started_at


def paused_timer(timer: Timer, at: datetime) -> PausedTimer:
    """Stop the clock at `at` (挂起, e.g. waiting for the requester or a third party)."""
    return PausedTimer(timer, at.astimezone(UTC))


def resume(paused: PausedTimer, at: datetime, calendar: WorkCalendar | None = None) -> Timer:
    """Start the clock again at `at`: thresholds still ahead move on by the time spent paused.

    A threshold with w of clock time left at the pause has w left at the resume, so for a
    working-time limit only the *working* time of the pause counts (a pause over a weekend costs
    nothing). Thresholds reached before the pause stay where they were.
    """
    if at < paused.paused_at:
        raise ValueError(f"resume at {at.isoformat()} is before the pause at {paused.paused_at.isoformat()}")
    cal = calendar or default_calendar()
    old, stop = paused.timer, paused.paused_at

    def shift(moment: datetime) -> datetime:
        if moment <= stop:
            return moment
        if old.working_time:
            return cal.add_working_time(at, cal.working_time_between(stop, moment))
        return (moment + (at - stop)).astimezone(UTC)

    return Timer(
        started_at=old.started_at,
        due_at=shift(old.due_at),
        yellow_at=shift(old.yellow_at),
        orange_at=shift(old.orange_at),
        working_time=old.working_time,
    )


def extend(
    timer: Timer,
    extra_hours: float,
    calendar: WorkCalendar | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    *,
    at: datetime | None = None,
) -> Timer:
    """An approved extension (延期): the limit grows by `extra_hours` of the timer's own clock.

    The due instant moves by the extra time; yellow and orange move by their fraction of it, which
    puts them exactly at 50 % / 80 % of the new limit without needing the old limit or the timer's
    pause history (clock time ahead of now has no pause in it). With `at` (the approval instant),
    yellow and orange already reached by then stay: an extension gives time to finish, it does not
    take back a warning already raised; the due instant always moves (an extension granted after
    expiry sets a new deadline, so the case is no longer overdue). Without `at` all three move
    (the timer as if set up with the longer limit), exact for a timer that was never paused.
    """
    cal = calendar or default_calendar()
    yellow, orange = check_thresholds(thresholds)
    extra = timedelta(hours=extra_hours)
    if extra < timedelta(0):
        raise ValueError(f"an extension cannot be negative ({extra_hours} h)")

    def move(moment: datetime, span: timedelta, keep_reached: bool = True) -> datetime:
        if keep_reached and at is not None and moment <= at:
            return moment
        return _advance(cal, moment, span, timer.working_time)

    return Timer(
        started_at=timer.started_at,
        due_at=move(timer.due_at, extra, keep_reached=False),
        yellow_at=move(timer.yellow_at, extra * yellow),
        orange_at=move(timer.orange_at, extra * orange),
        working_time=timer.working_time,
    )
