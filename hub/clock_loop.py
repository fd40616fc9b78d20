"""A task that does what falls due on the hub's clock, then sleeps until the next deadline.

The timekeeper, the directive reminders and the simulated responders all work this way:
nothing is polled; each sleeps until its earliest deadline, or until `poke()` (a commit brought
an earlier one, or a test moved the clock), and records the clock reading up to which
everything due has been done (`checked_up_to`), which tests and the simulator wait on.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime


class ClockLoop(ABC):
    name = "clock-loop"
    """The asyncio task's name (shown by debuggers and in task dumps)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.checked_up_to: datetime | None = None
        """The clock reading up to which everything due has been done."""
        self.sleeping = False
        """True while the loop waits for its next deadline or a `poke()` (nothing of it is running)."""
        self._checked = asyncio.Event()

    @abstractmethod
    def next_due(self) -> datetime | None:
        """The earliest deadline still to be worked (None: nothing planned)."""

    @abstractmethod
    async def work(self, now: datetime) -> None:
        """Do (some of) what is due at `now`; the loop asks again until nothing is due."""

    def on_caught_up(self) -> None:  # noqa: B027 (an optional hook, empty by default)
        """Called each time everything due has been done, before the loop sleeps."""

    @property
    def idle(self) -> bool:
        """Asleep, and not poked since: what a virtual clock waits for before it moves on."""
        return self.sleeping and not self._wake.is_set()

    async def caught_up(self, moment: datetime) -> None:
        """Return once everything due by `moment` (on this loop's clock) has been done."""
        while self.checked_up_to is None or self.checked_up_to < moment:
            self._checked.clear()
            await self._checked.wait()

    def poke(self) -> None:
        """Look at the clock again now (an earlier deadline, or a test's clock moved)."""
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            # the deadline first, then the clock: a deadline of "now" (a reading of the same clock) is then
            # never later than `now`; asked the other way round it was, by a microsecond, on every turn
            due = self.next_due()
            now = self.clock()
            if due is not None and due <= now:
                await self.work(now)
                continue
            self.checked_up_to = now
            self.on_caught_up()
            self._checked.set()
            self._wake.clear()
            timeout = None if due is None else (due - now).total_seconds()
            self.sleeping = True
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout)
            finally:
                self.sleeping = False
