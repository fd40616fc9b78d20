"""The dispatch queue's table model: a thin Qt adapter over `CaseStore`.

The model keeps its own copy of the row order, changed only in `apply()`, so between two
drains the view sees a consistent table while the store moves on. `apply()` takes one
drained `StoreBatch` (≤ 10 Hz) and emits batched signals: insert runs, at most one layout
change, one `dataChanged` over the changed span. Sorting lives in the store (`sort()`
calls `CaseStore.set_sort`), not in a QSortFilterProxyModel.

Display texts are prepared once per case and per change (`case_cells.prepare`): in
`apply()` for changed cases, and on first sight for new ones and after a reset (a reset of
100,000 cases formats only the rows someone looks at). `data()` only looks them up; the
countdown is computed from cached thresholds and cached texts.

The model is the store's one consumer: it drains it (`refresh()`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont

from backend_client.store import CaseStore, StoreBatch
from protocol.enums import CaseStatus, Channel
from views.models.case_cells import NO_VALUE, CaseRow, TimeLeft, prepare
from views.models.labels import QT_TRANSLATE_NOOP, channel_text, level_text, status_text
from views.models.roles import CASE_ID_ROLE, SECONDS_LEFT_ROLE, SLA_LEVEL_ROLE, URGENT_ROLE
from widgets.theme import color

Index = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)

COLUMNS: tuple[tuple[str, str], ...] = (
    ("serial", QT_TRANSLATE_NOOP("CaseTableModel", "Serial no.")),
    ("received_at", QT_TRANSLATE_NOOP("CaseTableModel", "Received")),
    ("category", QT_TRANSLATE_NOOP("CaseTableModel", "Category")),
    ("street", QT_TRANSLATE_NOOP("CaseTableModel", "Street/town")),
    ("channel", QT_TRANSLATE_NOOP("CaseTableModel", "Channel")),
    ("status", QT_TRANSLATE_NOOP("CaseTableModel", "Status")),
    ("time_left", QT_TRANSLATE_NOOP("CaseTableModel", "Time left")),
)
"""(column key, header source text). The key is also the store's sort key, except below."""

TIME_LEFT_COLUMN = len(COLUMNS) - 1
_WIDTH_SAMPLES = {"serial": ["MH2026-000000"], "received_at": ["12-31 23:59"], "street": ["莘庄工业区"]}
SORT_KEY_OF = {key: key for key, _ in COLUMNS} | {"time_left": "urgency"}
_MISSING = CaseRow(texts=("",) * TIME_LEFT_COLUMN, description="", open=False, urgent=False,
                   due=None, orange=None, yellow=None, due_text="")


