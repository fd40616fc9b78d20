"""Marks what the drill-down must refresh when events arrive (no Qt; a store event tap).

The shown case itself is compared by identity on each refresh (every change replaces the
immutable `Case`), so the tap only watches what that cannot see: new cases related to the
shown one, and changes to the cases already listed as related.
"""

from __future__ import annotations

import weakref

from backend_client.store import CaseStore
from backend_client.store.case_store import StoreEvent
from protocol.events import Case, CaseCreated, CaseUpdated
from views.case_detail.related import relation_of


class CaseWatch:
    def __init__(self, store: CaseStore) -> None:
        self.store = store
        self.case: Case | None = None
        self.related_ids: set[str] = set()
        self.related_dirty = False
        """True when the related list must be computed again."""
        ref = weakref.ref(self)

        def tap(event: StoreEvent) -> None:
            watch = ref()
            if watch is not None:
                watch.on_event(event)

        self._tap = tap
        store.event_taps.append(tap)

    def on_event(self, event: StoreEvent) -> None:
        shown = self.case
        if shown is None or self.related_dirty:
            return
        if isinstance(event, CaseCreated):
            self.related_dirty = relation_of(shown, event.data) is not None
        elif isinstance(event, CaseUpdated):
            self.related_dirty = event.data.id in self.related_ids

    def close(self) -> None:
        if self._tap in self.store.event_taps:
            self.store.event_taps.remove(self._tap)
