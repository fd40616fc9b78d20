"""A virtual clock for a hub: a whole day in minutes, the same day every time.

The hub reads the time only through its `clock=` hook, and everything that waits for a time
(the timekeeper, the directive reminders, the simulator's arrivals, its case steps and its
responders) is a `ClockLoop` sleeping on that clock. `VirtualClock` is such a clock that only
moves when told; `ClockDriver` moves it from one deadline to the next, pokes every loop and
waits until all of them have done what fell due and the writer has committed it, so a day of
the simulator runs as fast as the hub can commit it, and the same seed gives the same day.
Replays and drills use the same driver.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from hub.clock_loop import ClockLoop
from hub.core import Hub
from hub.engine.batch import Outcome

MAX_STEP = timedelta(minutes=1)
"""The clock never jumps further than this at once (what watches the hub sees time pass)."""


class VirtualClock:
    """A clock that reads `now` until it is moved (`hub = Hub(…, clock=VirtualClock(start))`)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a virtual clock starts at an aware instant (UTC)")
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class ClockDriver:
    """Moves a hub's `VirtualClock` deadline by deadline, each step settled before the next."""

    def __init__(self, hub: Hub, clock: VirtualClock, loops: Iterable[ClockLoop] = (), *,
                 max_step: timedelta = MAX_STEP, min_step: timedelta = timedelta(0)) -> None:
        if hub.clock is not clock:
            raise ValueError("the hub must run on this clock (Hub(clock=clock))")
        self.hub = hub
        self.clock = clock
        self.extra = list(loops)
        """More loops on the hub's clock (the simulator's `driver.loops`)."""
        self.max_step = max_step
        self.min_step = min_step
        """Deadlines closer than this to the last step are worked together (coarser, faster; 0: exact)."""

    @property
    def loops(self) -> list[ClockLoop]:
        hub_loops: list[ClockLoop] = [self.hub.reminders]
        if self.hub.timekeeper is not None:
            hub_loops.append(self.hub.timekeeper)
        return hub_loops + self.extra

    def next_due(self) -> datetime | None:
        dues = [d for d in (loop.next_due() for loop in self.loops) if d is not None]
        return min(dues) if dues else None

    async def settle(self) -> None:
        """Return once every loop has done what is due now and the writer has committed it all."""
        now = self.clock.now
        while True:
            for loop in self.loops:
                await loop.caught_up(now)
            # an empty job queued behind everything the loops submitted: once it is answered, they are committed
            await self.hub.run_internal("clock", lambda batch: Outcome())
            due = self.next_due()
            if all(loop.idle for loop in self.loops) and (due is None or due > now):
                return
            await asyncio.sleep(0)

    async def advance_to(self, moment: datetime) -> None:
        """Set the clock to `moment` (never back), poke every loop, and settle."""
        if moment > self.clock.now:
            self.clock.now = moment
        for loop in self.loops:
            loop.poke()
        await self.settle()

    async def run_until(self, end: datetime, *, also: Callable[[], datetime | None] = lambda: None,
                        each: Callable[[datetime], Awaitable[None]] | None = None) -> int:
        """Move the clock to `end`, stopping at every deadline (and at `also()`, the caller's next one).

        `each(now)` runs after every step has settled (e.g. consoles catch up and acknowledge).
        Returns the number of steps taken.
        """
        steps = 0
        await self.settle()
        while self.clock.now < end:
            candidates = [end, self.clock.now + self.max_step]
            for due in (self.next_due(), also()):
                if due is not None:
                    candidates.append(max(due, self.clock.now + max(self.min_step, timedelta(microseconds=1))))
            await self.advance_to(min(candidates))
            steps += 1
            if each is not None:
                await each(self.clock.now)
        return steps
