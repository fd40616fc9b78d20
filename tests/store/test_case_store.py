"""The case store: order, seq discipline, snapshots, patches and drained batches."""

from __future__ import annotations

import pytest

from backend_client.store import SORT_KEYS, ApplyResult, CaseFilter, CaseStore, Queue, StoreBatch, recount, sorted_rows
from protocol import (
    CaseEnteredScope,
    CaseLeftScope,
    CaseRef,
    CaseStatus,
    EventWithheld,
    GenericEvent,
    SlaLevel,
    Withheld,
)
from tests.store.store_helpers import T0, Replica, case, created, full_sort, timer, updated
from tests.store.test_queues import ViewReplica


def filled(*cases_: object) -> CaseStore:
    store = CaseStore()
    for seq, c in enumerate(cases_, start=1):
        assert store.apply(created(seq, c)) is ApplyResult.APPLIED  # type: ignore[arg-type]
    return store


def test_an_empty_store() -> None:
    store = CaseStore()
    assert len(store) == 0 and store.last_seq == 0 and store.log_id is None
    assert list(store.order) == [] and store.get("x") is None and store.row_of("x") == -1
    assert store.drain().empty
    with pytest.raises(IndexError):
        store.id_at(0)


def test_default_order_is_open_first_then_deadline_then_no_timer_then_serial() -> None:
    store = filled(
        case(1, due_h=10), case(2, due_h=2), case(3, status=CaseStatus.CLOSED, due_h=1),
        case(4, due_h=None), case(5, due_h=2), case(6, status=CaseStatus.MERGED, due_h=None),
        case(7, status=CaseStatus.REJECTED, due_h=0.5), case(8, due_h=-3),
    )
    assert list(store.order) == ["id00008", "id00002", "id00005", "id00001", "id00004",
                                 "id00007", "id00003", "id00006"]
    assert list(store.order) == full_sort(store)
    for row, case_id in enumerate(store.order):
        assert store.row_of(case_id) == row and store.id_at(row) == case_id
    assert store.order[-1] == "id00006" and store.order[1:3] == ["id00002", "id00005"]


def test_duplicates_change_nothing_and_a_gap_applies_nothing() -> None:
    store = filled(case(1))
    store.drain()
    assert store.apply(created(1, case(9))) is ApplyResult.DUPLICATE
    assert store.apply(updated(1, "id00001", status=CaseStatus.CLOSED)) is ApplyResult.DUPLICATE
    assert store.apply(created(3, case(3))) is ApplyResult.GAP
    assert len(store) == 1 and store.last_seq == 1 and store.get("id00001").status is CaseStatus.RECEIVED  # type: ignore[union-attr]
    assert store.drain().empty


def test_unknown_events_and_updates_of_unknown_cases_only_advance_seq() -> None:
    store = filled(case(1))
    store.drain()
    assert store.apply(GenericEvent(type="zone.flooded", seq=2, ts=T0)) is ApplyResult.APPLIED
    assert store.apply(updated(3, "nobody", status=CaseStatus.CLOSED)) is ApplyResult.APPLIED
    assert store.last_seq == 3 and len(store) == 1
    assert store.drain().empty


def test_a_patch_merges_only_the_fields_it_carries() -> None:
    store = filled(case(1, unit_id="u1", unit_name="Unit 1"))
    store.apply(updated(2, "id00001", version=2, level=SlaLevel.YELLOW, unit_name=None, note="why"))
    merged = store.get("id00001")
    assert merged is not None
    assert merged.version == 2 and merged.level is SlaLevel.YELLOW and merged.unit_name is None
    assert merged.unit_id == "u1" and merged.status is CaseStatus.RECEIVED  # untouched
    assert merged.updated_at > T0 and merged.overall == timer(24)


def test_an_update_that_moves_a_case_reorders_it_in_place() -> None:
    store = filled(case(1, due_h=1), case(2, due_h=2), case(3, due_h=3))
    store.drain()
    store.apply(updated(4, "id00001", status=CaseStatus.CLOSED))
    assert list(store.order) == ["id00002", "id00003", "id00001"]
    batch = store.drain()
    assert batch.moved and batch.changed_ids == {"id00001"} and not batch.inserted
    store.apply(updated(5, "id00002", status=CaseStatus.SIGNED))  # still open, same deadline
    batch = store.drain()
    assert not batch.moved and batch.changed_ids == {"id00002"}


def test_inserted_rows_are_final_positions_and_replay_to_the_same_order() -> None:
    store = filled(case(1, due_h=10), case(2, due_h=20))
    replica = Replica(store)
    for seq, (n, due) in enumerate([(3, 5), (4, 15), (5, 25), (6, 1), (7, 16)], start=3):
        store.apply(created(seq, case(n, due_h=due)))
    batch = store.drain()
    assert batch == StoreBatch(inserted=(0, 1, 3, 4, 6))
    assert batch.inserted_runs() == [(0, 2), (3, 2), (6, 1)]
    replica.apply(batch)
    assert replica.ids == list(store.order)


