"""The main window offscreen: dock, status bar, the queue's keyboard, selection and sorting."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from backend_client.feed_pacer import FeedPacer
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from protocol import Role
from tests.store.store_helpers import case, created
from views.models.case_table_model import TIME_LEFT_COLUMN


class FakeFeed:
    """The attributes the window reads of a FeedConnection, set by hand."""

    def __init__(self) -> None:
        self.url = "ws://127.0.0.1:8765/feed"
        self.state = ConnectionState.CONNECTING
        self.state_detail = ""
        self.role: Role | None = None
        self.last_event_monotonic: float | None = None
        self.server_skew_s = 0.0
        self.retry_at_monotonic: float | None = None
        self.listeners: list[Callable[[Any], None]] = []
        self.pacer = FeedPacer()

    def add_listener(self, callback: Callable[[Any], None]) -> None:
        self.listeners.append(callback)

    def remove_listener(self, callback: Callable[[Any], None]) -> None:
        if callback in self.listeners:
            self.listeners.remove(callback)

    def set(self, state: ConnectionState, detail: str = "", **attributes: Any) -> None:
        self.state, self.state_detail = state, detail
        for name, value in attributes.items():
            setattr(self, name, value)
        for listener in self.listeners:
            listener(self)


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    store = CaseStore()
    for seq, n in enumerate(range(1, 21), start=1):
        store.apply(created(seq, case(n, due_h=n)))
    win = MainWindow(store, FakeFeed(), language="en")
    qtbot.addWidget(win)
    win.show()
    return win


def feed_of(window: MainWindow) -> FakeFeed:
    assert isinstance(window.feed, FakeFeed)
    return window.feed


def test_the_window_shows_the_queue_in_its_dock(window: MainWindow) -> None:
    assert window.windowTitle() == "Command Centre Console"
    dock = window.findChild(QDockWidget, "dock.queue")
    assert dock is not None and dock.widget() is window.queue
    assert window.model.rowCount() == 20
    assert not window.grab().isNull()


def test_the_status_bar_follows_the_connection(window: MainWindow) -> None:
    status, feed = window.status, feed_of(window)
    assert status.state_label.text() == "○ Connecting…"
    assert status.hub_label.text() == "Hub ws://127.0.0.1:8765/feed"
    assert status.age_label.text() == "No event yet"
    feed.set(ConnectionState.LIVE, role=Role.DUTY, last_event_monotonic=time.monotonic() - 3.2)
    assert status.state_label.text() == "● Live"
    assert status.role_label.text() == "Role: Duty officer"
    assert status.seq_label.text() == "Seq 20" and status.cases_label.text() == "Cases 20"
    assert status.age_label.text() == "Last event 3 s ago"
    feed.set(ConnectionState.BACKOFF, "connection lost", retry_at_monotonic=time.monotonic() + 4.5)
    assert status.state_label.text() == "↻ Reconnecting in 5 s"
    feed.set(ConnectionState.STOPPED, "the hub refused the token")
    assert status.state_label.text() == "✕ Stopped: the hub refused the token"


def test_closing_asks_the_app_to_stop(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.close_requested):
        window.close()


def test_each_drain_holds_the_feed_until_the_event_loop_has_had_its_turns(qtbot: QtBot, window: MainWindow) -> None:
    """The feed's next slice waits for the drain's paint (backend_client.feed_pacer): held at the drain, then let go."""
    pacer = feed_of(window).pacer
    held_at_drain: list[bool] = []
    window._drain_timer.timeout.connect(lambda: held_at_drain.append(pacer.held))
    qtbot.waitUntil(lambda: bool(held_at_drain))
    assert held_at_drain[0]
    qtbot.waitUntil(lambda: not pacer.held)


def test_the_selection_stays_on_its_case_while_rows_arrive(qtbot: QtBot, window: MainWindow) -> None:
    queue, store = window.queue, window.store
    _tester = QAbstractItemModelTester(window.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert queue.select_case("id00005")
    for seq, n in enumerate(range(21, 26), start=21):
        store.apply(created(seq, case(n, due_h=0.5 + (n - 21) * 0.01)))  # all ahead of the selection
    with qtbot.waitSignal(window.model.applied):
        window.model.refresh()
    assert queue.current_case_id() == "id00005" and queue.currentIndex().row() == 9
    assert [i.row() for i in queue.selectionModel().selectedRows()] == [9]


def test_the_queue_works_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    queue = window.queue
    queue.setFocus()
    queue.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(queue, Qt.Key.Key_Down)
    qtbot.keyClick(queue, Qt.Key.Key_Down)
    assert queue.current_case_id() == "id00003"
    qtbot.keyClick(queue, Qt.Key.Key_End)
    assert queue.current_case_id() == "id00020"
    with qtbot.waitSignal(queue.case_activated) as activated:
        qtbot.keyClick(queue, Qt.Key.Key_Return)
    assert activated.args == ["id00020"]


def test_a_header_click_sorts_in_the_store(qtbot: QtBot, window: MainWindow) -> None:
    queue, store = window.queue, window.store
    queue.select_case("id00002")
    header = queue.horizontalHeader()
    serial_x = header.sectionViewportPosition(0) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(serial_x, 5))
    first = store.sort_column, store.descending
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(serial_x, 5))
    assert {first, (store.sort_column, store.descending)} == {("serial", False), ("serial", True)}
    assert [window.model.case_id(r) for r in range(3)] == list(store.order[:3])
    assert queue.current_case_id() == "id00002"
    assert queue.rowHeight(0) == queue.rowHeight(19) == queue.verticalHeader().defaultSectionSize()
    assert window.model.index(0, TIME_LEFT_COLUMN).data() is not None


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_countdown_column_fits_its_longest_text(qtbot: QtBot, qapp: Any, language: str) -> None:
    from console import i18n

    translators = i18n.install(qapp, language)
    try:
        win = MainWindow(CaseStore(), FakeFeed(), language=language)
        qtbot.addWidget(win)
        bold = QFont(win.queue.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        room = win.queue.columnWidth(TIME_LEFT_COLUMN) - metrics.height() - 12  # the level's shape
        for text in win.model.width_samples(TIME_LEFT_COLUMN):
            assert metrics.horizontalAdvance(text) <= room, text
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        i18n.install(qapp, "en")
