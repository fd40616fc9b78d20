"""Pick the lead unit (suggested one first, with why) and co-units, from the organisation the client knows.

The list is the store's `org_units` (active units only), ordered by kind (bureaus and member
units first, then the places' own units) and name. The hub's suggestion (`Case.routing`)
stands first, marked, and its explanation shows under the list in the operator's language.
Typing filters: the lead list completes on any part of a name, the co-unit list narrows.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from protocol.enums import UnitKind
from protocol.events import Routing, Unit
from views.case_detail.style import muted
from views.case_detail.texts import BASIS, tr_text

KIND_ORDER = (
    UnitKind.BUREAU,
    UnitKind.MEMBER,
    UnitKind.STREET_CENTRE,
    UnitKind.COMMITTEE,
    UnitKind.GRID,
    UnitKind.POLICE,
    UnitKind.DISTRICT_CENTRE,
)
UNIT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


translate = QCoreApplication.translate


def ordered_units(units: Iterable[Unit]) -> list[Unit]:
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    return sorted((u for u in units if u.active), key=lambda u: (rank.get(u.kind, len(rank)), u.name, u.id))


def explanation(routing: Routing | None, language: str) -> str:
    """The suggestion's why, in the operator's language, with its basis (法定/商定/指定)."""
    if routing is None:
        return translate("UnitPicker", "No routing rule covers this case: the centre designates a unit (指定).")
    why = routing.explanation_zh if language.startswith("zh") else routing.explanation_en
    head = translate("UnitPicker", "Suggested: %1.").replace("%1", routing.unit_name)
    if not why:  # the hub's explanation names rule and basis; without one, say them here
        rule = translate("UnitPicker", "rule %1").replace("%1", routing.rule_id) if routing.rule_id else ""
        why = ", ".join(t for t in (tr_text(BASIS[routing.basis]), rule) if t)
    return f"{head} {why}"


class UnitPicker(QWidget):
    """A lead-unit combo box (suggestion first) and, optionally, a checkable co-unit list."""

    def __init__(
        self,
        units: Iterable[Unit],
        routing: Routing | None,
        language: str,
        *,
        co_units: bool,
        preselect_suggestion: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.units = ordered_units(units)
        self.suggested = routing.unit_id if routing is not None else None
        self.lead = QComboBox(self)
        self.lead.setObjectName("picker.lead")
        self.lead.setEditable(True)
        self.lead.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = self.lead.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(translate("UnitPicker", "Lead unit: type to search"))
        self.lead.addItem("", None)
        if routing is not None:
            self.lead.addItem(
                translate("UnitPicker", "%1 (suggested)").replace("%1", routing.unit_name), routing.unit_id
            )
        for unit in self.units:
            if unit.id != self.suggested:
                self.lead.addItem(unit.name, unit.id)
        completer = QCompleter(self.lead.model(), self.lead)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.lead.setCompleter(completer)
        self.lead.setCurrentIndex(1 if routing is not None and preselect_suggestion else 0)
        layout.addWidget(self.lead)
        self.why = QLabel(explanation(routing, language), self)
        self.why.setObjectName("picker.why")
        self.why.setWordWrap(True)
        muted(self.why)
        layout.addWidget(self.why)
        self.co_filter: QLineEdit | None = None
        self.co_model: QStandardItemModel | None = None
        if co_units:
            self._build_co_units(layout)

    def _build_co_units(self, layout: QVBoxLayout) -> None:
        self.co_filter = QLineEdit(self)
        self.co_filter.setPlaceholderText(translate("UnitPicker", "Co-units (协办): type to filter, tick to add"))
        self.co_model = QStandardItemModel(self)
        for unit in self.units:
            item = QStandardItem(unit.name)
            item.setData(unit.id, UNIT_ID_ROLE)
            item.setCheckable(True)
            item.setEditable(False)
            self.co_model.appendRow(item)
        proxy = QSortFilterProxyModel(self)  # a few hundred rows, filtered on typing: cheap here
        proxy.setSourceModel(self.co_model)
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.co_filter.textChanged.connect(proxy.setFilterFixedString)
        self.co_list = QListView(self)
        self.co_list.setObjectName("picker.co_units")
        self.co_list.setModel(proxy)
        self.co_list.setUniformItemSizes(True)
        self.co_list.setMaximumHeight(self.fontMetrics().height() * 6)
        layout.addWidget(self.co_filter)
        layout.addWidget(self.co_list)

    def lead_id(self) -> str | None:
        """The chosen lead unit's id; a typed name counts when it names exactly one unit."""
        index = self.lead.currentIndex()
        data = self.lead.itemData(index) if index >= 0 else None
        if data and self.lead.itemText(index) == self.lead.currentText():
            return str(data)
        typed = self.lead.currentText().strip()
        matches = [
            self.lead.itemData(i)
            for i in range(self.lead.count())
            if typed and self.lead.itemText(i) == typed and self.lead.itemData(i)
        ]
        return str(matches[0]) if len(matches) == 1 else None

    def set_lead(self, unit_id: str) -> bool:
        index = self.lead.findData(unit_id)
        if index >= 0:
            self.lead.setCurrentIndex(index)
        return index >= 0

    def co_unit_ids(self) -> list[str]:
        if self.co_model is None:
            return []
        return [
            str(self.co_model.item(row).data(UNIT_ID_ROLE))
            for row in range(self.co_model.rowCount())
            if self.co_model.item(row).checkState() == Qt.CheckState.Checked
        ]

    def check_co_unit(self, unit_id: str, checked: bool = True) -> bool:
        if self.co_model is None:
            return False
        for row in range(self.co_model.rowCount()):
            item = self.co_model.item(row)
            if item.data(UNIT_ID_ROLE) == unit_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return True
        return False