class CaseTableModel(QAbstractTableModel):
    """Cases as rows, in the store's order; the last column counts down against `now()`.

    `now` returns the server's time in epoch seconds (local clock corrected for the skew
    measured at `welcome`). `language` picks the category name ("zh_CN" → Chinese).
    Signals: `about_to_apply()` and `applied()` around every non-empty batch (the view
    keeps its scroll anchor with them).
    """

    about_to_apply = Signal()
    applied = Signal()

    def __init__(
        self, store: CaseStore, now: Callable[[], float], language: str = "en", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = now
        self._now = now()
        self._language = language
        self._time_left = TimeLeft()
        self._rows: dict[str, CaseRow] = {}
        self._muted = QBrush(color("text.muted"))
        self._bold = QFont()
        self._bold.setBold(True)
        store.drain()  # start from the store's current state: pending changes are already in it
        self._ids: list[str] = store.ids_in_order()

    # --- reading ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def case_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, case_id: str) -> int:
        """Row of a case as the model shows it now, or -1.

        O(log n) when the model is in step with the store (right after `apply()`); a linear
        search only while the store has changes not yet drained.
        """
        row = self._store.row_of(case_id)
        if 0 <= row < len(self._ids) and self._ids[row] == case_id:
            return row
        try:
            return self._ids.index(case_id)
        except ValueError:
            return -1

    def _row(self, case_id: str) -> CaseRow:
        row = self._rows.get(case_id)
        if row is None:  # first look at a case since a reset: prepare once, then cached
            case = self._store.get(case_id)
            if case is None:
                return _MISSING
            row = self._rows[case_id] = prepare(case, self._language)
        return row

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid():
            return None
        case_id = self._ids[index.row()]
        column = index.column()
        if role == DISPLAY:
            row = self._row(case_id)
            if column < TIME_LEFT_COLUMN:
                return row.texts[column]
            if row.due is None or not row.open:
                return NO_VALUE
            return self._time_left.text(row.due - self._now)
        if role == CASE_ID_ROLE:
            return case_id
        if role == SLA_LEVEL_ROLE:
            return self._row(case_id).level(self._now)
        if role == SECONDS_LEFT_ROLE:
            row = self._row(case_id)
            return None if row.due is None else row.due - self._now
        if role == URGENT_ROLE:
            return self._row(case_id).urgent
        if role == FOREGROUND:
            return None if self._row(case_id).open else self._muted
        if role == FONT and column == 0:
            return self._bold if self._row(case_id).urgent else None
        if role == TOOLTIP:
            return self._tooltip(self._row(case_id), column)
        return None

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if column != TIME_LEFT_COLUMN:
            return row.description or None
        level = row.level(self._now)
        if level is None:
            return None
        return f"{level_text(level)}\n{self._time_left.due_text(row.due_text)}"

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(COLUMNS):
            return QCoreApplication.translate("CaseTableModel", COLUMNS[section][1])
        return None

    def width_samples(self, column: int) -> list[str]:
        """Typical longest texts of a column in the installed language, to size it once."""
        key = COLUMNS[column][0]
        if key == "channel":
            return [channel_text(channel) for channel in Channel]
        if key == "status":
            return [status_text(status) for status in CaseStatus]
        if key == "time_left":
            spans = (23 * 3600 + 59 * 60 + 30, 29 * 86_400 + 23 * 3600 + 30)  # "23 h 59 min", "29 d 23 h"
            return [self._time_left.text(sign * span) for span in spans for sign in (1, -1)]
        return _WIDTH_SAMPLES.get(key, [])

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    # --- sorting (in the store) -------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._store.set_sort(SORT_KEY_OF[COLUMNS[column][0]], order == Qt.SortOrder.DescendingOrder)
        self.refresh()

    # --- changes ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Drain the store and apply what changed (the console's ≤ 10 Hz timer calls this)."""
        if self._store.dirty:
            self.apply(self._store.drain())

    def apply(self, batch: StoreBatch) -> None:
        """Apply one drained batch: structure first (inserts, one layout change), then values."""
        if batch.empty:
            return
        self.about_to_apply.emit()
        self._now = self._clock()
        if batch.reset:
            self.beginResetModel()
            self._ids = self._store.ids_in_order()
            self._rows.clear()
            self.endResetModel()
            self.applied.emit()
            return
        store = self._store
        if batch.moved:
            if batch.inserted:  # append, then one layout change puts every row in place
                first = len(self._ids)
                self.beginInsertRows(QModelIndex(), first, first + len(batch.inserted) - 1)
                self._ids.extend(store.id_at(row) for row in batch.inserted)
                self.endInsertRows()
            self._relayout()
        else:
            for start, count in batch.inserted_runs():
                self.beginInsertRows(QModelIndex(), start, start + count - 1)
                self._ids[start:start] = [store.id_at(row) for row in range(start, start + count)]
                self.endInsertRows()
        if batch.changed_ids:
            rows = []
            for case_id in batch.changed_ids:
                case = store.get(case_id)
                if case is not None:
                    self._rows[case_id] = prepare(case, self._language)
                    rows.append(store.row_of(case_id))
            if rows:  # one signal over the span: the view repaints what of it is visible
                self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), len(COLUMNS) - 1))
        self.applied.emit()

    def _relayout(self) -> None:
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = self._store.ids_in_order()
        before = self.persistentIndexList()
        after = [self.index(self._store.row_of(old_ids[index.row()]), index.column()) for index in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def tick(self) -> None:
        """Advance the clock: the countdown column changes, nothing else (call once a second)."""
        self._now = self._clock()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, TIME_LEFT_COLUMN),
                self.index(len(self._ids) - 1, TIME_LEFT_COLUMN),
                [DISPLAY, SLA_LEVEL_ROLE, SECONDS_LEFT_ROLE, TOOLTIP],
            )

    def retranslate(self) -> None:
        """Prepare every text again in the installed language (after the translator changed)."""
        self._time_left.retranslate()
        self._rows.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))
