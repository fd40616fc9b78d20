"""The intake desk against a real hub on loopback: a call typed at the keyboard becomes a case.

Pinyin search, create, create-register-dispatch in one key, similar cases and merge, a call
taken while the hub is away (outbox, real `received_at`), and bad input that sends nothing.
"""

from __future__ import annotations

import contextlib
import doctest
import socket
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.outbox import Outbox
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from protocol import CaseStatus, Role
from tests.console.conftest import run, until_called, until_signal
from tests.console.test_never_lose_an_action import duty_account
from views.intake import IntakeDesk, catalog, place, similar
from views.intake.catalog import entries_from_result, search

POINT = (121.4132, 31.0181)
"""江川路街道, grid G12141-3101."""
LITTER_BIN = "03005"
"""垃圾箱异常: the city-appearance bureau's by law (rule R-LH-1)."""


@contextlib.asynccontextmanager
async def desk_on(hub: EmbeddedHub, qtbot: QtBot, token: str | None = None, outbox: Outbox | None = None,
                  language: str = "en", clock: Callable[[], float] | None = None
                  ) -> AsyncIterator[tuple[FeedConnection, IntakeDesk]]:
    store = CaseStore()
    feed = FeedConnection(hub.url, token or hub.token, store, outbox=outbox, backoff_base_s=0.05,
                          backoff_cap_s=0.3)
    desk = IntakeDesk(store, feed, language=language, clock=clock)
    qtbot.addWidget(desk)
    desk.resize(1100, 720)
    desk.show()
    await feed.start()
    try:
        await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "the feed is live")
        await until_signal(desk.refreshed, lambda: desk.catalog_from_hub, "the hub's categories")
        yield feed, desk
    finally:
        desk.stop()
        await feed.close()


async def fill(desk: IntakeDesk, *, category: str = "ljt", where: tuple[float, float] | None = POINT,
               phone: str = "138 0013 5678", text: str = "小区门口垃圾桶被撞坏，垃圾散落一地") -> None:
    """Type a call as an operator would; place it by a map click (unless `where` is None)."""
    QTest.keyClicks(desk.fields.phone, phone)
    QTest.keyClicks(desk.fields.category.line, category)
    QTest.keyClick(desk.fields.category.line, Qt.Key.Key_Return)
    QTest.keyClicks(desk.fields.address, "Yongde Road 188")  # keyClicks types Latin letters only
    desk.fields.description.setPlainText(text)
    if where is not None:
        desk.place_at(*where)
        await until_signal(desk.refreshed, lambda: desk.place is not None, "the call placed")


async def answer(desk: IntakeDesk, keys: str) -> tuple[str, bool, str]:
    """Press `keys` on the desk and wait for what the hub said to the whole chain."""
    answers: list[tuple[str, bool, str]] = []
    desk.answered.connect(lambda *a: answers.append(a))
    QTest.keyClick(desk.fields.description, Qt.Key.Key_Return, _modifiers(keys))
    await until_signal(desk.answered, lambda: bool(answers), f"the hub's answer to {keys}")
    return answers[0]


def _modifiers(keys: str) -> Qt.KeyboardModifier:
    mods = Qt.KeyboardModifier.ControlModifier
    if "Shift" in keys:
        mods |= Qt.KeyboardModifier.ShiftModifier
    return mods


class CallClock:
    """The desk's clock: the call starts `minutes` ago; `now()` moves it to the present (the hub's own clock)."""

    def __init__(self, minutes: float) -> None:
        self.at = time.time() - minutes * 60

    def __call__(self) -> float:
        return self.at

    def now(self) -> None:
        self.at = time.time()


