"""The shift handover in two duty windows on a real hub: the outgoing officer's form gathers a red
case and an unacknowledged alert and sends them; the incoming officer's window shows the items and
acknowledges them; the acknowledgement reaches the first window on the feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from protocol import HandoverItemKind, Role
from tests.console.conftest import run, until_called, until_signal
from tests.hub.conftest import case_args


def window_on(store: CaseStore, feed: FeedConnection, qtbot: QtBot, tmp_path: Path, name: str) -> MainWindow:
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, feed, language="en", settings=settings)
    qtbot.addWidget(window)
    window.show()
    return window


def shown(window: MainWindow) -> bool:
    """The window's handover hook has drawn what its store's shift book holds."""
    return window.handover._seen == window.store.shift.version


def test_a_shift_is_handed_over_with_its_open_items_and_taken_over_in_another_window(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=lambda: now[0]) as hub:
            store_out, store_in = CaseStore(), CaseStore()
            feed_out = FeedConnection(hub.url, hub.token, store_out)
            feed_in = FeedConnection(hub.url, hub.add_user("zhang.qiang", Role.DUTY), store_in)
            outgoing = window_on(store_out, feed_out, qtbot, tmp_path, "out")
            incoming = window_on(store_in, feed_in, qtbot, tmp_path, "in")
            await feed_out.start()
            await feed_in.start()
            try:
                for feed in (feed_out, feed_in):
                    await until_called(feed.add_listener, lambda f=feed: f.state is ConnectionState.LIVE, "live")
                # urgent: under the alarm rules an urgent case turning red alerts the centre's desk at once
                created = await feed_out.send_command("case.create", {**case_args(hub), "urgent": True})
                assert created.ok and created.result is not None
                case_id = created.result["id"]
                now[0] += timedelta(days=30)  # the case's limits pass: orange, then red
                assert hub.hub.timekeeper is not None
                hub.hub.timekeeper.poke()
                hook = outgoing.handover
                await until_signal(hook.timer.timeout, lambda: any(
                    a.key == "overall.red" and not a.acked for a in outgoing.alert_book.alerts.values()),
                    "the red alert, unacknowledged, in the outgoing window")
                assert hook.hand_over.isEnabled() and "Shift" in hook.menu.title().replace("&", "")

                dialog = hook.open_handover()
                assert dialog.isVisible() and not dialog.isModal()
                kinds = {(i.kind, i.ref) for i in dialog.items}
                assert (HandoverItemKind.RED_CASE, case_id) in kinds
                alerts = [i for i in dialog.items if i.kind is HandoverItemKind.ALERT]
                assert any("turned red" in i.text for i in alerts) and all(i.sent for i in alerts)
                assert dialog.tree.topLevelItemCount() == len(dialog.items)
                assert "1 overdue" in dialog.summary.text()
                dialog.to_box.setText("zhang.qiang")
                dialog.note_box.setPlainText("台风预警，注意积水点")
                assert dialog.submit()
                await until_signal(incoming.handover.timer.timeout,
                                   lambda: store_in.shift.latest() is not None and shown(incoming),
                                   "the handover in the incoming window")
                handover = store_in.shift.latest()
                assert handover is not None and handover.by == "duty-demo" and handover.to == "zhang.qiang"
                assert (HandoverItemKind.RED_CASE, case_id) in {(i.kind, i.ref) for i in handover.items}
                assert len(handover.items) == len(dialog.items)
                assert "Shift handed over by duty-demo" in incoming.statusBar().currentMessage()
                assert f"Handover {handover.id}" in incoming.handover.label.text()

                panel = incoming.handover.panel  # opened by itself: a handover for this desk arrived
                assert panel is not None and panel.isVisible(), "the take-over panel opens when the handover comes"
                assert outgoing.handover.panel is None, "not on the desk that handed over"
                assert incoming.handover.open_takeover() is panel
                assert panel.tree.topLevelItemCount() == len(handover.items)
                assert "Handed over by duty-demo" in panel.header.text()
                first = panel.tree.topLevelItem(0)
                assert first is not None and first.text(2) == "Open"
                first.setSelected(True)
                assert panel.ack_button.isEnabled()
                assert panel.acknowledge_selected()
                await until_signal(outgoing.handover.timer.timeout, lambda: (h := store_out.shift.latest()) is not None
                                   and h.items[0].acknowledged_by == "zhang.qiang" and shown(outgoing),
                                   "the first item's acknowledgement, on the outgoing window's feed")
                assert "zhang.qiang acknowledged 1 handover items" in outgoing.statusBar().currentMessage()
                await until_signal(incoming.handover.timer.timeout,
                                   lambda: (panel.tree.topLevelItem(0) or first).text(2).startswith("Acknowledged by"),
                                   "the panel shows the item acknowledged")
                assert panel.acknowledge_all()
                await until_signal(outgoing.handover.timer.timeout, lambda: (h := store_out.shift.latest()) is not None
                                   and h.acknowledged_by == "zhang.qiang" and shown(outgoing), "the shift taken over")
                assert "Shift taken over by zhang.qiang" in outgoing.statusBar().currentMessage()
                assert "Taken over by zhang.qiang" in outgoing.handover.label.text()
                await until_signal(incoming.handover.timer.timeout, lambda: not panel.ack_all_button.isEnabled(),
                                   "nothing left to acknowledge")
            finally:
                for window in (outgoing, incoming):
                    window.handover.stop()
                    window.stop()
                await feed_out.close()
                await feed_in.close()

    run(qloop, main())


def test_a_rota_change_is_shown_in_the_status_bar(qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.add_user("chief", Role.COMMANDER), store)
            window = window_on(store, feed, qtbot, tmp_path, "chief")
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                assert (await feed.send_command("rota.assign", {"date": "2026-11-25", "front_desk_unit_id": "M-GD",
                                                                "staff": ["王伟"]})).ok
                await until_signal(window.handover.timer.timeout,
                                   lambda: "2026-11-25" in store.shift.rota and shown(window), "the rota day shown")
                message = window.statusBar().currentMessage()
                assert message.startswith("Rota changed: On duty 2026-11-25: front desk ") and "王伟" in message
            finally:
                window.handover.stop()
                window.stop()
                await feed.close()

    run(qloop, main())
