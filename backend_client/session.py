"""What the client does next, decided without sockets, clocks or Qt (sans-I/O).

`connection.py` moves frames and sleeps; this module decides: which hello to send, how to
apply a frame to the store, when a `seq` gap needs a resync, and which close codes mean
"try again" (with backoff) and which mean "stop and tell the operator".
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from enum import Enum
from typing import cast

from backend_client.store import ApplyResult, CaseStore
from protocol import (
    EVENT_TYPES,
    CloseCode,
    Error,
    Figures,
    GenericEvent,
    Geography,
    Hello,
    ReplayMode,
    ServerMessage,
    SnapshotBegin,
    SnapshotChunk,
    SnapshotEnd,
    Welcome,
    encode,
)
from protocol.events import KnownEvent

log = logging.getLogger(__name__)

EVENT_CLASSES = frozenset((*EVENT_TYPES.values(), GenericEvent))
"""Decoded events are never subclassed: a set lookup by exact type is half an isinstance over a tuple."""


_GAP = ApplyResult.GAP
"""Read once (an enum member read from its class costs ~60 ns in 3.11; the test runs for every event)."""


class ConnectionState(Enum):
    CONNECTING = "connecting"
    SYNCING = "syncing"
    LIVE = "live"
    BACKOFF = "backoff"
    STOPPED = "stopped"


STOP_CODES = {
    CloseCode.UNAUTHORIZED: "the hub refused the token",
    CloseCode.TOKEN_EXPIRED: "the token has expired: ask an admin for a new one",
    CloseCode.FIRST_FRAME_NOT_HELLO: "the hub did not accept this client's hello (protocol mismatch)",
}
"""Closes that another try cannot fix: the operator must act."""


@dataclass(frozen=True)
class Resync:
    """The stream skipped a `seq`: drop the socket and resume from the last applied event."""

    reason: str


@dataclass(frozen=True)
class Reconnect:
    delay_s: float
    reason: str


@dataclass(frozen=True)
class Stop:
    reason: str


class Backoff:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2**attempt))."""

    def __init__(self, base_s: float = 0.5, cap_s: float = 30.0, rng: random.Random | None = None) -> None:
        self.base_s = base_s
        self.cap_s = cap_s
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.cap_s, self.base_s * (2**self.attempt))
        self.attempt += 1
        return self._rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.attempt = 0


class FeedSession:
    """State of one client across connections."""

    def __init__(self, store: CaseStore, token: str, client_name: str, backoff: Backoff | None = None) -> None:
        self.store = store
        self.token = token
        self.client_name = client_name
        self.backoff = backoff or Backoff()
        self.welcome: Welcome | None = None
        self.awaiting_snapshot = False
        """A snapshot was announced and has not ended: the store still shows the state before it."""
        self.errors = 0
        """`error` frames the hub sent (a frame of ours it could not read), each logged; the last in `last_error`."""
        self.last_error: Error | None = None

    def hello(self) -> bytes:
        resume = self.store.last_seq if self.store.log_id is not None else None
        return encode(
            Hello(token=self.token, resume_from=resume, client=self.client_name, log_id=self.store.log_id,
                  geography=self.store.geography.version if self.store.geography is not None else None)
        )

    @property
    def caught_up(self) -> bool:
        # A store filled from a cache of another log can hold a higher seq than this hub's head:
        # in snapshot mode only the snapshot's end brings it up to date.
        return (self.welcome is not None and not self.awaiting_snapshot
                and self.store.last_seq >= self.welcome.head_seq)

    def on_message(self, message: ServerMessage | GenericEvent) -> Resync | None:
        """Apply one decoded frame; returns a Resync when the stream cannot be trusted."""
        if type(message) in EVENT_CLASSES:
            event = cast("KnownEvent | GenericEvent", message)
            outcome = self.store.apply(event)
            if outcome is _GAP:
                return Resync(f"seq gap: got {event.seq} after {self.store.last_seq}")
            return None
        if isinstance(message, Welcome):
            self.welcome = message
            if message.mode is ReplayMode.REPLAY and self.store.log_id not in (None, message.log_id):
                return Resync("the hub's log changed")
            self.awaiting_snapshot = message.mode is ReplayMode.SNAPSHOT
            if not self.awaiting_snapshot:  # a snapshot's log becomes ours at its end (a drop mid-way keeps the old)
                self.store.log_id = message.log_id
        elif isinstance(message, SnapshotBegin):
            self.store.begin_snapshot(message.as_of_seq)
        elif isinstance(message, SnapshotChunk):
            self.store.add_snapshot_items(message.items)
        elif isinstance(message, SnapshotEnd):
            self.store.shift.set_snapshot(message.rota, message.handovers)  # before the events held meanwhile
            self.store.set_alert_shelves(message.shelves)
            self.store.end_snapshot(message.as_of_seq)
            self.awaiting_snapshot = False
            if self.welcome is not None:
                if self.store.log_id != self.welcome.log_id:
                    self.store.figures = None  # another log's figures: the hub sends this one's next
                self.store.log_id = self.welcome.log_id
            self.store.units = {unit.unit_id: unit for unit in message.units}
            self.store.set_emergency_state(message.emergencies, message.tasks, message.directives, message.receipts,
                                           message.warnings, message.resources)
        elif isinstance(message, Figures):
            self.store.figures = message  # no seq: never part of the gap check
            self.store.figures_version += 1
        elif isinstance(message, Geography):
            self.store.geography = message
        elif isinstance(message, Error):
            # Nothing a long-running console receives is kept by the session: results are the
            # connection's (one pending command each), and an answer may be a whole photo.
            self.errors += 1
            self.last_error = message
            log.warning("the hub refused a frame of ours: %s (%s)", message.message, message.code.value)
        return None

    def on_close(self, code: int | None, reason: str) -> Reconnect | Stop:
        if code is not None and code in STOP_CODES:
            return Stop(f"{STOP_CODES[CloseCode(code)]} ({code}: {reason})" if reason else STOP_CODES[CloseCode(code)])
        label = f"closed {code}" if code is not None else "connection lost"
        return Reconnect(self.backoff.next_delay(), f"{label}: {reason}" if reason else label)