def test_pinyin_initials_find_the_litter_bin_in_the_hubs_catalogue(qloop: qasync.QEventLoop, qtbot: QtBot,
                                                                    tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot) as (feed, desk):
            found = search(desk.fields.category.entries, "ljt")
            assert found and found[0].code == LITTER_BIN and found[0].name_zh == "垃圾箱异常"
            QTest.keyClicks(desk.fields.category.line, "ljt")
            first = desk.fields.category.matches.item(0)
            assert first is not None and first.text().startswith("03005  litter bin")
            QTest.keyClick(desk.fields.category.line, Qt.Key.Key_Return)
            assert desk.fields.category.code == LITTER_BIN
            result = await feed.send_command("case.categories", {})
            assert result.result is not None
            by_code = {e.code: e for e in entries_from_result(result.result)}
            assert search(by_code.values(), "06028")[0].name_zh == "噪声扰民"
            assert search(by_code.values(), "zsrm")[0].code == "06028"
            assert search(by_code.values(), "noise")[0].code == "06028"

    run(qloop, main())


def test_a_filled_form_creates_the_case_with_its_fields_and_the_time_the_call_started(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        clock = CallClock(minutes=3)
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot, clock=clock) as (_feed, desk):
            await fill(desk)
            desk.fields.urgent.setChecked(True)
            clock.now()
            started = desk.started_at
            assert started is not None
            place = desk.place
            assert place is not None and place.grid_id == "G12141-3101" and place.committee_name
            mode, ok, text = await answer(desk, "Ctrl+Enter")
            assert (mode, ok) == ("create", True), text
            case = next(iter(hub.hub.writer.cases.values()))
            assert case.status is CaseStatus.RECEIVED and case.category_code == LITTER_BIN
            assert (case.street_code, case.committee_code, case.grid_id) == (
                place.street_code, place.committee_code, place.grid_id)
            assert case.requester_phone == "138 0013 5678" and case.urgent
            assert case.address == "Yongde Road 188" and case.description.startswith("小区门口")
            assert case.received_at == started and (datetime.now(UTC) - started).total_seconds() > 170
            assert case.serial in text and desk.fields.blank(), "the form is ready for the next call"

    run(qloop, main())


def test_one_key_creates_registers_and_dispatches_to_the_suggested_unit(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot) as (_feed, desk):
            await fill(desk)
            await until_signal(desk.refreshed, lambda: desk.routing is not None, "the suggested unit")
            assert desk.routing is not None and desk.routing.unit_id == "B-LH"
            assert "R-LH-1" in desk.suggestion.text() and "区绿化和市容管理局" in desk.dispatch_button.text()
            mode, ok, text = await answer(desk, "Ctrl+Shift+Enter")  # one keystroke from the filled form
            assert (mode, ok) == ("dispatch", True), text
            case = next(iter(hub.hub.writer.cases.values()))
            assert case.status is CaseStatus.DISPATCHED and case.unit_id == "B-LH"
            assert case.basis is not None and case.basis.value == "law"
            assert [t.action for t in case.history] == ["register", "dispatch"]

    run(qloop, main())


