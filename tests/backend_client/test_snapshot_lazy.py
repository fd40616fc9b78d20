"""A cold start paints the queue before most cached cases are decoded (`CaseStore.load_pending`).

The cache saves the cases' ids beside their queue masks and keys; a start shows the rows, counts and order
from them, decodes only the chunks of the opening rows, and the rest when the store is first read past
them or finished (the console finishes right after its first paint). Whatever is read sees every case;
what the checks find wrong is made again from the cases; cases that cannot be decoded empty the store.
Real cache files and stores throughout.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from array import array
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import msgspec
import pytest

from backend_client.alerts import DISCIPLINED, RED_HELD, AlertBook
from backend_client.snapshot_cache import CHUNK_CASES, CachedState, SnapshotCache
from backend_client.store import CaseFilter, CaseStore, UnitScope, recount
from backend_client.store.prepared import MASK_TYPE, SAMPLE_EVERY
from backend_client.store.queues import BIT
from protocol import Case, CaseStatus
from protocol.enums import OPEN_STATUSES, SlaLevel
from tests.store.store_helpers import T0, case

COUNT = 2 * CHUNK_CASES + CHUNK_CASES // 2
"""Three chunks: the first holds every opening row, the other two are decoded after the paint."""
LATER = 2 * CHUNK_CASES - 2 * SAMPLE_EVERY
"""A sampled slot of the second chunk, whose case no opening row shows."""
OPEN_VIEW = CaseFilter()


def cases(count: int = COUNT) -> list[Case]:
    """The first chunk's cases red and due first (the opening rows); the others mixed, some red, some closed."""
    statuses = (CaseStatus.RECEIVED, CaseStatus.DISPATCHED, CaseStatus.HANDLING, CaseStatus.CLOSED)
    levels = (SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED)
    return [case(n, status=CaseStatus.DISPATCHED, level=SlaLevel.RED, due_h=1 + n % 5) if n < CHUNK_CASES
            else case(n, status=statuses[n % 4], level=levels[n * 7 % 4], due_h=10 + n * 37 % 90,
                      unit_id="u-green" if n % 3 else "u-blue")
            for n in range(count)]


def computed(held: list[Case]) -> CaseStore:
    """What a store shows for these cases when it makes every mask and key itself (a hub's snapshot)."""
    store = CaseStore()
    store.set_view(OPEN_VIEW)
    store.begin_snapshot(9)
    store.add_snapshot_items(list(held))
    store.end_snapshot(9)
    return store


def save(path: Path, held: list[Case], scope: UnitScope | None = None) -> None:
    cache = SnapshotCache(path)
    cache.save(CachedState("L", 9, 1000.0, held, scope=scope))
    cache.close()


def start(path: Path) -> tuple[CaseStore, SnapshotCache]:
    """A store filled from the cache as a console's start does it, up to its first paint."""
    store = CaseStore()
    store.set_view(OPEN_VIEW)
    cache = SnapshotCache(path)
    assert cache.load_into(store, defer_history=True) is not None
    return store, cache


def opening_chunks(store: CaseStore) -> set[int]:
    return {slot // CHUNK_CASES for row in range(min(64, store.shown))
            if (slot := store.slot_of(store.order[row])) is not None}


def assert_shows(store: CaseStore, held: list[Case]) -> None:
    expected = computed(held)
    assert store.ids_in_order() == expected.ids_in_order()
    assert store.queue_counts() == expected.queue_counts() == recount(held)


def rewrite_prepared(path: Path, change: Callable[[list[object]], list[object]]) -> None:
    with sqlite3.connect(path) as db:
        saved = msgspec.msgpack.decode(db.execute("SELECT prepared FROM snapshot_prepared").fetchone()[0])
        db.execute("UPDATE snapshot_prepared SET prepared = ?", (msgspec.msgpack.encode(change(saved)),))


def set_aside(folder: Path) -> list[Path]:
    """The cache files moved aside (their WAL and shared-memory files beside them)."""
    return [path for path in folder.glob("c.sqlite.bad-*") if not path.name.endswith(("-wal", "-shm"))]


@pytest.fixture
def held(tmp_path: Path) -> list[Case]:
    made = cases()
    save(tmp_path / "c.sqlite", made)
    return made


def test_the_queue_shown_before_the_rest_is_decoded_is_the_one_shown_after(tmp_path: Path, held: list[Case]) -> None:
    store, cache = start(tmp_path / "c.sqlite")
    assert store.loading and opening_chunks(store) == {0}
    assert_shows(store, held)  # every row, count and place before the other chunks are decoded
    assert len(store) == COUNT and held[-1].id in store
    shown = [store.get(case_id) for case_id in store.order[:64]]
    assert shown == [held[store.slot_of(case_id) or 0] for case_id in store.order[:64]]
    assert store.loading, "the opening rows' cases are read without decoding the rest"
    assert store.drain().reset  # the model takes the rows once
    assert store.finish_load() and not store.loading
    assert not store.drain().reset, "the rows stay: no second reset for the model"
    assert_shows(store, held)
    assert [store.get(c.id) for c in held] == held
    assert asyncio.run(cache.restore_history(store))
    cache.close()


def test_a_case_read_early_and_every_case_are_all_there(tmp_path: Path, held: list[Case]) -> None:
    store, cache = start(tmp_path / "c.sqlite")
    late = held[LATER]
    assert store.loading and store.row_of(late.id) >= 64  # not an opening row
    assert store.get(late.id) == late and not store.loading  # the read finished the load
    assert_shows(store, held)
    cache.close()
    other, cache = start(tmp_path / "c.sqlite")
    assert other.loading
    assert sorted(other.cases(), key=lambda c: c.id) == held and not other.loading
    cache.close()


