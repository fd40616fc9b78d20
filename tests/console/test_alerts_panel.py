"""The alerts panel offscreen: floods as one row, critical first, re-notification, mute, the queue,
and acknowledgement against a real hub (one's own and another operator's)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from pytestqt.qtbot import QtBot

from backend_client.alerts import Alert, AlertBook
from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from protocol import AlertAck, AlertAcknowledged, AlertKind, CaseStatus, LevelChange, Role, SlaLevel, TimerLevelChanged
from tests.console.conftest import run, until_signal
from tests.console.test_main_window import FakeFeed
from tests.hub.conftest import case_args, greet
from tests.store.store_helpers import T0, case, created
from views import alert_sound
from views.alerts_panel import FLASH_MS, RENOTIFY_MS, AlertsPanel
from views.models.alert_tree_model import ACKED_ROLE, ALERT_ID_ROLE

FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
STREETS = ["莘庄镇", "江川路街道", "古美路街道", "新虹街道", "浦锦街道", "虹桥镇", "梅陇镇"]


def settings_in(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "console.ini"), QSettings.Format.IniFormat)


def store_with(count: int) -> CaseStore:
    store = CaseStore()
    for n in range(1, count + 1):
        street = STREETS[0] if n <= count // 2 else STREETS[n % len(STREETS)]
        store.apply(created(n, case(n, status=CaseStatus.DISPATCHED, street_name=street)))
    return store


def turn(store: CaseStore, numbers: range, level: SlaLevel, at: datetime = T0, kind: str = "overall") -> None:
    seq = itertools.count(store.last_seq + 1)
    for n in numbers:
        store.apply(TimerLevelChanged(seq=next(seq), ts=at, data=LevelChange(
            case_id=f"id{n:05d}", kind=kind, level=level, previous=SlaLevel.YELLOW)))


def make_panel(qtbot: QtBot, store: CaseStore, tmp_path: Path, feed: object | None = None) -> AlertsPanel:
    panel = AlertsPanel(AlertBook(store), feed or FakeFeed(), settings=settings_in(tmp_path),  # type: ignore[arg-type]
                        now=lambda: T0 + timedelta(minutes=1))
    qtbot.addWidget(panel)
    panel.show()
    return panel


def shown_acked(panel: AlertsPanel, alert_id: int) -> bool:
    """The panel shows the alert acknowledged (not what the book knows: what the operator sees)."""
    row = panel.model.top_row_of(alert_id)
    return row >= 0 and panel.model.index(row, 0).data(ACKED_ROLE) is True and (
        panel.model.index(row, 3).data() != "Sending…")


def texts(panel: AlertsPanel, column: int = 1) -> list[str]:
    model = panel.model
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def test_hundreds_turning_red_at_once_are_one_row_that_opens_into_its_cases(qtbot: QtBot, tmp_path: Path) -> None:
    store = store_with(300)
    panel = make_panel(qtbot, store, tmp_path)
    tester = QAbstractItemModelTester(panel.model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    turn(store, range(1, 301), SlaLevel.RED)
    panel.refresh()
    assert texts(panel) == ["300 cases turned red (overall limit) in 莘庄镇 and 6 other streets"]
    group = panel.model.index(0, 0)
    assert panel.model.rowCount(group) == 300
    assert panel.model.index(0, 0).data() == "Critical"
    assert panel.windowTitle().endswith("Alerts (1 new)")
    assert tester is not None


def test_critical_alerts_come_first_and_acknowledged_ones_are_greyed_below(qtbot: QtBot, tmp_path: Path) -> None:
    store = store_with(20)
    panel = make_panel(qtbot, store, tmp_path)
    turn(store, range(1, 6), SlaLevel.ORANGE, at=T0 + timedelta(seconds=30))
    turn(store, range(6, 8), SlaLevel.RED, kind="step")
    turn(store, range(8, 9), SlaLevel.RED, at=T0 + timedelta(minutes=5))
    panel.refresh()
    assert [t.split(" (")[0] for t in texts(panel)] == [
        "MH2026-000008 turned red", "2 cases turned red", "5 cases turned orange"]
    book = panel.book
    step_red = next(a for a in book.alerts.values() if a.key == "step.red")
    store.apply(AlertAcknowledged(seq=store.last_seq + 1, ts=T0, data=AlertAck(
        case_ids=list(step_red.cases), kind=AlertKind.TIMER, key="step.red", by="li.na", role=Role.DUTY, at=T0)))
    panel.refresh()
    last = panel.model.rowCount() - 1
    assert panel.model.index(last, 0).data(ALERT_ID_ROLE) == step_red.id
    assert panel.model.index(last, 0).data(ACKED_ROLE) is True
    assert panel.model.index(last, 1).data(FOREGROUND) is not None, "greyed"
    assert panel.model.index(last, 3).data().startswith("Acknowledged by li.na at ")
    assert panel.model.index(0, 1).data(FOREGROUND) is None


def test_an_unacknowledged_critical_alert_is_announced_again_until_acknowledged(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = store_with(3)
    panel = make_panel(qtbot, store, tmp_path)
    assert panel.renotify_timer.isActive() and panel.renotify_timer.interval() == RENOTIFY_MS
    turn(store, range(1, 3), SlaLevel.ORANGE)
    panel.refresh()
    with qtbot.assertNotEmitted(panel.renotified):
        assert panel.renotify() == 0, "orange is high, not critical: no re-notification"
    turn(store, range(3, 4), SlaLevel.RED)
    sounds: list[int] = []
    panel.sound.requested.connect(sounds.append)
    panel.refresh()
    assert panel.flashing and panel.windowTitle().startswith("CRITICAL ALERT")
    panel._end_flash()  # what the flash timer does after FLASH_MS
    assert not panel.windowTitle().startswith("CRITICAL ALERT")
    with qtbot.waitSignal(panel.renotified) as announced:
        panel.renotify()  # what the re-notify timer does every RENOTIFY_MS
    assert announced.args == [1]
    assert panel.flashing and panel._flash_timer.isActive() and panel._flash_timer.interval() == FLASH_MS
    assert sounds == [0, 0], "the critical sound on arrival and again on re-notification"


def test_mute_is_kept_in_the_settings_and_silences_the_next_panel(qtbot: QtBot, tmp_path: Path) -> None:
    store = store_with(2)
    first = make_panel(qtbot, store, tmp_path)
    assert not first.mute_button.isChecked() and first.mute_button.text() == "Sound on"
    first.mute_button.click()
    assert first.mute_button.text() == "Sound off"
    second = make_panel(qtbot, store_with(2), tmp_path)
    assert second.mute_button.isChecked() and second.sound.muted
    turn(second.book.store, range(1, 2), SlaLevel.RED)
    with qtbot.assertNotEmitted(second.sound.requested):
        second.refresh()
        second.renotify()
    second.mute_button.click()
    assert not make_panel(qtbot, store_with(1), tmp_path).sound.muted


def test_enter_or_double_click_on_an_alert_selects_its_case_in_the_queue(qtbot: QtBot) -> None:
    store = store_with(30)
    # the old rules alert the centre of every orange and red timer: the clicks, not the routing, are tested here
    window = MainWindow(store, FakeFeed(), language="en", alert_book=AlertBook(store))
    qtbot.addWidget(window)
    window.show()
    turn(store, range(17, 18), SlaLevel.RED)
    window.alerts.refresh()
    tree = window.alerts.tree
    tree.setCurrentIndex(window.alerts.model.index(0, 1))
    tree.setFocus()
    window.model.refresh()
    QTest.keyClick(tree, Qt.Key.Key_Return)
    assert window.queue.current_case_id() == "id00017"
    turn(store, range(3, 4), SlaLevel.ORANGE, kind="step")
    window.alerts.refresh()
    row = window.alerts.model.top_row_of(max(window.alert_book.alerts))
    rect = tree.visualRect(window.alerts.model.index(row, 1))
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # Qt 6 needs the first click
    QTest.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.queue.current_case_id() == "id00003"
    window.stop()


def test_acknowledgement_round_trip_with_a_real_hub_and_another_operators_ack(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=lambda: now[0]) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            panel = AlertsPanel(AlertBook(store), feed, settings=settings_in(tmp_path), now=lambda: now[0])
            qtbot.addWidget(panel)
            panel.show()
            await feed.start()
            try:
                for _ in range(3):
                    assert (await feed.send_command("case.create", case_args(hub))).ok
                now[0] += timedelta(days=30)  # every limit passes: orange, then red
                assert hub.hub.timekeeper is not None
                hub.hub.timekeeper.poke()
                book = panel.book

                def red(kind: str) -> Alert | None:
                    return next((a for a in book.alerts.values() if a.key == f"{kind}.red" and len(a.cases) == 3),
                                None)

                await until_signal(panel.model.modelReset, lambda: red("step") is not None, "3 cases turn red")
                assert texts(panel)[0].startswith("3 cases turned red")
                assert panel.renotify() == 2, "the overall and the step limits' red groups"
                group = red("step")
                assert group is not None
                panel.tree.setCurrentIndex(panel.model.index(panel.model.top_row_of(group.id), 0))
                panel.comment.setText("已电话催办")
                panel.ack_button.click()
                row = panel.model.top_row_of(group.id)
                assert panel.model.index(row, 3).data() == "Sending…"
                await until_signal(panel.model.modelReset, lambda: shown_acked(panel, group.id),
                                   "the hub's alert.acknowledged")
                row = panel.model.top_row_of(group.id)
                assert panel.model.index(row, 3).data().startswith("Acknowledged by duty-demo at ")
                assert panel.model.index(row, 3).data().endswith(": 已电话催办")
                assert panel.renotify() == 1, "the overall limit's red group is still unacknowledged"

                other, _ = await greet(hub, token=hub.add_user("li.na", Role.DUTY))
                await other.recv_until(lambda f: f["type"] == "snapshot.end")
                overall = red("overall")
                assert overall is not None
                answer = await other.command("alert.ack", {"case_ids": list(overall.cases), "kind": "timer",
                                                           "key": "overall.red", "comment": "已派员"}, "li-1")
                assert answer["ok"], answer
                await until_signal(panel.model.modelReset, lambda: shown_acked(panel, overall.id),
                                   "li.na's acknowledgement")
                row = panel.model.top_row_of(overall.id)
                assert panel.model.index(row, 3).data().startswith("Acknowledged by li.na at ")
                assert panel.model.index(row, 0).data(ACKED_ROLE) is True
                assert panel.renotify() == 0, "nothing critical left unacknowledged"
                await other.ws.close()
            finally:
                panel.stop()
                await feed.close()

    run(qloop, main())


def test_the_model_holds_its_shape_for_an_empty_book(qtbot: QtBot, tmp_path: Path) -> None:
    panel = make_panel(qtbot, CaseStore(), tmp_path)
    assert panel.model.rowCount() == 0 and panel.model.rowCount(QModelIndex()) == 0
    assert panel.summary.text() == "No unacknowledged alerts" and panel.windowTitle() == "Alerts"
    assert not panel.acknowledge(), "nothing selected: nothing sent"


def without_qt_audio(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine where Qt Multimedia cannot sound (no libpulse, no audio output)."""
    monkeypatch.setattr(alert_sound, "_qt_player", lambda _parent: (None, "Qt Multimedia cannot load"))


