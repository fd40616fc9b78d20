"""Python's cyclic garbage collector, run on the GUI thread only.

    collector = install(app)      # once, after the QApplication exists
    settle()                      # after a snapshot or the cache filled the store
    after_busy_frame()            # after each drain: the next collection half an interval later
    collector.stop()              # automatic collection back on (tests)

A QObject caught in a reference cycle is destroyed by whichever thread happens to trigger a
collection. When that is a worker thread (the snapshot cache's writer, asyncio's executor,
the embedded hub's database thread in tests), Qt cannot stop the object's timers from there
("QObject::killTimer: Timers cannot be stopped from another thread"); the timer later fires
for freed memory and the process dies in `QApplication::notify` (seen as a segfault in the
console suite, once every few runs). So automatic collection is switched off and a timer on
the GUI thread collects whenever the allocation counts say the collector would have run —
the same thresholds, only always on the right thread.

Two things keep the pauses short with 100,000 cases in memory (measured by
`bench/console_ingest.py`: a generation-1 pass over a fresh snapshot's ~600,000 objects took
240–490 ms on the GUI thread):
- `settle()` after a snapshot (or a cold start from the cache) moves everything alive into
  the permanent generation (`gc.freeze()`): the cases do not form cycles, so collecting never
  needs to look at them again (a case replaced later is freed by its reference count);
- a full collection runs only when the objects that reached the oldest generation since the
  last one amount to a quarter of those it then held, CPython's own rule (a plain
  `gc.collect(2)` would not apply it and would rescan everything every tenth pass).

`settle()` runs only after the store was loaded (console/workstation.py), not on every resume,
because a freeze also hides whatever else is alive then for good (a dialog open at the time).
This steers CPython's three generations and their thresholds: tested on 3.11, 3.12 and 3.13,
which `requires-python` pins (3.14 changes the collector's generations).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 100
"""How often the counts are looked at: often, so that each young-generation pass stays small."""

_collector: MainThreadCollector | None = None


class MainThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives in (the GUI thread), never elsewhere."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("gc.main_thread")
        self._interval = interval_ms
        self._thresholds = gc.get_threshold()
        self._long_lived = len(gc.get_objects(2))
        """Objects in the oldest generation after the last full collection (CPython's `long_lived_total`)."""
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self.start()

    def start(self) -> None:
        """Automatic collection off; this timer's on."""
        gc.disable()
        self._timer.start()

    def defer(self) -> None:
        """A busy frame just ran (a drain and its repaint): check half an interval from now, so that a
        collection never lands in the same frame as a drain (together they made the longest stalls)."""
        if self._timer.isActive():
            self._timer.start(self._interval // 2)

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; the generation, or None."""
        if self._timer.interval() != self._interval:
            self._timer.setInterval(self._interval)  # back to the full interval after a deferred check
        counts, limits = gc.get_count(), self._thresholds
        if counts[0] <= limits[0]:
            return None  # as CPython: nothing happens until the young generation is full
        generation = 0
        if counts[1] > limits[1]:
            generation = 1
            if counts[2] > limits[2] and len(gc.get_objects(2)) - self._long_lived > self._long_lived // 4:
                generation = 2
        gc.collect(generation)
        if generation == 2:
            self._long_lived = len(gc.get_objects(2))
        return generation

    def settled(self) -> None:
        """Everything alive went to the permanent generation: count the oldest one afresh."""
        self._long_lived = len(gc.get_objects(2))

    def stop(self) -> None:
        """Back to Python's own collector (which may run on any thread)."""
        self._timer.stop()
        gc.enable()


def settle() -> None:
    """Freeze what is alive now (a store just filled by a snapshot or the cache) out of later collections.

    A cycle among those objects that becomes garbage later is not collected (nor destroyed
    on a wrong thread); with cases, which hold no cycles, that costs nothing.
    """
    gc.freeze()
    if _collector is not None:
        _collector.settled()


def after_busy_frame() -> None:
    """Keep the next collection out of the frame that just ran (see `MainThreadCollector.defer`)."""
    if _collector is not None:
        _collector.defer()


def install(app: QCoreApplication) -> MainThreadCollector:
    """The application's collector, made on first call (a child of `app`, so it lives as long)."""
    global _collector
    if _collector is None or _collector.parent() is not app:
        _collector = MainThreadCollector(app)
    else:
        _collector.start()
    return _collector
