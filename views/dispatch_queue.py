"""The dispatch queue: every case in one table, most urgent first, usable from the keyboard.

Rows have one fixed height (no per-row sizing, so 100,000 rows cost what the viewport
shows). A header click sorts in the store (`CaseTableModel.sort`). The selection follows
its case through inserts and re-sorts (persistent indexes), and when the queue is scrolled
the top visible case stays on top while rows arrive above it.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from views.models.case_table_model import COLUMNS, TIME_LEFT_COLUMN, CaseTableModel
from views.models.roles import CASE_ID_ROLE, SLA_LEVEL_ROLE
from widgets.sla_delegate import SlaDelegate

STRETCH_COLUMN = "category"
"""Every other column starts as wide as its header or its longest typical text; this one takes the rest."""


class DispatchQueue(QTableView):
    """Table view over a `CaseTableModel`.

    Signals: `case_activated(str)` with the case id on Enter or double-click;
    `current_case_changed(object)` with the id of the current case, or None.
    """

    case_activated = Signal(str)
    current_case_changed = Signal(object)

    def __init__(self, model: CaseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view.queue")
        self._anchor: str | None = None
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
        self.setItemDelegateForColumn(TIME_LEFT_COLUMN, SlaDelegate(SLA_LEVEL_ROLE, self))
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        self._size_columns()
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
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            title = str(self._model.headerData(column, Qt.Orientation.Horizontal))
            widths = [header_metrics.horizontalAdvance(title) + 32]  # room for the sort arrow
            widths += [bold_metrics.horizontalAdvance(t) + 20 for t in self._model.width_samples(column)]
            if column == TIME_LEFT_COLUMN:
                widths = [w + metrics.height() + 12 for w in widths]  # the level's shape
            self.setColumnWidth(column, max(widths))

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
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.case_activated.emit(str(self.currentIndex().data(CASE_ID_ROLE)))
            return
        super().keyPressEvent(event)

    def _on_activated(self, index: QModelIndex) -> None:
        self.case_activated.emit(str(index.data(CASE_ID_ROLE)))

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_case_changed.emit(current.data(CASE_ID_ROLE) if current.isValid() else None)

    # Rows arriving above a scrolled view would push what the operator reads down the
    # screen; at the very top the queue follows new urgent rows instead.
    def _remember_anchor(self) -> None:
        self._anchor = None
        if self.verticalScrollBar().value() > 0:
            top = self.indexAt(self.viewport().rect().topLeft())
            if top.isValid():
                self._anchor = str(top.data(CASE_ID_ROLE))

    def _restore_anchor(self) -> None:
        if self._anchor is None:
            return
        row = self._model.row_of(self._anchor)
        self._anchor = None
        if row >= 0:
            self.scrollTo(self._model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)
