"""The client's connection to the feed: hello, catch-up, live events, commands, resume.

It only moves frames and waits; `session.FeedSession` decides. It keeps reconnecting (with
backoff and jitter) until closed or until the hub says another try cannot help.

With an `Outbox`, every command is committed to a local file before it is sent and stays
there until the hub answers; commands left from an earlier run are loaded here and sent
after the first `welcome`, with their original ids. `commands` (a `CommandTracker`) says
which cases have commands on their way or refused. `health()` says how current the data is:
the connection pings the hub every `heartbeat_s`, and a link on which nothing at all (no pong,
no frame) arrives for `pong_timeout_s` after a ping is dropped and resumed: a hub gone silent
is found within about `heartbeat_s + pong_timeout_s`, not websockets' own 40 s.

The backoff between attempts starts again from its first step only once a connection has
caught up and then answered a heartbeat ping, not at its `welcome`: a hub that welcomes and then
drops the link in every snapshot, or as soon as the client has caught up, is retried less and
less often. Nothing the store, its taps or the outbox raise ends the feed:
the error is logged, kept in `fault` (the console shows it) and the connection is made again,
resuming from the last event applied. An event of a known type whose data this client cannot
read is counted (`unreadable`), logged, and skipped with its `seq` (docs/protocol.md, Compatibility).

The hub answers every command exactly once, and a command's `id` makes sending it again safe
(docs/protocol.md, Idempotency). A command not answered `answer_timeout_s` after it went out on
a live link is sent again on the same link and counted as overdue (`overdue_commands`, shown to
the operator until its answer comes); still unanswered after as long again, the link is dropped
once and resumed, and the command goes out again after the new `welcome`, as after any cut.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from backend_client.command_tracker import CommandTracker, PendingCommand, case_id_of
from backend_client.feed_health import FeedHealth, assess
from backend_client.feed_pacer import FeedPacer
from backend_client.outbox import Outbox, OutboxWriteError
from backend_client.session import Backoff, ConnectionState, FeedSession, Reconnect, Resync, Stop
from backend_client.store import CaseStore
from protocol import (
    EVENT_TYPES,
    PROTOCOL_VERSION,
    QUERIES,
    BadMessage,
    Command,
    CommandResult,
    GenericEvent,
    Role,
    Welcome,
    decode_server,
    encode,
)

if TYPE_CHECKING:  # imported when the feed first connects (~40 ms, with ssl): not before a cold start's first paint
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)

Listener = Callable[["FeedConnection"], None]

HEARTBEAT_S = 5.0
"""A ping this often while connected: a quiet feed is told apart from a stuck one within seconds."""
SILENT_AFTER_S = 15.0
"""No frame and no pong for this long: the feed counts as SILENT (three missed heartbeats)."""
PONG_TIMEOUT_S = 5.0
"""Nothing (no pong, no frame) for this long after a ping: the link is dead; drop it and resume."""
ANSWER_TIMEOUT_S = 15.0
"""A command unanswered this long on a live link is sent again; as long again, and the link is made anew.
The hub commits a command within milliseconds (seconds under a heavy group commit), so 15 s without an
answer means the frame or its answer was lost, or the hub is stuck: the operator is told either way."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Events of a known type whose data this client could not read, skipped with their `seq`."""

    count: int
    last_type: str
    last_seq: int
    reason: str


class _EventHead(msgspec.Struct):
    """The part of an event frame that is enough to count its `seq`."""

    type: str
    seq: int
    ts: datetime | None = None


