"""The client's connection against a real hub: sync, live, resume across a hub restart."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import websockets
from websockets.asyncio.server import serve

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from protocol import PROTOCOL_VERSION
from tests.hub.conftest import WAIT_S, case_args


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for `condition` on the event loop; fail with `what` after WAIT_S."""
    try:
        async with asyncio.timeout(WAIT_S):
            while not condition():
                await asyncio.sleep(0.005)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None


def test_connects_syncs_and_follows_live(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            store = CaseStore()
            conn = FeedConnection(hub.url, hub.token, store)
            await conn.start()
            await until(lambda: conn.state is ConnectionState.LIVE, "live")
            assert conn.role is not None and conn.role.value == "duty"
            result = await conn.send_command("case.create", case_args(hub, description="井盖缺失"))
            assert result.ok, result.error
            assert result.result is not None
            await until(lambda: store.last_seq == 1, "the case's event")
            case = store.get(str(result.result["id"]))
            assert case is not None
            assert case.description == "井盖缺失"
            await conn.close()
            assert conn.state is ConnectionState.STOPPED

    asyncio.run(main())


def test_resumes_after_a_hub_restart_and_resends_unanswered_commands_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"

    async def main() -> None:
        hub = EmbeddedHub(db, simulate=False, port=0)
        await hub.__aenter__()
        port, token = hub.port, hub.token
        store = CaseStore()
        conn = FeedConnection(hub.url, token, store)
        await conn.start()
        await until(lambda: conn.state is ConnectionState.LIVE, "live")
        assert (await conn.send_command("case.create", case_args(hub))).ok
        await until(lambda: store.last_seq == 1, "first event")
        await hub.__aexit__(None, None, None)
        await until(lambda: conn.state is ConnectionState.BACKOFF, "backoff after the hub went away")
        pending = asyncio.ensure_future(conn.send_command("case.create", case_args(hub), command_id="while-down"))
        # the same database, port and accounts: the client's token still holds
        async with EmbeddedHub(db, simulate=False, port=port, make_account=False) as restarted:
            try:
                result = await asyncio.wait_for(pending, WAIT_S * 3)
                assert result.ok
                await until(lambda: store.last_seq == 2, "the resent command's event")
                assert restarted.hub.head_seq == 2  # applied exactly once
                assert conn.welcome is not None and conn.welcome.mode.value == "replay"
            finally:
                await conn.close()
        _ = token

    asyncio.run(main())


def test_a_seq_gap_makes_the_client_resume_from_its_last_event() -> None:
    """A scripted hub skips seq 2: a fault a real hub does not produce on demand."""
    hellos: list[dict[str, Any]] = []

    async def scripted(ws: Any) -> None:
        hello = json.loads(await ws.recv())
        hellos.append(hello)
        welcome = {"type": "welcome", "role": "duty", "user": "u", "server_time": "2026-11-24T00:00:00Z",
                   "head_seq": 0, "mode": "snapshot", "log_id": "L", "hub": "scripted", "limits": {}}
        await ws.send(json.dumps(welcome))
        if len(hellos) == 1:
            await ws.send(json.dumps({"type": "snapshot.begin", "as_of_seq": 0, "total": 0}))
            await ws.send(json.dumps({"type": "snapshot.end", "as_of_seq": 0}))
            for seq in (1, 3):
                await ws.send(json.dumps({"type": "zone.updated", "seq": seq, "ts": "2026-11-24T00:00:00Z"}))
        try:
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass

    async def main() -> None:
        async with serve(scripted, "127.0.0.1", 0, subprotocols=[PROTOCOL_VERSION]) as server:  # type: ignore[list-item]
            port = next(iter(server.sockets)).getsockname()[1]
            conn = FeedConnection(f"ws://127.0.0.1:{port}/feed", "t", CaseStore())
            await conn.start()
            await until(lambda: len(hellos) == 2, "a second hello after the gap")
            await conn.close()
        assert hellos[0]["resume_from"] is None
        assert hellos[1]["resume_from"] == 1
        assert hellos[1]["log_id"] == "L"

    asyncio.run(main())


def test_a_refused_token_stops_with_the_reason(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            conn = FeedConnection(hub.url, "wrong", CaseStore())
            await conn.start()
            await until(lambda: conn.state is ConnectionState.STOPPED, "stopped")
            assert "token" in conn.state_detail
            await conn.close()

    asyncio.run(main())
