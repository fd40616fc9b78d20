"""The snapshot cache's saved queue masks and keys: taken when they fit, made again when they do not.

A start from the cache must show the queue computed from the cases, whatever the file holds beside them.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import nullcontext
from pathlib import Path

import msgspec
import pytest

from backend_client.snapshot_cache import CachedState, SnapshotCache
from backend_client.store import CaseFilter, CaseStore, Queue, UnitScope, recount
from backend_client.store import prepared as prepared_module
from protocol import Case, CaseStatus
from protocol.enums import SlaLevel
from protocol.events import Trace
from tests.store.store_helpers import T0, case

STATUSES = (CaseStatus.RECEIVED, CaseStatus.REGISTERED, CaseStatus.DISPATCHED, CaseStatus.HANDLING,
            CaseStatus.FEEDBACK, CaseStatus.CLOSED)
LEVELS = (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED)


def cases(count: int = 160, shift: int = 0) -> list[Case]:
    """Cases in every queue, their levels and deadlines mixed (`shift` gives the same ids other states)."""
    return [case(n, status=STATUSES[(n + shift) % len(STATUSES)], level=LEVELS[(n * 7 + shift) % 4],
                 due_h=1 + (n * 37 + shift * 11) % 90, unit_id="u-green" if n % 3 else "u-blue",
                 requester_phone="13800138000" if n % 2 else None,
                 history=(Trace(at=T0, actor="hotline", action="create", status=CaseStatus.RECEIVED),) * (n % 3))
            for n in range(count)]


def computed(held: list[Case]) -> CaseStore:
    """What a store shows for these cases when it makes every mask and key itself (a snapshot from a hub)."""
    store = CaseStore()
    store.set_view(CaseFilter())
    store.begin_snapshot(9)
    store.add_snapshot_items([msgspec.structs.replace(c, history=()) for c in held])
    store.end_snapshot(9)
    return store


def started(path: Path) -> CaseStore:
    """A store filled from the cache as a console's start does it (the opening queue set first)."""
    store = CaseStore()
    store.set_view(CaseFilter())
    cache = SnapshotCache(path)
    assert cache.load_into(store, defer_history=True) is not None
    assert asyncio.run(cache.restore_history(store))
    cache.close()
    return store


def assert_shows(store: CaseStore, held: list[Case]) -> None:
    expected = computed(held)
    assert store.ids_in_order() == expected.ids_in_order()
    assert store.queue_counts() == expected.queue_counts() == recount(held)
    assert [store.get(c.id) for c in held] == held


def assert_made_again(path: Path, held: list[Case],
                      caplog: pytest.LogCaptureFixture | None = None, logged: str = "") -> None:
    """A start from `path` makes every case's mask again (saying why, where `logged` is given) and shows the
    queue the cases give."""
    with caplog.at_level(logging.INFO, logger="backend_client.snapshot_cache") if caplog else nullcontext():
        store = started(path)
    assert store.masks_made == len(held)
    if caplog is not None:
        assert logged in caplog.text
    assert_shows(store, held)


def save(path: Path, held: list[Case], scope: UnitScope | None = None) -> None:
    cache = SnapshotCache(path)
    cache.save(CachedState("L", 9, 1000.0, held, scope=scope))
    cache.close()


def test_a_start_takes_the_saved_masks_and_keys_and_shows_the_queue_the_cases_give(tmp_path: Path) -> None:
    held = cases()
    save(tmp_path / "c.sqlite", held)
    store = CaseStore()
    store.set_view(CaseFilter())
    cache = SnapshotCache(tmp_path / "c.sqlite")
    info = cache.load_into(store, defer_history=True)
    assert info is not None and info.prepared and store.masks_made == 0  # none made: the saved ones were taken
    assert asyncio.run(cache.restore_history(store))
    cache.close()
    assert_shows(store, held)
    assert store.queue_count(Queue.OVERDUE) > 0 and store.shown < len(held)


