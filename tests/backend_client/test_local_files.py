"""Damaged, foreign or unwritable local files: a clear message, the file set aside, no crash."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from backend_client.outbox import Outbox
from backend_client.snapshot_cache import CachedState, SnapshotCache
from backend_client.store import CaseStore
from tests.store.store_helpers import case


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_new_outbox_starts(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    path.write_bytes(b"this is not SQLite at all\x00" * 100)
    outbox = Outbox(path)
    try:
        assert outbox.problem is not None and "could not be used" in outbox.problem
        assert outbox.moved_to is not None and outbox.moved_to.read_bytes().startswith(b"this is not SQLite")
        assert outbox.moved_to.name in outbox.problem
        assert outbox.path == path
        outbox.add("c1", "case.register", {"id": "x1"}, case_id="x1")
        assert [row.command_id for row in outbox.rows()] == ["c1"]
    finally:
        outbox.close()
    reopened = Outbox(path)  # the new file is a good one
    try:
        assert reopened.problem is None and [row.case_id for row in reopened.rows()] == ["x1"]
    finally:
        reopened.close()


def test_an_outbox_of_another_format_is_not_guessed_at(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE outbox (x)")
        db.execute("PRAGMA user_version=99")
    outbox = Outbox(path)
    try:
        assert outbox.problem is not None and "format 99" in outbox.problem
        assert outbox.moved_to is not None and outbox.moved_to.exists()
        assert outbox.rows() == []
    finally:
        outbox.close()


def test_an_unreadable_row_is_set_aside_and_the_others_still_go(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    outbox = Outbox(path)
    outbox.add("good-1", "case.register", {"id": "a"}, case_id="a")
    outbox.add("bad", "case.register", {"id": "b"}, case_id="b")
    outbox.add("good-2", "case.sign", {"id": "c"}, case_id="c")
    outbox.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE outbox SET args = ? WHERE command_id = 'bad'", (b"\xc1\xc1\xc1",))
    outbox = Outbox(path)
    try:
        assert [row.command_id for row in outbox.rows()] == ["good-1", "good-2"]
        assert outbox.problem is not None and "set aside" in outbox.problem
    finally:
        outbox.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT command_id FROM outbox_unreadable").fetchall() == [("bad",)]


def test_an_outbox_that_cannot_be_made_on_disk_works_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    outbox = Outbox(blocker / "outbox.sqlite")
    try:
        assert outbox.path is None
        assert outbox.problem is not None and "in memory" in outbox.problem
        outbox.add("c1", "case.register", {"id": "x"})
        assert len(outbox) == 1
    finally:
        outbox.close()


def test_a_damaged_cache_is_moved_aside_and_the_console_starts_empty(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.sqlite"
    cache = SnapshotCache(path)
    cache.save(CachedState("L", 7, 1000.0, [case(n) for n in range(1, 4)]))
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_cases SET cases = ?", (b"\x93\xc1",))
    cache = SnapshotCache(path)
    try:
        assert cache.load() is None
        assert cache.problem is not None and "moved to" in cache.problem
        assert list(tmp_path.glob("snapshot.sqlite.bad-*"))
        cache.save(CachedState("L", 8, 1001.0, [case(9)]))  # the new file takes the next save
        state = cache.load()
        assert state is not None and [c.id for c in state.cases] == [case(9).id]
    finally:
        cache.close()


def test_a_cache_from_a_console_with_another_case_shape_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.sqlite"
    cache = SnapshotCache(path)
    cache.save(CachedState("L", 7, 1000.0, [case(1)]))
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot SET schema_tag = 'older-console'")
    cache = SnapshotCache(path)
    try:
        assert cache.load() is None and cache.problem is None  # not damage: just not ours to read
    finally:
        cache.close()



def test_a_cache_that_cannot_be_made_on_disk_keeps_the_state_in_memory_for_this_run(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    cache = SnapshotCache(blocker / "snapshot.sqlite")
    try:
        assert cache.problem is not None and "in memory" in cache.problem
        cache.save(CachedState("L", 7, 1000.0, [case(n) for n in range(1, 4)]))
        state = cache.load()
        assert state is not None and state.cases == [case(n) for n in range(1, 4)] and state.last_seq == 7
    finally:
        cache.close()


def test_damaged_histories_leave_the_queue_shown_and_the_cases_without_history(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.sqlite"
    cache = SnapshotCache(path)
    cache.save(CachedState("L", 7, 1000.0, [case(n) for n in range(1, 4)]))
    cache.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_cases SET histories = ?", (b"\x93\xc1",))
    cache = SnapshotCache(path)
    store = CaseStore()
    try:
        assert cache.load_into(store, defer_history=True) is not None and len(store) == 3
        assert not asyncio.run(cache.restore_history(store))
        assert all(c.history == () for c in store.cases()) and len(store) == 3
    finally:
        cache.close()
