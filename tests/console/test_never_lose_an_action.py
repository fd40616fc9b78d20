"""The console when the hub goes away: actions wait in the outbox, the queue says so, nothing is lost.

Real hubs in child processes (`HubProcess`), stopped and started again on the same database
and port. The test's account is made in the database before the first start, so its token
survives the hub's restarts (the demo account is re-keyed on every start).
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.hub_process import HubProcess
from backend_client.outbox import Outbox
from backend_client.session import ConnectionState
from backend_client.snapshot_cache import CachedState, SnapshotCache
from backend_client.store import CaseStore
from console.app import serve
from console.main_window import MainWindow
from hub import auth
from hub.db import database
from hub.directory import Directory
from protocol import Role
from tests.console.conftest import WAIT_S, run, until_called, until_signal
from tests.hub.conftest import CASE_ARGS
from tests.store.store_helpers import case
from views.models.case_table_model import STATUS_COLUMN, CaseTableModel
from widgets.theme import color

TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
HUB_BACK_S = 4 * WAIT_S
"""A hub that was down a while is found again after the connection's backoff (up to 30 s)."""


@dataclass
class Args:
    hub_url: str | None
    token: str | None
    data_dir: str
    lang: str = "en"
    db: str | None = None
    rate: float = 1.0


def duty_account(db: str) -> str:
    """A duty account made before the hub first starts; its token outlives the hub's restarts."""
    engine = database.open_engine(db)
    try:
        database.prepare(engine)
        return auth.add_user(engine, "duty-test", Role.DUTY)
    finally:
        engine.dispose()


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


def new_case_args() -> dict[str, object]:
    return {**CASE_ARGS, "category_code": next(iter(Directory.load().categories)), "description": "井盖缺失"}


def status_cell(model: CaseTableModel, case_id: str) -> tuple[str, str | None]:
    index = model.index(model.row_of(case_id), STATUS_COLUMN)
    return index.data(), index.data(TOOLTIP)


def hub_events(hub_db: Path, case_id: str) -> list[str]:
    with sqlite3.connect(hub_db) as db:
        return [row[0] for row in db.execute("SELECT type FROM events WHERE case_id = ? ORDER BY seq", (case_id,))]


def visible_window(other_than: MainWindow | None = None) -> MainWindow:
    windows = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w.isVisible() and w is not other_than]
    assert len(windows) == 1, windows
    return windows[0]


