"""A matrix of rows × columns whose cells say a state with a shape, a colour and a word.

The commander's acknowledgement matrix (units × directives) and task matrix (units × plan
tasks) are both this: a cell is a `MatrixCell` of plain values (a theme token, a shape, a
short text), so the widget knows nothing of directives or units and shows in a gallery with
made-up values. Normal states are drawn muted; only abnormal ones take a colour (ISA-101).

Updates keep the rows where they are: `set_matrix` emits `dataChanged` over the cells that
changed when the rows and columns are the same, appends new rows at the end, and resets only
when a row or a column went away. The order changes only when the operator sorts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import SLA_LEVELS, color

SHAPES = ("check", "ring", "dot", "none", *SLA_LEVELS)
"""`check` done, `ring` waiting, `dot` in progress, `none` nothing drawn; a timer level's name
draws that level's shape (circle, diamond, triangle, square with "!")."""

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The cell's `state` word (for tests and accessibility tools)."""

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class MatrixCell:
    state: str
    """A word naming the state, e.g. `acknowledged`, `late`, `missing` (not shown; for tests)."""
    text: str
    """What the cell says, short: `2 min`, `missing`, `3 reports`."""
    shape: str = "none"
    tone: str = "text.muted"
    """A theme token for the text and the drawn shape."""
    tip: str = ""
    sort_key: float = 0.0
    """Sorting a column orders its rows by this (then by row label)."""


@dataclass(frozen=True, slots=True)
class Axis:
    id: str
    label: str
    tip: str = ""


class MatrixModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Axis] = []
        self._columns: list[Axis] = []
        self._cells: dict[tuple[str, str], MatrixCell] = {}

    # --- the matrix ------------------------------------------------------------------

    def set_matrix(self, rows: Sequence[Axis], columns: Sequence[Axis],
                   cells: dict[tuple[str, str], MatrixCell]) -> None:
        """Show these rows, columns and cells (keyed by row id, column id); absent cells are blank."""
        new_ids = {r.id for r in rows}
        kept = [r for r in self._rows if r.id in new_ids]
        if len(kept) != len(self._rows) or [c.id for c in columns] != [c.id for c in self._columns]:
            self.beginResetModel()
            self._rows, self._columns, self._cells = list(rows), list(columns), dict(cells)
            self.endResetModel()
            return
        by_id = {r.id: r for r in rows}
        old_cells = self._cells
        self._cells = dict(cells)
        self._columns = list(columns)
        self._rows = [by_id[r.id] for r in self._rows]  # labels may have changed; the order stays
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        changed = [i for i, r in enumerate(self._rows)
                   if any(old_cells.get((r.id, c.id)) != self._cells.get((r.id, c.id)) for c in self._columns)]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(self._columns) - 1))
        known = {r.id for r in self._rows}
        added = [r for r in rows if r.id not in known]
        if added:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()

    def cell(self, row_id: str, column_id: str) -> MatrixCell | None:
        return self._cells.get((row_id, column_id))

    def row_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    def column_ids(self) -> list[str]:
        return [c.id for c in self._columns]

    # --- Qt ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        cell = self._cells.get((self._rows[index.row()].id, self._columns[index.column()].id))
        if cell is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or None
        if role == SORT_ROLE:
            return cell.sort_key
        if role == STATE_ROLE:
            return cell.state
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        axis = self._columns if orientation == Qt.Orientation.Horizontal else self._rows
        if not 0 <= section < len(axis):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return axis[section].label
        if role == Qt.ItemDataRole.ToolTipRole:
            return axis[section].tip or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by the column's cells (blank cells last), then by label; -1 by label only."""
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        reverse = order == Qt.SortOrder.DescendingOrder
        if 0 <= column < len(self._columns):
            col = self._columns[column].id

            def key(r: Axis) -> tuple[bool, float, str]:
                cell = self._cells.get((r.id, col))
                value = cell.sort_key if cell is not None else 0.0
                return (cell is None) != reverse, value, r.label

            self._rows.sort(key=key, reverse=reverse)
        else:
            self._rows.sort(key=lambda r: r.label, reverse=reverse)
        where = {r.id: i for i, r in enumerate(self._rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(
            old, [self.index(where[before[i.row()].id], i.column()) if i.isValid() else i for i in old])
        self.layoutChanged.emit()


class MatrixDelegate(QStyledItemDelegate):
    """Draws a cell's shape at its left and its text beside it, in the cell's tone."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        model = index.model()
        cell = model.cell(model.row_ids()[index.row()], model.column_ids()[index.column()]) \
            if isinstance(model, MatrixModel) else None
        rect = QRectF(option.rect)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, color("selection"))
        if cell is not None:
            side = min(rect.height() - 6, 14.0)
            glyph = QRectF(rect.left() + 5, rect.center().y() - side / 2, side, side)
            paint_shape(painter, glyph, cell.shape, cell.tone)
            painter.setPen(color(cell.tone))
            text_rect = rect.adjusted(side + 10, 0, -4, 0)
            text = painter.fontMetrics().elidedText(cell.text, Qt.TextElideMode.ElideRight, int(text_rect.width()))
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        painter.restore()


def paint_shape(painter: QPainter, box: QRectF, shape: str, tone: str) -> None:
    """One of `SHAPES` in `box`, in the tone's colour (a timer level's shape in its own colours)."""
    if shape in SLA_LEVELS:
        paint_sla_glyph(painter, box, shape)
        return
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(color(tone), max(1.5, box.width() / 7))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if shape == "check":
        path = QPainterPath(QPointF(box.left() + box.width() * 0.15, box.top() + box.height() * 0.55))
        path.lineTo(QPointF(box.left() + box.width() * 0.42, box.bottom() - box.height() * 0.15))
        path.lineTo(QPointF(box.right() - box.width() * 0.1, box.top() + box.height() * 0.15))
        painter.drawPath(path)
    elif shape == "ring":
        painter.drawEllipse(box.adjusted(2, 2, -2, -2))
    elif shape == "dot":
        painter.drawEllipse(box.adjusted(2, 2, -2, -2))
        painter.setBrush(color(tone))
        painter.drawEllipse(box.adjusted(box.width() * 0.3, box.height() * 0.3, -box.width() * 0.3,
                                         -box.height() * 0.3))


class MatrixView(QTableView):
    """A sortable table over a `MatrixModel`, with the matrix delegate and fixed row heights."""

    def __init__(self, model: MatrixModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(MatrixDelegate(self))
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        cell_width = self.fontMetrics().horizontalAdvance("late · 00 min · 0 reports") + 34
        self.horizontalHeader().setDefaultSectionSize(max(120, cell_width))
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.setWordWrap(False)
