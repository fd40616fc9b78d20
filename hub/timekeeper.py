"""Runs the timers: wakes at the next threshold and commits the level changes then due.

Every commit hands the cases it changed to `refresh()`, which re-tracks their timers in
the heap-keyed scheduler (open and not paused) or drops them. The keeper sleeps until the
earliest threshold, never scanning all cases; a burst (all cases received overnight
crossing 50 % at 09:30) is worked off in slices of `SLICE` changes, one commit each.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from hub.clock_loop import ClockLoop
from hub.engine.sla import SlaScheduler
from hub.engine.supervision import AUTOMATIC, level_changes
from hub.writer import Job, Writer
from protocol import OPEN_STATUSES, Case, SlaLevel, SupervisionAction

SLICE = 200
"""Most level changes per commit: keeps one tick under ~1 ms of scheduler work."""


class Timekeeper(ClockLoop):
    name = "timekeeper"

    def __init__(self, writer: Writer, clock: Callable[[], datetime],
                 automatic: Mapping[SlaLevel, SupervisionAction] = AUTOMATIC) -> None:
        super().__init__(clock)
        self.writer = writer
        self.automatic = automatic
        self.scheduler = SlaScheduler()
        writer.on_fold = self.refresh
        self.refresh(writer.cases)

    def refresh(self, cases: dict[str, Case]) -> None:
        before = self.scheduler.next_wakeup()
        for case in cases.values():
            if case.status in OPEN_STATUSES and case.paused_at is None:
                if case.overall is not None:
                    self.scheduler.track(case.id, "overall", case.overall, case.level)
                if case.step is not None:
                    self.scheduler.track(case.id, "step", case.step, case.step_level)
                else:
                    self.scheduler.untrack(case.id, "step")
            else:
                self.scheduler.untrack(case.id)
        after = self.scheduler.next_wakeup()
        if after is not None and (before is None or after < before):
            self._wake.set()

    def next_due(self) -> datetime | None:
        return self.scheduler.next_wakeup()

    async def work(self, now: datetime) -> None:
        job = Job(run=lambda batch: level_changes(batch, self.scheduler.due(batch.now, SLICE), self.automatic),
                  name="timers")
        await self.writer.submit(job)
