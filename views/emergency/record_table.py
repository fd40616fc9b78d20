"""A small sortable table of records (the units sitting in, the resources): prepared texts, stable rows.

    model = RecordTableModel(["Kind", "Name", "Quantity"])
    model.set_rows([Row("RS1", ("Pumps", "Mobile pump", "4"), sort=("pump", "mobile pump", 4))])

`set_rows` keeps the rows where they are when the same records come back (one `dataChanged`
over the rows that changed), appends new ones and resets only when one went away; the order
changes only when the commander sorts (the header, or `sort()`), so a selection stays put while
the feed moves data under it. A few dozen rows: sorting in Python is instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from widgets.theme import color

ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The record's id, on every cell."""

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    texts: tuple[str, ...]
    sort: tuple[Any, ...] = ()
    """One key per column (default: the texts)."""
    tone: str = "text"
    """A theme token for the row's text: `text.muted` for what is over (a unit that left, a resource returned)."""
    tip: str = ""


class RecordTableModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Row] = []
        self._sorted: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: Sequence[Row]) -> None:
        by_id = {r.id: r for r in rows}
        if any(r.id not in by_id for r in self._rows):
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
            if self._sorted is not None:
                self.sort(*self._sorted)
            return
        changed = [n for n, r in enumerate(self._rows) if by_id[r.id] != r]
        self._rows = [by_id[r.id] for r in self._rows]
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(self._headers) - 1))
        held = {r.id for r in self._rows}
        new = [r for r in rows if r.id not in held]
        if new:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(new) - 1)
            self._rows += new
            self.endInsertRows()

    def row_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    def row(self, row_id: str) -> Row | None:
        return next((r for r in self._rows if r.id == row_id), None)

    def rowCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.texts[index.column()] if index.column() < len(row.texts) else ""
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole:
            return color(row.tone)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tip or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._headers):
            return
        self._sorted = (column, order)

        def key(r: Row) -> tuple[str, Any, str]:
            value = r.sort[column] if column < len(r.sort) else (r.texts[column] if column < len(r.texts) else "")
            return type(value).__name__, value, r.id

        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        ids = [self._rows[i.row()].id for i in before]
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        where = {r.id: n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(before, [self.index(where[i], old.column()) for i, old in zip(ids, before,
                                                                                                     strict=True)])
        self.layoutChanged.emit()
