"""Reminders at the deadline: when a directive's `ack_due_at` passes, its missing units are reminded once.

The reminder is `directive.remind` run by the hub itself (same events: one `directive.changed`
with the instant added to `reminders`, one `receipt.changed` per unit reminded). "Once" is read
from the record, so it holds across restarts: a directive with a reminder at or after its
deadline (the hub's, or a commander's) is not reminded again. Like the timekeeper, this sleeps
until the earliest deadline on the hub's clock and is `poke`d when a test moves that clock.
"""

from __future__ import annotations

import functools
import heapq
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from hub.clock_loop import ClockLoop
from hub.emergency.book import EmergencyBook, receipt_key
from hub.emergency.commands import EmergencyCommands
from hub.engine.batch import Batch, Outcome
from protocol import Directive, DirectiveRemindArgs
from protocol.events import KnownEvent

log = logging.getLogger(__name__)

Submit = Callable[[str, Callable[[Batch], Outcome]], Awaitable[Outcome]]


def reminded_at_deadline(directive: Directive) -> bool:
    """True once the directive's missing units were reminded at or after its deadline."""
    return any(at >= directive.ack_due_at for at in directive.reminders)


class AckReminders(ClockLoop):
    name = "ack-reminders"

    def __init__(self, book: EmergencyBook, commands: EmergencyCommands, submit: Submit,
                 clock: Callable[[], datetime]) -> None:
        super().__init__(clock)
        self.book, self.commands, self.submit = book, commands, submit
        self._due: list[tuple[datetime, str]] = []
        """(ack_due_at, directive id), earliest first."""
        self._seen: set[str] = set()
        self._version = -1

    def refresh(self) -> None:
        """Take the directives the book gained since the last call (after each commit)."""
        if self.book.version == self._version:
            return
        self._version = self.book.version
        before = self._due[0][0] if self._due else None
        for directive in self.book.directives.values():
            if directive.id in self._seen:
                continue
            self._seen.add(directive.id)
            if not reminded_at_deadline(directive) and self._missing(directive):
                heapq.heappush(self._due, (directive.ack_due_at, directive.id))
        if self._due and (before is None or self._due[0][0] < before):
            self._wake.set()

    def _missing(self, directive: Directive) -> bool:
        receipts = (self.book.receipts.get(receipt_key(directive.id, unit)) for unit in directive.recipients)
        return any(r is None or r.acknowledged_at is None for r in receipts)

    def next_due(self) -> datetime | None:
        return self._due[0][0] if self._due else None

    async def work(self, now: datetime) -> None:
        due = []
        while self._due and self._due[0][0] <= now:
            due.append(heapq.heappop(self._due)[1])
        outcome = await self.submit("directive.remind", functools.partial(self._remind, directive_ids=due))
        if not outcome.ok:
            log.error("automatic reminders of %s failed: %s", ", ".join(due), outcome.error)

    def _remind(self, batch: Batch, directive_ids: list[str]) -> Outcome:
        events: list[KnownEvent] = []
        count = 0
        for directive_id in directive_ids:
            directive = self.book.get(batch, Directive, directive_id)
            if directive is None or reminded_at_deadline(directive):
                continue
            outcome = self.commands.remind(batch, DirectiveRemindArgs(id=directive_id))
            events += outcome.events
            count += int((outcome.result or {}).get("count", 0))
        return Outcome(result={"count": count}, events=events)