def test_where_qt_cannot_sound_a_system_player_sounds_the_alert(qtbot: QtBot, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    without_qt_audio(monkeypatch)
    played = tmp_path / "played.txt"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    player = bin_dir / "paplay"
    player.write_text(f'#!/bin/sh\necho "$1" >> "{played}"\n', encoding="utf-8")
    player.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    store = store_with(2)
    panel = make_panel(qtbot, store, tmp_path)
    assert panel.sound.backend == "paplay" and panel.sound.silent_reason is None
    assert panel.silent_note.isHidden()
    turn(store, range(1, 2), SlaLevel.RED)
    panel.refresh()
    qtbot.waitUntil(lambda: played.exists() and played.read_text(encoding="utf-8").strip() != "", timeout=10_000)
    assert played.read_text(encoding="utf-8").strip().endswith("alert_critical.wav")


def test_where_nothing_can_sound_the_panel_says_so_on_screen(qtbot: QtBot, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    without_qt_audio(monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path))  # no player either
    monkeypatch.setattr(alert_sound, "IS_WINDOWS", False)
    panel = make_panel(qtbot, store_with(1), tmp_path)
    assert panel.sound.backend == "" and panel.sound.silent_reason is not None
    assert panel.silent_note.isVisible()
    assert panel.silent_note.text().startswith("Alerts are silent: Qt Multimedia cannot load")
    assert "paplay" in panel.silent_note.text()
    sounds: list[int] = []
    panel.sound.requested.connect(sounds.append)
    turn(panel.book.store, range(1, 2), SlaLevel.RED)
    panel.refresh()
    assert sounds == [0], "still counted, so the rest of the panel behaves the same"
