"""Feed control messages: the opening, snapshots, commands and their results, errors."""

from typing import Annotated, Any

import msgspec

from protocol.commands import Code
from protocol.emergency import CapWarning, Directive, Emergency, EmergencyTask, Receipt, Resource
from protocol.enums import ErrorCode, ReplayMode, Role
from protocol.events import AlertShelf, Case, Instant, KnownEvent, RotaDay, UnitStats
from protocol.limits import Limits
from protocol.shift import Handover

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
    geography: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    """`version` of the `geography` the client holds; the hub sends its own when it differs."""


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
    unit_id: str | None = None
    """The unit whose desk this account is (a member unit, a street sub-centre); None for the centre."""


Position = Annotated[list[float], msgspec.Meta(min_length=2, max_length=2)]
"""[lon, lat] in degrees, as in GeoJSON."""


class StreetArea(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A street or town (街镇) of the district and its area as the hub places cases in it."""

    code: str
    name: str
    seed: Position
    """The point the hub's partition measures from (the street's approximate centre)."""
    area: list[Position]
    """A convex ring: the points nearer this street's seed than any other's. Not clipped to the
    district: draw it inside `boundary`."""


class GridArea(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A grid (网格) and the ground it covers."""

    id: str
    street_code: str
    committee_code: str
    ring: list[Position]
    """The grid's outline, closed (the first point repeated)."""


class Geography(_Message, frozen=True, kw_only=True, tag="geography"):
    """The district's map as the hub's organisation holds it: boundary, streets, grids."""

    version: str
    """Names this content: equal versions are equal maps; a client holding this version is not sent it again."""
    district_code: str
    district_name: str
    boundary: list[list[Position]]
    """The district's rings, outer rings and holes together (even-odd rule)."""
    boundary_source: str
    """Credit line of the boundary's source, to be shown wherever the map is."""
    approximate: bool
    """True when street areas are the hub's approximation (nearest seed), not surveyed boundaries."""
    streets: list[StreetArea]
    grids: list[GridArea]


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
    emergencies: list[Emergency] = []
    """Every emergency, active or closed, as of `as_of_seq`."""
    tasks: list[EmergencyTask] = []
    """Every task of every activated plan."""
    directives: list[Directive] = []
    receipts: list[Receipt] = []
    """Every recipient of every directive."""
    warnings: list[CapWarning] = []
    """Every CAP warning received, decided or not."""
    rota: list[RotaDay] = []
    """The 31 latest days that have a rota (days ahead included), oldest first."""
    handovers: list[Handover] = []
    """The latest handover of each desk that handed over (the centre's, a unit desk's), with the
    acknowledgements of its items as of `as_of_seq`."""
    resources: list[Resource] = []
    """Every resource of every response."""
    shelves: list[AlertShelf] = []
    """Every alert shelf in force at `as_of_seq` (`alert.shelved` not yet expired), of every desk, oldest first."""


class HourFigures(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One centre-local hour of the wall's figures."""

    start: Instant
    """UTC instant at which the centre-local hour begins."""
    received_by_channel: dict[str, int]
    """Cases received in the hour (by `received_at`), by `Channel` value; every channel is listed."""
    closed: int
    """Verifications in the hour that closed a case."""
    closed_on_time: int
    """Of those, closings within the case's overall limit."""
    overdue: int
    """Open cases whose overall level was red at the end of the hour (for the current hour: now)."""


class Totals(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """The centre's counts over a period (today, this month)."""

    received: int
    closed: int
    closed_on_time: int
    returned: int
    rated: int
    satisfied: int


class AreaFigures(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A unit's or a street's counts this month, and its open cases now."""

    id: str
    """The unit's id, or the street's code."""
    name: str
    received: int
    closed: int
    closed_on_time: int
    returned: int
    rated: int
    satisfied: int
    open_now: int
    overdue_now: int


class GridFigures(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Open cases in one grid (网格) now."""

    grid_id: str
    street_code: str
    open: int
    overdue: int


class Figures(_Message, frozen=True, kw_only=True, tag="figures"):
    """The wall's figures: a projection of the log as of `as_of_seq` (no `seq`: not an event)."""

    as_of_seq: NonNegative
    """The figures are the projection of the log up to and including this `seq`."""
    as_of: Instant
    """The hub's clock when the figures were computed."""
    zone: str
    """The centre's time zone (IANA name); hours, days and months are the centre's local ones."""
    open_by_level: dict[str, int]
    """Open cases by overall level; every `SlaLevel` value is a key."""
    open_by_status: dict[str, int]
    """Open cases by `CaseStatus` value."""
    overdue_now: int
    """Open cases whose overall level is red."""
    hours: list[HourFigures]
    """The last 192 centre-local hours up to and including the current one, oldest first."""
    today: Totals
    month: Totals
    units_month: list[AreaFigures]
    """Every unit with a count this month or an open case now."""
    streets_month: list[AreaFigures]
    """Every street/town of the district."""
    grids: list[GridFigures]
    """Every grid with open cases."""


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


ServerMessage = (
    Welcome | SnapshotBegin | SnapshotChunk | SnapshotEnd | CommandResult | Error | Figures | Geography
    | KnownEvent
)
"""Every frame the hub sends: the control messages and every event type (events.py's `KnownEvent`)."""
SERVER_MESSAGE_TYPES: dict[str, type[msgspec.Struct]] = {
    "welcome": Welcome,
    "snapshot.begin": SnapshotBegin,
    "snapshot.chunk": SnapshotChunk,
    "snapshot.end": SnapshotEnd,
    "command.result": CommandResult,
    "error": Error,
    "figures": Figures,
    "geography": Geography,
}
"""Control messages from the hub; events are listed in `protocol.events.EVENT_TYPES`."""
