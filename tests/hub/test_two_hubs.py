"""Two hub processes' worth of hubs on one PostgreSQL log serve the same gapless stream."""

from __future__ import annotations

import asyncio
from typing import Any

from hub.embedded import EmbeddedHub
from tests.hub.conftest import WAIT_S, case_args, fresh_postgres, greet


def test_two_hubs_on_one_postgres_serve_the_same_gapless_order() -> None:
    with fresh_postgres() as url:

        async def main() -> None:
            async with EmbeddedHub(url, simulate=False, user="duty-a") as hub_a, EmbeddedHub(
                url, simulate=False, user="duty-b"
            ) as hub_b:
                watch_a, _ = await greet(hub_a)
                watch_b, _ = await greet(hub_b)
                for watcher in (watch_a, watch_b):
                    await watcher.recv_until(lambda f: f["type"] == "snapshot.end")
                write_a, _ = await greet(hub_a)
                write_b, _ = await greet(hub_b)

                async def write(client: Any, hub: EmbeddedHub, tag: str) -> list[str]:
                    serials = []
                    for n in range(15):
                        result = await client.command("case.create", case_args(hub), f"{tag}-{n}")
                        assert result["ok"], result
                        serials.append(result["result"]["serial"])
                    return serials

                made_a, made_b = await asyncio.gather(write(write_a, hub_a, "a"), write(write_b, hub_b, "b"))
                assert len(set(made_a) | set(made_b)) == 30, "serial numbers are unique across hubs"

                async def stream(watcher: Any) -> list[tuple[int, str]]:
                    async with asyncio.timeout(WAIT_S):
                        frames = [await watcher.recv() for _ in range(30)]
                    return [(f["seq"], f["data"]["serial"]) for f in frames]

                seen_a, seen_b = await stream(watch_a), await stream(watch_b)
                assert [seq for seq, _ in seen_a] == list(range(1, 31))
                assert seen_a == seen_b
                assert hub_a.hub.head_seq == hub_b.hub.head_seq == 30

        asyncio.run(main())


def test_an_idle_hub_learns_of_the_others_events_without_writing() -> None:
    with fresh_postgres() as url:

        async def main() -> None:
            async with EmbeddedHub(url, simulate=False, user="duty-a") as busy, EmbeddedHub(
                url, simulate=False, user="duty-b"
            ) as idle:
                watcher, _ = await greet(idle)
                await watcher.recv_until(lambda f: f["type"] == "snapshot.end")
                writer, _ = await greet(busy)
                result = await writer.command("case.create", case_args(busy), "only")
                event = await watcher.recv()
                assert event["type"] == "case.created"
                assert event["data"]["serial"] == result["result"]["serial"]
                assert idle.hub.writer.cases[result["result"]["id"]].serial == result["result"]["serial"]

        asyncio.run(main())