def test_a_failed_check_of_every_50th_case_after_the_paint_makes_the_queue_again(
        tmp_path: Path, held: list[Case], caplog: pytest.LogCaptureFixture) -> None:
    """A saved mask wrong for a case no opening row shows (what no build writes, but a file may hold): the
    queue shown until the check is the saved one; the check finds it and the queue is the cases' own."""
    path = tmp_path / "c.sqlite"
    bit = BIT[OPEN_VIEW.queue]

    def wrong_mask(saved: list[object]) -> list[object]:
        masks = array(MASK_TYPE, saved[3])  # type: ignore[arg-type]
        masks[LATER] ^= bit  # out of the open queue (it is open)
        saved[3] = masks.tobytes()
        return saved

    rewrite_prepared(path, wrong_mask)
    assert held[LATER].status in OPEN_STATUSES
    store, cache = start(path)
    assert store.loading and store.shown == computed(held).shown - 1  # the saved masks, taken on their shape
    store.drain()
    with caplog.at_level(logging.WARNING, logger="backend_client.store.case_store"):
        assert store.finish_load()
    assert f"failed the check of every {SAMPLE_EVERY}th case: made again" in caplog.text
    assert store.drain().reset  # the model takes the queue made again
    assert_shows(store, held)
    assert store.row_of(held[LATER].id) >= 0
    cache.close()


def test_opening_rows_whose_masks_are_wrong_are_made_again_before_the_paint(
        tmp_path: Path, held: list[Case], caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"

    def wrong_key(saved: list[object]) -> list[object]:
        keys = saved[4]
        assert isinstance(keys, list)
        keys[1] = "0" + keys[1]  # still ends with its id: only the case itself tells
        return saved

    rewrite_prepared(path, wrong_key)
    with caplog.at_level(logging.WARNING, logger="backend_client.store.case_store"):
        store, cache = start(path)
    assert "do not match the opening rows' cases: made again" in caplog.text
    assert not store.loading
    assert_shows(store, held)
    cache.close()


def test_a_chunk_that_cannot_be_decoded_after_the_paint_empties_the_store_and_sets_the_file_aside(
        tmp_path: Path, held: list[Case], caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "c.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_cases SET cases = ? WHERE chunk = 2", (b"\xc1 not msgpack",))
    store, cache = start(path)
    assert store.loading and store.shown == computed(held).shown and store.last_seq == 9
    store.drain()
    with caplog.at_level(logging.ERROR):
        assert not store.finish_load()
    assert "could not be decoded after the first paint" in caplog.text
    assert (len(store), store.shown, store.last_seq, store.log_id) == (0, 0, 0, None)  # the hub sends a snapshot
    assert store.drain().reset and list(store.cases()) == []
    assert len(set_aside(tmp_path)) == 1 and cache.problem is not None
    assert cache.position() == (None, 0)  # a new, empty file in its place
    assert not asyncio.run(cache.restore_history(store))
    cache.close()


def test_an_opening_chunk_that_cannot_be_decoded_loads_nothing(tmp_path: Path, held: list[Case]) -> None:
    path = tmp_path / "c.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshot_cases SET cases = ? WHERE chunk = 0", (b"\xc1 not msgpack",))
    store = CaseStore()
    store.set_view(OPEN_VIEW)
    cache = SnapshotCache(path)
    assert cache.load_into(store, defer_history=True) is None
    assert (len(store), store.shown, store.last_seq, store.log_id, store.loading) == (0, 0, 0, None, False)
    assert len(set_aside(tmp_path)) == 1
    cache.close()


def test_a_cache_saved_without_ids_takes_the_whole_load(
        tmp_path: Path, held: list[Case]) -> None:
    """A file of the build before (masks and keys, no ids): every case decoded at once, the masks taken."""
    path = tmp_path / "c.sqlite"
    rewrite_prepared(path, lambda saved: saved[:5])
    store = CaseStore()
    store.set_view(OPEN_VIEW)
    cache = SnapshotCache(path)
    info = cache.load_into(store, defer_history=True)
    assert info is not None and info.prepared and store.masks_made == 0 and not store.loading
    assert_shows(store, held)
    assert [store.get(c.id) for c in held] == held
    cache.close()


def test_a_filtered_opening_view_takes_the_whole_load(tmp_path: Path, held: list[Case]) -> None:
    """Units in the view: rows need the cases themselves, so none is left undecoded."""
    store = CaseStore()
    store.set_view(CaseFilter(units=frozenset({"u-green"})))
    cache = SnapshotCache(tmp_path / "c.sqlite")
    assert cache.load_into(store, defer_history=True) is not None
    assert not store.loading and store.shown == sum(1 for c in held if c.unit_id == "u-green"
                                                    and c.status in OPEN_STATUSES)
    cache.close()


def test_the_centres_red_cases_are_seeded_once_the_load_is_finished(tmp_path: Path, held: list[Case]) -> None:
    store, cache = start(tmp_path / "c.sqlite")
    book = AlertBook(store, policy=DISCIPLINED)
    late = T0 + timedelta(days=30) + RED_HELD
    book.tick(late)
    assert store.loading and book.line_times == [], "a tick waits for the load rather than decode it all"
    assert store.finish_load()
    book.tick(late)
    red = {c.id for c in held if c.status in OPEN_STATUSES and c.level is SlaLevel.RED}
    assert any(n >= CHUNK_CASES for n, c in enumerate(held) if c.id in red)  # red cases past the opening chunk
    alerted = {case_id for alert in book.rows(late) for case_id in alert.cases}
    assert alerted == red
    cache.close()
