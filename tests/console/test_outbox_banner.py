"""Lasting problems of the workstation stay on screen until fixed: an outbox in memory (actions
would be lost on a restart), events the console could not read, errors of its own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from backend_client.connection import Unreadable
from backend_client.outbox import Outbox
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console import main_window
from console.main_window import MainWindow
from tests.console.test_main_window import FakeFeed


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """An outbox path whose folder cannot be made: a file stands where the folder should be."""
    (tmp_path / "state").write_text("not a folder")
    return tmp_path / "state" / "outbox.sqlite"


def _window(qtbot: QtBot, feed: FakeFeed) -> MainWindow:
    win = MainWindow(CaseStore(), feed, language="en")
    qtbot.addWidget(win)
    win.show()
    return win


def test_an_outbox_in_memory_shows_a_permanent_banner_until_its_file_works(
    qtbot: QtBot, blocked: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    outbox = Outbox(blocked)
    assert outbox.in_memory and outbox.problem
    outbox.add("c-1", "case.register", {"id": "C1", "version": 1}, case_id="C1")
    feed = FakeFeed()
    feed.outbox = outbox  # type: ignore[attr-defined]
    win = _window(qtbot, feed)
    feed.set(ConnectionState.LIVE)
    assert win.problems.isVisible() and win._banner_bar.isVisible()
    [text] = win.problems.texts()
    assert "not being saved" in text and "lost if the console closes" in text
    for _ in range(40):  # not a passing message: it outlives any timeout of the status bar
        win._tick()
    assert win.problems.texts() == [text]
    if os.environ.get("CC_SCREENSHOT_DIR"):
        win.grab().save(str(Path(os.environ["CC_SCREENSHOT_DIR"]) / "outbox-in-memory.png"))

    (tmp_path / "state").unlink()  # the folder can be made again: the next try moves the commands to disk
    monkeypatch.setattr(main_window, "OUTBOX_RETRY_S", 0.0)
    win._tick()
    assert not outbox.in_memory
    assert [row.command_id for row in outbox.rows()] == ["c-1"]
    assert Outbox(blocked).rows()[0].command_id == "c-1"  # on disk: it survives a restart now
    assert win.problems.texts() == [] and not win.problems.isVisible()
    assert not win._banner_bar.isVisible()
    outbox.close()


def test_a_refused_write_is_shown_until_the_hub_answers_that_command(qtbot: QtBot, tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite")
    feed = FakeFeed()
    feed.outbox = outbox  # type: ignore[attr-defined]
    win = _window(qtbot, feed)
    outbox._unsaved.add("c-9")  # as `add` does when the disk refuses the row
    win._tick()
    [text] = win.problems.texts()
    assert "could not be saved" in text
    outbox.remove("c-9")
    win._tick()
    assert win.problems.texts() == []
    outbox.close()


def test_unreadable_events_and_console_errors_are_shown(qtbot: QtBot) -> None:
    feed = FakeFeed()
    win = _window(qtbot, feed)
    feed.set(ConnectionState.LIVE, unreadable=Unreadable(3, "case.updated", 1042, "Expected `int`"),
             faults=2, last_fault="ZeroDivisionError: boom")
    [text] = win.problems.texts()
    assert "3 event(s)" in text and "case.updated" in text and "1042" in text and "update" in text
    assert win.status.faults_label.isVisible()
    assert win.status.faults_label.text() == "⚠ Console errors: 2"
    assert win.status.faults_label.toolTip() == "ZeroDivisionError: boom"


def test_the_feed_banner_says_a_console_error_cost_the_connection(qtbot: QtBot) -> None:
    from backend_client.feed_health import FeedCondition, FeedHealth

    class Feed(FakeFeed):
        def health(self) -> FeedHealth:
            return FeedHealth(FeedCondition.DOWN, 3.0, fault="ZeroDivisionError: boom")

    win = _window(qtbot, Feed())
    win._tick()
    assert win.banner.kind == "down"
    assert "after an error in this console: ZeroDivisionError: boom" in win.banner.text()
