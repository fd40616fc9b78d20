"""The feed gives the event loop its turns (`FeedPacer`), against a real hub: a held feed applies nothing
until released and then everything in order; a burst is applied in slices with the loop running between."""

from __future__ import annotations

import asyncio
from pathlib import Path

from backend_client.connection import FeedConnection
from backend_client.feed_pacer import FeedPacer
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from tests.backend_client.test_connection import until
from tests.hub.conftest import case_args


def test_a_held_feed_applies_nothing_until_released_then_everything_in_order(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store, other = CaseStore(), CaseStore()
            conn = FeedConnection(hub.url, hub.token, store)
            sender = FeedConnection(hub.url, hub.token, other)  # another desk creates the cases
            await conn.start()
            await sender.start()
            try:
                await until(lambda: ConnectionState.LIVE == conn.state == sender.state, "both live")
                conn.pacer.hold()  # as the window does while a drain's paint is on its way
                created = [await sender.send_command("case.create", case_args(hub, description=f"held {n}"))
                           for n in range(3)]
                assert all(result.ok for result in created)
                await until(lambda: other.last_seq == 3, "the other desk has the three events")
                await until(lambda: conn.pacer.turns_given >= 1, "the held feed waiting with a frame")
                assert store.last_seq == 0 and len(store) == 0  # held: nothing applied
                conn.pacer.release()
                await until(lambda: store.last_seq == 3, "the three events once released")
                assert sorted(case.description for case in store.cases()) == ["held 0", "held 1", "held 2"]
            finally:
                await sender.close()
                await conn.close()

    asyncio.run(main())


def test_a_burst_is_applied_in_slices_with_the_event_loop_running_between(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store, other = CaseStore(), CaseStore()
            conn = FeedConnection(hub.url, hub.token, store)
            conn.pacer = FeedPacer(slice_s=0.0)  # a slice of one frame: a turn before every frame
            sender = FeedConnection(hub.url, hub.token, other)
            await conn.start()
            await sender.start()
            seen: set[int] = set()
            loop = asyncio.get_running_loop()
            ticking = True

            def tick() -> None:  # another piece of work on the loop (the window's timers, input, paints)
                seen.add(store.last_seq)
                if ticking:
                    loop.call_soon(tick)

            try:
                await until(lambda: ConnectionState.LIVE == conn.state == sender.state, "both live")
                conn.pacer.hold()  # the burst queues up behind the held feed: frames that came together
                results = await asyncio.gather(*(sender.send_command("case.create", case_args(hub)) for _ in range(40)))
                assert all(result.ok for result in results)
                await until(lambda: other.last_seq == 40, "the other desk has the burst")
                await until(lambda: conn.pacer.turns_given >= 1, "the held feed waiting with a frame")
                assert store.last_seq == 0
                tick()
                conn.pacer.release()
                await until(lambda: store.last_seq == 40, "the burst applied")
                assert len(store) == 40
                # Applied in one go, the loop would have seen the store before and after (0 and 40) only.
                assert len(seen) >= 20 and max(seen) == 40, sorted(seen)
            finally:
                ticking = False
                await sender.close()
                await conn.close()

    asyncio.run(main())
