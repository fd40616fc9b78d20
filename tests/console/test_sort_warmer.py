"""The console makes what a first sort needs while the feed is quiet, and never while events wait."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from backend_client.store import CaseStore
from console.sort_warmer import SortWarmer
from protocol import CaseStatus
from tests.store.store_helpers import case, created, full_sort, updated


def loaded(count: int) -> CaseStore:
    store = CaseStore()
    store.begin_snapshot(0)
    store.add_snapshot_items([case(n, status=list(CaseStatus)[n % 6]) for n in range(1, count + 1)])
    store.end_snapshot(0)
    store.drain()  # as the queue's model does after the snapshot
    return store


def test_a_quiet_store_is_warmed_and_sorts_by_the_values_made(qtbot: QtBot) -> None:
    store = loaded(20_000)
    warmer = SortWarmer(store)
    qtbot.waitUntil(lambda: warmer.warm, timeout=20_000)
    assert not store.warm_sorts()  # nothing left to make
    store.apply(updated(1, "id00007", status=CaseStatus.CLOSED))  # an update after warming moves by value too
    for column in ("received_at", "status", "street"):
        store.set_sort(column)
        assert list(store.order) == full_sort(store), column
    warmer.deleteLater()


def test_nothing_is_warmed_while_events_wait_for_the_drain_and_a_load_warms_again(qtbot: QtBot) -> None:
    store = loaded(3_000)
    store.apply(created(1, case(90_000)))  # waits for the drain: the feed is busy
    warmer = SortWarmer(store)
    for _ in range(5):
        warmer.step()
    assert not warmer.warm and store.warm_sorts(count=1)  # the steps made nothing: the first slot is still to make
    store.drain()
    qtbot.waitUntil(lambda: warmer.warm, timeout=20_000)
    store.begin_snapshot(5)  # a resync loads the store again: what was made is forgotten
    store.add_snapshot_items([case(n) for n in range(1, 50)])
    store.end_snapshot(5)
    assert not warmer.warm
    store.drain()
    warmer.poke()
    qtbot.waitUntil(lambda: warmer.warm, timeout=20_000)
    warmer.deleteLater()



def steps_to_warm(store: CaseStore) -> int:
    """How many `warm_sorts` calls the store still needs (it is warm after them)."""
    steps = 0
    while store.warm_sorts():
        steps += 1
    return steps


def test_a_feed_drained_before_every_tick_is_busy_and_warming_waits_until_it_stops(qtbot: QtBot) -> None:
    """The window drains and holds the feed for its paint (console.feed_pacing): at a tick the store may
    have nothing waiting although events keep coming. Quiet is no event since the previous tick."""
    store = loaded(3_000)
    warmer = SortWarmer(store)
    for seq in range(1, 6):
        store.apply(created(seq, case(90_000 + seq)))
        store.drain()  # the drain came before the tick: nothing waits
        warmer.step()
    warmer.step()  # no event since the last tick: the first step of warming
    assert steps_to_warm(store) == steps_to_warm(loaded(3_000)) - 1  # one step made, none while the feed ran
    warmer.deleteLater()
