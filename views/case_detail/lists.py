"""The drill-down's two short lists: the case's supervision history and its related cases.

Both are small (a case's supervision records; at most `related.MAX_RELATED` cases), so a
`QTreeWidget` rebuilt on change is enough. Enter or a double-click on a related case asks
for it (`case_requested`), and the queue selects it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from protocol.events import Supervision
from views.case_detail.related import Related
from views.case_detail.texts import RELATION, SUPERVISION, tr_text
from views.models.case_cells import local_text
from views.models.labels import status_text

CASE_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


translate = QCoreApplication.translate


def _flat(tree: QTreeWidget, headers: Sequence[str]) -> None:
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tree.setHeaderLabels(list(headers))
    tree.header().setStretchLastSection(True)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)


class SupervisionList(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.supervision")
        _flat(
            self,
            (
                translate("CaseLists", "Action"),
                translate("CaseLists", "By"),
                translate("CaseLists", "Against unit"),
                translate("CaseLists", "Note"),
            ),
        )

    def set_records(self, records: Sequence[Supervision], unit_name: Callable[[str], str]) -> None:
        self.clear()
        for record in records:
            by = record.actor if not record.automatic else translate("CaseLists", "hub (automatic)")
            unit = unit_name(record.unit_id) if record.unit_id else "—"
            item = QTreeWidgetItem([tr_text(SUPERVISION[record.action]), by, unit, record.note])
            item.setToolTip(3, record.note)
            self.addTopLevelItem(item)


class RelatedList(QTreeWidget):
    """Signals: `case_requested(str)` with the id of a related case the operator opened."""

    case_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.related")
        _flat(
            self,
            (
                translate("CaseLists", "Why"),
                translate("CaseLists", "Serial no."),
                translate("CaseLists", "Received"),
                translate("CaseLists", "Status"),
                translate("CaseLists", "Address and request"),
            ),
        )
        self.itemActivated.connect(self._on_activated)

    def set_related(self, related: Sequence[Related]) -> None:
        self.clear()
        for entry in related:
            case = entry.case
            item = QTreeWidgetItem(
                [
                    tr_text(RELATION[entry.relation]),
                    case.serial,
                    local_text(case.received_at),
                    status_text(case.status),
                    f"{case.address} · {case.description}",
                ]
            )
            item.setData(0, CASE_ID_ROLE, case.id)
            item.setToolTip(4, f"{case.address}\n{case.description}")
            self.addTopLevelItem(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._on_activated(item, 0)
            return
        super().keyPressEvent(event)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, CASE_ID_ROLE)
        if case_id:
            self.case_requested.emit(str(case_id))
