"""The commanders' emergency room (应急指挥室): the joint response on one screen.

    window = RoomWindow(store, feed, language="zh_CN")
    window.close_requested.connect(closing.set)

The feed's health across the top (is what this screen shows current?), the room's body
(`views.emergency.room_panel`), and the status bar of the duty window below. Closing emits
`close_requested`; `console.app` shuts the feed down and ends the loop.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import cast

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from backend_client.store import CaseStore
from console.feed_health_banner import show_health
from console.status_bar import ConnectionStatusBar, FeedLike
from views.emergency.room_panel import EmergencyRoomPanel, RoomFeed
from widgets.feed_banner import FeedBanner

translate = QCoreApplication.translate

SCREEN = "room"
"""This window's name in the saved layouts."""


class RoomWindow(QMainWindow):
    close_requested = Signal()

    def __init__(self, store: CaseStore, feed: FeedLike, *, language: str = "en",
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("window.room")
        self.store, self.feed = store, feed
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(translate("RoomWindow", "Emergency room"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 0)
        self.banner = FeedBanner()
        layout.addWidget(self.banner)
        self.panel = EmergencyRoomPanel(store, cast(RoomFeed, feed), now=self.server_now, language=language)
        layout.addWidget(self.panel, 1)
        self.setCentralWidget(body)
        self.status = ConnectionStatusBar(feed, store, self)
        self.setStatusBar(self.status)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._refresh)
        self._tick.start()
        self._refresh()
        self.resize(1600, 900)
        geometry = self.settings.value(f"layout/{SCREEN}/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)

    def server_now(self) -> datetime:
        """The hub's time: ours corrected by the skew measured at `welcome`."""
        return datetime.fromtimestamp(time.time() + self.feed.server_skew_s, UTC)

    def _refresh(self) -> None:
        show_health(self.banner, self.feed, time.time())
        self.status.refresh()

    def stop(self) -> None:
        self._tick.stop()
        self.panel.stop()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue(f"layout/{SCREEN}/geometry", self.saveGeometry())
        self.stop()
        event.accept()
        self.close_requested.emit()
