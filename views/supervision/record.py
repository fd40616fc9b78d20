"""The record of what was done: every supervision (remind, urge, supervise, hold to account).

    log = SupervisionLog(store)      # taps the store's events
    log.take_hub_record(records)     # the answer of `supervision.read`, when it comes
    log.entries()                    # newest first
    log.close()                      # when the window stops

The hub's log holds the whole record: the desk asks for it (`supervision.read`) once its feed is
up, so a console started fresh shows what the ladder did before it. The log also taps
`supervision.recorded` as the store applies it, so a record made while this console runs shows
at once, with its instant and `seq` (the same record in both is shown once). Until the hub has
answered, the records the store held from the workstation's cache are listed, without a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import msgspec

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
        self._hub: list[Entry] | None = None
        """The hub's record (`supervision.read`), newest first; None until it answered."""
        self.version = 0
        """Raised by one with every record added (a view redraws when it changed)."""
        store.event_taps.append(self._on_event)

    def _on_event(self, event: object) -> None:
        if isinstance(event, SupervisionRecorded):
            self._live.append(Entry(event.seq, event.ts, event.data))
            if len(self._live) > KEPT:
                del self._live[: len(self._live) - KEPT]
            self.version += 1

    def take_hub_record(self, records: Iterable[Mapping[str, Any]]) -> None:
        """The records of `supervision.read` (each a `Supervision` with its `seq` and `at`): they replace
        those from the cache, which they include."""
        self._hub = [Entry(int(r["seq"]), msgspec.convert(r["at"], datetime), msgspec.convert(r, Supervision))
                     for r in records]
        self.version += 1

    @property
    def has_hub_record(self) -> bool:
        return self._hub is not None

    def entries(self) -> list[Entry]:
        """Newest first: the hub's record merged with those seen live (or, before the hub answered, those
        seen live and then those from the cache)."""
        if self._hub is None:
            return [*reversed(self._live), *self._earlier[: max(0, KEPT - len(self._live))]]
        by_seq = {e.seq: e for e in self._hub}
        by_seq.update((e.seq, e) for e in self._live)
        return sorted(by_seq.values(), key=lambda e: e.seq or 0, reverse=True)[:KEPT]

    def close(self) -> None:
        if self._on_event in self.store.event_taps:
            self.store.event_taps.remove(self._on_event)
