"""The client's connection to the feed: hello, catch-up, live events, commands, resume.

It only moves frames and waits; `session.FeedSession` decides. It keeps reconnecting (with
backoff and jitter) until closed or until the hub says another try cannot help.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import broadcast

from backend_client.session import ConnectionState, FeedSession, Reconnect, Resync
from backend_client.store import CaseStore
from protocol import (
    PROTOCOL_VERSION,
    BadMessage,
    Command,
    CommandResult,
    Role,
    Welcome,
    decode_server,
    encode,
)

log = logging.getLogger(__name__)

Listener = Callable[["FeedConnection"], None]


class FeedConnection:
    """A resilient subscription to one hub, applying events to a `CaseStore`."""

    def __init__(
        self,
        url: str,
        token: str,
        store: CaseStore,
        *,
        client_name: str = "cc-console/0.1",
        open_timeout_s: float = 10.0,
        ping_interval_s: float = 20.0,
    ) -> None:
        self.url = url
        self.store = store
        self.session = FeedSession(store, token, client_name)
        self.state = ConnectionState.CONNECTING
        self.state_detail = ""
        self.role: Role | None = None
        self.user: str | None = None
        self.last_event_monotonic: float | None = None
        self.server_skew_s = 0.0
        self.retry_at_monotonic: float | None = None
        self._open_timeout_s = open_timeout_s
        self._ping_interval_s = ping_interval_s
        self._listeners: list[Listener] = []
        self._pending: dict[str, tuple[bytes, asyncio.Future[CommandResult]]] = {}
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # --- public ----------------------------------------------------------------------

    def add_listener(self, callback: Listener) -> None:
        self._listeners.append(callback)

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="feed-connection")

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for _, future in self._pending.values():
            if not future.done():
                future.cancel()
        self._set_state(ConnectionState.STOPPED, "closed")

    async def send_command(
        self, name: str, args: dict[str, Any], *, command_id: str | None = None
    ) -> CommandResult:
        """Send a command and wait for its result; kept and re-sent (same id) across reconnects."""
        command_id = command_id or uuid.uuid4().hex
        frame = encode(Command(id=command_id, name=name, args=args))
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        self._pending[command_id] = (frame, future)
        if self._ws is not None and self.session.welcome is not None:
            with contextlib.suppress(websockets.ConnectionClosed):
                await self._ws.send(frame, text=True)
        try:
            return await future
        finally:
            self._pending.pop(command_id, None)

    @property
    def pending_commands(self) -> int:
        return len(self._pending)

    @property
    def welcome(self) -> Welcome | None:
        return self.session.welcome

    # --- the loop --------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._closing:
            self._set_state(ConnectionState.CONNECTING, self.url)
            code: int | None = None
            reason = ""
            resync = False
            try:
                async with connect(
                    self.url,
                    subprotocols=[PROTOCOL_VERSION],  # type: ignore[list-item]
                    open_timeout=self._open_timeout_s,
                    ping_interval=self._ping_interval_s,
                    ping_timeout=self._ping_interval_s,
                    max_size=None,
                    compression=None,
                ) as ws:
                    self._ws = ws
                    await ws.send(self.session.hello(), text=True)
                    resync = await self._receive(ws)
                    code, reason = ws.close_code, ws.close_reason or ""
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                reason = exc.rcvd.reason if exc.rcvd else ""
            except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
                reason = str(exc) or type(exc).__name__
            finally:
                self._ws = None
                self.session.welcome = None
            if self._closing:
                return
            if resync:
                continue
            decision = self.session.on_close(code, reason)
            if not isinstance(decision, Reconnect):
                self._set_state(ConnectionState.STOPPED, decision.reason)
                return
            self.retry_at_monotonic = time.monotonic() + decision.delay_s
            self._set_state(ConnectionState.BACKOFF, decision.reason)
            await asyncio.sleep(decision.delay_s)

    async def _receive(self, ws: ClientConnection) -> bool:
        """Apply frames until the socket closes; True when it was closed for a resync."""
        async for frame in ws:
            try:
                message = decode_server(frame)
            except BadMessage as exc:
                log.warning("ignored a frame the client cannot read: %s", exc)
                continue
            outcome = self.session.on_message(message)
            if isinstance(outcome, Resync):
                log.warning("resync: %s", outcome.reason)
                await ws.close(1000, "resync")
                return True
            if isinstance(message, CommandResult):
                pending = self._pending.get(message.id)
                if pending is not None and not pending[1].done():
                    pending[1].set_result(message)
            elif isinstance(message, Welcome):
                self._on_welcome(ws, message)
            elif self.session.caught_up:
                self.last_event_monotonic = time.monotonic()
                if self.state is not ConnectionState.LIVE:
                    self._set_state(ConnectionState.LIVE, "")
        return False

    def _on_welcome(self, ws: ClientConnection, welcome: Welcome) -> None:
        self.role = welcome.role
        self.user = welcome.user
        self.server_skew_s = (welcome.server_time - datetime.now(UTC)).total_seconds()
        self.last_event_monotonic = time.monotonic()
        for frame, _ in list(self._pending.values()):
            broadcast((ws,), frame, text=True)  # resend unanswered commands, same ids
        if self.session.caught_up:
            self._set_state(ConnectionState.LIVE, "")
        else:
            self._set_state(ConnectionState.SYNCING, welcome.mode.value)

    def _set_state(self, state: ConnectionState, detail: str) -> None:
        self.state = state
        self.state_detail = detail
        for listener in list(self._listeners):
            try:
                listener(self)
            except Exception:
                log.exception("connection listener failed")
