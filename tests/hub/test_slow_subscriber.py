"""A subscriber that cannot keep up is closed with 4503; the others get every event."""

from __future__ import annotations

import asyncio

from hub.embedded import EmbeddedHub
from protocol.limits import Limits
from tests.hub.conftest import WAIT_S, case_args, greet, open_raw, run_hub


def test_slow_subscriber_is_dropped_and_others_get_everything(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        from protocol import CaseCreateArgs
        from protocol.codec import convert_args

        slow = await open_raw(hub.url, max_queue=1)  # stops reading from its socket early
        await slow.send({"type": "hello", "token": hub.token})
        fast, _ = await greet(hub)
        await fast.recv_until(lambda f: f["type"] == "snapshot.end")
        assert len(hub.hub.live) == 2
        received: list[int] = []

        async def read_fast() -> None:
            while True:
                received.append((await fast.recv())["seq"])

        reader = asyncio.ensure_future(read_fast())
        args = convert_args(case_args(hub, description="排水不畅" * 500), CaseCreateArgs)
        pushed = 0
        async with asyncio.timeout(WAIT_S * 3):
            while len(hub.hub.live) == 2:
                await asyncio.gather(*(
                    hub.hub.run_internal("case.create", lambda b: hub.hub.cases.create(b, args, "test"))
                    for _ in range(200)
                ))
                pushed += 200
        assert len(hub.hub.live) == 1
        code, reason = await slow.closed()
        assert code == 4503, reason
        async with asyncio.timeout(WAIT_S):
            while len(received) < pushed:
                await asyncio.sleep(0.01)
        reader.cancel()
        assert received == list(range(1, pushed + 1))

    run_hub(db_url, scenario, limits=Limits(send_queue_bytes=64 * 1024))
