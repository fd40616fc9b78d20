"""The cases behind a hot spot or a recurring problem, from the console's store; Enter or a
double-click opens one in the case drill-down (`case_requested`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from backend_client.store import CaseStore
from views.models.labels import status_text

translate = QCoreApplication.translate
ZONE = ZoneInfo("Asia/Shanghai")
ID_ROLE = Qt.ItemDataRole.UserRole


class CasesTable(QTableWidget):
    case_requested = Signal(str)

    def __init__(self, store: CaseStore, language: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.store, self.language = store, language
        self.setObjectName("analysis.cases")
        self.setHorizontalHeaderLabels([
            translate("Analysis", "Serial no."), translate("Analysis", "Received"), translate("Analysis", "Category"),
            translate("Analysis", "Status"), translate("Analysis", "Address"),
        ])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.itemActivated.connect(self._activated)
        self.setToolTip(translate("Analysis", "Enter or double-click: open the case"))

    def show_cases(self, case_ids: list[str]) -> None:
        self.setRowCount(len(case_ids))
        for row, case_id in enumerate(case_ids):
            case = self.store.get(case_id)
            if case is None:
                cells = [case_id, "", "", translate("Analysis", "not held by this console"), ""]
            else:
                category = case.category_zh if self.language.startswith("zh") else case.category_en
                cells = [case.serial, f"{case.received_at.astimezone(ZONE):%Y-%m-%d %H:%M}", category,
                         status_text(case.status), case.address]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, case_id)
                self.setItem(row, column, item)

    def case_ids(self) -> list[str]:
        ids = []
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            if item is not None:
                ids.append(str(item.data(ID_ROLE)))
        return ids

    def open_row(self, row: int) -> None:
        item = self.item(row, 0)
        if item is not None:
            self.case_requested.emit(str(item.data(ID_ROLE)))

    def _activated(self, item: QTableWidgetItem) -> None:
        self.open_row(item.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.open_row(self.currentRow())
            return
        super().keyPressEvent(event)
