"""The supervision desk (监督) on a real hub: what is at risk, which units lag, the ladder, the record, no dispatch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from console.supervision_window import SupervisionWindow
from hub.embedded import EmbeddedHub
from protocol.enums import Role, SlaLevel, SupervisionAction
from tests.console.case_detail_helpers import advance_hub, clock_at, create
from tests.console.conftest import run, until_called, until_signal
from views.supervision.desk_panel import SupervisionPanel
from views.supervision.ladder_form import LadderForm
from views.supervision.record import Entry

T0 = datetime(2026, 11, 24, 1, 30, tzinfo=UTC)
"""A Tuesday, 09:30 at the centre: working hours, so the limits run."""


async def ok(feed: FeedConnection, command: str, **args: Any) -> dict[str, Any]:
    result = await feed.send_command(command, args)
    assert result.ok, (command, result.error)
    return result.result or {}


async def live(feed: FeedConnection) -> None:
    await feed.start()
    await until_called(feed.add_listener, lambda: feed.role is not None and feed.session.caught_up, "the feed is live")


def record_actions(panel: SupervisionPanel) -> list[tuple[str, str, str]]:
    """(action, actor, case id) of each row of the record, newest first."""
    entries: list[Entry] = [panel.record_model.item(row) for row in range(panel.record_model.rowCount())]
    return [(e.record.action.value, e.record.actor, e.record.case_id) for e in entries]


async def send_form(panel: SupervisionPanel, form: LadderForm, count: int) -> None:
    """Submit the form and wait for the hub's answer and the records it published."""
    before = panel.record_model.rowCount()
    assert form.submit()
    await until_signal(panel._watch.timeout, lambda: panel.record_model.rowCount() == before + count,
                       f"{count} more records")
    assert panel.form is None, "the form closes once the hub accepted"


