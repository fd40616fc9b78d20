"""The queue paints its visible rows in one pass: it must show exactly what Qt's cell-by-cell path shows.

Each test paints the same queue twice, by rows (the queue's own way) and through the delegates
(`QTableView.paintEvent`), and compares the pictures pixel by pixel, in states an operator meets:
a selected row, closed (muted) cases, urgent serials in bold, overdue countdowns in red, a refused
command's mark, half-scrolled rows, a narrow dock scrolled sideways, a column dragged elsewhere.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backend_client.command_tracker import CommandTracker, PendingCommand
from backend_client.store import CaseStore
from protocol import CaseStatus
from protocol.messages import CommandError, CommandResult, ErrorCode
from tests.store.store_helpers import T0, case, created
from views.dispatch_queue import DispatchQueue
from views.models.case_table_model import STATUS_COLUMN, TIME_LEFT_COLUMN, CaseTableModel
from widgets.theme import color

NOW = (T0 + timedelta(hours=6)).timestamp()
"""Six hours in: cases due within 6 h are overdue (red), others yellow, orange or blue."""
REFUSED_CASE = "id00004"


def queue_of(qtbot: QtBot, width: int, height: int) -> DispatchQueue:
    store = CaseStore()
    for n in range(1, 121):
        status = CaseStatus.CLOSED if n % 9 == 0 else CaseStatus.DISPATCHED if n % 4 == 0 else CaseStatus.RECEIVED
        store.apply(created(n, case(n, due_h=(n % 40) / 2 + 1, status=status, urgent=n % 5 == 0,
                                    category_en="gas manhole cover - abnormal (damaged/missing/defective)" if n % 3
                                    else "Noise")))
    tracker = CommandTracker()
    tracker.add(PendingCommand("c1", "case.dispatch", REFUSED_CASE, NOW))
    tracker.answered(CommandResult(id="c1", ok=False, error=CommandError(code=ErrorCode.CONFLICT, message="taken")))
    tracker.add(PendingCommand("c2", "case.register", "id00006", NOW))
    view = DispatchQueue(CaseTableModel(store, lambda: NOW, commands=tracker))
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def pictures(view: DispatchQueue) -> tuple[QImage, QImage]:
    """The viewport painted by rows, then cell by cell through the delegates."""
    by_rows = view.viewport().grab().toImage()
    view.paint_by_rows = False
    try:
        by_cells = view.viewport().grab().toImage()
    finally:
        view.paint_by_rows = True
    return by_rows, by_cells


def differing_pixels(first: QImage, second: QImage) -> int:
    assert first.size() == second.size()
    return sum(first.pixel(x, y) != second.pixel(x, y) for y in range(first.height()) for x in range(first.width()))


def shows_colour(image: QImage, wanted: QColor, tolerance: int = 40) -> bool:
    """Some pixel close to `wanted` (anti-aliased text is never exactly its pen's colour)."""
    for y in range(0, image.height()):
        for x in range(0, image.width(), 2):
            pixel = QColor(image.pixel(x, y))
            if (abs(pixel.red() - wanted.red()) + abs(pixel.green() - wanted.green())
                    + abs(pixel.blue() - wanted.blue())) < tolerance:
                return True
    return False


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_rows_painted_in_one_pass_look_as_cell_by_cell(qtbot: QtBot, qapp: QApplication, language: str) -> None:
    view = queue_of(qtbot, 1400, 520)
    view.selectRow(2)
    by_rows, by_cells = pictures(view)
    assert differing_pixels(by_rows, by_cells) == 0
    assert shows_colour(by_rows, QColor(color("danger"))), "the refused command's mark is painted in its colour"
    assert shows_colour(by_rows, view.palette().highlight().color(), tolerance=3), "the selected row is highlighted"


def test_a_half_scrolled_narrow_queue_with_a_moved_column_looks_the_same(qtbot: QtBot, qapp: QApplication) -> None:
    view = queue_of(qtbot, 520, 300)
    header = view.horizontalHeader()
    header.moveSection(header.visualIndex(STATUS_COLUMN), 0)
    view.selectRow(7)
    view.verticalScrollBar().setValue(view.rowHeight(0) * 3 + 7)  # a row cut in half at the top
    view.horizontalScrollBar().setValue(90)
    view.setFocus()
    by_rows, by_cells = pictures(view)
    assert differing_pixels(by_rows, by_cells) == 0
    assert by_rows != pictures(queue_of(qtbot, 520, 300))[0], "the scrolled queue shows other pixels than the top"


def test_a_repaint_of_part_of_the_queue_paints_what_a_full_one_shows_there(qtbot: QtBot, qapp: QApplication) -> None:
    view = queue_of(qtbot, 1400, 400)
    view.selectRow(4)
    full = view.viewport().grab().toImage()
    row, x_of = view.rowHeight(0), view.columnViewportPosition
    width, height = full.width(), full.height()
    for part in (QRect(0, row * 3, width, row * 2),  # two whole rows, as a change to two cases asks
                 QRect(x_of(TIME_LEFT_COLUMN) + 5, row * 4 + 3, 60, row),  # inside a countdown, across two rows
                 QRect(width - 100, height - 10, 100, 10)):  # the bottom-right corner
        assert differing_pixels(view.viewport().grab(part).toImage(), full.copy(part)) == 0, part