def test_similar_open_cases_show_for_the_same_grid_and_category_and_the_call_merges_into_one(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot) as (feed, desk):
            earlier = await feed.send_command("case.create", {
                "channel": "grid_patrol", "category_code": LITTER_BIN, "street_code": "310112001",
                "description": "垃圾箱破损", "address": "永德路口", "lon": POINT[0] + 0.004, "lat": POINT[1] + 0.0005})
            other = await feed.send_command("case.create", {
                "channel": "app", "category_code": "06028", "street_code": "310112001",
                "description": "噪声", "lon": POINT[0], "lat": POINT[1]})
            assert earlier.ok and other.ok and earlier.result is not None
            target = str(earlier.result["id"])
            await fill(desk)
            await until_signal(desk.refreshed, lambda: [s.case.id for s in desk.similar] == [target],
                               "the earlier case as the only similar one")
            assert desk.similar[0].same_grid and not desk.similar[0].same_address
            assert desk.similar_list.buttons[0].text() == "Merge into this (Ctrl+1)"
            answers: list[tuple[str, bool, str]] = []
            desk.answered.connect(lambda *a: answers.append(a))
            QTest.keyClick(desk.fields.description, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
            await until_signal(desk.answered, lambda: bool(answers), "the merge")
            mode, ok, text = answers[0]
            assert (mode, ok) == ("merge", True), text
            merged = next(c for c in hub.hub.writer.cases.values() if c.description.startswith("小区门口"))
            assert merged.status is CaseStatus.MERGED and merged.duplicate_of == target
            assert hub.hub.writer.cases[target].status is CaseStatus.RECEIVED

    run(qloop, main())


def test_bad_input_says_what_to_fix_and_sends_nothing(qloop: qasync.QEventLoop, qtbot: QtBot,
                                                       tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot) as (feed, desk):
            head = hub.hub.head_seq
            await fill(desk, category="zzzz", where=None)
            assert not desk.submit("create")
            assert "Choose a category" in desk.message.text()
            desk.fields.category.choose(LITTER_BIN)
            assert not desk.submit("dispatch")
            assert "Place the call" in desk.message.text()
            desk.fields.phone.setText("call me")
            desk.place_at(*POINT)
            await until_signal(desk.refreshed, lambda: desk.place is not None, "the call placed")
            assert not desk.submit("create")
            assert "phone number" in desk.message.text()
            desk.place_at(120.0, 30.0)  # far outside the district
            await until_signal(desk.refreshed, lambda: desk.place is None, "the point refused")
            assert "outside" in desk.message.text()
            assert feed.pending_commands == 0 and hub.hub.head_seq == head

    run(qloop, main())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_call_taken_while_the_hub_is_away_waits_in_the_outbox_with_its_time_and_lands_after(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    token = duty_account(db)
    port = free_port()
    outbox = Outbox(tmp_path / "outbox.sqlite")

    async def main() -> None:
        hub = EmbeddedHub(db, simulate=False, make_account=False, port=port)
        await hub.__aenter__()
        clock = CallClock(minutes=2)
        async with desk_on(hub, qtbot, token=token, outbox=outbox, clock=clock) as (feed, desk):
            await hub.__aexit__(None, None, None)
            await until_called(feed.add_listener, lambda: feed.state is not ConnectionState.LIVE, "the hub gone")
            await fill(desk)
            place, started = desk.place, desk.started_at
            assert place is not None and not place.from_hub and place.street_code == "310112001"
            assert started is not None
            answers: list[tuple[str, bool, str]] = []
            desk.answered.connect(lambda *a: answers.append(a))
            clock.now()
            assert desk.submit("dispatch")
            assert desk.fields.blank() and "outbox" in desk.message.text(), "the next call can be taken"
            await until_signal(desk.refreshed, lambda: bool(outbox.rows()), "the call in the outbox")
            rows = [r for r in outbox.rows() if r.name == "case.create"]
            assert len(rows) == 1 and datetime.fromisoformat(rows[0].args["received_at"]) == started
            back = EmbeddedHub(db, simulate=False, make_account=False, port=port)
            async with back:
                await until_signal(desk.answered, lambda: bool(answers), "the call landing", timeout=60)
                mode, ok, text = answers[0]
                assert (mode, ok) == ("dispatch", True), text
                case = next(iter(back.hub.writer.cases.values()))
                assert case.received_at == started and case.status is CaseStatus.DISPATCHED
                assert case.unit_id == "B-LH" and case.grid_id == "G12141-3101"
                assert not outbox.rows()

    run(qloop, main(), timeout=120)


def test_a_role_that_may_not_see_phones_types_one_starred(qloop: qasync.QEventLoop, qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot, token=hub.add_user("admin-1", Role.ADMIN)) as (_feed, desk):
            assert desk.fields.phone.echoMode() is desk.fields.phone.EchoMode.PasswordEchoOnEdit

    run(qloop, main())


def test_f2_opens_the_intake_dock_of_the_duty_window_and_file_has_its_entry(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = MainWindow(store, feed, language="en")
            qtbot.addWidget(window)
            window.show()
            dock = window.intake_dock
            assert dock.objectName() == "dock.intake" and dock.isHidden()
            action = window.findChild(QAction, "action.intake")
            assert action is not None and action.shortcut().toString() == "F2"
            assert action in window.menus.quit.parent().actions()  # type: ignore[union-attr]
            action.trigger()
            assert dock.isVisible()
            window.stop()
            await feed.close()

    run(qloop, main())


@pytest.mark.parametrize("module", [catalog, similar, place], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