def test_the_desk_shows_what_is_at_risk_ranks_units_and_climbs_the_ladder(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    now, clock = clock_at(T0)

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=clock) as hub:
            duty = FeedConnection(hub.url, hub.token, CaseStore())
            await live(duty)
            late = await create(duty, address="江川路街道 东川路 1 号")
            await ok(duty, "case.register", id=late)
            await ok(duty, "case.dispatch", id=late, unit_id="S310112001")
            await advance_hub(hub, now, 6 * 24 * 60)  # past its overall limit: red
            returned = await create(duty, address="江川路街道 永德路 2 号")
            await ok(duty, "case.register", id=returned)
            for _ in range(2):
                await ok(duty, "case.dispatch", id=returned, unit_id="B-CG")
                await ok(duty, "case.return", id=returned, reason="非本单位职责")
            reopened = await create(duty, address="江川路街道 沧源路 3 号")
            await ok(duty, "case.register", id=reopened)
            await ok(duty, "case.dispatch", id=reopened, unit_id="B-CG")
            steps: list[tuple[str, dict[str, Any]]] = [
                ("case.sign", {}), ("case.start", {}), ("case.feedback", {"result": "已处置"}),
                ("case.verify", {"passed": True}), ("case.callback", {"satisfied": False})]
            for step, args in steps:
                await ok(duty, step, id=reopened, **args)
            calm = await create(duty, address="江川路街道 剑川路 4 号")
            await ok(duty, "case.register", id=calm)
            await ok(duty, "case.dispatch", id=calm, unit_id="B-CG")

            feed = FeedConnection(hub.url, hub.add_user("li.jiandu", Role.SUPERVISOR), CaseStore())
            window = SupervisionWindow(feed.store, feed,
                                       settings=QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            panel = window.panel
            testers = [QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Fatal)
                       for m in (panel.cases_model, panel.units_model, panel.record_model)]
            window.show()
            await live(feed)
            try:
                assert feed.role is Role.SUPERVISOR
                await until_signal(panel._watch.timeout, lambda: panel.cases_model.rowCount() == 3,
                                   "three cases at risk")
                # what the ladder did before this console started comes from the hub: the hub's own
                # remind, urge and supervise as the late case went yellow, orange and red
                await until_signal(panel._watch.timeout, lambda: panel.log.has_hub_record, "the hub's record")
                assert record_actions(panel) == [(a, "hub", late) for a in ("supervise", "urge", "remind")]
                assert all(panel.record_model.item(r).at is not None for r in range(3)), "each with its time"
                # at risk: the overdue one first, then returned twice, then reopened; the calm one not at all
                assert panel.cases_model.row_keys() == [late, returned, reopened]
                assert calm not in panel.cases_model.row_keys()
                texts = [[panel.cases_model.index(r, c).data() for c in range(3)] for r in range(3)]
                assert texts[0][0] == "Overdue" and feed.store.get(late).level is SlaLevel.RED  # type: ignore[union-attr]
                assert texts[1][2] == "returned 2×" and texts[2][2] == "reopened"
                assert "3 cases at risk" in panel.summary.text() and "1 overdue" in panel.summary.text()
                # units: the one with a case overdue now first, then the one with returns
                assert panel.units_model.row_keys()[:2] == ["S310112001", "B-CG"]
                b_cg = panel.units_model.item(1)
                assert (b_cg.overdue_now, b_cg.returned) == (0, 2)
                # sorting a column in Python keeps the selection on its case
                assert panel.select_case(reopened)
                panel.cases_view.sortByColumn(1, panel.cases_view.horizontalHeader().sortIndicatorOrder())
                assert panel.selected_case() is not None and panel.selected_case().case.id == reopened  # type: ignore

                # a supervisor has every rung, and no step of the loop
                for action in SupervisionAction:
                    assert panel.case_buttons[action].isEnabled()
                labels = [b.text() for b in window.findChildren(QPushButton)]
                assert not any("Dispatch" in t or "Register" in t for t in labels), labels
                refused = await feed.send_command("case.dispatch", {"id": calm, "unit_id": "S310112001"})
                assert not refused.ok and refused.error is not None and refused.error.code == "forbidden"

                # urge the overdue case: it lands and shows in the record
                assert panel.select_case(late)
                form = panel.open_form(SupervisionAction.URGE, "case")
                assert form is not None and form.isVisible()
                form.note.setPlainText("请今天内到场处置")
                await send_form(panel, form, 1)
                assert record_actions(panel)[0] == ("urge", "li.jiandu", late)
                assert "Urge: 1 cases" in panel.result.text()

                # formal supervision needs a note: refused on the form, nothing sent
                form = panel.open_form(SupervisionAction.SUPERVISE, "case")
                assert form is not None and not form.submit()
                assert "need a note" in form.message.text()
                form.note.setPlainText("督办：明日10点前反馈")
                await send_form(panel, form, 1)
                assert record_actions(panel)[0] == ("supervise", "li.jiandu", late)

                # hold a unit's whole pool to account: every open case it leads
                assert panel.select_unit("B-CG")
                pool = panel.open_form(SupervisionAction.ACCOUNT, "pool")
                assert pool is not None and pool.floor is not None
                assert "0 open cases" in pool.reach.text(), "B-CG has nothing orange or red"
                pool.note.setPlainText("退单频繁，约谈分管领导")
                assert not pool.submit() and "nothing to supervise" in pool.message.text()
                pool.floor.setCurrentIndex(pool.floor.findData(None))
                assert "2 open cases" in pool.reach.text()
                await send_form(panel, pool, 2)
                assert {(a, c) for a, _, c in record_actions(panel)[:2]} == {("account", reopened), ("account", calm)}
                await until_signal(panel._watch.timeout, lambda: panel.units_model.item(
                    panel.units_model.row_of("B-CG")).supervised == 2, "B-CG's supervised count")
                assert panel.units_model.row_of("B-CG") >= 0
            finally:
                del testers
                window.close()
                await feed.close()
                await duty.close()

    run(qloop, main())