@dataclass
class _Pending:
    frame: bytes
    future: asyncio.Future[CommandResult] | None
    """None for a command loaded from the outbox: nobody in this run awaits it."""
    user: str | None
    name: str = ""
    """The command's name: a query (`protocol.QUERIES`) is not counted among the actions waiting."""
    sent_at: float | None = None
    """Monotonic time it last went out on the current link (None: not since the link was made)."""
    chased: int = 0
    """0: not late; 1: sent again on the same link after `answer_timeout_s`; 2: the link was remade for it."""


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
        outbox: Outbox | None = None,
        heartbeat_s: float = HEARTBEAT_S,
        silent_after_s: float = SILENT_AFTER_S,
        pong_timeout_s: float = PONG_TIMEOUT_S,
        answer_timeout_s: float = ANSWER_TIMEOUT_S,
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 30.0,
        rng: random.Random | None = None,
    ) -> None:
        self.url = url
        self.store = store
        self.backoff = Backoff(backoff_base_s, backoff_cap_s, rng)
        self.session = FeedSession(store, token, client_name, self.backoff)
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
        self.outbox = outbox
        self.commands = CommandTracker()
        """Commands on their way and the hub's refusals, per case (a Qt model polls `version`)."""
        self.pacer = FeedPacer()
        """When the feed gives the event loop a turn; the window holds it while it drains and paints."""
        self.cached_at: float | None = None
        """Epoch seconds when the cache the store was loaded from was written (see `mark_cached`)."""
        self.confirmed = True
        """False while the store holds cached data the hub has not yet brought up to date."""
        self._heartbeat_s = heartbeat_s
        self._silent_after_s = silent_after_s
        self._pong_timeout_s = pong_timeout_s
        self._answer_timeout_s = answer_timeout_s
        self._dead_link: str | None = None
        self.fault: str | None = None
        """The unexpected error that ended the current connection, in words; None once caught up again."""
        self.faults = 0
        """Unexpected errors in this run (each logged with its traceback, each followed by a reconnect)."""
        self.last_fault: str | None = None
        """The latest of them, kept after recovery (the status bar's tooltip)."""
        self.unreadable: Unreadable | None = None
        """Events of a known type that could not be read, skipped with their seq (None: none so far)."""
        self._last_heard: float | None = None
        self._live_since: float | None = None
        """When this connection caught up (None before): a pong to a ping sent after it restarts the backoff."""
        self._fresh_since: float | None = None
        self._pending: dict[str, _Pending] = {}
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        if outbox is not None:
            self._load_outbox(outbox)

    # --- public ----------------------------------------------------------------------

    def add_listener(self, callback: Listener) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: Listener) -> None:
        """Stop calling `callback` (a window that is replaced); unknown callbacks are ignored."""
        if callback in self._listeners:
            self._listeners.remove(callback)

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
        for pending in self._pending.values():
            if pending.future is not None and not pending.future.done():
                pending.future.cancel()
        self._set_state(ConnectionState.STOPPED, "closed")

    async def send_command(
        self, name: str, args: dict[str, Any], *, command_id: str | None = None
    ) -> CommandResult:
        """Send a command and wait for its result; kept and re-sent (same id) across reconnects.

        With an outbox the command is committed to it before the frame leaves, and it stays
        there (and is re-sent after a restart) until the hub answers, even if the caller
        stops waiting. Without one it lives as long as the caller waits, as before.
        """
        command_id = command_id or uuid.uuid4().hex
        known = self._pending.get(command_id)
        if known is not None and known.future is not None and not known.future.done():
            return await known.future  # the same command again: one row, one answer
        frame = encode(Command(id=command_id, name=name, args=args))
        case_id = case_id_of(name, args)
        created_at = time.time()
        if self.outbox is not None and name not in QUERIES:  # a question is asked again, not kept
            # A disk that refuses the row must not cost the action: it is still sent, and
            # `outbox.problem` says it would not survive a restart.
            with contextlib.suppress(OutboxWriteError):
                self.outbox.add(command_id, name, args, case_id=case_id, user=self.user, created_at=created_at)
        future: asyncio.Future[CommandResult] = asyncio.get_running_loop().create_future()
        pending = _Pending(frame, future, self.user, name)
        self._pending[command_id] = pending
        self.commands.add(PendingCommand(command_id, name, case_id, created_at))
        if self._ws is not None and self.session.welcome is not None:
            import websockets  # already imported: the link is up

            pending.sent_at = time.monotonic()
            with contextlib.suppress(websockets.ConnectionClosed):
                await self._ws.send(frame, text=True)
        try:
            return await future
        finally:
            if self.outbox is None and self._pending.pop(command_id, None) is not None:
                self.commands.forget(command_id)  # the caller gave up before an answer

    @property
    def pending_commands(self) -> int:
        """Actions sent and not yet answered (queries, which change nothing, are not counted)."""
        return sum(1 for p in self._pending.values() if p.name not in QUERIES)

    @property
    def overdue_commands(self) -> int:
        """Actions the hub has not answered within `answer_timeout_s` of going out on a live link."""
        return sum(1 for p in self._pending.values() if p.chased and p.name not in QUERIES)

    @property
    def welcome(self) -> Welcome | None:
        return self.session.welcome

    def mark_cached(self, saved_at: float) -> None:
        """The store was just filled from a local cache written at `saved_at` (epoch seconds).

        Until the feed has caught up the data counts as stale (`health()` says CACHED, then
        CATCHING_UP), and its age counts from when the cache was written.
        """
        self.cached_at = saved_at
        self.confirmed = False
        self._fresh_since = time.monotonic() - max(0.0, time.time() - saved_at)

    def health(self) -> FeedHealth:
        """How current the data is now (cheap: for a once-a-second refresh)."""
        welcome = self.session.welcome
        return assess(
            state=self.state, welcomed=welcome is not None, caught_up=self.session.caught_up,
            now=time.monotonic(), last_heard=self._last_heard, fresh_since=self._fresh_since,
            cached_at=self.cached_at, confirmed=self.confirmed,
            head_seq=welcome.head_seq if welcome is not None else 0, last_seq=self.store.last_seq,
            silent_after_s=self._silent_after_s, pending_commands=self.pending_commands, detail=self.state_detail,
            fault=self.fault or "", unreadable_events=self.unreadable.count if self.unreadable else 0,
        )

    @property
    def data_age_s(self) -> float | None:
        """Seconds since the data shown was last known current (None: it never was)."""
        return self.health().age_s

    @property
    def lagging(self) -> bool:
        """Connected but behind the hub: catching up, or the hub has gone quiet."""
        return self.health().lagging

    # --- the loop --------------------------------------------------------------------

    async def _run(self) -> None:
        import websockets  # here, not at start (see TYPE_CHECKING above)
        from websockets.asyncio.client import connect

        while not self._closing:
            self._set_state(ConnectionState.CONNECTING, self.url)
            code: int | None = None
            reason = ""
            resync: str | None = None
            self._dead_link = None
            self._live_since = None
            for pending in self._pending.values():
                pending.sent_at = None  # not on this link yet: `_on_welcome` sends it
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
                    heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(ws), name="feed-heartbeat")
                    try:
                        await ws.send(self.session.hello(), text=True)
                        resync = await self._receive(ws)
                    finally:
                        heartbeat.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await heartbeat
                    code, reason = ws.close_code, ws.close_reason or ""
            except websockets.ConnectionClosed as exc:
                code = exc.rcvd.code if exc.rcvd else None
                reason = exc.rcvd.reason if exc.rcvd else ""
            except (OSError, TimeoutError, websockets.InvalidHandshake, websockets.InvalidURI) as exc:
                reason = str(exc) or type(exc).__name__
            except Exception as exc:  # the store, a tap, the outbox: one bug must not end the feed for good
                if self._closing:
                    return
                self._on_fault(exc)
                reason = f"console error: {self.fault}"
            finally:
                self._ws = None
                self.session.welcome = None
            if self._closing:
                return
            if self._dead_link is not None:
                code, reason = None, self._dead_link
            if resync is not None:
                decision: Reconnect | Stop = Reconnect(self.backoff.next_delay(), f"resync: {resync}")
            else:
                decision = self.session.on_close(code, reason)
            if not isinstance(decision, Reconnect):
                self._set_state(ConnectionState.STOPPED, decision.reason)
                return
            self.retry_at_monotonic = time.monotonic() + decision.delay_s
            self._set_state(ConnectionState.BACKOFF, decision.reason)
            await asyncio.sleep(decision.delay_s)

    def _on_fault(self, exc: Exception) -> None:
        """Log an unexpected error with its traceback and keep it, in words, for the console."""
        text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.error("the feed failed on what the hub sent (%s); reconnecting and resuming from seq %d",
                  text, self.store.last_seq, exc_info=exc)
        self.faults += 1
        self.fault = self.last_fault = text

    async def _receive(self, ws: ClientConnection) -> str | None:
        """Apply frames until the socket closes; the reason when it was closed for a resync.

        Frames that came together are applied in slices, with turns of the event loop between
        them (`FeedPacer`): the window keeps painting and taking input through a burst."""
        pacer = self.pacer
        async for frame in ws:
            if pacer.due():
                await pacer.give_way()
            self._heard()
            try:
                message: Any = decode_server(frame)
            except BadMessage as exc:
                message = self._unreadable_event(frame, exc)
                if message is None:
                    continue
            outcome = self.session.on_message(message)
            pacer.applied()
            if isinstance(outcome, Resync):
                log.warning("resync: %s", outcome.reason)
                await ws.close(1000, "resync")
                return outcome.reason
            if isinstance(message, CommandResult):
                self._on_result(message)
            elif isinstance(message, Welcome):
                self._on_welcome(ws, message)
            elif self.session.caught_up:
                self.last_event_monotonic = time.monotonic()
                if self.state is not ConnectionState.LIVE:
                    self._caught_up()
        return None

    def _unreadable_event(self, frame: bytes | str, exc: BadMessage) -> GenericEvent | None:
        """A frame that does not decode: an event of a known type is counted and passed on data-less.

        Its `seq` still counts (like an unknown type's), so the stream goes on without a gap
        and without a resync that would only bring the same event back; the operator is told
        (`unreadable`) that the data may be incomplete and the console may need an update.
        Anything else that does not decode is logged and ignored, as the protocol says.
        """
        try:
            head = msgspec.json.decode(frame, type=_EventHead)
        except msgspec.MsgspecError:
            head = None
        if head is None or head.type not in EVENT_TYPES or head.seq < 1:
            log.warning("ignored a frame the client cannot read: %s", exc)
            return None
        known = self.unreadable
        if known is None or head.seq > known.last_seq:  # a replayed one is not counted twice
            self.unreadable = Unreadable((known.count if known else 0) + 1, head.type, head.seq, str(exc))
            log.error("skipped event seq %d (%s): its data cannot be read by this console (%s); "
                      "the data shown may be incomplete, the console may need an update", head.seq, head.type, exc)
        return GenericEvent(type=head.type, seq=head.seq, ts=head.ts or datetime.now(UTC))

    async def _heartbeat(self, ws: ClientConnection) -> None:
        """Ping the hub every `heartbeat_s`; a pong counts as hearing from it.

        A link on which nothing arrives for `pong_timeout_s` after a ping (no pong, and no
        frame either: a pong can queue behind a large snapshot) is dead: it is dropped at once
        (no closing handshake to wait for), and `_run` reconnects and resumes.
        """
        import websockets  # imported by `_run`

        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                await asyncio.sleep(self._heartbeat_s)
                if not await self._chase_answers(ws):
                    return
                sent = time.monotonic()
                pong = asyncio.ensure_future(await ws.ping())
                while True:
                    quiet_since = max(sent, self._last_heard or sent)
                    left = quiet_since + self._pong_timeout_s - time.monotonic()
                    if left <= 0:
                        self._dead_link = f"no answer from the hub within {self._pong_timeout_s:g} s of a ping"
                        log.warning("%s: dropping the link and resuming", self._dead_link)
                        ws.transport.abort()
                        return
                    done, _ = await asyncio.wait((pong,), timeout=left)
                    if done:
                        await pong
                        self._heard()
                        if self._live_since is not None and sent >= self._live_since:
                            self.backoff.reset()  # the link held past catch-up: the next drop is news
                        break

    async def _chase_answers(self, ws: ClientConnection) -> bool:
        """Send again the commands unanswered for `answer_timeout_s` on this live link; False: link dropped.

        Late once: the same frame again, on the same link (the hub answers a known `id` from its
        record). Late twice: the link is dropped, once per command, and remade; `_on_welcome` sends it
        again. After that it stays overdue, on screen, until its answer comes.
        """
        if not self.session.caught_up or self._live_since is None:
            return True  # an answer may queue behind the catch-up: the clock starts once live
        now = time.monotonic()
        drop: _Pending | None = None
        for command_id, pending in list(self._pending.items()):
            if pending.sent_at is None or pending.chased >= 2:
                continue
            if now - max(pending.sent_at, self._live_since) < self._answer_timeout_s:
                continue
            if pending.chased == 0:
                pending.chased, pending.sent_at = 1, now
                self.commands.mark_overdue(command_id)
                log.warning("no answer to %s (%s) within %g s: sending it again", pending.name, command_id,
                            self._answer_timeout_s)
                await ws.send(pending.frame, text=True)
            elif drop is None:
                drop = pending
        if drop is None:
            return True
        drop.chased = 2
        self._dead_link = f"no answer to {drop.name} within {2 * self._answer_timeout_s:g} s"
        log.warning("%s: dropping the link and resuming", self._dead_link)
        ws.transport.abort()
        return False

    def _heard(self) -> None:
        now = time.monotonic()
        self._last_heard = now
        if self.session.caught_up:
            self._fresh_since = now

    def _caught_up(self) -> None:
        self._fresh_since = time.monotonic()
        self.confirmed = True
        self.fault = None
        self._live_since = self._fresh_since  # the backoff restarts at the first pong after this, not now
        self._set_state(ConnectionState.LIVE, "")

    def _on_result(self, result: CommandResult) -> None:
        pending = self._pending.pop(result.id, None)
        if pending is None:
            return  # not ours, or answered already (a resend's second answer)
        if self.outbox is not None:
            self.outbox.remove(result.id)
        if pending.chased:
            log.info("%s (%s) answered at last", pending.name, result.id)
        self.commands.answered(result)
        if pending.future is not None and not pending.future.done():
            pending.future.set_result(result)

    def _load_outbox(self, outbox: Outbox) -> None:
        for row in outbox.rows():
            frame = encode(Command(id=row.command_id, name=row.name, args=row.args))
            self._pending[row.command_id] = _Pending(frame, None, row.user, row.name)
            self.commands.add(PendingCommand(row.command_id, row.name, row.case_id, row.created_at))
        if self._pending:
            log.info("%d command(s) from the outbox will be sent after the hub's welcome", len(self._pending))

    def _on_welcome(self, ws: ClientConnection, welcome: Welcome) -> None:
        from websockets.asyncio.server import broadcast  # imported by `_run`

        self.role = welcome.role
        self.user = welcome.user
        self.server_skew_s = (welcome.server_time - datetime.now(UTC)).total_seconds()
        self.last_event_monotonic = time.monotonic()
        held = 0
        for pending in list(self._pending.values()):
            if pending.user is not None and pending.user != welcome.user:
                held += 1  # given under another account: never sent under this one
                continue
            broadcast((ws,), pending.frame, text=True)  # resend unanswered commands, same ids
            pending.sent_at = time.monotonic()
        if held:
            log.warning("%d command(s) given as another user stay in the outbox, unsent", held)
        if self.session.caught_up:
            self._caught_up()
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
