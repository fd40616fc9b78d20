"""The commanders' emergency room (应急指挥室): the joint response on one screen.

    window = RoomWindow(store, feed, language="zh_CN")
    window.close_requested.connect(closing.set)

The room's body (`views.emergency.room_panel`) in a window of its own (`console.panel_window`):
the feed's health above it, the duty window's status bar below.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget

from backend_client.store import CaseStore
from console.panel_window import PanelWindow
from console.status_bar import FeedLike
from views.emergency.room_panel import EmergencyRoomPanel, RoomFeed

translate = QCoreApplication.translate


class RoomWindow(PanelWindow):
    def __init__(self, store: CaseStore, feed: FeedLike, *, language: str = "en",
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, feed, screen="room", title=translate("RoomWindow", "Emergency room"),
                         settings=settings, parent=parent)
        self.panel = EmergencyRoomPanel(store, cast(RoomFeed, feed), now=self.server_now, language=language)
        self.show_panel(self.panel, self.panel.stop)
