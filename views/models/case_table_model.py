"""The dispatch queue's table model: a thin Qt adapter over `CaseStore`.

The model keeps its own copy of the row order, changed only in `apply()`, so between two
drains the view sees a consistent table while the store moves on. `apply()` takes one
drained `StoreBatch` (≤ 10 Hz) and emits batched signals: insert runs, at most one layout
change (and one removal run for cases the filter dropped), one `dataChanged` over the
changed span. Sorting and filtering live in the store (`sort()` calls `CaseStore.set_sort`,
`set_filter()` `CaseStore.set_view`), not in a QSortFilterProxyModel.

Display texts are prepared once per case and per change (`case_cells.prepare`), on first
sight: `apply()` only forgets the prepared row of a changed case, so a burst of 10,000
changes formats the few dozen rows on screen, not 10,000 (and a reset of 100,000 cases only
the rows someone looks at). `data()` only looks them up; the
countdown is computed from cached thresholds and cached texts.

The model is the store's one consumer: it drains it (`refresh()`).
"""

from __future__ import annotations

import contextlib
from array import array
from collections.abc import Callable
from typing import NamedTuple

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

from backend_client.command_tracker import CommandTracker
from backend_client.store import CaseFilter, CaseStore, StoreBatch
from protocol.enums import CaseStatus, Channel
from protocol.events import Case
from views.models.case_cells import NO_VALUE, CaseRow, TimeLeft, prepare
from views.models.command_marks import CommandMarks
from views.models.labels import QT_TRANSLATE_NOOP, channel_text, level_text, status_text
from views.models.roles import CASE_ID_ROLE, CELL_ROLE, SECONDS_LEFT_ROLE, SLA_LEVEL_ROLE, URGENT_ROLE
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
    ("step_left", QT_TRANSLATE_NOOP("CaseTableModel", "Step time left")),
    ("time_left", QT_TRANSLATE_NOOP("CaseTableModel", "Time left")),
)
"""(column key, header source text). The key is also the store's sort key, except below."""

TIME_LEFT_COLUMN = len(COLUMNS) - 1
"""The overall limit's countdown."""
STEP_LEFT_COLUMN = TIME_LEFT_COLUMN - 1
"""The current step's countdown (register, dispatch, sign for, verify, call back)."""
COUNTDOWN_COLUMNS = (STEP_LEFT_COLUMN, TIME_LEFT_COLUMN)
STATUS_COLUMN = [key for key, _ in COLUMNS].index("status")
"""Carries the marks of the operator's own commands ("⧗ sending", "⚠ refused", see command_marks.py)."""
Countdowns = tuple[str, str | None, str, str | None]
"""Step text, step level, overall text, overall level: what a tick compares with the last one."""
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
"""Asked for every painted cell: computed once (an enum `|` in Python is not free)."""
_WIDTH_SAMPLES = {"serial": ["MH2026-000000"], "received_at": ["12-31 23:59"], "street": ["莘庄工业区"]}
SORT_KEY_OF = {key: key for key, _ in COLUMNS} | {"time_left": "urgency", "step_left": "step"}


class RowLook(NamedTuple):
    """Everything a repaint shows of one row, asked in one call (`CaseTableModel.look`)."""

    texts: tuple[str, ...]
    """The display text of every column, in column order (the countdowns as of the model's clock)."""
    step_level: str | None
    level: str | None
    open: bool
    urgent: bool
    refused: bool
    """The operator's last command on the case was refused (the status cell shows it in the danger colour)."""


