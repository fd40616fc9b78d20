"""The commanders' emergency room on a real hub: declare, direct, watch the acknowledgements fill, escalate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from backend_client.connection import FeedConnection
from backend_client.hub_process import HubProcess
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.room_window import RoomWindow
from protocol.emergency import Directive, Receipt
from protocol.enums import EmergencyLevel, Role
from tests.console.conftest import run, until_called, until_signal
from views.emergency.dialogs import DeclareDialog, DirectiveDialog, LevelDialog
from views.emergency.matrices import ack_cell, ack_matrix
from widgets.ack_matrix import STATE_ROLE, Axis, MatrixCell, MatrixModel

T0 = datetime(2026, 7, 28, 6, 0, tzinfo=UTC)


def _directive(**kw: object) -> Directive:
    base: dict[str, object] = dict(id="ZL2026-0001", serial="ZL2026-0001", text="On duty", issued_by="cmd",
                                   issued_at=T0, ack_due_at=T0 + timedelta(minutes=30), recipients=["A", "B"])
    return Directive(**{**base, **kw})  # type: ignore[arg-type]


def test_a_receipt_reads_as_acknowledged_late_waiting_or_missing() -> None:
    directive = _directive()
    on_time = Receipt(directive_id=directive.id, unit_id="A", unit_name="Water", acknowledged_at=T0 + timedelta(
        minutes=3), latency_s=180.0)
    late = Receipt(directive_id=directive.id, unit_id="A", unit_name="Water",
                   acknowledged_at=T0 + timedelta(minutes=42), latency_s=2520.0)
    silent = Receipt(directive_id=directive.id, unit_id="B", unit_name="Parks", reminded=2)
    assert ack_cell(directive, on_time, T0 + timedelta(minutes=5)) .state == "acknowledged"
    assert ack_cell(directive, on_time, T0).text == "3 min"
    cell = ack_cell(directive, late, T0 + timedelta(hours=1))
    assert (cell.state, cell.shape, cell.tone) == ("late", "orange", "sla.orange")
    assert ack_cell(directive, silent, T0 + timedelta(minutes=10)).state == "waiting"
    missing = ack_cell(directive, silent, T0 + timedelta(minutes=31))
    assert (missing.state, missing.shape) == ("missing", "red") and "reminded 2×" in missing.text
    # sorting a column puts the prompt first and the missing last
    assert on_time.latency_s is not None
    keys = [ack_cell(directive, r, T0 + timedelta(hours=1)).sort_key for r in (on_time, late, silent)]
    assert keys == sorted(keys)


def test_the_matrix_keeps_its_rows_in_place_and_signals_only_what_changed(qtbot: QtBot) -> None:
    model = MatrixModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    rows = [Axis("A", "Water"), Axis("B", "Parks"), Axis("C", "Police")]
    cols = [Axis("D1", "ZL-1")]
    waiting = MatrixCell("waiting", "waiting", "ring", sort_key=1e7)
    model.set_matrix(rows, cols, {(r.id, "D1"): waiting for r in rows})
    model.sort(0, Qt.SortOrder.DescendingOrder)
    order = model.row_ids()
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: changed.append((top.row(), bottom.row())))
    done = MatrixCell("acknowledged", "2 min", "check", sort_key=120)
    model.set_matrix(rows, cols, {("A", "D1"): done, ("B", "D1"): waiting, ("C", "D1"): waiting})
    assert model.row_ids() == order, "an update must not move rows under the commander's eyes"
    row_a = order.index("A")
    assert changed == [(row_a, row_a)]
    assert model.data(model.index(row_a, 0), STATE_ROLE) == "acknowledged"
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert model.row_ids()[0] == "A"


def test_a_commander_declares_directs_and_watches_every_unit_acknowledge(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, account="commander-1",
                              role="commander") as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            settings = QSettings(str(tmp_path / "room.ini"), QSettings.Format.IniFormat)
            window = RoomWindow(store, feed, settings=settings)
            qtbot.addWidget(window)
            panel = window.panel
            QAbstractItemModelTester(panel.ack_model, QAbstractItemModelTester.FailureReportingMode.Fatal)
            window.show()
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                assert feed.role is Role.COMMANDER
                await until_signal(panel._watch.timeout, lambda: panel.declare_button.isEnabled(), "may declare")
                assert "No emergency" in panel.header.text()

                declare = panel.open_declare()
                assert isinstance(declare, DeclareDialog) and declare.isVisible()
                assert not declare.submit(), "a declaration needs a title"
                assert "title" in declare.message.text()
                declare.type_box.setCurrentIndex(declare.type_box.findData("typhoon"))
                declare.level_box.setCurrentIndex(declare.level_box.findData("II"))
                declare.title_box.setText("Typhoon In-fa")
                assert declare.submit()
                await until_signal(panel._watch.timeout, lambda: panel.current_emergency() is not None
                                   and panel.task_model.rowCount() > 0, "the emergency and its plan's tasks")
                emergency = panel.current_emergency()
                assert emergency is not None and emergency.level is EmergencyLevel.LEVEL_II
                assert "Typhoon In-fa" in panel.header.text() and "Level II (orange)" in panel.header.text()
                assert not isValid(declare), "the dialog closes once the hub accepted"
                tasks = [t for t in store.tasks.values() if t.emergency_id == emergency.id]
                assert panel.task_model.rowCount() == len({t.unit_id for t in tasks})
                assert panel.task_model.columnCount() == len({t.task_key for t in tasks})
                assert f"plan tasks 0/{len(tasks)} done" in panel.summary.text()

                directive_form = panel.open_directive()
                assert isinstance(directive_form, DirectiveDialog)
                await until_signal(panel._watch.timeout, lambda: isinstance(panel.dialog, DirectiveDialog)
                                   and bool(panel.dialog.units), "the organisation for the recipients")
                directive_form = panel.dialog
                assert isinstance(directive_form, DirectiveDialog)
                preview = len(directive_form.recipients())
                assert preview > 10 and f"Units: {preview} · " in directive_form.preview.text()
                directive_form.template_box.setCurrentIndex(2)  # check low-lying areas
                assert "low-lying" in directive_form.text_box.toPlainText()
                directive_form.report_box.setValue(2)
                directive_form.fields_box.setText("people_evacuated")
                assert directive_form.submit()
                await until_signal(panel._watch.timeout, lambda: panel.ack_model.columnCount() == 1,
                                   "the directive's column")
                directive = next(iter(store.directives.values()))
                assert len(directive.recipients) == preview, "the preview names exactly whom the hub sends it to"
                assert directive.emergency_id == emergency.id and directive.report_every_h == 2
                assert panel.ack_model.rowCount() == preview
                assert all(panel.ack_model.cell(u, directive.id).state == "waiting"  # type: ignore[union-attr]
                           for u in directive.recipients)

                first, second = directive.recipients[:2]
                for unit in (first, second):
                    assert (await feed.send_command("directive.ack", {"id": directive.id, "unit_id": unit})).ok
                assert (await feed.send_command("directive.report", {
                    "id": directive.id, "unit_id": first, "numbers": {"people_evacuated": 42},
                    "text": "Two underpasses closed"})).ok
                await until_signal(panel._watch.timeout, lambda: all(
                    (c := panel.ack_model.cell(u, directive.id)) is not None and c.state == "acknowledged"
                    for u in (first, second)), "two acknowledgements in the matrix")
                assert panel.ack_model.headerData(0, Qt.Orientation.Horizontal).endswith(f"2/{preview}")
                row = panel.ack_model.row_ids().index(first)
                panel.ack_view.setCurrentIndex(panel.ack_model.index(row, 0))
                assert "people_evacuated 42" in panel.reports.toPlainText()
                assert "Two underpasses closed" in panel.reports.toPlainText()

                assert panel.remind_missing() == 1
                await until_signal(panel._watch.timeout, lambda: "reminded 1×" in (
                    panel.ack_model.cell(directive.recipients[-1], directive.id) or MatrixCell("", "")).text,
                    "the reminder on the missing units' cells")
                assert store.directives[directive.id].reminders

                level = panel.open_level()
                assert isinstance(level, LevelDialog)
                level.level_box.setCurrentIndex(level.level_box.findData("I"))
                level.reason_box.setText("Landfall expected within 6 hours")
                assert level.submit()
                await until_signal(panel._watch.timeout, lambda: store.emergencies[emergency.id].level
                                   is EmergencyLevel.LEVEL_I, "the escalation")
                assert "Level I (red)" in panel.header.text()
                assert "Escalated" in panel.history.toPlainText()
                assert "Landfall expected" in panel.history.toPlainText()
                matrix = ack_matrix(store, emergency.id, window.server_now())
                assert len(matrix.rows) == preview
            finally:
                window.close()
                await feed.close()

    run(qloop, main())


def test_a_duty_officer_sees_the_room_but_cannot_declare_or_direct(qtbot: QtBot) -> None:
    class DutyFeed:
        role = Role.DUTY
        url = "ws://127.0.0.1:1/feed"
        state = ConnectionState.LIVE
        state_detail = ""
        last_event_monotonic = None
        server_skew_s = 0.0

        def add_listener(self, _callback: object) -> None: ...

        def remove_listener(self, _callback: object) -> None: ...

    window = RoomWindow(CaseStore(), DutyFeed(), settings=QSettings())  # type: ignore[arg-type]
    qtbot.addWidget(window)
    panel = window.panel
    assert not panel.declare_button.isEnabled()
    assert not panel.directive_button.isEnabled()
    assert not panel.level_button.isEnabled() and not panel.close_button.isEnabled()
    window.stop()


def test_duty_screens_show_the_active_response_and_its_latest_directive(qtbot: QtBot) -> None:
    from protocol.emergency import Emergency
    from protocol.enums import EmergencyStatus, EmergencyType
    from views.emergency.banner import EmergencyBanner

    store = CaseStore()
    banner = EmergencyBanner(store)
    qtbot.addWidget(banner)
    banner.refresh(T0)
    assert banner.isHidden(), "no response, no banner"
    typhoon = Emergency(id="EM2026-0001", serial="EM2026-0001", type=EmergencyType.TYPHOON,
                        level=EmergencyLevel.LEVEL_II, title="Typhoon In-fa", status=EmergencyStatus.ACTIVE,
                        declared_by="cmd", declared_at=T0, updated_at=T0)
    drill = Emergency(id="EM2026-0002", serial="EM2026-0002", type=EmergencyType.RAINSTORM,
                      level=EmergencyLevel.LEVEL_I, title="Drill", status=EmergencyStatus.ACTIVE,
                      declared_by="cmd", declared_at=T0, updated_at=T0, exercise=True)
    store.set_emergency_state([typhoon, drill], [], [_directive(emergency_id=typhoon.id, text="Close the parks")], [])
    banner.refresh(T0 + timedelta(minutes=95))
    assert not banner.isHidden()
    text = banner.text()
    assert text.startswith("▲ Typhoon emergency response · Level II (orange)"), "a real response before a drill"
    assert "1 h 35 min" in text and "Latest directive ZL2026-0001: Close the parks" in text and "(+1 more)" in text
    store.set_emergency_state([], [], [], [])
    banner.refresh(T0 + timedelta(minutes=96))
    assert banner.isHidden()


def test_the_wall_gives_itself_to_a_new_response_and_fills_its_board_as_units_acknowledge(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from protocol.emergency import DirectiveChanged, Emergency, EmergencyChanged, EmergencyStep, ReceiptChanged
    from protocol.enums import EmergencyStatus, EmergencyType
    from tests.console.test_wall import NOW, Clock, filled_store, make_wall

    clock = Clock()
    store = filled_store(50)
    wall = make_wall(qtbot, tmp_path, store, clock)
    wall.show_page(1)
    assert wall.emergency_label.isHidden()
    step = EmergencyStep(at=NOW, actor="cmd", action="declare", level=EmergencyLevel.LEVEL_II)
    typhoon = Emergency(id="EM2026-0001", serial="EM2026-0001", type=EmergencyType.TYPHOON,
                        level=EmergencyLevel.LEVEL_II, title="Typhoon In-fa", status=EmergencyStatus.ACTIVE,
                        declared_by="cmd", declared_at=NOW, updated_at=NOW, history=[step])
    seq = store.last_seq
    with qtbot.waitSignal(wall.takeover_changed):
        store.apply(EmergencyChanged(seq=seq + 1, ts=NOW, data=typhoon))
    assert wall.stack.currentWidget() is wall.emergency_view
    assert not wall.emergency_label.isHidden() and "Level II (orange)" in wall.emergency_label.text()
    directive = _directive(issued_at=NOW, ack_due_at=NOW + timedelta(minutes=30), emergency_id=typhoon.id,
                           recipients=["A", "B", "C"], text="Close the parks")
    store.apply(DirectiveChanged(seq=seq + 2, ts=NOW, data=directive))
    for n, (unit, name) in enumerate((("A", "Water"), ("B", "Parks"), ("C", "Police")), 3):
        store.apply(ReceiptChanged(seq=seq + n, ts=NOW, data=Receipt(directive_id=directive.id, unit_id=unit,
                                                                   unit_name=name)))
    assert wall.emergency_view.directive_id == directive.id
    clock.advance(5)
    store.apply(ReceiptChanged(seq=seq + 6, ts=NOW, data=Receipt(
        directive_id=directive.id, unit_id="B", unit_name="Parks", acknowledged_at=NOW + timedelta(minutes=2),
        latency_s=120.0)))
    wall.tick()
    lines = [text for text, _level in wall.emergency_view.message.lines]
    assert lines[0] == "Typhoon · Level II (orange)" and "ZL2026-0001: Close the parks" in lines
    assert "Acknowledged 1 of 3 · late 0 · missing 0" in lines
    assert [c[0] for c in wall.emergency_view.board.cells] == ["Police", "Water", "Parks"], "waiting first, then done"
    clock.advance(wall.wall_layout.settings.takeover_s - 5)
    wall.tick()
    assert wall.takeover is None and wall.stack.currentWidget() is wall.pages[1]
    assert not wall.emergency_label.isHidden(), "the header keeps the response in view after the takeover"


def test_a_commander_confirms_a_typhoon_warning_from_a_cap_file_and_dismisses_another(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    from views.emergency.dialogs import ConfirmWarningDialog, DismissWarningDialog

    cap = Path(__file__).resolve().parents[2] / "resources" / "cap"

    async def main() -> None:
        async with HubProcess(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, account="commander-1",
                              role="commander") as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = RoomWindow(store, feed, settings=QSettings(str(tmp_path / "room.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            panel = window.panel
            window.show()
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                for name in ("shanghai_minhang_typhoon_orange.cap.xml", "shanghai_minhang_rainstorm_blue.cap.xml"):
                    xml = (cap / name).read_text(encoding="utf-8")
                    assert (await feed.send_command("warning.receive", {"xml": xml, "file_name": name})).ok
                await until_signal(panel._watch.timeout, lambda: panel.warnings.count() == 2, "two warnings listed")
                assert all("waiting for a decision" in panel.warnings.item(i).text() for i in range(2))
                typhoon = next(i for i in range(2) if "Typhoon" in panel.warnings.item(i).text())
                panel.warnings.setCurrentRow(typhoon)
                assert panel.confirm_button.isEnabled() and panel.dismiss_button.isEnabled()
                confirm = panel.open_confirm()
                assert isinstance(confirm, ConfirmWarningDialog)
                assert confirm.level_box.currentData() == "II" and confirm.type_box.currentData() == "typhoon"
                assert confirm.submit()
                await until_signal(panel._watch.timeout, lambda: panel.current_emergency() is not None
                                   and panel.task_model.rowCount() > 0, "the emergency declared from the warning")
                emergency = panel.current_emergency()
                assert emergency is not None and emergency.level is EmergencyLevel.LEVEL_II
                assert emergency.plan_ids == ["typhoon-II"]
                warning = next(w for w in store.warnings.values() if w.signal and w.signal.type.value == "typhoon")
                assert warning.status.value == "confirmed" and warning.decided_by == "commander-1"

                rain = next(i for i in range(panel.warnings.count())
                            if "waiting for a decision" in panel.warnings.item(i).text())
                panel.warnings.setCurrentRow(rain)
                dismiss = panel.open_dismiss()
                assert isinstance(dismiss, DismissWarningDialog)
                assert not dismiss.submit(), "a dismissal needs its reason"
                dismiss.reason_box.setText("Blue signal: the duty team watches, no joint response")
                assert dismiss.submit()
                await until_signal(panel._watch.timeout, lambda: all(
                    w.status.value != "received" for w in store.warnings.values()), "both decided")
                assert not panel.confirm_button.isEnabled()
            finally:
                window.close()
                await feed.close()

    run(qloop, main())
