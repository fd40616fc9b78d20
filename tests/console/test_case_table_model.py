"""The case table model under QAbstractItemModelTester, with persistent indexes and countdowns."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot

from backend_client.store import CaseStore
from protocol import CaseStatus, Channel
from tests.store.store_helpers import T0, case, created, timer, updated
from views.models.case_table_model import COLUMNS, STEP_LEFT_COLUMN, TIME_LEFT_COLUMN, CaseTableModel
from views.models.roles import CASE_ID_ROLE, SECONDS_LEFT_ROLE, SLA_LEVEL_ROLE

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


class Clock:
    def __init__(self) -> None:
        self.now = T0.timestamp()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make(store: CaseStore, clock: Clock) -> tuple[CaseTableModel, QAbstractItemModelTester]:
    model = CaseTableModel(store, clock, language="en")
    tester = QAbstractItemModelTester(model, FATAL)  # kept by the caller: prevents GC mid-test
    return model, tester


def ids(model: CaseTableModel) -> list[str]:
    return [model.index(row, 0).data(CASE_ID_ROLE) for row in range(model.rowCount())]


def test_columns_show_prepared_text(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, channel=Channel.GRID_PATROL, due_h=3.2, step=timer(0.5))))
    model, _tester = make(store, clock)
    texts = [model.index(0, column).data() for column in range(model.columnCount())]
    assert texts == [
        "MH2026-000001", "11-24 10:01", "Noise", "江川路街道", "Grid patrol", "Received", "30 min", "3 h 12 min"
    ]
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["Serial no.", "Received", "Category", "Street/town", "Channel", "Status", "Step time left",
                       "Time left"]
    assert CaseTableModel(store, clock, language="zh_CN").index(0, 2).data() == "噪音"


@pytest.mark.parametrize(
    ("hours_after_start", "level", "text"),
    [(0.0, "blue", "10 h 00 min"), (5.0, "yellow", "5 h 00 min"), (8.5, "orange", "1 h 30 min"),
     (9.99, "orange", "<1 min"), (10.0, "red", "Overdue <1 min"), (10.2, "red", "Overdue 12 min"),
     (58.0, "red", "Overdue 2 d 0 h")],
)
def test_the_countdown_follows_the_clock(qtbot: QtBot, clock: Clock, hours_after_start: float, level: str,
                                         text: str) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, due_h=10)))
    model, _tester = make(store, clock)
    clock.now = (T0 + timedelta(hours=hours_after_start)).timestamp()
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.tick()
    assert (changed.args[0].column(), changed.args[1].column()) == (STEP_LEFT_COLUMN, TIME_LEFT_COLUMN)
    cell = model.index(0, TIME_LEFT_COLUMN)
    assert (cell.data(SLA_LEVEL_ROLE), cell.data()) == (level, text)
    assert cell.data(SECONDS_LEFT_ROLE) == pytest.approx(36_000 - hours_after_start * 3600)


def test_a_tick_repaints_only_the_countdowns_whose_text_or_level_moved(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, due_h=10)))
    store.apply(created(2, case(2, due_h=20.0 + 30 / 3600)))
    model, _tester = make(store, clock)
    spans: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, _roles: spans.append((top.row(), bottom.row())))
    clock.now += 10  # 9 h 59 min 50 s and 20 h 00 min 20 s left
    model.tick()
    assert spans == [(0, 1)]  # first look: every row on screen
    spans.clear()
    clock.now += 1  # both texts as they were: nothing to repaint
    model.tick()
    assert spans == []
    clock.now += 45  # case 1 still shows 9 h 59 min; case 2 went from 20 h 00 min to 19 h 59 min
    model.tick()
    row = model.row_of("id00002")
    assert spans == [(row, row)] and model.index(row, TIME_LEFT_COLUMN).data() == "19 h 59 min"


def test_closed_cases_and_cases_without_timer_show_no_countdown(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, due_h=None)))
    store.apply(created(2, case(2, status=CaseStatus.CLOSED, due_h=-1)))
    model, _tester = make(store, clock)
    for row in range(2):
        for column in (STEP_LEFT_COLUMN, TIME_LEFT_COLUMN):
            cell = model.index(row, column)
            assert (cell.data(), cell.data(SLA_LEVEL_ROLE)) == ("—", None)


def test_apply_inserts_moves_and_changes_in_batches(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    for seq, n in enumerate(range(1, 6), start=1):
        store.apply(created(seq, case(n, due_h=n * 10)))
    model, _tester = make(store, clock)
    followed = QPersistentModelIndex(model.index(2, 1))
    assert followed.data(CASE_ID_ROLE) == "id00003"
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    store.apply(created(6, case(6, due_h=1)))  # goes first
    store.apply(created(7, case(7, due_h=2)))  # second
    store.apply(created(8, case(8, due_h=35)))  # between id3 and id4
    store.apply(updated(9, "id00002", status=CaseStatus.SIGNED))  # changed in place
    with qtbot.assertNotEmitted(model.layoutChanged), qtbot.assertNotEmitted(model.modelReset):
        model.refresh()
    assert inserts == [(0, 1), (5, 5)]
    assert ids(model) == list(store.order)
    assert followed.isValid() and followed.row() == 4 and followed.column() == 1
    assert followed.data(CASE_ID_ROLE) == "id00003"
    assert model.index(model.row_of("id00002"), 5).data() == "Signed for"
    store.apply(updated(10, "id00003", status=CaseStatus.CLOSED, overall=timer(0.5)))  # moves to the end
    store.apply(created(11, case(9, due_h=0.1)))
    with qtbot.waitSignal(model.layoutChanged), qtbot.assertNotEmitted(model.modelReset):
        model.refresh()
    assert ids(model) == list(store.order)
    assert followed.row() == model.rowCount() - 1 and followed.data(CASE_ID_ROLE) == "id00003"
    assert followed.sibling(followed.row(), 5).data() == "Closed"


def test_a_snapshot_resets_and_a_header_sort_keeps_the_selection(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    for seq, n in enumerate(range(1, 4), start=1):
        store.apply(created(seq, case(n, due_h=10 - n)))
    model, _tester = make(store, clock)
    followed = QPersistentModelIndex(model.index(0, 0))
    model.sort(0, Qt.SortOrder.AscendingOrder)  # by serial, in the store
    assert ids(model) == ["id00001", "id00002", "id00003"] and followed.data(CASE_ID_ROLE) == "id00003"
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert ids(model) == ["id00003", "id00002", "id00001"] and followed.row() == 0
    store.begin_snapshot(10)
    store.add_snapshot_items([case(7), case(8)])
    store.end_snapshot(10)
    with qtbot.waitSignal(model.modelReset):
        model.refresh()
    assert ids(model) == ["id00008", "id00007"] and not followed.isValid()


def test_nothing_is_emitted_for_an_empty_drain(qtbot: QtBot, clock: Clock) -> None:
    store = CaseStore()
    model, _tester = make(store, clock)
    with qtbot.assertNotEmitted(model.applied):
        model.refresh()
    model.tick()  # an empty table: no dataChanged over an empty range
    assert model.rowCount() == 0
