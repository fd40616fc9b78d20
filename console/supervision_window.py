"""The supervision desk (监督), apart from command: its own window on the same feed.

    window = SupervisionWindow(store, feed, language="zh_CN")
    window.close_requested.connect(closing.set)

The feed's health across the top (is what this screen shows current?), the desk's body
(`views.supervision.desk_panel`), and the status bar of the duty window below. Closing emits
`close_requested`; `console.app` shuts the feed down and ends the loop.
"""

from __future__ import annotations

import time
from typing import cast

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QVBoxLayout, QWidget

from backend_client.store import CaseStore
from console.feed_health_banner import show_health
from console.status_bar import ConnectionStatusBar, FeedLike
from views.supervision.desk_panel import DeskFeed, SupervisionPanel
from widgets.feed_banner import FeedBanner

translate = QCoreApplication.translate

SCREEN = "supervision"
"""This window's name in the saved layouts."""


class SupervisionWindow(QMainWindow):
    close_requested = Signal()

    def __init__(self, store: CaseStore, feed: FeedLike, *, language: str = "en",
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("window.supervision")
        self.store, self.feed = store, feed
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle(translate("SupervisionWindow", "Supervision desk"))
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 0)
        self.banner = FeedBanner()
        layout.addWidget(self.banner)
        self.panel = SupervisionPanel(store, cast(DeskFeed, feed), language=language)
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