def test_a_new_case_that_changes_before_the_drain_is_only_inserted() -> None:
    store = filled(case(1, due_h=10))
    store.drain()
    store.apply(created(2, case(2, due_h=5)))
    store.apply(updated(3, "id00002", status=CaseStatus.CLOSED))
    batch = store.drain()
    assert batch == StoreBatch(inserted=(1,))


def test_a_snapshot_replaces_everything_at_its_end_only() -> None:
    store = filled(case(1), case(2))
    store.drain()
    store.begin_snapshot(40)
    store.add_snapshot_items([case(7, due_h=3)])
    assert len(store) == 2 and store.last_seq == 2  # the old state stays visible meanwhile
    assert store.apply(created(41, case(8, due_h=1))) is ApplyResult.APPLIED  # held
    assert store.apply(created(41, case(8))) is ApplyResult.DUPLICATE
    assert store.apply(created(43, case(9))) is ApplyResult.GAP
    store.add_snapshot_items([case(5, due_h=2), case(7, due_h=9)])  # a later item replaces an earlier one
    assert len(store) == 2
    store.end_snapshot(40)
    assert list(store.order) == ["id00008", "id00005", "id00007"]
    assert store.get("id00007").overall == timer(9)  # type: ignore[union-attr]
    assert store.last_seq == 41
    assert store.drain() == StoreBatch(reset=True)
    assert store.drain().empty


def test_reset_forgets_everything() -> None:
    store = filled(case(1))
    store.log_id = "log-a"
    store.reset()
    assert len(store) == 0 and store.last_seq == 0 and store.log_id is None
    assert store.drain().reset


def test_set_sort_resorts_once_and_reports_a_move() -> None:
    store = filled(case(3, due_h=1), case(1, due_h=3), case(2, due_h=2))
    store.drain()
    store.set_sort("serial", descending=False)
    assert list(store.order) == ["id00001", "id00002", "id00003"]
    assert store.drain() == StoreBatch(moved=True)
    store.set_sort("serial", descending=True)
    assert list(store.order) == ["id00003", "id00002", "id00001"]
    assert store.row_of("id00003") == 0 and store.id_at(2) == "id00001"
    store.apply(created(4, case(0)))
    assert list(store.order) == full_sort(store) and store.drain() == StoreBatch(inserted=(3,), moved=True)
    store.set_sort("serial", descending=True)
    assert store.drain().empty
    with pytest.raises(ValueError, match="unknown sort column"):
        store.set_sort("colour")


@pytest.mark.parametrize("column", sorted(SORT_KEYS))
def test_every_sort_column_matches_a_full_sort(column: str) -> None:
    store = filled(*(case(n, due_h=(n * 7) % 11, status=list(CaseStatus)[n % 11]) for n in range(1, 40)))
    for descending in (False, True):
        store.set_sort(column, descending)
        assert list(store.order) == full_sort(store)
        assert [store.row_of(i) for i in store.order] == list(range(len(store)))


def test_a_case_that_left_and_came_back_is_sorted_under_every_sort_used_before() -> None:
    """Sorts left behind keep their keys; a case that left and came back must be keyed again in each."""
    store = filled(*(case(n, due_h=n) for n in range(1, 6)))
    replica = ViewReplica(store)
    store.set_sort("serial")
    store.set_sort("received_at")  # urgency and serial keep their keys meanwhile
    store.apply(CaseLeftScope(seq=6, ts=T0, data=CaseRef(id="id00003")))
    store.apply(CaseEnteredScope(seq=7, ts=T0, data=case(3, due_h=0.5)))  # back, now the most urgent
    for column in ("serial", "urgency", "received_at", "status"):
        store.set_sort(column)
        replica.apply(store.drain())
        assert replica.ids == list(store.order) == full_sort(store), column
        assert len(store.order) == 5
    assert store.order[0] == "id00001" and store.id_at(0) == "id00001"


def test_a_case_that_leaves_the_scope_is_gone_and_one_that_enters_is_held_whole() -> None:
    """`case.left_scope` drops a case from the rows, the counts and the saved filters; `case.entered_scope` adds one."""

    store = filled(case(1, due_h=10), case(2, due_h=20), case(3, due_h=30))
    store.set_saved_filters({"all": CaseFilter(queue=Queue.ALL_OPEN)})
    replica = ViewReplica(store)
    store.apply(EventWithheld(seq=4, ts=T0, data=Withheld()))
    store.apply(CaseLeftScope(seq=5, ts=T0, data=CaseRef(id="id00002")))
    assert store.apply(CaseEnteredScope(seq=6, ts=T0, data=case(4, due_h=5))) is ApplyResult.APPLIED
    replica.apply(store.drain())
    assert "id00002" not in store and replica.ids == list(store.order) == full_sort(store)
    assert store.last_seq == 6 and len(store) == 3
    assert store.queue_counts() == recount(store.cases()) and store.saved_count("all") == 3
    store.apply(CaseLeftScope(seq=7, ts=T0, data=CaseRef(id="id00004")))  # new since the drain: simply not there
    store.apply(CaseLeftScope(seq=8, ts=T0, data=CaseRef(id="no-such-case")))
    replica.apply(store.drain())
    assert replica.ids == list(store.order) == ["id00001", "id00003"]


