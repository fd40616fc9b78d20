"""The intake desk as a dock of the duty window: F2 (or File ▸ New call) opens it, ready for the keyboard.

`install_intake(window)` is the whole wiring: the dock (`dock.intake`, tabbed with the case's
drill-down), its entry in File and View ▸ Panels, F2, and stopping its timers and queries when
the window closes. A case created at the desk is selected in the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu

from views.intake import IntakeDesk
from views.intake.sending import IntakeFeed

if TYPE_CHECKING:
    from console.main_window import MainWindow

translate = QCoreApplication.translate


class IntakeDock(QDockWidget):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(translate("IntakeDock", "Intake"), window)
        self.setObjectName("dock.intake")
        features = QDockWidget.DockWidgetFeature
        self.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable | features.DockWidgetClosable)
        self.desk = IntakeDesk(window.store, cast(IntakeFeed, window.feed), language=window.appearance.language,
                               parent=self)
        self.setWidget(self.desk)

    def open_desk(self) -> None:
        """Show the desk in front, the keyboard on its first empty field."""
        self.show()
        self.raise_()
        self.desk.focus_first()


class _StopOnClose(QObject):
    """Stops the desk when its window closes (before the feed does)."""

    def __init__(self, dock: IntakeDock) -> None:
        super().__init__(dock)
        self._dock = dock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self._dock.desk.stop()
        return False


def install_intake(window: MainWindow) -> IntakeDock:
    """Add the intake dock to the duty window, hidden until F2 or File ▸ New call."""
    dock = IntakeDock(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(window.case_dock, dock)
    dock.hide()
    action = QAction(translate("IntakeDock", "&New call (intake)"), window)
    action.setObjectName("action.intake")
    action.setShortcut(QKeySequence(Qt.Key.Key_F2))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(dock.open_desk)
    file_menu = window.menus.quit.parent()
    if isinstance(file_menu, QMenu):
        file_menu.insertAction(window.menus.quit, action)
        file_menu.insertSeparator(window.menus.quit)
    else:
        window.addAction(action)
    panels = window.menus.panels[0].parent() if window.menus.panels else None
    if isinstance(panels, QMenu):
        panels.addAction(dock.toggleViewAction())
    dock.desk.case_created.connect(window.queue.select_case)
    window.installEventFilter(_StopOnClose(dock))
    return dock
