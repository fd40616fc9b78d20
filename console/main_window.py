"""The console's main window: the dispatch queue in a dock, the connection in the status bar.

Two timers drive the screen, whatever the event rate: every 100 ms the store's changes are
drained into the model as one batch (≤ 10 Hz), and every second the countdowns and the
status bar move on. Closing the window does not end the application by itself: it emits
`close_requested`, and `console.app` shuts the feed down, then stops the loop.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget
from shiboken6 import isValid

from backend_client.store import CaseStore
from console.status_bar import ConnectionStatusBar, FeedLike
from views.dispatch_queue import DispatchQueue
from views.models.case_table_model import CaseTableModel

DRAIN_INTERVAL_MS = 100
"""Store → model at most ten times a second: the repaint rate is set here, not by the feed."""
TICK_INTERVAL_MS = 1000
"""Countdowns and the freshness of the status bar move once a second."""


class MainWindow(QMainWindow):
    """Signals: `close_requested()` when the operator closes the window."""

    close_requested = Signal()

    def __init__(
        self, store: CaseStore, feed: FeedLike, *, language: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("window.main")
        self.store = store
        self.feed = feed
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Command Centre Console"))
        self.model = CaseTableModel(store, self._server_now, language=language, parent=self)
        self.queue = DispatchQueue(self.model)
        dock = QDockWidget(QCoreApplication.translate("MainWindow", "Dispatch queue"), self)
        dock.setObjectName("dock.queue")
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable)
        dock.setWidget(self.queue)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.setDockNestingEnabled(True)
        self.status = ConnectionStatusBar(feed, store, self)
        self.setStatusBar(self.status)
        self._drain_timer = QTimer(self, interval=DRAIN_INTERVAL_MS, timerType=Qt.TimerType.CoarseTimer)
        self._drain_timer.timeout.connect(self.model.refresh)
        self._tick_timer = QTimer(self, interval=TICK_INTERVAL_MS)
        self._tick_timer.timeout.connect(self._tick)
        self._drain_timer.start()
        self._tick_timer.start()
        feed.add_listener(_weak_listener(self))
        self.resize(1280, 760)

    def _server_now(self) -> float:
        """Epoch seconds on the hub's clock: ours, corrected by the skew measured at `welcome`."""
        return time.time() + self.feed.server_skew_s

    def _tick(self) -> None:
        self.model.tick()
        self.status.refresh()

    def on_feed_changed(self) -> None:
        """The connection changed state: show it now, and take what the store holds."""
        self.model.refresh()
        self.status.refresh()

    def stop(self) -> None:
        """Stop the timers (before the feed closes, so nothing runs against a dying loop)."""
        self._drain_timer.stop()
        self._tick_timer.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        event.accept()
        self.close_requested.emit()


def _weak_listener(window: MainWindow) -> Any:
    """A connection listener that holds the window weakly and ignores it once it is gone."""
    ref = weakref.ref(window)

    def listener(_feed: object) -> None:
        target = ref()
        if target is not None and isValid(target):
            target.on_feed_changed()

    return listener
