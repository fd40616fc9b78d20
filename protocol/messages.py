"""Feed control messages: the opening, snapshots, commands and their results, errors."""

from typing import Annotated, Any

import msgspec

from protocol.commands import Code
from protocol.enums import ErrorCode, ReplayMode, Role
from protocol.events import Case, Instant, KnownEvent, UnitStats
from protocol.limits import Limits

CommandId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
NonNegative = Annotated[int, msgspec.Meta(ge=0)]


class _Message(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    pass


# --- client → server -------------------------------------------------------------------


class Hello(_Message, frozen=True, kw_only=True, tag="hello"):
    """First frame of every connection, within `hello_timeout_s`."""

    token: Annotated[str, msgspec.Meta(max_length=512)]
    resume_from: NonNegative | None = None
    """Last `seq` the client applied; null for a client with no state."""
    client: Annotated[str, msgspec.Meta(max_length=100)] = ""
    """Free text naming the client and its version, e.g. `cc-console/0.1.0`."""
    log_id: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    """`log_id` from the welcome the client's state came from; a different log gets a snapshot."""


class Command(_Message, frozen=True, kw_only=True, tag="command"):
    """Ask the hub to act. `id` is the idempotency key."""

    id: CommandId
    name: Code
    args: dict[str, Any] = {}


ClientMessage = Hello | Command
CLIENT_MESSAGE_TYPES: dict[str, type[ClientMessage]] = {"hello": Hello, "command": Command}


# --- server → client -------------------------------------------------------------------


class Welcome(_Message, frozen=True, kw_only=True, tag="welcome"):
    """The hub accepted the hello; says how it will bring the client up to date."""

    role: Role
    user: str
    server_time: Instant
    head_seq: NonNegative
    """Last `seq` in the log when the hub answered."""
    mode: ReplayMode
    log_id: str
    """Identity of the event log; `seq` values are only comparable within one log."""
    hub: str
    """Name and version of the hub, e.g. `cc-hub/0.1.0`."""
    limits: Limits


class SnapshotBegin(_Message, frozen=True, kw_only=True, tag="snapshot.begin"):
    """A snapshot follows: the state as of `as_of_seq`, `total` items in chunks."""

    as_of_seq: NonNegative
    total: NonNegative


class SnapshotChunk(_Message, frozen=True, kw_only=True, tag="snapshot.chunk"):
    """Part of a snapshot. Items replace whatever the client held for the same ids."""

    items: list[Case]


class SnapshotEnd(_Message, frozen=True, kw_only=True, tag="snapshot.end"):
    """End of the snapshot; events with `seq > as_of_seq` follow."""

    as_of_seq: NonNegative
    units: list[UnitStats] = []
    """Every unit's statistics as of `as_of_seq` (later changes come as `unit.stats`)."""


class CommandError(msgspec.Struct, frozen=True, kw_only=True):
    code: ErrorCode
    message: str


class CommandResult(_Message, frozen=True, kw_only=True, tag="command.result", omit_defaults=True):
    """Answer to a command; the same answer again for a repeated `id`."""

    id: str
    ok: bool
    result: dict[str, Any] | None = None
    error: CommandError | None = None


class Error(_Message, frozen=True, kw_only=True, tag="error"):
    """A frame the hub could not accept; the connection stays open."""

    code: ErrorCode
    message: str


ServerMessage = Welcome | SnapshotBegin | SnapshotChunk | SnapshotEnd | CommandResult | Error | KnownEvent
"""Every frame the hub sends: the control messages and every event type (events.py's `KnownEvent`)."""
SERVER_MESSAGE_TYPES: dict[str, type[msgspec.Struct]] = {
    "welcome": Welcome,
    "snapshot.begin": SnapshotBegin,
    "snapshot.chunk": SnapshotChunk,
    "snapshot.end": SnapshotEnd,
    "command.result": CommandResult,
    "error": Error,
}
"""Control messages from the hub; events are listed in `protocol.events.EVENT_TYPES`."""
