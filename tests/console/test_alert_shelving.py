"""Shelve… from the alerts panel against a real hub: the dialog sends `alert.shelve`, the shelf is
named under the list, later alerts of that key gather silently under a greyed shelf row, and a
refusal (a blank reason here, the hub's own there) stays in the dialog."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from backend_client.alerts import AlertBook, Group
from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.console.conftest import run, until_signal
from tests.hub.conftest import case_args
from views.alerts_panel import AlertsPanel
from views.models.case_cells import CENTRE_ZONE


def panel_on(feed: FeedConnection, store: CaseStore, qtbot: QtBot, tmp_path: Path, now: list[datetime],
             name: str) -> AlertsPanel:
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    panel = AlertsPanel(AlertBook(store), feed, settings=settings, now=lambda: now[0])
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_shelving_from_the_panel_silences_that_alert_on_this_desk_until_it_ends(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=lambda: now[0]) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            panel = panel_on(feed, store, qtbot, tmp_path, now, "duty")
            await feed.start()
            try:
                assert (await feed.send_command("case.create", case_args(hub))).ok
                now[0] += timedelta(days=30)  # its limits pass: orange, then red
                assert hub.hub.timekeeper is not None
                hub.hub.timekeeper.poke()
                book = panel.book
                await until_signal(panel.model.modelReset, lambda: any(
                    a.key == "step.red" for a in book.alerts.values()), "the step limit's red alert")
                row = panel.model.top_row_of(next(a.id for a in book.alerts.values() if a.key == "step.red"))
                panel.tree.setCurrentIndex(panel.model.index(row, 1))

                dialog = panel.open_shelve()
                assert dialog is not None and dialog.isVisible() and not dialog.isModal()
                assert dialog.what_box.currentText() == "red (step limit)"
                assert [dialog.what_box.itemText(i) for i in range(dialog.what_box.count())] == [
                    "red (step limit)", "every timer alert"]
                assert (dialog.minutes_box.minimum(), dialog.minutes_box.maximum()) == (5, 480)
                dialog.send_button.click()
                assert dialog.isVisible() and dialog.message.text() == "⚠ Say why the alert is shelved.", \
                    "a reason is required: nothing is sent without one"
                assert book.shelves == []
                dialog.minutes_box.setValue(90)
                dialog.reason_box.setText("暴雨，人员都在现场")
                dialog.send_button.click()
                assert dialog.message.text() == "Sending…"
                await until_signal(panel._drain_timer.timeout, lambda: bool(book.shelves) and not (
                    isValid(dialog) and dialog.isVisible()), "the hub's alert.shelved, the dialog closed")
                until = (now[0] + timedelta(minutes=90)).astimezone(CENTRE_ZONE).strftime("%H:%M")
                panel.refresh()
                assert panel.shelves_note.isVisible()
                assert panel.shelves_note.text() == (
                    f"Shelved on this desk: red (step limit) until {until} (duty-demo: 暴雨，人员都在现场)")

                assert (await feed.send_command("case.create", case_args(hub))).ok
                now[0] += timedelta(minutes=60)  # within the shelf: the second case's step limit runs out
                before = len(book.line_times)
                sounds: list[int] = []
                panel.sound.requested.connect(sounds.append)
                hub.hub.timekeeper.poke()
                await until_signal(panel.model.modelReset, lambda: any(
                    a.group is Group.SHELF and a.cases for a in book.alerts.values()), "the shelved alert")
                shelf_row = next(a for a in book.alerts.values() if a.group is Group.SHELF)
                row = panel.model.top_row_of(shelf_row.id)
                assert panel.model.index(row, 1).data() == (
                    f"Shelved by duty-demo until {until} (red (step limit)): 暴雨，人员都在现场 — 1 alerts held")
                assert not any(key == "step.red" for _, key in book.line_times[before:]), "no row of its own"
                assert 0 not in sounds, "no critical sound for a shelved alert"
            finally:
                panel.stop()
                await feed.close()

    run(qloop, main())


def test_the_hubs_refusal_stays_in_the_dialog_to_read(qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path) -> None:
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=lambda: now[0]) as hub:
            duty_store, wall_store = CaseStore(), CaseStore()
            duty = FeedConnection(hub.url, hub.token, duty_store)
            wall = FeedConnection(hub.url, hub.add_user("wall.1", Role.WALL), wall_store)
            panel = panel_on(wall, wall_store, qtbot, tmp_path, now, "wall")
            await duty.start()
            await wall.start()
            try:
                assert (await duty.send_command("case.create", case_args(hub))).ok
                now[0] += timedelta(days=30)
                assert hub.hub.timekeeper is not None
                hub.hub.timekeeper.poke()
                await until_signal(panel.model.modelReset, lambda: panel.model.rowCount() > 0, "an alert")
                panel.tree.setCurrentIndex(panel.model.index(0, 1))
                dialog = panel.open_shelve()
                assert dialog is not None
                dialog.reason_box.setText("test")
                dialog.send_button.click()
                await until_signal(panel._drain_timer.timeout, lambda: dialog.message.text().startswith(
                    "⚠ Refused by the hub: "), "the hub's refusal")
                assert dialog.isVisible() and dialog.send_button.isEnabled(), "open to read, and to try again"
                assert panel.book.shelves == []
            finally:
                panel.stop()
                await wall.close()
                await duty.close()

    run(qloop, main())


def test_a_console_opening_after_the_shelf_learns_of_it_from_the_snapshot(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    now = [datetime(2026, 11, 24, 1, 0, tzinfo=UTC)]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=lambda: now[0]) as hub:
            first = FeedConnection(hub.url, hub.token, CaseStore())
            await first.start()
            assert (await first.send_command("case.create", case_args(hub))).ok  # to register within 30 minutes
            assert (await first.send_command("alert.shelve", {"kind": "timer", "key": "step.red", "minutes": 480,
                                                               "reason": "交接班，稍后统一处理"})).ok
            await first.close()
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            panel = panel_on(feed, store, qtbot, tmp_path, now, "late")
            await feed.start()
            try:
                until = (now[0] + timedelta(minutes=480)).astimezone(CENTRE_ZONE).strftime("%H:%M")
                await until_signal(panel._drain_timer.timeout, lambda: panel.shelves_note.isVisible(),
                                   "the shelf made before this console connected")
                assert panel.shelves_note.text() == (
                    f"Shelved on this desk: red (step limit) until {until} (duty-demo: 交接班，稍后统一处理)")
                now[0] += timedelta(hours=2)  # the registration step runs out
                assert hub.hub.timekeeper is not None
                hub.hub.timekeeper.poke()
                book = panel.book
                await until_signal(panel.model.modelReset, lambda: any(
                    a.group is Group.SHELF and a.cases for a in book.alerts.values()), "the shelved alert")
                assert "step.red" not in [key for _, key in book.line_times], "no row of its own, no sound"
            finally:
                panel.stop()
                await feed.close()

    run(qloop, main())