def test_saved_masks_and_keys_of_other_data_are_found_out_and_made_again(
        tmp_path: Path) -> None:
    """The same ids in other states, written under this save's stamp (what no build writes, but a file may
    hold): the store's check of a sample of cases finds them out and the queue is the cases' own."""
    path = tmp_path / "c.sqlite"
    save(path, cases(shift=1))
    with sqlite3.connect(path) as db:
        other = db.execute("SELECT prepared FROM snapshot_prepared").fetchone()[0]
    held = cases()
    save(path, held)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_prepared SET prepared = ?", (other,))
    assert_made_again(path, held)


def test_keys_of_other_cases_are_found_out(tmp_path: Path) -> None:
    """Two cases' keys swapped, where no sample looks (`SAMPLE_EVERY`), are never taken: each key names its case."""
    path = tmp_path / "c.sqlite"
    held = cases()
    save(path, held)
    with sqlite3.connect(path) as db:
        saved = msgspec.msgpack.decode(db.execute("SELECT prepared FROM snapshot_prepared").fetchone()[0])
        code, scope, sort, masks, keys, ids = saved
        assert prepared_module.SAMPLE_EVERY > 3
        keys[1], keys[2] = keys[2], keys[1]
        db.execute("UPDATE snapshot_prepared SET prepared = ?",
                   (msgspec.msgpack.encode([code, scope, sort, masks, keys, ids]),))
    assert_shows(started(path), held)


def test_masks_and_keys_left_by_an_earlier_save_are_not_taken(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A build that does not know them rewrites the cases and leaves the row of the save before."""
    path = tmp_path / "c.sqlite"
    save(path, cases(shift=2))
    with sqlite3.connect(path) as db:
        earlier = db.execute("SELECT written_at, prepared FROM snapshot_prepared").fetchone()
    held = cases()
    save(path, held)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM snapshot_prepared")
        db.execute("INSERT INTO snapshot_prepared (id, written_at, prepared) VALUES (1, ?, ?)", earlier)
    assert_made_again(path, held, caplog, "holds no queue masks and keys of its last save")


def test_another_builds_masks_and_keys_are_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    held = cases()
    save(path, held)
    monkeypatch.setattr(prepared_module, "code_tag", lambda: "a later build's queues")
    assert_made_again(path, held, caplog, "do not fit this console")


def test_masks_saved_for_a_desks_scope_are_made_again_for_another(tmp_path: Path) -> None:
    """Saved on a unit's desk (every queue only its cases), loaded before any scope is known."""
    path = tmp_path / "c.sqlite"
    held = cases()
    scope = UnitScope("u-green", frozenset({"u-green"}))
    save(path, held, scope)
    assert recount(held, scope) != recount(held)  # the scope matters to these cases
    assert_made_again(path, held)


def test_an_unreadable_row_of_masks_and_keys_is_passed_over_with_a_log_line(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    held = cases()
    save(path, held)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_prepared SET prepared = ?", (b"\xc1 not msgpack",))
    with caplog.at_level(logging.INFO, logger="backend_client.snapshot_cache"):
        store = started(path)
    assert "masks and keys could not be read" in caplog.text
    assert_shows(store, held)
    assert path.exists() and not list(tmp_path.glob("*.bad-*"))  # the cache itself is good: kept


def test_a_cache_of_a_build_before_them_loads(tmp_path: Path) -> None:
    """A file with no table of masks and keys (written before them) gains it, and loads as it did."""
    path = tmp_path / "c.sqlite"
    held = cases()
    save(path, held)
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE snapshot_prepared")
    assert_made_again(path, held)


def test_restoring_the_histories_makes_no_mask_key_or_value_again(tmp_path: Path) -> None:
    """The histories are in no queue, count or sort: a start's made sort values outlive their restore."""
    path = tmp_path / "c.sqlite"
    held = cases()
    save(path, held)
    store = CaseStore()
    store.set_view(CaseFilter())
    cache = SnapshotCache(path)
    assert cache.load_into(store, defer_history=True) is not None
    while store.warm_sorts():
        pass
    loads, order, made = store.loads, store.ids_in_order(), store.masks_made
    store.drain()
    assert asyncio.run(cache.restore_history(store))
    assert store.masks_made == made and store.loads == loads and not store.warm_sorts()
    assert store.drain().reset  # the model takes the new cases
    assert store.ids_in_order() == order
    assert [store.get(c.id) for c in held] == held
    cache.close()
