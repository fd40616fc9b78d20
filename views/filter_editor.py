"""A small non-modal editor for one saved filter: name, queue, and what narrows it.

It never blocks the feed (shown with `show()`, never `exec()`), checks the name as it is
typed (given, not taken) and says why Save is off. `saved(old_name, name, filter)` hands the
result to the sidebar, which stores it; `old_name` is None for a new filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.store import CaseFilter, CaseStore, Queue
from protocol.enums import Channel, SlaLevel, UnitKind
from views.models.labels import channel_text, level_text
from views.queue_labels import queue_text
from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import color

_OWNING_KINDS = {
    UnitKind.BUREAU,
    UnitKind.MEMBER,
    UnitKind.STREET_CENTRE,
    UnitKind.DISTRICT_CENTRE,
    UnitKind.COMMITTEE,
    UnitKind.POLICE,
}
"""Units a case is dispatched to (grids are matched by the grid criterion instead)."""


translate = QCoreApplication.translate


def sla_icon(level: str, side: int = 16) -> QIcon:
    """The level's shape in its colour, as an icon (the shape reads without the colour)."""
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_sla_glyph(painter, pixmap.rect().toRectF(), level)
    painter.end()
    return QIcon(pixmap)


def _split(text: str) -> frozenset[str]:
    return frozenset(part for part in text.replace("，", ",").replace(" ", ",").split(",") if part)


class _CheckList(QListWidget):
    """A list of checkable (value, label) items."""

    def __init__(self, items: Iterable[tuple[str, str]], checked: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        chosen = set(checked)
        for value, label in items:
            item = QListWidgetItem(label, self)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if value in chosen else Qt.CheckState.Unchecked)
        self.setMaximumHeight(120)

    def checked(self) -> frozenset[str]:
        return frozenset(
            str(self.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.count())
            if self.item(row).checkState() == Qt.CheckState.Checked
        )


class FilterEditor(QDialog):
    """Signals: `saved(object, str, object)`: the old name (None when new), the name, the `CaseFilter`."""

    saved = Signal(object, str, object)

    def __init__(
        self,
        store: CaseStore,
        taken: Iterable[str],
        *,
        name: str | None = None,
        case_filter: CaseFilter | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.filter")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            translate("FilterEditor", "Edit filter") if name is not None else translate("FilterEditor", "New filter")
        )
        self._old_name = name
        f = case_filter or CaseFilter()
        self.name = QLineEdit(name or "", self)
        self.name.setObjectName("filter.name")
        self.queue = QComboBox(self)
        for queue in Queue:
            self.queue.addItem(queue_text(queue), queue.value)
        self.queue.setCurrentIndex(list(Queue).index(f.queue))
        streets = sorted({(c.street_code, c.street_name) for c in store.cases()})
        self.streets = _CheckList(((code, f"{label} ({code})") for code, label in streets), f.streets, self)
        self.grids = QLineEdit(", ".join(sorted(f.grids)), self)
        self.grids.setPlaceholderText(translate("FilterEditor", "Grid ids, separated by commas"))
        self.categories = QLineEdit(", ".join(sorted(f.categories)), self)
        self.categories.setPlaceholderText(
            translate("FilterEditor", "Category codes or their first digits, e.g. 01, 07001")
        )
        self.channels = _CheckList(((c.value, channel_text(c)) for c in Channel), f.channels, self)
        units = {u.id: u.name for u in store.org_units.values() if u.active and u.kind in _OWNING_KINDS}
        units |= {c.unit_id: c.unit_name or c.unit_id for c in store.cases() if c.unit_id and c.unit_id not in units}
        self.units = _CheckList(sorted(units.items(), key=lambda item: item[1]), f.units, self)
        self.levels: dict[SlaLevel, QCheckBox] = {}
        levels_row = QHBoxLayout()
        for level in reversed(SlaLevel):
            box = QCheckBox(level_text(level.value), self)
            box.setIcon(sla_icon(level.value))
            box.setChecked(level in f.levels)
            self.levels[level] = box
            levels_row.addWidget(box)
        levels_row.addStretch(1)
        self.text = QLineEdit(f.text, self)
        self.text.setPlaceholderText(translate("FilterEditor", "Words in the serial no., address or description"))
        form = QFormLayout()
        form.addRow(translate("FilterEditor", "Name"), self.name)
        form.addRow(translate("FilterEditor", "Queue"), self.queue)
        form.addRow(translate("FilterEditor", "Streets/towns"), self.streets)
        form.addRow(translate("FilterEditor", "Grids"), self.grids)
        form.addRow(translate("FilterEditor", "Categories"), self.categories)
        form.addRow(translate("FilterEditor", "Channels"), self.channels)
        form.addRow(translate("FilterEditor", "Units"), self.units)
        form.addRow(translate("FilterEditor", "Levels"), levels_row)
        form.addRow(translate("FilterEditor", "Text"), self.text)
        self.problem = QLabel(self)
        self.problem.setObjectName("filter.problem")
        self.problem.setStyleSheet(f"color: {color('danger').name()};")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        self.name.textChanged.connect(self._check)
        self.set_taken(taken)

    def set_taken(self, taken: Iterable[str]) -> None:
        """The names saved now (they changed while this editor is open): check the name again."""
        self._taken = set(taken) - ({self._old_name} if self._old_name is not None else set())
        self._check()

    def case_filter(self) -> CaseFilter:
        return CaseFilter(
            queue=Queue(self.queue.currentData()),
            streets=self.streets.checked(),
            grids=_split(self.grids.text()),
            categories=_split(self.categories.text()),
            channels=frozenset(Channel(value) for value in self.channels.checked()),
            units=self.units.checked(),
            levels=frozenset(level for level, box in self.levels.items() if box.isChecked()),
            text=" ".join(self.text.text().split()),
        )

    def _problem(self) -> str:
        name = self.name.text().strip()
        if not name:
            return translate("FilterEditor", "Give the filter a name.")
        if name in self._taken:
            return translate("FilterEditor", "A saved filter already has this name.")
        return ""

    def _check(self) -> None:
        problem = self._problem()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problem)
        save.setToolTip(problem)

    def save(self) -> None:
        if self._problem():
            return
        self.saved.emit(self._old_name, self.name.text().strip(), self.case_filter())
        self.close()
