"""The drill-down in a dock (`dock.case`), titled with the case it shows."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDockWidget, QWidget

from backend_client.store import CaseStore
from views.case_detail.panel import CaseCommands, CaseDetailPanel

translate = QCoreApplication.translate


class CaseDetailDock(QDockWidget):
    def __init__(
        self, store: CaseStore, feed: CaseCommands, *, language: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(translate("CaseDetailDock", "Case"), parent)
        self.setObjectName("dock.case")
        features = QDockWidget.DockWidgetFeature
        self.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable)
        self.panel = CaseDetailPanel(store, feed, language=language, parent=self)
        self.setWidget(self.panel)
        self.setMinimumWidth(480)
        self.panel.redrawn.connect(self._retitle)

    def show_case(self, case_id: object) -> None:
        self.panel.show_case(case_id)
        self._retitle()

    def _retitle(self) -> None:
        case = self.panel.case
        self.setWindowTitle(
            translate("CaseDetailDock", "Case %1").replace("%1", case.serial)
            if case is not None
            else translate("CaseDetailDock", "Case")
        )

    def stop(self) -> None:
        self.panel.stop()
