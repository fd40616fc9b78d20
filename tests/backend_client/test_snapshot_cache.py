"""The snapshot cache against a real hub: a restart shows the last state, then resumes from its seq."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import msgspec

from backend_client.cache_keeper import CacheKeeper
from backend_client.connection import FeedConnection
from backend_client.feed_health import FeedCondition
from backend_client.session import ConnectionState
from backend_client.snapshot_cache import CachedState, SnapshotCache
from backend_client.store import CaseStore
from backend_client.store.compact import EMPTY
from hub.embedded import EmbeddedHub
from protocol import CaseStatus, ReplayMode, Role
from protocol.enums import Basis, CaseFlag
from protocol.events import Routing, Timer, Trace
from tests.hub.conftest import WAIT_S, case_args
from tests.store.store_helpers import T0, case


async def until(condition: Callable[[], bool], what: str) -> None:
    try:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


async def synced_store(hub: EmbeddedHub, cases: int) -> tuple[CaseStore, FeedConnection]:
    store = CaseStore()
    conn = FeedConnection(hub.url, hub.token, store)
    await conn.start()
    await until(lambda: conn.state is ConnectionState.LIVE, "live")
    for n in range(cases):
        assert (await conn.send_command("case.create", case_args(hub, description=f"第{n}号"))).ok
    await until(lambda: store.last_seq == hub.hub.head_seq, "every event of the hub's log")
    return store, conn


def test_a_restart_shows_the_cached_state_then_replays_only_what_it_missed(tmp_path: Path) -> None:
    cache_path = tmp_path / "snapshot.sqlite"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store, conn = await synced_store(hub, 5)
            keeper = CacheKeeper(SnapshotCache(cache_path), store, interval_s=3600)
            assert await keeper.save_if_changed()
            assert not await keeper.save_if_changed()  # nothing changed since
            saved_seq, saved_order = store.last_seq, store.ids_in_order()
            await keeper.close()
            for n in range(3):  # the hub moves on while this console is off
                assert (await conn.send_command("case.create", case_args(hub, description=f"后来{n}"))).ok
            await conn.close()

            restarted = CaseStore()
            cache = SnapshotCache(cache_path)
            info = cache.load_into(restarted)
            assert info is not None and info.cases == 5 and info.last_seq == saved_seq
            assert restarted.ids_in_order() == saved_order and restarted.log_id == store.log_id
            assert [restarted.get(i) for i in saved_order] == [store.get(i) for i in saved_order]
            assert restarted.units == {k: v for k, v in store.units.items()}
            again = FeedConnection(hub.url, hub.token, restarted)
            again.mark_cached(info.as_of)
            health = again.health()
            assert health.condition is FeedCondition.CACHED and health.cached_at == info.as_of
            assert health.age_s is not None and health.age_s >= 0
            await again.start()
            try:
                await until(lambda: again.state is ConnectionState.LIVE, "live")
                assert again.welcome is not None and again.welcome.mode is ReplayMode.REPLAY
                assert len(restarted) == 8 and restarted.last_seq == hub.hub.head_seq
                assert again.confirmed and again.health().condition is FeedCondition.LIVE
            finally:
                await again.close()
                cache.close()

    asyncio.run(main())


def test_a_cache_of_another_log_is_replaced_by_the_hubs_snapshot(tmp_path: Path) -> None:
    cache_path = tmp_path / "snapshot.sqlite"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'old.db'}", simulate=False) as old:
            store, conn = await synced_store(old, 6)  # a higher seq than the new hub will have
            keeper = CacheKeeper(SnapshotCache(cache_path), store)
            await conn.close()
            await keeper.close()  # closing saves what changed
            assert keeper.saves == 1
            cached_ids = set(store.ids_in_order())
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'new.db'}", simulate=False) as new:
            _, seeder = await synced_store(new, 2)
            await seeder.close()
            restarted = CaseStore()
            cache = SnapshotCache(cache_path)
            info = cache.load_into(restarted)
            assert info is not None and set(restarted.ids_in_order()) == cached_ids
            conn = FeedConnection(new.url, new.token, restarted)
            conn.mark_cached(info.as_of)
            live_with: list[set[str]] = []
            conn.add_listener(lambda c: live_with.append(set(restarted.ids_in_order()))
                              if c.state is ConnectionState.LIVE else None)
            await conn.start()
            try:
                await until(lambda: conn.state is ConnectionState.LIVE, "live")
                assert conn.welcome is not None and conn.welcome.mode is ReplayMode.SNAPSHOT
                assert len(restarted) == 2 and not set(restarted.ids_in_order()) & cached_ids
                assert restarted.log_id == conn.welcome.log_id
                assert live_with and not live_with[0] & cached_ids  # never "live" on the old log's cases
            finally:
                await conn.close()
                cache.close()

    asyncio.run(main())


def test_the_cache_is_dated_by_when_its_data_was_current_not_when_it_was_written(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store, conn = await synced_store(hub, 1)
            await conn.close()
        an_hour_ago = time.time() - 3600
        keeper = CacheKeeper(SnapshotCache(tmp_path / "snapshot.sqlite"), store, as_of=lambda: an_hour_ago)
        await keeper.close()
        cache = SnapshotCache(tmp_path / "snapshot.sqlite")
        info = cache.load_into(CaseStore())
        cache.close()
        assert info is not None and info.as_of == an_hour_ago
        conn = FeedConnection("ws://127.0.0.1:9/feed", "t", CaseStore())
        conn.mark_cached(info.as_of)
        age = conn.health().age_s
        assert age is not None and 3600 <= age < 3660

    asyncio.run(main())


def test_a_start_can_show_the_queue_first_and_restore_the_histories_before_any_event(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store, conn = await synced_store(hub, 3)
            case_id = store.ids_in_order()[0]
            assert (await conn.send_command("case.register", {"id": case_id})).ok
            await until(lambda: store.last_seq == hub.hub.head_seq, "the register event")
            await conn.close()
        keeper = CacheKeeper(SnapshotCache(tmp_path / "snapshot.sqlite"), store)
        await keeper.close()

        cache = SnapshotCache(tmp_path / "snapshot.sqlite")
        restarted = CaseStore()
        info = cache.load_into(restarted, defer_history=True)
        assert info is not None and restarted.ids_in_order() == store.ids_in_order()
        case = restarted.get(case_id)
        assert case is not None and case.history == () and case.status.value == "registered"
        assert await cache.restore_history(restarted)
        assert [restarted.get(i) for i in store.ids_in_order()] == [store.get(i) for i in store.ids_in_order()]
        assert [t.action for t in restarted.get(case_id).history] == ["register"]  # type: ignore[union-attr]
        assert not await cache.restore_history(restarted)  # once only
        cache.close()

    asyncio.run(main())


def test_a_console_restarted_from_its_cache_still_knows_the_joint_response(tmp_path: Path) -> None:
    """Resuming by replay brings only what came after the cache: emergencies, tasks, directives and
    receipts from before must come from the cache itself."""
    cache_path = tmp_path / "snapshot.sqlite"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, role=Role.COMMANDER) as hub:
            store, conn = await synced_store(hub, 1)
            declared = await conn.send_command("emergency.declare", {"type": "rainstorm", "level": "IV",
                                                                     "title": "暴雨蓝色预警"})
            issued = await conn.send_command("directive.issue", {"text": "加强值守", "unit_ids": ["B-SW", "B-CG"]})
            assert declared.ok and issued.ok and declared.result is not None and issued.result is not None
            await until(lambda: store.last_seq == hub.hub.head_seq, "the response's events")
            keeper = CacheKeeper(SnapshotCache(cache_path), store, interval_s=3600)
            assert await keeper.save_if_changed()
            await keeper.close()
            directive = issued.result["id"]
            assert (await conn.send_command("directive.ack", {"id": directive, "unit_id": "B-SW"})).ok
            await conn.close()

            restarted = CaseStore()
            cache = SnapshotCache(cache_path)
            assert cache.load_into(restarted) is not None
            assert set(restarted.emergencies) == {declared.result["id"]}
            assert len(restarted.tasks) == declared.result["tasks"] > 0
            assert set(restarted.receipts) == {f"{directive}/B-SW", f"{directive}/B-CG"}
            again = FeedConnection(hub.url, hub.token, restarted)
            await again.start()
            try:
                await until(lambda: restarted.last_seq == hub.hub.head_seq, "the replay")
                assert again.welcome is not None and again.welcome.mode is ReplayMode.REPLAY
                assert restarted.receipts[f"{directive}/B-SW"].acknowledged_at is not None
                assert restarted.receipts[f"{directive}/B-CG"].acknowledged_at is None
                assert restarted.directives == store.directives
            finally:
                await again.close()
                cache.close()

    asyncio.run(main())


def test_a_console_restarted_offline_still_shows_the_rota_and_the_latest_handover(tmp_path: Path) -> None:
    """The shift book is cached with the cases: the Shift status line needs no hub after a restart."""
    cache_path = tmp_path / "snapshot.sqlite"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, role=Role.COMMANDER) as hub:
            store, conn = await synced_store(hub, 1)
            assigned = await conn.send_command("rota.assign", {"date": "2026-11-24", "front_desk_unit_id": "S310112001",
                                                               "staff": ["wang.li"]})
            handed = await conn.send_command("shift.handover", {"to": "zhang.qiang", "note": "注意积水点"})
            assert assigned.ok and handed.ok, (assigned, handed)
            await until(lambda: store.last_seq == hub.hub.head_seq and store.shift.latest() is not None,
                        "the rota and the handover")
            keeper = CacheKeeper(SnapshotCache(cache_path), store, interval_s=3600)
            assert await keeper.save_if_changed()
            await keeper.close()
            await conn.close()

        restarted = CaseStore()  # the hub is gone: only the cache speaks
        cache = SnapshotCache(cache_path)
        try:
            assert cache.load_into(restarted) is not None
            assert restarted.shift.rota == store.shift.rota and "2026-11-24" in restarted.shift.rota
            latest = restarted.shift.latest()
            assert latest is not None and latest == store.shift.latest()
            assert (latest.to, latest.note) == ("zhang.qiang", "注意积水点")
        finally:
            cache.close()

    asyncio.run(main())


def test_cached_cases_come_back_equal_and_as_compact_as_the_feeds(tmp_path: Path) -> None:
    """A chunk holds names, routings, flags and co-units once: the cases a start shows are the ones saved,
    with the names and empty lists the store shares, and the histories restored after."""
    route = Routing(unit_id="u-green", unit_name="江川路街道绿化市容所", basis=Basis.LAW, rule_id="r-0103",
                    explanation_zh="道路占道经营：街镇绿化市容所（法定）")
    step = Timer(started_at=T0, due_at=T0 + timedelta(hours=2), yellow_at=T0 + timedelta(hours=1),
                 orange_at=T0 + timedelta(minutes=96))
    saved = [case(n, unit_id="u-green" if n % 2 else None, unit_name="江川路街道绿化市容所" if n % 2 else None,
                  committee_name="春申居委会" if n % 3 else None, exercise_id="drill-1" if n == 4 else None,
                  routing=Routing(**msgspec.structs.asdict(route)) if n % 4 else None,
                  flags=[CaseFlag.ARBITRATION] if n % 5 == 0 else [], co_unit_ids=["u-a", "u-b"] if n == 7 else [],
                  updated_at=T0 + timedelta(minutes=n) if n % 2 else T0, step=step,
                  history=(Trace(at=T0, actor="hotline", action="create", status=CaseStatus.RECEIVED),) * (n % 3))
             for n in range(1, 13)]
    cache = SnapshotCache(tmp_path / "snapshot.sqlite")
    cache.save(CachedState("L", 7, 1000.0, saved))
    store = CaseStore()
    assert cache.load_into(store, defer_history=True) is not None
    held = [store.get(c.id) for c in saved]
    assert held == [msgspec.structs.replace(c, history=()) for c in saved]
    assert all(c is not None and c.history == () and c.co_unit_ids in (EMPTY, ["u-a", "u-b"]) for c in held)
    first, second = held[0], held[2]
    assert first is not None and second is not None
    assert first.street_name is second.street_name and first.unit_name is second.unit_name is not None
    assert first.routing is held[4].routing is not None  # type: ignore[union-attr]
    assert first.flags is EMPTY and held[4].flags == [CaseFlag.ARBITRATION]  # type: ignore[union-attr]
    assert asyncio.run(cache.restore_history(store))
    restored = [store.get(c.id) for c in saved]
    assert restored == saved
    second, sixth = restored[2], restored[5]  # and their equal instants are one object, as the feed's
    assert second is not None and second.updated_at is second.received_at
    assert sixth is not None and sixth.step is not None and sixth.step.started_at is sixth.updated_at
    loaded = cache.load()  # with the histories, at once
    assert loaded is not None and loaded.cases == saved
    cache.close()
