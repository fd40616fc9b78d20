"""The workstation's habits: menus, a saved layout per screen, language/theme/text size without a restart,
the keys on the queue, the shortcuts help and the About box."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from backend_client.connection import ConnectionState
from backend_client.store import CaseStore
from backend_client.store.queues import Queue
from console import preferences
from console.fonts import BASE_POINT_SIZE
from console.main_window import LAYOUT_VERSION, SCREEN, MainWindow
from console.preferences import FONT_SCALES, Appearance
from console.workstation import Workstation, apply_appearance
from protocol import CaseStatus, Role
from tests.console.test_main_window import FakeFeed
from tests.store.store_helpers import case, created
from views.queue_shortcuts import SHORTCUTS
from widgets.theme import DARK, LIGHT


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def store() -> CaseStore:
    store = CaseStore()
    statuses = [CaseStatus.RECEIVED, CaseStatus.REGISTERED, CaseStatus.FEEDBACK, CaseStatus.HANDLING]
    for n in range(1, 13):
        store.apply(created(n, case(n, status=statuses[n % len(statuses)], due_h=n)))
    return store


@pytest.fixture
def feed() -> FakeFeed:
    feed = FakeFeed()
    feed.role = Role.DUTY
    return feed


@pytest.fixture
def station(qtbot: QtBot, qapp: QApplication, store: CaseStore, feed: FakeFeed,
            settings: QSettings) -> Iterator[Workstation]:
    station = Workstation(qapp, store, feed, settings=settings, appearance=Appearance())
    station.show()
    qtbot.waitExposed(station.window)
    yield station
    station.stop()
    station.window.retire()
    apply_appearance(qapp, Appearance())  # the next test starts in English, dark, normal size


def test_a_closed_panel_comes_back_with_reset_layout(qtbot: QtBot, station: Workstation) -> None:
    window = station.window
    window.menus.panels[2].trigger()  # View ▸ Panels ▸ Case
    assert not window.case_dock.isVisible()
    window.menus.reset_layout.trigger()
    assert window.case_dock.isVisible() and window.alerts.isVisible() and window.queue.isVisible()


def test_the_layout_is_kept_for_the_next_window_and_an_older_layout_is_ignored(
    qtbot: QtBot, store: CaseStore, feed: FakeFeed, settings: QSettings
) -> None:
    first = MainWindow(store, feed, settings=settings)
    qtbot.addWidget(first)
    first.show()
    first.alerts.hide()
    first.close()
    second = MainWindow(store, feed, settings=settings)
    qtbot.addWidget(second)
    assert second.restore_layout()
    second.show()
    assert not second.alerts.isVisible() and second.case_dock.isVisible()
    second.close()

    settings.setValue(f"layout/{SCREEN}/state", first.saveState(LAYOUT_VERSION - 1))  # docks of another version
    third = MainWindow(store, feed, settings=settings)
    qtbot.addWidget(third)
    assert not third.restore_layout()
    third.show()
    assert third.alerts.isVisible()
    third.close()


def test_chinese_without_a_restart_keeps_the_queue_the_case_and_the_alerts(
    qtbot: QtBot, station: Workstation, settings: QSettings
) -> None:
    old = station.window
    old.sidebar.select_queue(Queue.TO_DISPATCH)
    qtbot.waitUntil(lambda: old.model.rowCount() == 3)
    assert old.queue.select_case("id00005")
    book = station.alert_book
    with qtbot.waitSignal(station.rebuilt) as rebuilt:
        old.menus.languages["zh_CN"].trigger()
    new = station.window
    assert rebuilt.args == [new] and new is not old
    assert new.windowTitle() == "城市运行综合指挥中心 · 控制台"
    assert new.model.headerData(0, Qt.Orientation.Horizontal) == "流水号"
    assert new.sidebar.current_kind() == ("queue", "to_dispatch") and new.model.rowCount() == 3
    assert new.queue.current_case_id() == "id00005"
    assert new.case_dock.panel.summary.badge.text.startswith("处置：")  # the drill-down speaks Chinese too
    assert new.case_dock.panel.tabs.tabText(1) == "地图"
    assert new.alert_book is book
    assert preferences.load(settings).language == "zh_CN"
    assert not old.isVisible()
    new.menus.languages["en"].trigger()
    assert station.window.windowTitle() == "Command Centre Console"


def test_light_theme_and_text_size_apply_to_the_whole_console_and_are_remembered(
    qtbot: QtBot, qapp: QApplication, station: Workstation, settings: QSettings
) -> None:
    station.window.menus.themes["light"].trigger()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == LIGHT["surface"]
    station.window.menus.font_larger.trigger()
    assert qapp.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE * FONT_SCALES[2])
    assert preferences.load(settings) == Appearance(theme="light", font_scale=FONT_SCALES[2])
    for _ in FONT_SCALES:
        if station.window.menus.font_larger.isEnabled():
            station.window.menus.font_larger.trigger()
    assert station.appearance.font_scale == FONT_SCALES[-1] and not station.window.menus.font_larger.isEnabled()
    station.window.menus.font_reset.trigger()
    station.window.menus.themes["dark"].trigger()
    assert qapp.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE)
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK["surface"]


def test_a_change_with_a_form_open_asks_first(qtbot: QtBot, station: Workstation) -> None:
    window = station.window
    assert window.queue.select_case("id00004")  # received
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_R)
    assert window.case_dock.panel.form is not None
    window.menus.themes["light"].trigger()
    box = window.findChild(QMessageBox, "dialog.appearance")
    assert box is not None and box.isVisible() and station.window is window  # nothing changed yet
    assert window.menus.themes["dark"].isChecked()
    with qtbot.waitSignal(station.rebuilt):
        box.button(QMessageBox.StandardButton.Yes).click()
    assert station.appearance.theme == "light"


def test_letters_on_the_queue_open_the_action_or_say_why_not(qtbot: QtBot, station: Workstation) -> None:
    window = station.window
    assert window.queue.select_case("id00004")  # received: the centre registers it
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_R)
    form = window.case_dock.panel.form
    assert form is not None and form.spec.key == "register" and window.case_dock.isVisible()
    window.case_dock.panel.close_form()
    window.queue.setFocus()
    qtbot.keyClick(window.queue, Qt.Key.Key_V)  # nothing to verify on a received case
    assert window.case_dock.panel.form is None
    assert window.status.currentMessage() == "Verify is not possible on MH2026-000004 now (its state or your role)"


def test_f1_lists_every_key_of_the_queue_and_about_names_the_versions(qtbot: QtBot, station: Workstation) -> None:
    window = station.window
    window.menus.shortcuts.trigger()
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible()
    listed = dict(dialog.rows())
    for shortcut in SHORTCUTS:
        assert listed[shortcut.keys] == shortcut.text()
    assert "F1" in listed and "Ctrl+Q" in listed
    window.menus.about.trigger()
    about = window.findChild(QMessageBox, "dialog.about")
    assert about is not None and about.isVisible() and about.windowModality() != Qt.WindowModality.ApplicationModal
    import PySide6

    assert PySide6.__version__ in about.text() and "ws://127.0.0.1:8765/feed" in about.text()
    about.close()


def test_an_unknown_saved_appearance_falls_back_to_the_defaults(settings: QSettings) -> None:
    settings.setValue("appearance/language", "fr")
    settings.setValue("appearance/theme", "sepia")
    settings.setValue("appearance/font_scale", "huge")
    assert preferences.load(settings) == Appearance()
    assert preferences.load(settings, language="zh_CN").language == "zh_CN"


class _Holder:
    """Python objects in a cycle around a window: freed only by the collector, never by reference counts."""

    def __init__(self, dialog: QDialog) -> None:
        self.dialog = dialog
        self.me = self


def test_a_dialog_open_while_the_link_comes_back_is_collected_once_closed(
    qtbot: QtBot, station: Workstation, store: CaseStore, feed: FakeFeed
) -> None:
    """Snapshots are taken out of the collector's sight (gc.freeze), resumes by replay are not: a dialog
    that was open when the link came back must still be collected after the operator closes it."""
    store.begin_snapshot(store.last_seq)
    store.add_snapshot_items(list(store.cases()))
    store.end_snapshot(store.last_seq)
    frozen_before = gc.get_freeze_count()
    feed.set(ConnectionState.LIVE)  # live after a snapshot: the loaded state is frozen
    assert gc.get_freeze_count() > frozen_before
    try:
        holder = _Holder(QDialog())
        holder.dialog.show()
        gone = weakref.ref(holder)
        feed.set(ConnectionState.BACKOFF)
        feed.set(ConnectionState.SYNCING)
        feed.set(ConnectionState.LIVE)  # back by replay: nothing reloaded
        holder.dialog.close()
        del holder
        gc.collect()
        assert gone() is None, "a dialog open during a resume stays in memory for good"
    finally:
        gc.unfreeze()
