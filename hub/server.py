"""The WebSocket feed: opening, catch-up, live fan-out, commands, bad input, closes.

Every rule here is in docs/protocol.md; the close codes are `protocol.CloseCode`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import struct
import time
from collections import Counter, deque
from collections.abc import Coroutine
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Any

import websockets
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response
from websockets.protocol import State
from websockets.typing import Origin

from hub.auth import MAX_CONNECTIONS_PER_ACCOUNT, Account, hash_token
from hub.core import HUB_NAME, Choice, Hub
from hub.engine.batch import Outcome
from hub.feed_scope import CommitFrames
from hub.ops import health
from hub.ops.metrics import HubMetrics, QueueDepths
from protocol import (
    FEED_PATH,
    PROTOCOL_VERSION,
    BadMessage,
    CloseCode,
    Error,
    ErrorCode,
    Hello,
    ReplayMode,
    SnapshotBegin,
    SnapshotChunk,
    SnapshotEnd,
    Welcome,
    decode_client,
    encode,
)

log = logging.getLogger(__name__)

MAX_COMMANDS_IN_FLIGHT = 256
"""Commands one connection may have awaiting their commit; more wait their turn."""

TOKEN_RECHECK_S = 10.0
"""A token revoked or rotated (`users revoke`, `users rotate`, run by an admin in another process) or run out
ends its open connections within this time: one query over every open token, cheap at this rate."""

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


@dataclass(frozen=True)
class ServerOptions:
    """How `serve` exposes the feed (docs/operations.md)."""

    allow_origins: tuple[str, ...] = ()
    """Origins of browser clients let in (`serve --allow-origin`). A browser always sends `Origin`, so a web
    page elsewhere cannot use a token it got hold of; a client that sends none (the console, a script) is let in."""
    max_connections_per_account: int = MAX_CONNECTIONS_PER_ACCOUNT
    """0: no limit."""
    token_recheck_s: float = TOKEN_RECHECK_S
    """How often the tokens of open connections are looked up again (revoked, rotated, run out); 0: never."""


def _reason(text: str) -> str:
    """A close reason fits in 123 bytes of UTF-8."""
    data = text.encode()[:123]
    return data.decode(errors="ignore")


def text_frame(data: bytes) -> bytes:
    """`data` as one final, unmasked WebSocket text frame with no extension: the bytes websockets'
    `Frame(Opcode.TEXT, data).serialize(mask=False)` writes (tests/hub/test_wire_frames.py), made
    without its checks and buffer (~0.3 us against ~2.5 us a frame here)."""
    size = len(data)
    if size < 126:
        return _SHORT[size] + data
    if size < 65536:
        return _MEDIUM.pack(0x81, 126, size) + data
    return _LONG.pack(0x81, 127, size) + data


_SHORT = [bytes((0x81, size)) for size in range(126)]
_MEDIUM = struct.Struct("!BBH")
_LONG = struct.Struct("!BBQ")


class _WireFrames:
    """A commit's frames as WebSocket text frames, serialised once for every subscriber that takes them whole.

    A server's frames are not masked and the hub negotiates no extension (`compression=None`), so
    the bytes are the same for every connection; the last commit's are kept, keyed by its list.
    """

    def __init__(self) -> None:
        self._frames: list[bytes] | None = None
        self._wire = b""

    def of(self, frames: list[bytes]) -> bytes:
        if frames is not self._frames:
            self._wire = b"".join(map(text_frame, frames))
            self._frames = frames
        return self._wire


_WIRE = _WireFrames()


class Connection:
    """One subscriber: catch-up first, then live frames written without waiting."""

    def __init__(self, hub: Hub, ws: ServerConnection, account: Account, token_hash: str,
                 metrics: HubMetrics | None = None) -> None:
        self.hub = hub
        self.ws = ws
        self.account = account
        self.token_hash = token_hash
        """The hash of the token it said hello with (never the token): looked up again every `token_recheck_s`."""
        self.metrics = metrics
        self.cursor = 0
        self.scope = hub.scoped_feed(account.unit_id) if account.unit_id is not None else None
        """The filter of an account scoped to a unit (hub/feed_scope.py); None: the whole feed."""
        self._bad_frames: deque[float] = deque()
        self._in_flight = asyncio.Semaphore(MAX_COMMANDS_IN_FLIGHT)
        self._tasks: set[asyncio.Task[None]] = set()
        self._answers: list[bytes] = []
        """`command.result` frames committed and not yet written (written together, see `_answered`)."""
        self._flush_soon = False

    # --- live fan-out (called by Hub._send_first or Hub._on_commit, in seq order) ------

    @property
    def whole_feed(self) -> bool:
        """Not scoped: it writes a commit's frames as they are, so it takes them before the hub's bookkeeping."""
        return self.scope is None

    def push(self, frames: list[bytes]) -> None:
        # What websockets' broadcast() does per message, done once per commit for every
        # subscriber: the frames of a commit are framed for the wire once (`_WIRE`) and each
        # subscriber gets them in one write, one syscall per subscriber per commit. Before,
        # each subscriber framed every event again and `send_data()` wrote each frame on its
        # own: at 1,000 events/s and 20 subscribers, 20,000 framings and sends a second, the
        # largest cost of the fan-out (docs/architecture.md, "Commit to subscriber").
        if self._answers:  # answers of an earlier commit go first
            self._flush_answers()
        transport = self._write(frames, shared=self.scope is None, scoped=self.scope is not None)
        if transport is None:
            return
        if transport.get_write_buffer_size() > self.hub.limits.send_queue_bytes:
            self.hub.live.discard(self)
            if self.metrics is not None:
                self.metrics.slow_closes.inc()
            log.warning("%s (%s) closed with 4503: its send queue passed %d bytes", self.account.name,
                        self.account.role.value, self.hub.limits.send_queue_bytes)
            self.spawn(self.ws.close(CloseCode.TOO_SLOW, "too slow: send queue full; resume"))

    def _write(self, frames: list[bytes], *, shared: bool, scoped: bool = False) -> asyncio.Transport | None:
        """Write `frames` as text frames in one write, now; the transport, or None when the connection is not open.

        `shared`: `frames` is a commit's list, whose wire bytes every whole-feed subscriber shares (`_WIRE`).
        `scoped`: rewrite them for this desk's scope first.
        """
        protocol = self.ws.protocol
        if protocol.state is not State.OPEN:
            return None
        transport = self.ws.transport
        if transport is None:
            return None
        try:
            if (not scoped and not protocol.extensions and not protocol.writes
                    and not protocol.expect_continuation_frame):
                # what send_text + send_data would write, byte for byte
                transport.write(_WIRE.of(frames) if shared else b"".join(map(text_frame, frames)))
            else:  # a scoped desk's own frames (or a state the shared bytes do not fit): framed here, one write
                if scoped:
                    assert self.scope is not None
                    frames = self.scope.frames(self.hub.commit_frames(frames))
                for frame in frames:
                    protocol.send_text(frame)
                writes = protocol.data_to_send()
                if all(writes):
                    transport.write(b"".join(writes))
                else:  # an end-of-stream marker (b""): not while OPEN, but websockets knows what to do with it
                    protocol.writes[:0] = writes
                    self.ws.send_data()
        except Exception as exc:  # the socket died under us; its handler closes it
            log.debug("write to %s failed: %s", self.account.name, exc)
            return None
        return transport

    # --- answers -----------------------------------------------------------------------

    def _answered(self, future: asyncio.Future[tuple[bytes, Outcome]]) -> None:
        """A command's job committed (the future's callback): its answer joins the others of its commit.

        A commit answers up to 256 commands of one connection at once. Each was a task awaiting its
        job and then `ws.send`, one write and one syscall an answer; now the answers the writer
        resolves together are written in one write on the loop's next turn, after the commit's
        events (pushed before the futures are resolved) and before the next commit's.
        """
        self._in_flight.release()
        if future.cancelled():
            return
        self._answers.append(future.result()[0])
        if not self._flush_soon:
            self._flush_soon = True
            asyncio.get_running_loop().call_soon(self._flush_answers)

    def _flush_answers(self) -> None:
        self._flush_soon = False
        answers, self._answers = self._answers, []
        if answers:
            self._write(answers, shared=False)

    # --- catch-up --------------------------------------------------------------------

    async def catch_up(self, choice: Choice) -> None:
        if choice.mode is ReplayMode.SNAPSHOT:
            size = self.hub.limits.snapshot_chunk_items
            items = choice.snapshot
            await self.ws.send(encode(SnapshotBegin(as_of_seq=choice.head_seq, total=len(items))), text=True)
            for start in range(0, len(items), size):
                await self.ws.send(encode(SnapshotChunk(items=items[start : start + size])), text=True)
            await self.ws.send(encode(SnapshotEnd(as_of_seq=choice.head_seq, units=choice.units,
                                                  emergencies=choice.emergencies, tasks=choice.tasks,
                                                  directives=choice.directives, receipts=choice.receipts,
                                                  warnings=choice.warnings, rota=choice.rota,
                                                  handovers=choice.handovers, resources=choice.resources,
                                                  shelves=choice.shelves)),
                          text=True)
            self.cursor = choice.head_seq
        while self.cursor < self.hub.head_seq:
            frames = await self.hub.frames_after(self.cursor)
            if self.scope is not None:
                frames = self.scope.frames(CommitFrames(frames))
            for frame in frames:
                await self.ws.send(frame, text=True)
            self.cursor += len(frames)
        # No await between the check above and joining: the next commit reaches us live.
        self.hub.live.add(self)
        self.push([self.hub.figures_frame()])  # caught up: the figures as of now, then as they change

    # --- frames from the client ------------------------------------------------------

    async def serve_commands(self) -> None:
        async for frame in self.ws:
            if isinstance(frame, bytes):
                await self._bad("binary frames are not accepted; send UTF-8 JSON text frames")
                continue
            try:
                message = decode_client(frame)
            except BadMessage as exc:
                await self._bad(str(exc))
                continue
            if isinstance(message, Hello):
                await self._bad("already greeted: hello is only the first frame")
                continue
            await self._in_flight.acquire()
            if self.ws.paused:  # answers are written without waiting: take no command while the socket is full
                try:
                    await self.ws.drain()
                except OSError:  # the connection was lost meanwhile; the next read ends the loop
                    continue
            self.hub.submit_command(self.account, message).add_done_callback(self._answered)

    async def _bad(self, message: str) -> None:
        now = time.monotonic()
        self._bad_frames.append(now)
        while self._bad_frames and now - self._bad_frames[0] > 60.0:
            self._bad_frames.popleft()
        if len(self._bad_frames) > self.hub.limits.bad_frames_per_minute:
            await self.ws.close(CloseCode.TOO_MANY_BAD_FRAMES, "too many bad frames")
            return
        await self.ws.send(encode(Error(code=ErrorCode.BAD_MESSAGE, message=message)), text=True)

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def stop(self) -> None:
        self.hub.live.discard(self)
        for task in self._tasks:
            task.cancel()


def _hello_token_problem(frame: str) -> str | None:
    """Why a hello that did not decode was refused for its token alone, or None.

    A hello whose only fault is its token (missing, null, not a string, too long) is refused
    like an unknown token, with 4401; any other fault makes the frame no hello (4400).
    """
    try:
        data = json.loads(frame)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("type") != "hello":
        return None
    token = data.get("token")
    try:
        decode_client(json.dumps({**data, "token": ""}))
    except BadMessage:
        return None
    return "hello without a token" if token is None else "bad token: not a string, or too long"


async def _greet(hub: Hub, ws: ServerConnection, feed: Feed) -> tuple[Hello, Account] | None:
    try:
        first = await asyncio.wait_for(ws.recv(), hub.limits.hello_timeout_s)
    except TimeoutError:
        await ws.close(CloseCode.HELLO_TIMEOUT, f"no hello within {hub.limits.hello_timeout_s:g} s")
        return None
    except websockets.ConnectionClosed:
        return None  # the client left before its hello (a console closed at once): nothing to answer
    if isinstance(first, bytes):
        await ws.close(CloseCode.FIRST_FRAME_NOT_HELLO, "first frame must be a JSON text hello")
        return None
    try:
        hello = decode_client(first)
    except BadMessage as exc:
        token_problem = _hello_token_problem(first)
        if token_problem is not None:
            await ws.close(CloseCode.UNAUTHORIZED, token_problem)
        else:
            await ws.close(CloseCode.FIRST_FRAME_NOT_HELLO, _reason(f"first frame is not a hello: {exc}"))
        return None
    if not isinstance(hello, Hello):
        await ws.close(CloseCode.FIRST_FRAME_NOT_HELLO, "first frame must be a hello")
        return None
    account = await hub.authenticate(hello.token)
    if account is None:
        feed.metrics.refused.labels("unauthorized").inc()
        log.warning("refused a hello from %s: unknown or revoked token", _peer(ws))
        await ws.close(CloseCode.UNAUTHORIZED, "unknown or revoked token")
        return None
    if account.expired():
        assert account.expires_at is not None
        feed.metrics.refused.labels("token_expired").inc()
        log.warning("refused %s from %s: token expired at %s", account.name, _peer(ws),
                    account.expires_at.isoformat(timespec="seconds"))
        await ws.close(CloseCode.TOKEN_EXPIRED, _expired_reason(account))
        return None
    return hello, account


def _expired_reason(account: Account) -> str:
    assert account.expires_at is not None
    at = account.expires_at.isoformat(timespec="seconds")
    return _reason(f"token of {account.name} expired at {at}; ask an admin for a new one (users rotate)")


def _peer(ws: ServerConnection) -> str:
    address = ws.remote_address
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) >= 2 else str(address)


async def handle(hub: Hub, ws: ServerConnection, feed: Feed) -> None:
    greeted = await _greet(hub, ws, feed)
    if greeted is None:
        return
    hello, account = greeted
    if not feed.admit(account):
        feed.metrics.refused.labels("too_many_connections").inc()
        limit = feed.options.max_connections_per_account
        log.warning("refused %s from %s: it already holds %d connections", account.name, _peer(ws), limit)
        await ws.close(CloseCode.TOO_MANY_CONNECTIONS, f"{account.name} already holds {limit} connections")
        return
    connection = Connection(hub, ws, account, hash_token(hello.token), feed.metrics)
    feed.joined(connection)
    choice = hub.choose(hello, connection.scope)
    welcome = Welcome(
        role=account.role,
        user=account.name,
        server_time=hub.clock(),
        head_seq=choice.head_seq,
        mode=choice.mode,
        log_id=hub.log_id,
        hub=HUB_NAME,
        limits=hub.limits,
        unit_id=account.unit_id,
    )
    if choice.mode is ReplayMode.REPLAY:
        assert hello.resume_from is not None
        connection.cursor = hello.resume_from
    log.info("%s (%s) connected from %s: %s", account.name, account.role.value, _peer(ws), choice.mode.value)
    opened = time.monotonic()
    try:
        await ws.send(encode(welcome), text=True)
        if (map_frame := hub.geography_frame(hello.geography)) is not None:
            await ws.send(map_frame, text=True)  # before the catch-up: a drill-down can draw its first case
        catch_up = asyncio.ensure_future(connection.catch_up(choice))
        try:
            await connection.serve_commands()
        finally:
            catch_up.cancel()
            with contextlib.suppress(asyncio.CancelledError, websockets.ConnectionClosed):
                await catch_up
    except websockets.ConnectionClosed:
        pass
    finally:
        connection.stop()
        feed.left(connection)
        code = ws.close_code if ws.close_code is not None else "no close code"
        log.info("%s (%s) left after %.0f s (%s)", account.name, account.role.value, time.monotonic() - opened, code)


class Feed:
    """What one server keeps across connections: its options, its metrics, who is connected."""

    def __init__(self, hub: Hub, options: ServerOptions) -> None:
        self.hub = hub
        self.options = options
        self.metrics = HubMetrics()
        self.connections: set[Connection] = set()
        self._per_account: Counter[str] = Counter()
        self.metrics.watch(QueueDepths(lambda: hub.writer.queued_jobs, self._send_buffers, lambda: hub.head_seq))

    def admit(self, account: Account) -> bool:
        limit = self.options.max_connections_per_account
        if limit and self._per_account[account.name] >= limit:
            return False
        self._per_account[account.name] += 1
        return True

    def joined(self, connection: Connection) -> None:
        self.connections.add(connection)
        self.metrics.connections.labels(connection.account.role.value).inc()

    def left(self, connection: Connection) -> None:
        self.connections.discard(connection)
        self.metrics.connections.labels(connection.account.role.value).dec()
        name = connection.account.name
        self._per_account[name] -= 1
        if self._per_account[name] <= 0:
            del self._per_account[name]

    async def watch_tokens(self) -> None:
        """Every `token_recheck_s`, end the connections whose token was revoked, rotated or has run out."""
        every = self.options.token_recheck_s
        if every <= 0:
            return
        while True:
            await asyncio.sleep(every)
            try:
                await self.recheck_tokens()
            except Exception:  # a database hiccup: the next round tries again
                log.exception("could not look up the tokens of open connections")

    async def recheck_tokens(self) -> None:
        connections = list(self.connections)
        if not connections:
            return
        accounts = await self.hub.accounts_now({c.token_hash for c in connections})
        now = datetime.now(UTC)
        for connection in connections:
            account = accounts.get(connection.token_hash)
            if account is None:
                self._end(connection, CloseCode.UNAUTHORIZED, "token revoked or rotated; ask an admin for the new one",
                          "token_revoked")
            elif account.expired(now):
                self._end(connection, CloseCode.TOKEN_EXPIRED, _expired_reason(account), "token_expired")
            else:
                connection.account = account  # a new expiry, kept for the next round

    def _end(self, connection: Connection, code: CloseCode, reason: str, label: str) -> None:
        if connection not in self.connections:
            return
        self.connections.discard(connection)  # once: its handler's `left` still counts it out
        self.hub.live.discard(connection)  # not one more event for it
        self.metrics.ended.labels(label).inc()
        log.warning("closed %s (%s) from %s with %d: %s", connection.account.name, connection.account.role.value,
                    _peer(connection.ws), code, reason)
        connection.spawn(connection.ws.close(code, reason))

    def _send_buffers(self) -> list[int]:
        return [c.ws.transport.get_write_buffer_size() for c in self.connections if c.ws.transport is not None]

    def check_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?", 1)[0]
        if path == HEALTH_PATH:
            status, body = health.check(self.hub, len(self.connections))
            return _http(status, body.encode(), "application/json")
        if path == METRICS_PATH:
            return _http(HTTPStatus.OK, *self.metrics.render(request.headers.get("Accept")))
        if path != FEED_PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, f"the feed is at {FEED_PATH}\n")
        offered = request.headers.get_all("Sec-WebSocket-Protocol")
        if not any(PROTOCOL_VERSION in [p.strip() for p in value.split(",")] for value in offered):
            return connection.respond(HTTPStatus.BAD_REQUEST, f"offer the subprotocol {PROTOCOL_VERSION}\n")
        return None


def _http(status: HTTPStatus, body: bytes, content_type: str) -> Response:
    headers = Headers([("Connection", "close"), ("Content-Length", str(len(body))), ("Content-Type", content_type),
                       ("Cache-Control", "no-store")])
    return Response(status.value, status.phrase, headers, body)


class _Serving:
    """`start_server`'s context: the writer reports its commits to the metrics once the hub is open."""

    def __init__(self, feed: Feed, server: AbstractAsyncContextManager[Server]) -> None:
        self.feed = feed
        self._server = server
        self._tokens: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Server:
        self.feed.hub.writer.on_committed = self.feed.metrics.observe_commit
        server = await self._server.__aenter__()
        self._tokens = asyncio.get_running_loop().create_task(self.feed.watch_tokens(), name="token-recheck")
        return server

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> bool | None:
        if self._tokens is not None:
            self._tokens.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._tokens
        return await self._server.__aexit__(exc_type, exc, tb)


def start_server(
    hub: Hub, host: str, port: int, ssl_context: ssl.SSLContext | None = None, options: ServerOptions | None = None
) -> _Serving:
    """`async with start_server(...) as server:` serves the feed (and `/healthz`, `/metrics`) until the block ends;
    enter it after `hub.open()`."""
    feed = Feed(hub, options or ServerOptions())
    server: AbstractAsyncContextManager[Server] = serve(
        lambda ws: handle(hub, ws, feed),
        host,
        port,
        subprotocols=[PROTOCOL_VERSION],  # type: ignore[list-item]
        process_request=feed.check_request,
        origins=[None, *map(Origin, feed.options.allow_origins)],  # None: a client that is no browser
        max_size=hub.limits.max_frame_bytes,
        ping_interval=hub.limits.ping_interval_s,
        ping_timeout=hub.limits.ping_timeout_s,
        ssl=ssl_context,
        compression=None,
    )
    return _Serving(feed, server)


def bound_port(server: Server) -> int:
    for sock in server.sockets:
        return int(sock.getsockname()[1])
    raise RuntimeError("server has no socket")
