"""The supervision desk (监督), apart from command: its own window on the same feed.

    window = SupervisionWindow(store, feed, language="zh_CN")
    window.close_requested.connect(closing.set)

The desk's body (`views.supervision.desk_panel`) in a window of its own
(`console.panel_window`): the feed's health above it, the duty window's status bar below.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget

from backend_client.store import CaseStore
from console.panel_window import PanelWindow
from console.status_bar import FeedLike
from views.supervision.desk_panel import DeskFeed, SupervisionPanel

translate = QCoreApplication.translate


class SupervisionWindow(PanelWindow):
    def __init__(self, store: CaseStore, feed: FeedLike, *, language: str = "en",
                 settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(store, feed, screen="supervision", title=translate("SupervisionWindow", "Supervision desk"),
                         settings=settings, parent=parent)
        self.panel = SupervisionPanel(store, cast(DeskFeed, feed), language=language)
        self.show_panel(self.panel, self.panel.stop)
