"""The record of what was done: every supervision (remind, urge, supervise, hold to account) the feed brought.

    log = SupervisionLog(store)      # taps the store's events
    log.entries()                    # newest first
    log.close()                      # when the window stops

The store keeps each case's supervision records (and the workstation's cache keeps them across
a restart) but not their time; the log taps `supervision.recorded` as it is applied, so a record
made while this console runs carries its instant and `seq`. Records the store held before (from
the cache) are listed after them, without a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend_client.store import CaseStore
from protocol.events import Supervision, SupervisionRecorded

KEPT = 5_000
"""Records kept for the table; the oldest beyond this are dropped (the hub's log keeps them all)."""


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int | None
    at: datetime | None
    """When the hub recorded it (None: brought from the cache, time unknown)."""
    record: Supervision


class SupervisionLog:
    def __init__(self, store: CaseStore) -> None:
        self.store = store
        self._earlier = [Entry(None, None, r) for records in store.supervision.values() for r in records]
        self._live: list[Entry] = []
        self.version = 0
        """Raised by one with every record added (a view redraws when it changed)."""
        store.event_taps.append(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, SupervisionRecorded):
            self._live.append(Entry(event.seq, event.ts, event.data))
            if len(self._live) > KEPT:
                del self._live[: len(self._live) - KEPT]
            self.version += 1

    def entries(self) -> list[Entry]:
        """Newest first: those seen live, then those from before this console started."""
        return [*reversed(self._live), *self._earlier[: max(0, KEPT - len(self._live))]]

    def close(self) -> None:
        if self._on_event in self.store.event_taps:
            self.store.event_taps.remove(self._on_event)
