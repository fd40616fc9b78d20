"""Random event streams keep the incremental order equal to a full sort, and batches replay it."""

from __future__ import annotations

from collections.abc import Callable
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from backend_client.store import SORT_KEYS, ApplyResult, CaseStore, sorted_rows
from protocol import Case, CaseStatus, GenericEvent
from tests.store.store_helpers import T0, Replica, created, full_sort, timer, updated
from tests.store.store_helpers import case as make_case

DUES = st.one_of(st.none(), st.integers(min_value=-5, max_value=8).map(float))
STATUSES = st.sampled_from(list(CaseStatus))

IDS = st.integers(0, 12)  # few ids: updates mostly hit cases that exist, creates sometimes replace one
OPS = st.one_of(
    st.tuples(st.just("create"), IDS, STATUSES, DUES),
    st.tuples(st.just("status"), IDS, STATUSES),
    st.tuples(st.just("timer"), IDS, DUES),
    st.tuples(st.just("timer"), IDS, DUES),
    st.tuples(st.just("generic")),
    st.tuples(st.just("replay"), st.integers(1, 3)),
    st.tuples(st.just("skip")),
    st.tuples(st.just("sort"), st.sampled_from(sorted(SORT_KEYS)), st.booleans()),
    st.tuples(st.just("drain")),
    st.tuples(st.just("drain")),
    st.tuples(st.just("snapshot"), st.lists(st.tuples(IDS, DUES), max_size=8)),
)


def check(store: CaseStore, every_row: bool = True) -> None:
    assert list(store.order) == full_sort(store)
    if every_row:  # finding each row by its key keys every chunk
        assert [store.row_of(case_id) for case_id in store.order] == list(range(len(store)))


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(OPS, min_size=10, max_size=80))
def test_random_streams_keep_the_order_of_a_full_sort(ops: list[tuple[object, ...]]) -> None:
    run(ops, lambda n: f"MH2026-{n:06d}")


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(OPS, min_size=10, max_size=80), st.sampled_from([lambda n: f"MH2026-{(n * 5) % 13:06d}",
                                                                  lambda n: f"MH2026-{n % 4:06d}"]),
       st.sampled_from([2, 8]))
def test_rows_in_small_chunks_keyed_later_keep_the_order_of_a_full_sort(
        ops: list[tuple[object, ...]], serial_of: Callable[[int], str], load: int) -> None:
    """Chunks of a few rows, so that a first sort by value leaves most of them unkeyed and the stream keys them
    one by one (rows are found by key only at the end); serials out of the ids' order, or repeated (ties then
    go by id, as the keys do)."""
    with patch.object(sorted_rows, "LOAD", load):
        run(ops, serial_of, every_row=False)


def run(ops: list[tuple[object, ...]], serial_of: Callable[[int], str], every_row: bool = True) -> None:
    def case(n: int, **fields: object) -> Case:
        return make_case(n, serial=serial_of(n), **fields)  # type: ignore[arg-type]

    store = CaseStore()
    replica = Replica(store)
    seq = 0
    for op in ops:
        kind = op[0]
        if kind == "create":
            _, n, status, due = op
            seq += 1
            assert store.apply(created(seq, case(n, status=status, due_h=due))) is ApplyResult.APPLIED  # type: ignore[arg-type]
        elif kind == "status":
            seq += 1
            store.apply(updated(seq, f"id{op[1]:05d}", status=op[2]))
        elif kind == "timer":
            seq += 1
            due = op[2]
            store.apply(updated(seq, f"id{op[1]:05d}", overall=timer(due) if due is not None else None))  # type: ignore[arg-type]
        elif kind == "generic":
            seq += 1
            store.apply(GenericEvent(type="x.y", seq=seq, ts=T0))
        elif kind == "replay" and seq:
            before = list(store.order)
            assert store.apply(created(max(1, seq - op[1] + 1), case(99))) is ApplyResult.DUPLICATE  # type: ignore[operator]
            assert list(store.order) == before
        elif kind == "skip":
            assert store.apply(created(seq + 2, case(98))) is ApplyResult.GAP
        elif kind == "sort":
            store.set_sort(op[1], op[2])  # type: ignore[arg-type]
        elif kind == "drain":
            replica.apply(store.drain())
            assert replica.ids == list(store.order)
        elif kind == "snapshot":
            seq += 5
            store.begin_snapshot(seq)
            store.add_snapshot_items([case(n, due_h=due) for n, due in op[1]])  # type: ignore[attr-defined]
            store.end_snapshot(seq)
        assert store.last_seq == seq
        check(store, every_row)
    replica.apply(store.drain())
    assert replica.ids == list(store.order)
    check(store)
