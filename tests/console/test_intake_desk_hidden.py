"""A hidden intake desk (the duty window's dock until F2) does not scan the store; shown, it catches up."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from tests.store.store_helpers import case
from views.intake import IntakeDesk


def test_a_hidden_desk_learns_the_addresses_and_the_catalogue_when_it_is_shown(qtbot: QtBot) -> None:
    store = CaseStore()
    store.begin_snapshot(5)
    store.add_snapshot_items([case(n, address=f"沪闵路{n}号", lon=121.4 + n / 1000) for n in range(3)])
    store.end_snapshot(5)
    desk = IntakeDesk(store, FeedConnection("ws://127.0.0.1:9/feed", "t", store))
    qtbot.addWidget(desk)
    completions = desk.completer.model()
    desk.refresh()
    assert completions.rowCount() == 0 and not desk.fields.category.entries  # hidden: nothing scanned
    desk.show()
    assert sorted(completions.stringList()) == ["沪闵路0号", "沪闵路1号", "沪闵路2号"]  # type: ignore[attr-defined]
    assert {entry.code for entry in desk.fields.category.entries} == {"0000", "0001", "0002"}
    assert desk.fields.category.entries[0].initials == "zy"  # 噪音, through pypinyin
    store.begin_snapshot(6)  # while shown, each refresh sees what changed
    store.add_snapshot_items([case(7, address="莘庄镇1号")])
    store.end_snapshot(6)
    desk.refresh()
    assert completions.stringList() == ["莘庄镇1号"]  # type: ignore[attr-defined]
    desk.stop()