def test_an_action_given_while_the_hub_is_down_waits_marked_and_goes_out_once_when_it_is_back(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    hub_db = tmp_path / "hub.db"
    db = f"sqlite:///{hub_db}"
    token = duty_account(db)
    box = tmp_path / "outbox.sqlite"

    async def main() -> None:
        hub = HubProcess(db, simulate=False)
        await hub.__aenter__()
        port = port_of(hub.url)
        store = CaseStore()
        feed = FeedConnection(hub.url, token, store, outbox=Outbox(box))
        window = MainWindow(store, feed, language="en")
        qtbot.addWidget(window)
        window.show()
        model, banner = window.model, window.banner
        await feed.start()
        try:
            await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
            await until_signal(banner.state_changed, lambda: banner.kind is None, "no banner while live")
            assert not banner.isVisible()
            created = await feed.send_command("case.create", new_case_args())
            assert created.ok and created.result is not None, created.error
            case_id = str(created.result["id"])
            await until_signal(model.applied, lambda: model.row_of(case_id) >= 0, "the new case's row")

            await hub.__aexit__(None, None, None)
            await until_signal(banner.state_changed, lambda: banner.kind == "down", "the banner: feed down")
            assert re.fullmatch(r"Feed down — data is \d+ s old, reconnecting", banner.text()), banner.text()
            assert banner.isVisible()

            given = asyncio.ensure_future(feed.send_command("case.register", {"id": case_id, "version": 1}))
            await until_signal(model.dataChanged, lambda: status_cell(model, case_id)[0] == "Received  ⧗ sending",
                               "the pending mark on the row")
            assert status_cell(model, case_id)[1] == "Not yet confirmed by the hub: register"
            await until_signal(banner.state_changed, lambda: banner.text().endswith("· 1 action waiting to be sent"),
                               "the banner counts the waiting action")
            with sqlite3.connect(box) as outbox_file:
                assert outbox_file.execute("SELECT name, case_id FROM outbox").fetchall() == [
                    ("case.register", case_id)]

            async with HubProcess(db, simulate=False, port=port):
                result = await asyncio.wait_for(given, HUB_BACK_S)
                assert result.ok, result.error
                await until_signal(model.dataChanged, lambda: status_cell(model, case_id)[0] == "Registered",
                                   "the row shows the hub's new status, unmarked")
                await until_signal(banner.state_changed, lambda: banner.kind is None, "the banner gone when live")
                assert not banner.isVisible()
                with sqlite3.connect(box) as outbox_file:
                    assert outbox_file.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
        finally:
            window.close()
            await feed.close()
        assert hub_events(hub_db, case_id) == ["case.created", "case.updated"]  # the register, once

    run(qloop, main(), timeout=4 * HUB_BACK_S)


def test_a_restarted_console_shows_its_cache_at_once_and_sends_what_it_could_not(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    hub_db = tmp_path / "hub.db"
    db = f"sqlite:///{hub_db}"
    token = duty_account(db)

    async def main() -> None:
        hub = HubProcess(db, simulate=False)
        await hub.__aenter__()
        url = hub.url
        args = Args(hub_url=url, token=token, data_dir=str(tmp_path / "console-data"))

        shown = asyncio.Event()
        first_run = asyncio.ensure_future(serve(args, shown=shown))
        await asyncio.wait_for(shown.wait(), WAIT_S)
        first = visible_window()
        feed = first.feed
        assert isinstance(feed, FeedConnection)
        await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
        created = await feed.send_command("case.create", new_case_args())
        assert created.result is not None
        case_id = str(created.result["id"])
        await until_signal(first.model.applied, lambda: first.model.row_of(case_id) >= 0, "the row")
        await hub.__aexit__(None, None, None)
        await until_signal(first.banner.state_changed, lambda: first.banner.kind == "down", "feed down")
        unsent = asyncio.ensure_future(feed.send_command("case.register", {"id": case_id, "version": 1}))
        await until_signal(first.model.dataChanged, lambda: status_cell(first.model, case_id)[0].endswith("sending"),
                           "the pending mark")
        first.close()  # the operator quits with the action unsent and the hub still down
        assert await asyncio.wait_for(first_run, WAIT_S) == 0
        assert unsent.cancelled() or unsent.done()  # its caller is gone; the outbox still holds it

        shown = asyncio.Event()
        second_run = asyncio.ensure_future(serve(args, shown=shown))
        await asyncio.wait_for(shown.wait(), WAIT_S)
        second = visible_window(other_than=first)
        model, banner = second.model, second.banner
        # at once, before any hub: the cached queue, marked stale, with the unsent action on its row
        assert model.rowCount() == 1 and model.case_id(0) == case_id
        assert status_cell(model, case_id)[0] == "Received  ⧗ sending"
        assert banner.kind == "cached" and banner.isVisible()
        assert re.fullmatch(r"Showing cached data from \d\d:\d\d, not yet confirmed by the hub"
                            r" · 1 action waiting to be sent", banner.text()), banner.text()

        async with HubProcess(db, simulate=False, port=port_of(url)):
            await until_signal(model.dataChanged, lambda: status_cell(model, case_id)[0] == "Registered",
                               "the action applied after the restart")
            await until_signal(banner.state_changed, lambda: banner.kind is None, "no banner once caught up",
                               timeout=HUB_BACK_S)
            second.close()
            assert await asyncio.wait_for(second_run, WAIT_S) == 0
        assert hub_events(hub_db, case_id) == ["case.created", "case.updated"]

    run(qloop, main(), timeout=4 * HUB_BACK_S)


def test_a_refused_action_shows_the_hubs_words_on_its_row(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = duty_account(db)

    async def main() -> None:
        async with HubProcess(db, simulate=False) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, token, store, outbox=Outbox(tmp_path / "outbox.sqlite"))
            window = MainWindow(store, feed, language="en")
            qtbot.addWidget(window)
            model = window.model
            tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                created = await feed.send_command("case.create", new_case_args())
                assert created.result is not None
                case_id = str(created.result["id"])
                assert (await feed.send_command("case.register", {"id": case_id, "version": 1})).ok
                late = await feed.send_command("case.register", {"id": case_id, "version": 1})  # a stale view
                assert not late.ok and late.error is not None
                await until_signal(model.dataChanged, lambda: status_cell(model, case_id)[0] == "Registered  ⚠ refused",
                                   "the refused mark")
                tip = status_cell(model, case_id)[1]
                assert tip == f"The hub refused register (someone acted first): {late.error.message}"
                assert "someone acted first" in tip
                brush = model.index(model.row_of(case_id), STATUS_COLUMN).data(FOREGROUND)
                assert brush.color() == color("danger")

                feed.commands.dismiss(case_id)  # the operator has read it
                await until_signal(model.dataChanged, lambda: status_cell(model, case_id)[0] == "Registered",
                                   "the mark gone once dismissed")
            finally:
                window.close()
                await feed.close()
                del tester

    run(qloop, main())


def test_a_hub_that_goes_silent_is_shown_and_the_banner_goes_when_it_answers_again(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = duty_account(db)

    async def main() -> None:
        async with HubProcess(db, simulate=False) as hub:
            assert hub.pid is not None
            store = CaseStore()
            feed = FeedConnection(hub.url, token, store, heartbeat_s=0.2, silent_after_s=1.0)
            window = MainWindow(store, feed, language="en")
            qtbot.addWidget(window)
            banner = window.banner
            await feed.start()
            frozen = False
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                os.kill(hub.pid, signal.SIGSTOP)  # the hub hangs: its socket stays open, nothing answers
                frozen = True
                await until_signal(banner.state_changed, lambda: banner.kind == "silent", "the silent banner")
                assert re.fullmatch(r"Hub not responding — data is \d+ s old", banner.text()), banner.text()
                assert feed.lagging
                os.kill(hub.pid, signal.SIGCONT)
                frozen = False
                await until_signal(banner.state_changed, lambda: banner.kind is None, "the banner gone")
                assert not feed.lagging and feed.state is ConnectionState.LIVE
            finally:
                if frozen:
                    os.kill(hub.pid, signal.SIGCONT)
                window.close()
                await feed.close()

    run(qloop, main())


def test_a_cold_start_from_the_cache_fills_the_queue_at_once_marked_stale(qtbot: QtBot, tmp_path: Path) -> None:
    cases = [case(n, due_h=n % 48 + 1) for n in range(1, 2001)]
    as_of = datetime(2025, 1, 2, 14, 3, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    cache = SnapshotCache(tmp_path / "snapshot.sqlite")
    cache.save(CachedState("log-1", 4321, as_of, cases))
    cache.close()

    store = CaseStore()
    cache = SnapshotCache(tmp_path / "snapshot.sqlite")
    info = cache.load_into(store)
    cache.close()
    assert info is not None
    feed = FeedConnection("ws://127.0.0.1:9/feed", "t", store)  # not started: no hub yet
    feed.mark_cached(info.as_of)
    window = MainWindow(store, feed, language="en")
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 2000
    assert [window.model.case_id(r) for r in range(5)] == store.ids_in_order()[:5]
    assert window.banner.isVisible() and window.banner.kind == "cached"
    assert window.banner.text() == "Showing cached data from 01-02 14:03, not yet confirmed by the hub"
    assert store.last_seq == 4321 and store.log_id == "log-1"  # the connection will resume from here
