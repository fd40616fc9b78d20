"""A window of its own for one panel on the feed: the emergency room, the supervision desk.

The feed's health across the top (is what this screen shows current?), the panel, and the
status bar of the duty window below; the window's place is kept in the saved layouts under
its screen's name. Closing emits `close_requested`; `console.app` shuts the feed down and ends
the loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QByteArray, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from backend_client.store import CaseStore
from console.feed_health_banner import show_health
from console.status_bar import ConnectionStatusBar, FeedLike
from widgets.feed_banner import FeedBanner


class PanelWindow(QMainWindow):
    close_requested = Signal()

    def __init__(self, store: CaseStore, feed: FeedLike, *, screen: str, title: str,
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen_name = screen
        """This window's name in the saved layouts."""
        self.setObjectName(f"window.{screen}")
        self.store, self.feed = store, feed
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(title)
        body = QWidget()
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(6, 4, 6, 0)
        self.banner = FeedBanner()
        self._body.addWidget(self.banner)
        self.setCentralWidget(body)
        self.status = ConnectionStatusBar(feed, store, self)
        self.setStatusBar(self.status)
        self._stop_panel: Callable[[], None] = lambda: None
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._refresh)
        self.resize(1600, 900)
        geometry = self.settings.value(f"layout/{screen}/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def show_panel(self, panel: QWidget, stop: Callable[[], None]) -> None:
        """Put the window's panel under the banner; `stop` ends its timers and queries when the window goes."""
        self._body.addWidget(panel, 1)
        self._stop_panel = stop
        self._tick.start()
        self._refresh()

    def server_now(self) -> datetime:
        """The hub's time: ours corrected by the skew measured at `welcome`."""
        return datetime.fromtimestamp(time.time() + self.feed.server_skew_s, UTC)

    def _refresh(self) -> None:
        show_health(self.banner, self.feed, time.time())
        self.status.refresh()

    def stop(self) -> None:
        self._tick.stop()
        self._stop_panel()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(f"layout/{self.screen_name}/geometry", self.saveGeometry())
        self.stop()
        event.accept()
        self.close_requested.emit()
