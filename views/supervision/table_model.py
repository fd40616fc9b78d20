"""A small sortable table over prepared rows, keyed so the selection stays on its row.

    model = KeyedTableModel(columns)          # columns: header, text, sort key, level (or None)
    model.set_rows([(key, row), ...])         # same keys: values change in place; else a reset
    model.sort(column, order)                 # in Python (style.md: no QSortFilterProxyModel)

The desk's tables hold hundreds of rows, not the queue's hundred thousand, so a changed set of
keys resets the model; the view puts its selection back by key (`row_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
ModelIndex = QModelIndex | QPersistentModelIndex
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
"""A cell's timer level (`blue` … `red`, or None), for `widgets.sla_delegate.SlaDelegate`."""
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's key (a case id, a unit id)."""


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any]
    level: Callable[[R], str | None] | None = None
    align_right: bool = False


class KeyedTableModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._keys: list[str] = []
        self._rows: dict[str, R] = {}
        self._texts: dict[str, list[str]] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- the model ---------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._keys):
            return None
        key = self._keys[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[key][index.column()]
        if role == KEY_ROLE:
            return key
        if role == LEVEL_ROLE and column.level is not None:
            return column.level(self._rows[key])
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):  # -1: no column sorted; rows come in the desk's order
            self._sort = None
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        before = list(self._keys)
        self._order()
        moved = {key: row for row, key in enumerate(self._keys)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(moved[before[i.row()]], i.column()) for i in old])
        self.layoutChanged.emit()

    # --- for the desk ------------------------------------------------------------------

    def set_rows(self, rows: Sequence[tuple[str, R]]) -> None:
        """Show `rows` (in the given order unless the operator sorted a column)."""
        keys = [key for key, _ in rows]
        same = set(keys) == set(self._keys) and len(keys) == len(self._keys)
        if not same:
            self.beginResetModel()
        self._rows = dict(rows)
        self._texts = {key: [c.text(row) for c in self.columns] for key, row in rows}
        if same:
            if self._sort is None and keys != self._keys:
                self.sort_as(keys)
            elif self._sort is not None:
                self.sort(*self._sort)
            if self._keys:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1, len(self.columns) - 1))
            return
        self._keys = keys
        if self._sort is not None:
            self._order()
        self.endResetModel()

    def sort_as(self, keys: list[str]) -> None:
        """Reorder to `keys` (the same set), moving persistent indexes with their rows."""
        self.layoutAboutToBeChanged.emit()
        before = list(self._keys)
        self._keys = list(keys)
        moved = {key: row for row, key in enumerate(self._keys)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(moved[before[i.row()]], i.column()) for i in old])
        self.layoutChanged.emit()

    def _order(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        key_of = self.columns[column].sort_key
        self._keys.sort(key=lambda k: key_of(self._rows[k]), reverse=order == Qt.SortOrder.DescendingOrder)

    def row_keys(self) -> list[str]:
        return list(self._keys)

    def row_of(self, key: str) -> int:
        """The row showing `key`, or -1."""
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def item(self, row: int) -> R:
        return self._rows[self._keys[row]]
