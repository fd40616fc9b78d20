"""The analysis view in the duty window, installed by one call: `install_analysis(window)`.

An Analysis menu (before Help) with "Hot spots, recurring problems, trends…" (Ctrl+Shift+A),
which opens the analysis view (views/analysis/) as a window of its own, or brings it forward
and asks the hub again. A case opened from it comes forward in this window's case drill-down.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu
from shiboken6 import isValid

from protocol import may_send

if TYPE_CHECKING:
    from views.analysis.window import AnalysisWindow

translate = QCoreApplication.translate
SHORTCUT = "Ctrl+Shift+A"


class AnalysisHook(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view: AnalysisWindow | None = None
        self.menu = QMenu(translate("Analysis", "&Analysis"), window)
        self.menu.setObjectName("menu.analysis")
        self.open_action = self.menu.addAction(translate("Analysis", "&Hot spots, recurring problems, trends…"))
        self.open_action.setShortcut(QKeySequence(SHORTCUT))
        self.open_action.triggered.connect(self.open)
        self.menu.aboutToShow.connect(self._enable)
        bar = window.menuBar()
        about = getattr(getattr(window, "menus", None), "about", None)
        help_menu = next((a for a in bar.actions() if isinstance(m := a.menu(), QMenu) and about in m.actions()), None)
        if help_menu is not None:  # before Help, which stays last
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)

    @property
    def feed(self) -> Any:
        return getattr(self.window, "feed", None)

    def _enable(self) -> None:
        role = getattr(self.feed, "role", None)
        self.open_action.setEnabled(role is None or may_send(role, "analysis.hotspots"))

    def open(self) -> AnalysisWindow:
        """Show the analysis view (made on first use) and ask the hub for the analyses."""
        if self.view is None or not isValid(self.view):
            from views.analysis.window import AnalysisWindow  # on first use: not on the console's start

            language = getattr(getattr(self.window, "appearance", None), "language", "en")
            self.view = AnalysisWindow(getattr(self.window, "store"), self.feed,  # noqa: B009
                                       language=language, parent=self.window)
            self.view.case_requested.connect(self._open_case)
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()
        self.view.refresh()
        return self.view

    def _open_case(self, case_id: str) -> None:
        opener = getattr(self.window, "_on_case_activated", None)
        if callable(opener):
            opener(case_id)
        self.window.raise_()
        self.window.activateWindow()

    def stop(self) -> None:
        if self.view is not None and isValid(self.view):
            self.view.stop()


def install_analysis(window: QMainWindow) -> AnalysisHook:
    return AnalysisHook(window)
