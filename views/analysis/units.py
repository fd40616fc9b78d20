"""The analysis view's Units tab: per unit, the KPIs of the cases this console holds.

Received, closed, closure rate, on-time closure rate, median handling time and returns, from
`protocol.exports.kpis` (the functions of File ▸ Export ▸ KPIs per unit and of `python -m hub
export kpis`), so each figure is the export's, as written there: a rate is the export's ratio (four
decimals) shown as a percentage, the median the export's hours. docs/data-import.md defines each.
Computed when the view refreshes (it opens, F5), not on every event.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from protocol import exports
from protocol.events import Case

translate = QCoreApplication.translate
KEY_ROLE = Qt.ItemDataRole.UserRole
"""The unit's id ("" for cases never dispatched), the export's `key`, on each row's first item."""


def percent(ratio: str) -> str:
    """The export's ratio ("0.8732") as a percentage ("87.32 %"); "—" where the export leaves it blank."""
    return f"{Decimal(ratio) * 100:.2f} %" if ratio else "—"


def unit_row(kpi: exports.Kpi) -> list[str]:
    """The tab's cells for one unit, from the export's own row (`exports.KPI_COLUMNS`)."""
    row = dict(zip(exports.KPI_COLUMNS, (str(v) for v in kpi.row()), strict=True))
    name = row["name"] if row["key"] else translate("Analysis", "(not dispatched)")
    median = row["median_handling_hours"]
    return [name, row["received"], row["closed"], percent(row["closure_rate"]),
            percent(row["on_time_closure_rate"]), f"{median} h" if median else "—", row["returns"]]


class UnitsTab(QWidget):
    """The table (`analysis.units`), busiest unit first, and a line saying what the figures are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setObjectName("analysis.units.note")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("analysis.units")
        self.table.setHorizontalHeaderLabels([
            translate("Analysis", "Unit"), translate("Analysis", "Received"), translate("Analysis", "Closed"),
            translate("Analysis", "Closure rate"), translate("Analysis", "On-time closure rate"),
            translate("Analysis", "Median handling time"), translate("Analysis", "Returns"),
        ])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_cases(self, cases: Iterable[Case]) -> None:
        """The KPIs per unit of `cases` (the console's store: the centre's, or a unit desk's own)."""
        table = exports.kpis(cases, "unit")
        table.sort(key=lambda k: (-k.received, k.key))
        received = sum(k.received for k in table)
        self.note.setText(
            translate("Analysis", "Per unit, over the %1 cases this console holds (drills, rejected and merged cases left out): closure rate = closed ÷ received; on time = closed by the case's overall due time (a case with no limit counts as on time) ÷ closed; handling time from received to closed. The figures of File ▸ Export ▸ KPIs per unit.")  # noqa: E501
            .replace("%1", f"{received:,}"))
        self.table.setRowCount(len(table))
        for r, kpi in enumerate(table):
            for c, text in enumerate(unit_row(kpi)):
                item = QTableWidgetItem(text)
                if c == 0:
                    item.setData(KEY_ROLE, kpi.key)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)

    def rows(self) -> dict[str, list[str]]:
        """What the table shows, per unit id (the export's `key`)."""
        shown: dict[str, list[str]] = {}
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(self.table.columnCount())]
            if cells[0] is not None:
                shown[str(cells[0].data(KEY_ROLE))] = [i.text() if i is not None else "" for i in cells]
        return shown
