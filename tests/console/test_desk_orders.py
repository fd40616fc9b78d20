"""Desks on a real hub: a unit's desk sees its own queues and orders; the centre's desk its own orders.

The command post sends one directive to a street sub-centre and to the district centre itself.
The street's desk (an account scoped to the sub-centre) opens on its own cases, is told a
directive waits, and acknowledges it with one key; the centre's duty desk reports on it with
figures. The commander's feed sees both, as the room's matrix would.
"""

from __future__ import annotations

from pathlib import Path

import msgspec
import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine

from backend_client.connection import FeedConnection
from backend_client.hub_process import HubProcess
from backend_client.session import ConnectionState
from backend_client.store import CaseFilter, CaseStore, Queue
from console.main_window import MainWindow
from hub.auth import add_user
from protocol.enums import Role, UnitKind
from protocol.events import Unit
from tests.console.conftest import run, until_called, until_signal
from views.emergency.desk_orders import ReportDialog


def test_a_units_desk_and_the_centre_each_take_their_orders(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"

    async def connected(url: str, token: str) -> tuple[CaseStore, FeedConnection]:
        store = CaseStore()
        feed = FeedConnection(url, token, store)
        await feed.start()
        await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
        return store, feed

    def window_of(store: CaseStore, feed: FeedConnection, name: str) -> MainWindow:
        settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, feed, settings=settings)
        qtbot.addWidget(window)
        window.show()
        window.on_feed_changed()
        return window

    async def main() -> None:
        async with HubProcess(db, simulate=False, account="commander-1", role="commander") as hub:
            _cmd_store, command = await connected(hub.url, hub.token)
            answer = await command.send_command("org.units", {})
            units = msgspec.convert((answer.result or {})["units"], list[Unit])
            street = next(u for u in units if u.kind is UnitKind.STREET_CENTRE)
            centre = next(u for u in units if u.kind is UnitKind.DISTRICT_CENTRE)
            engine = create_engine(db)
            desk_token = add_user(engine, "street-desk", Role.DUTY, street.id)
            duty_token = add_user(engine, "duty-1", Role.DUTY)
            engine.dispose()
            desk_store, desk_feed = await connected(hub.url, desk_token)
            duty_store, duty_feed = await connected(hub.url, duty_token)
            desk = window_of(desk_store, desk_feed, "desk")
            duty = window_of(duty_store, duty_feed, "duty")
            try:
                assert desk.sidebar.current_filter() == CaseFilter(queue=Queue.MINE), "a desk opens on its cases"
                assert duty.sidebar.current_filter() == CaseFilter(queue=Queue.ALL_OPEN)
                issued = await command.send_command("directive.issue", {
                    "text": "Open the flood post and report sandbags", "unit_ids": [street.id, centre.id],
                    "ack_within_min": 20, "report_fields": ["sandbags"]})
                assert issued.ok, issued.error
                directive_id = (issued.result or {})["id"]

                await until_signal(desk.orders._watch.timeout, lambda: desk.orders.directives.rowCount() == 1,
                                   "the street's directive on its desk")
                assert desk.orders.waiting == 1 and "1 to acknowledge" in desk.orders_dock.windowTitle()
                assert not desk.orders_dock.isHidden()
                assert "1 directive(s) for this desk to acknowledge" in desk.emergency_banner.text()
                # the heading names the unit once the unit list asked for at the start has come back
                await until_signal(desk.orders._watch.timeout, lambda: street.name in desk.orders.heading.text(),
                                   "the desk's unit named in the orders' heading")
                await until_signal(desk._tick_timer.timeout, lambda: street.name in desk.windowTitle(),
                                   "the desk's unit named in the title")
                assert desk.orders.directives.item(0, 1).text() == street.name  # type: ignore[union-attr]

                desk.orders.directives.selectRow(0)
                desk.orders.directives.setFocus()
                QTest.keyClick(desk.orders.directives, Qt.Key.Key_K)
                await until_signal(desk.orders._watch.timeout, lambda: desk.orders.waiting == 0,
                                   "the acknowledgement back on the feed")
                assert desk_store.receipts[f"{directive_id}/{street.id}"].acknowledged_by == "street-desk"
                assert desk.orders_dock.windowTitle() == "Orders"
                assert desk.emergency_banner.isHidden(), "nothing waits and no emergency is on"

                await until_signal(duty.orders._watch.timeout, lambda: duty.orders.directives.rowCount() == 1,
                                   "the centre's own directive on the duty desk")
                assert duty.orders.directives.item(0, 1).text() == centre.name  # type: ignore[union-attr]
                duty.orders.directives.selectRow(0)
                report = duty.orders.open_report()
                assert isinstance(report, ReportDialog)
                assert report.submit(), "figures alone make a report (each starts at 0)"
                await until_signal(duty.orders._watch.timeout, lambda: bool(
                    duty_store.receipts[f"{directive_id}/{centre.id}"].reports), "the first report")
                report = duty.orders.open_report()
                assert report is not None
                report.numbers["sandbags"].setValue(1200)
                report.text_box.setPlainText("Post open at the hotline hall")
                assert report.submit()
                await until_signal(duty.orders._watch.timeout, lambda: len(
                    duty_store.receipts[f"{directive_id}/{centre.id}"].reports) == 2, "the second report")
                receipt = duty_store.receipts[f"{directive_id}/{centre.id}"]
                assert receipt.acknowledged_by == "duty-1", "a report acknowledges too"
                assert receipt.reports[-1].numbers == {"sandbags": 1200}
                assert receipt.reports[-1].text == "Post open at the hotline hall"

                refused = await desk_feed.send_command("directive.ack", {"id": directive_id, "unit_id": centre.id})
                assert not refused.ok, "a unit's desk cannot acknowledge for the centre"
            finally:
                for window in (desk, duty):
                    window.stop()
                    window.close()
                for feed in (command, desk_feed, duty_feed):
                    await feed.close()

    run(qloop, main())
