"""A scripted hub for faults a real one will not produce on demand (tests of `FeedConnection`).

It speaks just enough of `cc.v1` (protocol Structs, `protocol.encode`): answers each `hello`
with a `welcome`, replays its events after `resume_from` or sends a snapshot, and then does
what the test's `fault` says for that connection: drop the link in the middle of the
snapshot, drop it as soon as the client has caught up, go silent (stop reading, so no pong, and
send nothing), or serve normally. Commands it answers (`ok`, an empty result) only when the same
`id` has come `answer_on` times (0: never, a hub that loses them); `commands` counts the arrivals.
Every hello is recorded with the loop's time, and waiters can be woken on the n-th.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import websockets
from websockets.asyncio.server import ServerConnection, serve

from protocol import (
    PROTOCOL_VERSION,
    CommandResult,
    Limits,
    ReplayMode,
    Role,
    SnapshotBegin,
    SnapshotEnd,
    Welcome,
    encode,
)
from protocol.events import KnownEvent

LOG_ID = "fake-log"

SERVE = "serve"
DROP_MID_SNAPSHOT = "drop_mid_snapshot"
SILENT = "silent"
DROP_WHEN_CAUGHT_UP = "drop_when_caught_up"


@dataclass
class FakeHub:
    events: list[KnownEvent | bytes] = field(default_factory=list)
    """The log: Structs, or raw frames (bytes, with the seq given by their position + 1)."""
    fault: Callable[[int], str] = lambda _n: SERVE
    """What to do on the n-th connection (1-based): SERVE, DROP_MID_SNAPSHOT, DROP_WHEN_CAUGHT_UP or SILENT."""
    hellos: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    url: str = ""
    release: asyncio.Event = field(default_factory=asyncio.Event)
    """Set at the end of a test: a silent connection's handler then returns."""
    answer_on: int = 0
    """Answer a command when its id arrives for the n-th time (on any connection); 0: never."""
    commands: collections.Counter[str] = field(default_factory=collections.Counter)
    """How many times each command id has arrived."""
    _waiters: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)

    def head(self) -> int:
        return len(self.events)

    async def nth_hello(self, n: int) -> None:
        """Resolves when the n-th hello has arrived."""
        if len(self.hellos) >= n:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((n, future))
        await future

    async def handler(self, ws: ServerConnection) -> None:
        hello = json.loads(await ws.recv())
        self.hellos.append((asyncio.get_running_loop().time(), hello))
        for n, future in self._waiters:
            if len(self.hellos) >= n and not future.done():
                future.set_result(None)
        fault = self.fault(len(self.hellos))
        resume = hello.get("resume_from")
        replay = resume is not None and hello.get("log_id") in (None, LOG_ID) and resume <= self.head()
        mode = ReplayMode.REPLAY if replay else ReplayMode.SNAPSHOT
        await ws.send(encode(Welcome(role=Role.DUTY, user="wang.li", server_time=datetime.now(UTC),
                                     head_seq=self.head(), mode=mode, log_id=LOG_ID, hub="fake-hub",
                                     limits=Limits())), text=True)
        start = int(resume) if replay else 0
        if not replay:
            await ws.send(encode(SnapshotBegin(as_of_seq=0, total=0)), text=True)
            if fault == DROP_MID_SNAPSHOT:
                ws.transport.abort()  # the link dies before snapshot.end
                return
            await ws.send(encode(SnapshotEnd(as_of_seq=0)), text=True)
        for event in self.events[start:]:
            await ws.send(event if isinstance(event, bytes) else encode(event), text=True)
        if fault == DROP_WHEN_CAUGHT_UP:
            ws.transport.abort()  # the client has everything, and the link dies
            return
        if fault == SILENT:
            ws.transport.pause_reading()  # no pong, no frame: a hub stuck without closing
            await self.release.wait()
            ws.transport.abort()
            return
        with contextlib.suppress(websockets.ConnectionClosed):
            async for frame in ws:
                command = json.loads(frame)
                if command.get("type") != "command":
                    continue
                self.commands[command["id"]] += 1
                if self.commands[command["id"]] == self.answer_on:
                    await ws.send(encode(CommandResult(id=command["id"], ok=True, result={})), text=True)

    async def push(self, event: KnownEvent) -> None:
        """Append a live event (sent to the connections that join after it; enough for these tests)."""
        self.events.append(event)


@contextlib.asynccontextmanager
async def running(hub: FakeHub) -> AsyncIterator[FakeHub]:
    async with serve(hub.handler, "127.0.0.1", 0, subprotocols=[PROTOCOL_VERSION]) as server:  # type: ignore[list-item]
        port = next(iter(server.sockets)).getsockname()[1]
        hub.url = f"ws://127.0.0.1:{port}/feed"
        try:
            yield hub
        finally:
            hub.release.set()
            server.close()
