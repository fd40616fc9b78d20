"""The dispatch queue: the cases of one queue in a table, most urgent first, usable from the keyboard.

Rows have one fixed height (no per-row sizing, so 100,000 rows cost what the viewport
shows). A header click sorts in the store (`CaseTableModel.sort`). The selection follows
its case through inserts, removals and re-sorts (persistent indexes), and the rows stay
put under the operator's eyes while others arrive: the selected case keeps its place on
the screen when it is in view, else the top visible case does (unless the queue is at its
very top with nothing selected in view: then new urgent rows show). Letters ask for an
action on the current case (`action_requested`, keys in `queue_shortcuts.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from views.models.case_table_model import COLUMNS, COUNTDOWN_COLUMNS, TIME_LEFT_COLUMN, CaseTableModel
from views.models.roles import CASE_ID_ROLE, CELL_ROLE, SLA_LEVEL_ROLE
from views.queue_painter import paint_queue
from views.queue_shortcuts import ACTION_KEYS
from widgets.sla_delegate import SlaDelegate
from widgets.text_delegate import TextDelegate

STRETCH_COLUMN = "category"
"""Every other column starts as wide as its header or its longest typical text; this one takes the rest."""
VISUAL_ORDER = ("serial", "step_left", "time_left", "status", "category", "street", "channel", "received_at")
"""The columns as the operator first sees them: the countdowns next to the serial number, so a narrow
dock never scrolls the timers out of sight (the model's order stays; the header can be dragged)."""
STRETCH_MIN_PX = 180
"""…but never less than this: a narrow dock scrolls sideways rather than cut every category to 3 letters."""


class DispatchQueue(QTableView):
    """Table view over a `CaseTableModel`.

    Signals: `case_activated(str)` with the case id on Enter or double-click;
    `current_case_changed(object)` with the id of the current case, or None;
    `action_requested(str, str)` with an action name (`register`, `dispatch`, `verify`,
    `urge`, `pause`, `resume`, … see `queue_shortcuts.SHORTCUTS`) and the current case's id,
    when the operator presses its letter.
    """

    case_activated = Signal(str)
    current_case_changed = Signal(object)
    action_requested = Signal(str, str)
    paint_by_rows = True
    """Paint visible rows in one pass (`queue_painter`); False paints cell by cell through the delegates,
    Qt's own way, which looks the same and costs about five times as much."""

    def __init__(self, model: CaseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view.queue")
        self._anchor: tuple[str, int] | None = None
        self._stretch = 0
        self._current: str | None = None
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows, PgUp/PgDn, Home/End move
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setCornerButtonEnabled(False)
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.setMinimumSectionSize(self.fontMetrics().height() + 4)
        rows.hide()
        self.setModel(model)
        self._model = model
        self._sla_delegate = SlaDelegate(SLA_LEVEL_ROLE, self)
        self.setItemDelegate(TextDelegate(self, cell_role=CELL_ROLE))  # every other column: plain text, painted cheaply
        for column in COUNTDOWN_COLUMNS:
            self.setItemDelegateForColumn(column, self._sla_delegate)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        self._size_columns()
        keys = [key for key, _ in COLUMNS]
        for visual, key in enumerate(VISUAL_ORDER):
            header.moveSection(header.visualIndex(keys.index(key)), visual)
        header.setSortIndicator(TIME_LEFT_COLUMN, Qt.SortOrder.AscendingOrder)  # the store's default
        self.setSortingEnabled(True)
        model.about_to_apply.connect(self._remember_anchor)
        model.applied.connect(self._restore_anchor)
        self.activated.connect(self._on_activated)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def _size_columns(self) -> None:
        """Fit each column to its header and its longest typical text (not to 100,000 rows)."""
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        header_metrics, bold_metrics = QFontMetrics(header.font()), QFontMetrics(bold)
        for column, (key, _) in enumerate(COLUMNS):
            if key == STRETCH_COLUMN:
                self._stretch = column
                continue
            title = str(self._model.headerData(column, Qt.Orientation.Horizontal))
            widths = [header_metrics.horizontalAdvance(title) + 32]  # room for the sort arrow
            widths += [bold_metrics.horizontalAdvance(t) + 20 for t in self._model.width_samples(column)]
            if column in COUNTDOWN_COLUMNS:
                widths = [w + metrics.height() + 12 for w in widths]  # the level's shape
            self.setColumnWidth(column, max(widths))

    def _fit_stretch_column(self) -> None:
        """The category column takes the width the others leave, at least `STRETCH_MIN_PX`.

        (QHeaderView's Stretch mode would squeeze it to nothing in a narrow dock.)
        """
        header = self.horizontalHeader()
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != self._stretch)
        self.setColumnWidth(self._stretch, max(STRETCH_MIN_PX, self.viewport().width() - others))

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.paint_by_rows:
            paint_queue(self, self._model, event)
        else:
            super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_stretch_column()

    @property
    def case_model(self) -> CaseTableModel:
        return self._model

    def current_case_id(self) -> str | None:
        index = self.currentIndex()
        return str(index.data(CASE_ID_ROLE)) if index.isValid() else None

    def select_case(self, case_id: str) -> bool:
        """Make a case current and selected, and scroll to it; False when it is not shown."""
        row = self._model.row_of(case_id)
        if row < 0:
            return False
        self.setCurrentIndex(self._model.index(row, 0))
        self.scrollTo(self._model.index(row, 0))
        return True

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        """Home and End go to the first and last case (a row-wise queue has no use for columns)."""
        action = QAbstractItemView.CursorAction
        if cursorAction in (action.MoveHome, action.MoveEnd) and self._model.rowCount() > 0:
            row = 0 if cursorAction == action.MoveHome else self._model.rowCount() - 1
            return self._model.index(row, max(0, self.currentIndex().column()))
        return super().moveCursor(cursorAction, modifiers)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        current = self.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current.isValid():
            self.case_activated.emit(str(current.data(CASE_ID_ROLE)))
            return
        action = ACTION_KEYS.get(Qt.Key(event.key()))
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if action is not None and plain:
            if current.isValid():
                case_id = str(current.data(CASE_ID_ROLE))
                case = self._model.case(case_id)
                if action == "pause" and case is not None and case.paused_at is not None:
                    action = "resume"
                self.action_requested.emit(action, case_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyboardSearch(self, search: str) -> None:
        """Letters are action keys here: no jumping to a row that starts with the letter."""

    def tick(self) -> None:
        """Move the countdowns on: only the rows on screen are repainted (once a second)."""
        viewport = self.viewport()
        first = self.rowAt(0)
        last = self.rowAt(viewport.height() - 1)
        if first < 0:
            first, last = 0, -1
        elif last < 0:
            last = self._model.rowCount() - 1
        self._model.tick(first, last)

    def _on_activated(self, index: QModelIndex) -> None:
        self.case_activated.emit(str(index.data(CASE_ID_ROLE)))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_case_changed.emit(current.data(CASE_ID_ROLE) if current.isValid() else None)

    # Rows arriving above would push what the operator reads down the screen. The selected
    # case keeps its height on the screen while it is in view; else the top visible case
    # does once the queue is scrolled; at the very top the queue follows new urgent rows.
    def _remember_anchor(self) -> None:
        self._anchor = None
        current = self.currentIndex()
        self._current = str(current.data(CASE_ID_ROLE)) if current.isValid() else None
        height = self.viewport().height()
        if current.isValid():
            y = self.rowViewportPosition(current.row())
            if 0 <= y < height:
                self._anchor = (self._current or "", y)
                return
        if self.verticalScrollBar().value() > 0:
            top = self.rowAt(0)
            if top >= 0:
                self._anchor = (self._model.case_id(top), self.rowViewportPosition(top))

    def _restore_anchor(self) -> None:
        anchor, current, self._anchor, self._current = self._anchor, self._current, None, None
        if current is not None and not self.currentIndex().isValid():  # a reset (another queue, a snapshot)
            row = self._model.row_of(current)
            if row >= 0:
                self.selectionModel().setCurrentIndex(
                    self._model.index(row, 0), self.selectionModel().SelectionFlag.ClearAndSelect
                    | self.selectionModel().SelectionFlag.Rows)
        if anchor is None:
            return
        row = self._model.row_of(anchor[0])
        if row < 0:
            return
        self.executeDelayedItemsLayout()  # the scroll range must already count the new rows
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.rowViewportPosition(row) - anchor[1])
