"""Python's cyclic garbage collector, run on the GUI thread only.

    collector = install(app)      # once, after the QApplication exists
    collector.stop()              # automatic collection back on (tests)

A QObject caught in a reference cycle is destroyed by whichever thread happens to trigger a
collection. When that is a worker thread (the snapshot cache's writer, asyncio's executor,
the embedded hub's database thread in tests), Qt cannot stop the object's timers from there
("QObject::killTimer: Timers cannot be stopped from another thread"); the timer later fires
for freed memory and the process dies in `QApplication::notify` (seen as a segfault in the
console suite, once every few runs). So automatic collection is switched off and a timer on
the GUI thread collects whenever the allocation counts say the collector would have run —
the same thresholds, only always on the right thread.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

CHECK_INTERVAL_MS = 500
"""How often the counts are looked at; a generation-0 pass costs well under a millisecond."""

_collector: MainThreadCollector | None = None


class MainThreadCollector(QObject):
    """Collects cyclic garbage on the thread it lives in (the GUI thread), never elsewhere."""

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_INTERVAL_MS) -> None:
        super().__init__(parent)
        self.setObjectName("gc.main_thread")
        self._thresholds = gc.get_threshold()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self.check)
        self.start()

    def start(self) -> None:
        """Automatic collection off; this timer's on."""
        gc.disable()
        self._timer.start()

    def check(self) -> int | None:
        """Collect the oldest generation whose count passed its threshold; the generation, or None."""
        counts = gc.get_count()
        generation = None
        for level in range(3):
            if counts[level] > self._thresholds[level]:
                generation = level
        if generation is not None:
            gc.collect(generation)
        return generation

    def stop(self) -> None:
        """Back to Python's own collector (which may run on any thread)."""
        self._timer.stop()
        gc.enable()


def install(app: QCoreApplication) -> MainThreadCollector:
    """The application's collector, made on first call (a child of `app`, so it lives as long)."""
    global _collector
    if _collector is None or _collector.parent() is not app:
        _collector = MainThreadCollector(app)
    else:
        _collector.start()
    return _collector
