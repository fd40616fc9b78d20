"""A command-line tool's session with a running hub: connect, hello, welcome, then commands.

Used by `python -m hub simulate` and `python -m hub cap import`: the `cc.v1` subprotocol, a
`hello` with the token, a `welcome` or the hub's close reason as a `HubError`. The hub then
brings the session up to date (snapshot or replay) and sends live events; a tool that only
sends commands passes over every frame but the `command.result`s.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from hub.errors import HubError
from protocol import PROTOCOL_VERSION, Command, CommandResult, Hello, Welcome, decode_server, encode

RESULT_TIMEOUT_S = 60.0


class FeedSession:
    def __init__(self, ws: ClientConnection, welcome: Welcome) -> None:
        self.ws = ws
        self.welcome = welcome
        self._waiting: dict[str, asyncio.Future[CommandResult]] = {}
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                data = frame if isinstance(frame, bytes) else frame.encode()
                if b'"type":"command.result"' not in data[:40]:
                    continue
                result = decode_server(data)
                assert isinstance(result, CommandResult)
                waiting = self._waiting.pop(result.id, None)
                if waiting is not None and not waiting.done():
                    waiting.set_result(result)
        finally:
            for waiting in self._waiting.values():
                if not waiting.done():
                    waiting.set_exception(HubError("the hub closed the connection before answering"))

    async def send(self, name: str, args: dict[str, Any]) -> asyncio.Future[CommandResult]:
        """Send a command; the future is its `command.result`."""
        command = Command(id=uuid.uuid4().hex, name=name, args=args)
        answer: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._waiting[command.id] = answer
        await self.ws.send(encode(command), text=True)
        return answer

    async def command(self, name: str, args: dict[str, Any]) -> CommandResult:
        return await asyncio.wait_for(await self.send(name, args), RESULT_TIMEOUT_S)

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
            await self._reader


@contextlib.asynccontextmanager
async def feed_session(url: str, token: str, client: str) -> AsyncIterator[FeedSession]:
    """A session let in by the hub at `url` with `token`; HubError with the reason when it is not."""
    try:
        async with connect(url, subprotocols=[PROTOCOL_VERSION]) as ws:  # type: ignore[list-item]
            await ws.send(encode(Hello(token=token, client=client)), text=True)
            try:
                welcome = decode_server(await ws.recv())
            except ConnectionClosed as exc:
                reason = exc.rcvd.reason if exc.rcvd else "no reason given"
                raise HubError(f"the hub refused {client}: {reason}") from None
            if not isinstance(welcome, Welcome):
                raise HubError(f"the hub answered {type(welcome).__name__}, not welcome")
            session = FeedSession(ws, welcome)
            try:
                yield session
            finally:
                await session.close()
    except OSError as exc:
        raise HubError(f"--hub: cannot reach {url}: {exc.strerror or exc}") from None


def to_args(value: msgspec.Struct) -> dict[str, Any]:
    args = msgspec.to_builtins(value)
    assert isinstance(args, dict)
    return args
