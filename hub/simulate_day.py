"""`python -m hub simulate --days 1 --speed max --db day.db`: whole days of the centre on the virtual clock.

A hub on a `VirtualClock` (hub/virtual_clock.py) opens `--db`, which must hold no log yet, and
the simulator's arrivals, case steps and responders run on it with the timekeeper, from local
midnight of `--start` (Asia/Shanghai) for `--days` days, after `--backfill-hours` of history.
`--speed max` moves the clock deadline by deadline as fast as the hub commits; `--speed N` keeps
it N times faster than the wall clock. The same seed, start and step give the same log: a
replay, a drill or a benchmark reads it back. One line per simulated hour on stdout, then a
summary; the log is a normal hub database (`serve`, `audit`, `export` read it).
"""

from __future__ import annotations

import contextlib
import signal
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hub.errors import HubError

ZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_START = date(2026, 11, 24)
"""A Tuesday: a working day (the limits run in working hours)."""


class _Stopped(Exception):
    """Ctrl+C during the run."""


def parse_speed(text: str) -> float | None:
    """`max` → None (as fast as the hub commits); a number > 0 → that many times the wall clock."""
    if text == "max":
        return None
    try:
        speed = float(text)
    except ValueError:
        raise HubError(f"--speed: {text!r} is neither 'max' nor a number") from None
    if speed <= 0:
        raise HubError("--speed: a number above 0, or 'max'")
    return speed


async def simulate_days(db: str, *, days: float, speed: float | None, seed: int = 1, rate: float = 1.0,
                        start: date = DEFAULT_START, backfill_hours: float = 8.0, step_s: float = 0.0) -> int:
    """Run the simulated days into `db`; prints progress and a summary, returns the exit status."""
    import asyncio

    from hub.core import Hub
    from hub.simulation import SimulationDriver
    from hub.virtual_clock import ClockDriver, VirtualClock

    if days <= 0:
        raise HubError("--days: a number of days above 0")
    begin = datetime.combine(start, datetime.min.time(), ZONE).astimezone(UTC)
    clock = VirtualClock(begin)
    hub = Hub(db, clock=clock)
    await hub.open()
    driver: SimulationDriver | None = None
    try:
        if hub.head_seq:
            raise HubError(f"--db: {db} already holds a log (seq {hub.head_seq}); simulate into a new database")
        driver = SimulationDriver(hub, seed=seed, rate=rate, backfill_hours=backfill_hours)
        driver.start()
        ticker = ClockDriver(hub, clock, driver.loops, min_step=timedelta(seconds=step_s))
        end = begin + timedelta(days=days)
        wall = time.monotonic()
        hours_shown = 0
        pace = f"x{speed:g}" if speed is not None else "max"
        print(f"simulating {days:g} day(s) from {begin.astimezone(ZONE):%Y-%m-%d %H:%M} (Asia/Shanghai) into {db} "
              f"(seed {seed}, rate x{rate:g}, speed {pace})", flush=True)

        stop = asyncio.Event()  # Ctrl+C: stop after the step in progress, the log as committed so far
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)

        async def each(now: datetime) -> None:
            nonlocal hours_shown
            if stop.is_set():
                raise _Stopped
            if speed is not None:  # keep the virtual clock `speed` times the wall clock
                ahead = (now - begin).total_seconds() / speed - (time.monotonic() - wall)
                if ahead > 0:
                    await asyncio.sleep(ahead)
            hours = int((now - begin) / timedelta(hours=1))
            if hours > hours_shown:
                hours_shown = hours
                print(f"{now.astimezone(ZONE):%Y-%m-%d %H:%M}  seq {hub.head_seq}  "
                      f"({time.monotonic() - wall:.0f} s)", flush=True)

        try:
            await ticker.run_until(end, each=each)
        except _Stopped:
            print(f"stopped at {clock.now.astimezone(ZONE):%Y-%m-%d %H:%M}: log {hub.log_id} at seq {hub.head_seq}",
                  flush=True)
            return 130
        types = _counts(hub.engine)
        created, changed = types.get("case.created", 0), types.get("timer.level_changed", 0)
        print(f"done: {days:g} day(s) to {end.astimezone(ZONE):%Y-%m-%d %H:%M} in {time.monotonic() - wall:.0f} s; "
              f"log {hub.log_id} at seq {hub.head_seq}: {len(hub.writer.cases)} cases, {created} created, "
              f"{changed} timer changes", flush=True)
    finally:  # also on Ctrl+C: the simulator's loops first, then the hub (what was committed stays)
        if driver is not None:
            await driver.stop()
        await hub.close()
    return 0


def _counts(engine: Engine) -> dict[str, int]:
    """Events in the log by type."""
    from hub.db import schema

    events = schema.events
    with engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.type, sa.func.count()).group_by(events.c.type)).all()
    return {str(t): int(n) for t, n in rows}