def test_a_first_sort_by_value_makes_keys_only_for_the_rows_it_has_to_find(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sorted_rows, "LOAD", 4)
    store = filled(*(case(n, status=list(CaseStatus)[n % 5]) for n in range(1, 41)))
    store.set_sort("status")
    assert list(store.order) == full_sort(store)
    made = sum(1 for key in store._keys if key)
    assert made <= 10, f"{made} keys made for ten chunks' last rows"  # one a chunk, not forty
    assert store.row_of("id00017") == full_sort(store).index("id00017")
    assert sum(1 for key in store._keys if key) <= made + 4  # that row's chunk only


def test_a_sort_by_value_left_before_its_rows_were_keyed_is_rebuilt_from_current_values(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows keyed later are not kept when the operator sorts away: they would be keyed by the other sort's
    function, and a case moved meanwhile would be found at its old place. Sorting back orders them again from
    values kept up to date (a status changed while another column was sorted moves its case)."""
    monkeypatch.setattr(sorted_rows, "LOAD", 2)
    store = filled(*(case(n, status=list(CaseStatus)[n % 4]) for n in range(1, 25)))
    seq = len(store)
    store.set_sort("status")
    store.set_sort("received_at")
    for n in (3, 10, 17):
        seq += 1
        store.apply(updated(seq, f"id{n:05d}", status=CaseStatus.HANDLING))
    store.set_sort("status")
    assert list(store.order) == full_sort(store)
    store.set_sort("received_at", descending=True)
    assert list(store.order) == full_sort(store)
    store.set_view(CaseFilter(categories=frozenset({"0001", "0003"})))
    store.set_sort("status")
    assert list(store.order) == full_sort(store) and "id00010" in store.order
    assert [store.row_of(case_id) for case_id in store.order] == list(range(store.shown))


def test_a_first_sort_by_value_after_cases_came_and_went_shows_exactly_the_held_cases() -> None:
    """A first sort with no filter starts from the slots kept in serial order: a case that left is not
    shown, and one created after the ranks were made is, in its place."""
    store = filled(*(case(n) for n in range(1, 9)))
    while store.warm_sorts():
        pass
    store.apply(CaseLeftScope(seq=9, ts=T0, data=CaseRef(id="id00003")))
    store.apply(created(10, case(12, due_h=1)))
    store.apply(CaseLeftScope(seq=11, ts=T0, data=CaseRef(id="id00005")))
    store.apply(created(12, case(15, due_h=2)))
    store.apply(created(13, case(13, due_h=3)))  # out of the hub's numbering order: ranked again
    for column in ("serial", "received_at", "status"):
        store.set_sort(column)
        assert list(store.order) == full_sort(store), column
        assert "id00003" not in store.order and {"id00012", "id00013", "id00015"} <= set(store.order)
        store.set_sort("urgency")
        store._other_rows.clear()  # the next sort by value is a first one again
    store.apply(CaseLeftScope(seq=14, ts=T0, data=CaseRef(id="id00001")))
    store.apply(created(15, case(16)))
    store.set_sort("received_at")
    assert list(store.order) == full_sort(store) and "id00001" not in store.order and "id00016" in store.order


def test_equal_serials_are_ordered_by_id_under_every_sort_by_value() -> None:
    store = filled(*(case(n, serial="MH2026-000001", category_code="0001") for n in (5, 2, 9, 1)))
    for column in ("serial", "category", "received_at"):
        store.set_sort(column)
        assert list(store.order) == full_sort(store), column
    assert store.order[0] == "id00001"


def test_values_made_a_slice_at_a_time_follow_the_changes_made_meanwhile() -> None:
    store = filled(*(case(n) for n in range(1, 31)))
    seq = len(store)
    steps = 0
    while store.warm_sorts(count=4):
        steps += 1
        if steps % 5 == 3 and store._making:  # a column half made (the statuses last): updates, new, one leaving
            for n in (1, 2, 29):
                seq += 1
                store.apply(updated(seq, f"id{n:05d}", version=steps, status=list(CaseStatus)[steps % 7]))
            seq += 1
            store.apply(created(seq, case(40 + steps, status=CaseStatus.SIGNED)))
            seq += 1
            store.apply(CaseLeftScope(seq=seq, ts=T0, data=CaseRef(id=f"id{steps:05d}")))
    assert steps > 6 * 7  # six columns of 30 cases or more, four at a time, and the ranks
    for column in ("serial", "received_at", "category", "status"):
        store.set_sort(column)
        assert list(store.order) == full_sort(store), column
