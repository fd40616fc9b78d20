"""The console's main window: the dispatch queue in a dock, the connection in the status bar.

Two timers drive the screen, whatever the event rate: every 100 ms the store's changes are
drained into the model as one batch (≤ 10 Hz), and every second the countdowns and the
status bar move on. Closing the window does not end the application by itself: it emits
`close_requested`, and `console.app` shuts the feed down, then stops the loop.
"""

from __future__ import annotations

import time
import weakref
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar, QVBoxLayout, QWidget
from shiboken6 import isValid

from backend_client.alerts import AlertBook
from backend_client.store import CaseStore
from console.feed_health_banner import show_health
from console.status_bar import ConnectionStatusBar, FeedLike
from views.alerts_panel import AlertsPanel, CommandSender
from views.case_detail import CaseDetailDock
from views.case_detail.panel import CaseCommands
from views.dispatch_queue import DispatchQueue
from views.models.case_table_model import CaseTableModel
from views.queue_sidebar import QueueSidebar
from widgets.feed_banner import FeedBanner

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
        self.model = CaseTableModel(store, self._server_now, language=language, parent=self,
                                    commands=getattr(feed, "commands", None))
        self.banner = FeedBanner()  # at the top, full width: is what this screen shows current?
        self._banner_bar = QToolBar(self, movable=False, floatable=False)
        self._banner_bar.setObjectName("toolbar.feed")
        self._banner_bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        holder = QWidget()  # a toolbar owns its widgets' visibility; the banner shows and hides itself inside this
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.banner)
        self._banner_bar.addWidget(holder)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self._banner_bar)
        self._banner_bar.setVisible(False)
        self.banner.state_changed.connect(lambda kind: self._banner_bar.setVisible(kind is not None))
        self.queue = DispatchQueue(self.model)
        dock = QDockWidget(QCoreApplication.translate("MainWindow", "Dispatch queue"), self)
        dock.setObjectName("dock.queue")
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable)
        dock.setWidget(self.queue)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.setDockNestingEnabled(True)
        self.sidebar = QueueSidebar(store, parent=self)  # the queues, left of the table
        self._sidebar_dock = QDockWidget(QCoreApplication.translate("MainWindow", "Queues"), self)
        self._sidebar_dock.setObjectName("dock.queues")
        self._sidebar_dock.setFeatures(dock.features())
        self._sidebar_dock.setWidget(self.sidebar)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._sidebar_dock)
        self.splitDockWidget(self._sidebar_dock, dock, Qt.Orientation.Horizontal)
        self.sidebar.filter_changed.connect(self.model.set_filter)
        self.sidebar.done.connect(self.queue.setFocus)
        self.model.set_filter(self.sidebar.current_filter())
        self.alert_book = AlertBook(store)
        # `feed` is a FeedConnection in the app; FeedLike names only what the status bar reads.
        self.alerts = AlertsPanel(self.alert_book, cast(CommandSender, feed), language=language, parent=self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alerts)
        self._queue_dock, self._docks_sized = dock, False
        self.alerts.case_requested.connect(self.queue.select_case)
        self.case_dock = CaseDetailDock(store, cast(CaseCommands, feed), language=language, parent=self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.case_dock)
        self.queue.current_case_changed.connect(self.case_dock.show_case)
        self.queue.case_activated.connect(self._on_case_activated)
        self.case_dock.panel.case_requested.connect(self.queue.select_case)
        self.status = ConnectionStatusBar(feed, store, self)
        self.setStatusBar(self.status)
        self._drain_timer = QTimer(self, interval=DRAIN_INTERVAL_MS, timerType=Qt.TimerType.CoarseTimer)
        self._drain_timer.timeout.connect(self.model.refresh)
        self._drain_timer.timeout.connect(self.sidebar.refresh)
        self._tick_timer = QTimer(self, interval=TICK_INTERVAL_MS)
        self._tick_timer.timeout.connect(self._tick)
        self._drain_timer.start()
        self._tick_timer.start()
        feed.add_listener(_weak_listener(self))
        self._show_health()
        self.resize(1280, 760)

    def _server_now(self) -> float:
        """Epoch seconds on the hub's clock: ours, corrected by the skew measured at `welcome`."""
        return time.time() + self.feed.server_skew_s

    def _tick(self) -> None:
        self.queue.tick()
        self.status.refresh()
        self._show_health()

    def _show_health(self) -> None:
        show_health(self.banner, self.feed, time.time())

    def on_feed_changed(self) -> None:
        """The connection changed state: show it now, and take what the store holds."""
        welcome = getattr(self.feed, "welcome", None)
        if welcome is not None:
            self.sidebar.set_scope(getattr(welcome, "unit_id", None))
        self.model.refresh()
        self.status.refresh()
        self._show_health()

    def stop(self) -> None:
        """Stop the timers (before the feed closes, so nothing runs against a dying loop)."""
        self._drain_timer.stop()
        self._tick_timer.stop()
        self.alerts.stop()
        self.case_dock.stop()

    def _on_case_activated(self, case_id: str) -> None:
        """Enter or a double-click on a case: its drill-down comes forward, ready for the keyboard."""
        self.case_dock.show_case(case_id)
        self.case_dock.show()
        self.case_dock.raise_()
        self.case_dock.panel.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._docks_sized:  # first show: the alerts across the bottom, a third of the height
            self._docks_sized = True
            QTimer.singleShot(0, self, self._size_docks)  # once the first layout is done

    def _size_docks(self) -> None:
        height = self.height()
        self.resizeDocks([self._queue_dock, self.alerts], [height * 2 // 3, height // 3], Qt.Orientation.Vertical)
        self.resizeDocks([self._sidebar_dock], [self.sidebar.sizeHint().width()], Qt.Orientation.Horizontal)

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