_MISSING = CaseRow(texts=("",) * STEP_LEFT_COLUMN, description="", open=False, urgent=False,
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
        self, store: CaseStore, now: Callable[[], float], language: str = "en", parent: QObject | None = None,
        *, commands: CommandTracker | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = now
        self._now = now()
        self._language = language
        self._time_left = TimeLeft()
        self._rows: dict[str, CaseRow] = {}
        self._ticked: dict[str, Countdowns] = {}
        """What the last tick showed of each row on screen (text and level of both countdowns)."""
        self._muted = QBrush(color("text.muted"))
        self._bold = QFont()
        self._bold.setBold(True)
        self._marks = CommandMarks(commands)
        self._marks.poll()
        self._refused = QBrush(color("danger"))
        store.drain()  # start from the store's current state: pending changes are already in it
        self._slots = array("I")
        """The rows: each shown case's slot number in the store, in the order of the last drain."""
        self._slot_ids = store.fill_slots_in_order(self._slots)
        """Case id by slot (the store's list as of the last drain: after a load it starts a new one)."""

    # --- reading ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._slots)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def case_id(self, row: int) -> str:
        return self._slot_ids[self._slots[row]]

    def case(self, case_id: str) -> Case | None:
        """The case as the store holds it now."""
        return self._store.get(case_id)

    def row_of(self, case_id: str) -> int:
        """Row of a case as the model shows it now, or -1.

        O(log n) when the model is in step with the store (right after `apply()`); a linear
        search only while the store has changes not yet drained.
        """
        store = self._store
        row = store.row_of(case_id)
        if 0 <= row < len(self._slots) and self.case_id(row) == case_id:
            return row
        slot = store.slot_of(case_id) if self._slot_ids is store.slot_ids else None
        if slot is not None:  # the slots of the model's rows are the store's: one search in C
            with contextlib.suppress(ValueError):
                return self._slots.index(slot)
            return -1
        return next((row for row, slot in enumerate(self._slots) if self._slot_ids[slot] == case_id), -1)

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
        case_id = self.case_id(index.row())
        column = index.column()
        if role == CELL_ROLE:
            return self.data(index, DISPLAY), self.data(index, FOREGROUND), self.data(index, FONT)
        if role == DISPLAY:
            row = self._row(case_id)
            if column == STATUS_COLUMN:
                return self._status_text(case_id, row)
            if column < STEP_LEFT_COLUMN:
                return row.texts[column]
            return self._countdown(row.step_due if column == STEP_LEFT_COLUMN else (row.due if row.open else None),
                                   self._now)
        if role == CASE_ID_ROLE:
            return case_id
        if role == SLA_LEVEL_ROLE:
            row = self._row(case_id)
            return row.step_level(self._now) if column == STEP_LEFT_COLUMN else row.level(self._now)
        if role == SECONDS_LEFT_ROLE:
            row = self._row(case_id)
            due = row.step_due if column == STEP_LEFT_COLUMN else row.due
            return None if due is None else due - self._now
        if role == URGENT_ROLE:
            return self._row(case_id).urgent
        if role == FOREGROUND:
            if column == STATUS_COLUMN and self._marks.refused(case_id):
                return self._refused
            return None if self._row(case_id).open else self._muted
        if role == FONT and column == 0:
            return self._bold if self._row(case_id).urgent else None
        if role == TOOLTIP:
            if column == STATUS_COLUMN and (tip := self._marks.tooltip(case_id)):
                return tip
            return self._tooltip(self._row(case_id), column)
        return None

    def look(self, row: int) -> RowLook:
        """What `data()` gives for every column of `row` (display, level, colour and font roles) in one call:
        the queue paints its visible rows from this, not cell by cell."""
        case_id = self.case_id(row)
        cells = self._row(case_id)
        now = self._now
        texts = (*cells.texts[:STATUS_COLUMN], self._status_text(case_id, cells), *cells.texts[STATUS_COLUMN + 1:],
                 self._countdown(cells.step_due, now), self._countdown(cells.due if cells.open else None, now))
        return RowLook(texts, cells.step_level(now), cells.level(now), cells.open, cells.urgent,
                       self._marks.refused(case_id))

    def _status_text(self, case_id: str, row: CaseRow) -> str:
        """The status, with the mark of the operator's own command on the case ("⧗ sending", "⚠ refused")."""
        mark = self._marks.suffix(case_id)
        return f"{row.texts[STATUS_COLUMN]}  {mark}" if mark else row.texts[STATUS_COLUMN]

    @property
    def bold_font(self) -> QFont:
        """The font of an urgent case's serial number."""
        return self._bold

    @property
    def muted_brush(self) -> QBrush:
        """The text colour of a closed case's row."""
        return self._muted

    @property
    def refused_brush(self) -> QBrush:
        """The status cell's colour while the operator's last command on the case stands refused."""
        return self._refused

    def _tooltip(self, row: CaseRow, column: int) -> str | None:
        if column not in COUNTDOWN_COLUMNS:
            return row.description or None
        step = column == STEP_LEFT_COLUMN
        level = row.step_level(self._now) if step else row.level(self._now)
        if level is None:
            return None
        return f"{level_text(level)}\n{self._time_left.due_text(row.step_due_text if step else row.due_text)}"

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
            longest = max((status_text(status) for status in CaseStatus), key=len)
            return [status_text(status) for status in CaseStatus] + [f"{longest}  {m}" for m in self._marks.samples()]
        if key in ("time_left", "step_left"):
            spans = (23 * 3600 + 59 * 60 + 30, 29 * 86_400 + 23 * 3600 + 30)  # "23 h 59 min", "29 d 23 h"
            return [self._time_left.text(sign * span) for span in spans for sign in (1, -1)]
        return _WIDTH_SAMPLES.get(key, [])

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

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
        if marked := self._marks.poll():  # the operator's commands went out, were answered or refused
            rows = [row for row in map(self.row_of, marked) if row >= 0]
            if rows:
                self.dataChanged.emit(self.index(min(rows), STATUS_COLUMN), self.index(max(rows), STATUS_COLUMN))

    def apply(self, batch: StoreBatch) -> None:
        """Apply one drained batch: structure first (inserts, one layout change), then values."""
        if batch.empty:
            return
        self.about_to_apply.emit()
        self._now = self._clock()
        if batch.reset:
            self.beginResetModel()
            self._slot_ids = self._store.fill_slots_in_order(self._slots)
            self._rows.clear()
            self.endResetModel()
            self.applied.emit()
            return
        store = self._store
        relaid = bool(batch.moved or batch.removed_ids)
        if relaid:
            if batch.inserted:  # append, then one layout change puts every row in place
                first = len(self._slots)
                self.beginInsertRows(QModelIndex(), first, first + len(batch.inserted) - 1)
                self._slots.extend(store.slots_of(batch.inserted_ids))
                self.endInsertRows()
            self._relayout(batch.removed_ids)
        else:
            taken = 0
            for start, count in batch.inserted_runs():
                self.beginInsertRows(QModelIndex(), start, start + count - 1)
                self._slots[start:start] = store.slots_of(batch.inserted_ids[taken : taken + count])
                taken += count
                self.endInsertRows()
        if batch.changed_ids:
            rows = self._rows
            for case_id in batch.changed_ids:
                rows.pop(case_id, None)  # prepared again when a view asks: most changed rows are off screen
            if relaid:  # the view repaints every row after a layout change anyway: one signal, no lookups
                first, last = (0, len(self._slots) - 1) if self._slots else (0, -1)
            else:
                shown = [row for row in map(store.row_of, batch.changed_ids) if row >= 0]
                first, last = (min(shown), max(shown)) if shown else (0, -1)
            if first <= last:  # one signal over the span: the view repaints what of it is visible
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))
        self.applied.emit()

    def _relayout(self, removed: frozenset[str] = frozenset()) -> None:
        """Every row to the store's order in one layout change; rows the filter dropped go last
        and are removed right after (so persistent indexes on them end invalid, the rest follow)."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        held = [self.case_id(index.row()) for index in before]
        # Slot numbers in an array, not ids in a list: the whole order is copied with memcpy, where
        # 120,000 id strings cost ~4 ms a drain in reference counts and gave the collector a list to walk.
        self._slot_ids = self._store.fill_slots_in_order(self._slots)
        shown = len(self._slots)
        gone = list(removed)
        tail = {case_id: shown + offset for offset, case_id in enumerate(gone)}
        self._slots.extend(self._store.slots_of(gone))  # a case keeps its slot after it left
        after = []
        for case_id, index in zip(held, before, strict=True):
            row = tail.get(case_id)
            after.append(self.index(self._store.row_of(case_id) if row is None else row, index.column()))
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()
        if gone:
            self.beginRemoveRows(QModelIndex(), shown, len(self._slots) - 1)
            del self._slots[shown:]
            for case_id in gone:
                self._rows.pop(case_id, None)
            self.endRemoveRows()

    def set_filter(self, case_filter: CaseFilter | None) -> None:
        """Show what `case_filter` passes (the store scans once; the view sees one reset)."""
        self._store.set_view(case_filter)
        self.refresh()

    def tick(self, first: int = 0, last: int | None = None) -> None:
        """Advance the clock: the countdowns change, nothing else (call once a second).

        `first` … `last`: the rows on screen (default every row). Only rows whose countdown text
        or level actually changed are told to repaint: a text moves once a minute, so most
        seconds repaint nothing or a cell or two, not every visible countdown.
        """
        self._now = now = self._clock()
        last = len(self._slots) - 1 if last is None else min(last, len(self._slots) - 1)
        first = max(0, first)
        shown: dict[str, Countdowns] = {}
        previous = self._ticked
        run_start = None
        for row in range(first, last + 1):
            case_id = self.case_id(row)
            cells = self._row(case_id)
            seen = (self._countdown(cells.step_due, now), cells.step_level(now),
                    self._countdown(cells.due if cells.open else None, now), cells.level(now))
            shown[case_id] = seen
            if previous.get(case_id) != seen:
                if run_start is None:
                    run_start = row
            elif run_start is not None:
                self._countdowns_changed(run_start, row - 1)
                run_start = None
        if run_start is not None:
            self._countdowns_changed(run_start, last)
        self._ticked = shown

    def _countdown(self, due: float | None, now: float) -> str:
        return NO_VALUE if due is None else self._time_left.text(due - now)

    def _countdowns_changed(self, first: int, last: int) -> None:
        self.dataChanged.emit(self.index(first, STEP_LEFT_COLUMN), self.index(last, TIME_LEFT_COLUMN),
                              [DISPLAY, SLA_LEVEL_ROLE, SECONDS_LEFT_ROLE, TOOLTIP])

    def retranslate(self) -> None:
        """Prepare every text again in the installed language (after the translator changed)."""
        self._time_left.retranslate()
        self._rows.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._slots:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._slots) - 1, len(COLUMNS) - 1))
