"""Makes what a first sort on a column needs while the feed is quiet (`CaseStore.warm_sorts`).

    warmer = SortWarmer(store, parent)   # starts at once
    drain_timer.timeout.connect(warmer.poke)   # after a load (snapshot, resync) it starts again

A step runs only when no event came since the previous tick and the store has nothing waiting
for the next drain, and makes a few thousand cases' values (a few ms): a stream that never
pauses is never slowed by it (the feed is held a few turns of the event loop after each drain,
`console.feed_pacing`: an empty store then is not a quiet feed); a quiet
minute makes every column ready, and a click on a header then sorts 120,000 cases by values
already made (tens of ms) instead of making 120,000 key strings first (100-400 ms here).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from backend_client.store import CaseStore

SORT_WARM_INTERVAL_MS = 20
"""Between two steps: each takes a few ms, so warming uses at most a fifth of an idle main thread."""


class SortWarmer(QObject):
    """Calls `store.warm_sorts()` on a timer while the store is quiet; stops when all is made, until the next load."""

    def __init__(self, store: CaseStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sort_warmer")
        self._store = store
        self._warm_loads: int | None = None
        """`store.loads` when everything was last made (None: not yet)."""
        self._seq_seen = store.last_seq
        """`store.last_seq` at the previous tick: the feed is quiet when it has not moved since."""
        self._timer = QTimer(self, interval=SORT_WARM_INTERVAL_MS)
        self._timer.timeout.connect(self.step)
        self._timer.start()

    @property
    def warm(self) -> bool:
        """Everything a first sort by value needs is made for the cases the store holds now."""
        return self._warm_loads == self._store.loads

    def poke(self) -> None:
        """The store may have been loaded again: warm it again if so."""
        if not self.warm and not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """No more steps until the next `poke` after a load."""
        self._timer.stop()
        self._warm_loads = self._store.loads

    def step(self) -> None:
        store = self._store
        moved = store.last_seq != self._seq_seen
        self._seq_seen = store.last_seq
        if moved or store.dirty:  # events came since the last tick, or wait for the drain: the feed is busy
            return
        if not store.warm_sorts():
            self._warm_loads = store.loads
            self._timer.stop()
