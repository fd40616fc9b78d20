"""Events (server → client): `{"type": "<noun>.<verb>", "seq", "ts", "data"}`.

Every event type is its own tagged Struct so that a frame decodes to a typed value in one
step. A client that meets a type it does not know still advances `seq` (`GenericEvent`).

The Structs a hub or a console keeps by the hundred thousand (cases, their traces, timers,
units, statistics) are `gc=False`: they form trees, never cycles, so the cyclic collector has
no reason to scan them, and not scanning them is what keeps its pauses short with 100,000
cases in memory (bench/console_ingest.py).
"""

from datetime import datetime
from typing import Annotated, Any, TypeAlias

import msgspec

from protocol.enums import (
    AlertKind,
    Basis,
    CaseFlag,
    CaseStatus,
    Channel,
    Role,
    SlaLevel,
    SupervisionAction,
    UnitKind,
)
from protocol.photos import Photo

Seq = Annotated[int, msgspec.Meta(ge=1)]
Instant = Annotated[datetime, msgspec.Meta(tz=True)]
"""An instant with its zone; the hub always writes UTC (`Z`)."""
Lon = Annotated[float, msgspec.Meta(ge=-180.0, le=180.0)]
Lat = Annotated[float, msgspec.Meta(ge=-90.0, le=90.0)]


class Timer(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Absolute thresholds of one time limit, so clients count down without asking.

    The level is blue before `yellow_at`, yellow from it, orange from `orange_at`, and red
    (overdue) from `due_at`. All instants are UTC.
    """

    started_at: Instant
    due_at: Instant
    yellow_at: Instant
    orange_at: Instant
    working_time: bool = False
    """True when the limit counts working hours of the centre's calendar."""


class Trace(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """One step of a case's story (留痕): who did what, when, with which note."""

    at: Instant
    actor: str
    action: str
    """The step: the command's name without `case.` (`register`, `dispatch`, `return`, …), or
    `extension_approved` / `extension_refused` for `case.extension_decide`."""
    status: CaseStatus
    """The case's status after the step."""
    unit_id: str | None = None
    note: str = ""
    step_started_at: Instant | None = None
    """When the step this action ended began, so a client shows time taken against `step_due_at`."""
    step_due_at: Instant | None = None
    photos: list[Photo] = []
    """Photos the step attached (`case.start`: before handling; `case.feedback`: the result)."""


class Routing(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Who should own a case and why (三定), as the hub's rule table says."""

    unit_id: str
    unit_name: str
    basis: Basis
    rule_id: str | None = None
    explanation_en: str = ""
    explanation_zh: str = ""


class Case(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One case (案件) as the feed shows it: `case.created` data and snapshot items."""

    id: str
    serial: str
    """流水号, unique per centre and year, e.g. `MH2026-000123`."""
    version: int
    """Raised by one with every step of the loop (not by timer level changes); commands may name
    it for optimistic concurrency."""
    status: CaseStatus
    received_at: Instant
    updated_at: Instant
    channel: Channel
    category_code: str
    """GB/T 47678.5-2026 code of the component or matter."""
    category_zh: str
    category_en: str
    street_code: str
    street_name: str
    address: str
    description: str
    lon: Lon
    lat: Lat
    committee_code: str | None = None
    committee_name: str | None = None
    grid_id: str | None = None
    requester_phone: str | None = None
    urgent: bool = False
    unit_id: str | None = None
    unit_name: str | None = None
    level: SlaLevel = SlaLevel.BLUE
    """Level of the overall limit as the hub last set it."""
    overall: Timer | None = None
    step: Timer | None = None
    exercise_id: str | None = None
    """Set on every case of a drill (演练); such cases are never mixed with real ones."""
    step_level: SlaLevel = SlaLevel.BLUE
    """Level of the current step's limit."""
    co_unit_ids: list[str] = []
    basis: Basis | None = None
    """Why `unit_id` owns the case, once dispatched."""
    routing: Routing | None = None
    """The hub's suggestion for dispatch, with its explanation."""
    flags: list[CaseFlag] = []
    returns: int = 0
    """How many times units have returned (退单) the case."""
    duplicate_of: str | None = None
    satisfied: bool | None = None
    """The requester's rating at call-back (回访), once asked."""
    paused_at: Instant | None = None
    extension_hours: float | None = None
    """Hours of the extension a unit asked for and the centre has not yet decided."""
    history: tuple[Trace, ...] = ()
    emergency_id: str | None = None
    """The active emergency whose area the case was received in (set at creation, never changed);
    None for a case outside any."""


class CasePatch(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """`case.updated` data: the case's id, its new version and only the fields that changed."""

    id: str
    version: int
    updated_at: Instant
    status: CaseStatus | msgspec.UnsetType = msgspec.UNSET
    level: SlaLevel | msgspec.UnsetType = msgspec.UNSET
    unit_id: str | None | msgspec.UnsetType = msgspec.UNSET
    unit_name: str | None | msgspec.UnsetType = msgspec.UNSET
    overall: Timer | None | msgspec.UnsetType = msgspec.UNSET
    step: Timer | None | msgspec.UnsetType = msgspec.UNSET
    step_level: SlaLevel | msgspec.UnsetType = msgspec.UNSET
    co_unit_ids: list[str] | msgspec.UnsetType = msgspec.UNSET
    basis: Basis | None | msgspec.UnsetType = msgspec.UNSET
    routing: Routing | None | msgspec.UnsetType = msgspec.UNSET
    flags: list[CaseFlag] | msgspec.UnsetType = msgspec.UNSET
    returns: int | msgspec.UnsetType = msgspec.UNSET
    duplicate_of: str | None | msgspec.UnsetType = msgspec.UNSET
    satisfied: bool | None | msgspec.UnsetType = msgspec.UNSET
    paused_at: Instant | None | msgspec.UnsetType = msgspec.UNSET
    extension_hours: float | None | msgspec.UnsetType = msgspec.UNSET
    trace: Trace | msgspec.UnsetType = msgspec.UNSET
    """A step to append to the case's `history`."""
    actor: str | msgspec.UnsetType = msgspec.UNSET
    """Who caused the change (user name, or `hub` for the hub's own timers)."""
    note: str | msgspec.UnsetType = msgspec.UNSET


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    seq: Seq
    ts: Instant


class CaseCreated(_Event, frozen=True, kw_only=True, tag="case.created"):
    """A case entered the centre (received through any channel)."""

    data: Case


class CaseUpdated(_Event, frozen=True, kw_only=True, tag="case.updated"):
    """A case changed; `data` names the fields that changed."""

    data: CasePatch


class LevelChange(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    case_id: str
    kind: str
    """`overall` or `step`."""
    level: SlaLevel
    previous: SlaLevel
    unit_id: str | None = None


class TimerLevelChanged(_Event, frozen=True, kw_only=True, tag="timer.level_changed"):
    """A case's time limit crossed a threshold (blue → yellow → orange → red), at `ts`."""

    data: LevelChange


class Supervision(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    case_id: str
    unit_id: str | None
    action: SupervisionAction
    actor: str
    note: str = ""
    automatic: bool = False
    """True when the hub's own rules acted (e.g. urge on orange)."""


class SupervisionRecorded(_Event, frozen=True, kw_only=True, tag="supervision.recorded"):
    """Remind, urge, supervise or hold to account, recorded against the responsible unit."""

    data: Supervision


class UnitStats(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A unit's results, the ranking's inputs (a projection of the log)."""

    unit_id: str
    unit_name: str
    received: int = 0
    signed_in_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    returned: int = 0
    overdue_now: int = 0
    satisfied: int = 0
    rated: int = 0
    supervised: int = 0


class UnitStatsChanged(_Event, frozen=True, kw_only=True, tag="unit.stats"):
    """A unit's statistics after a change (one event per unit touched by a commit)."""

    data: UnitStats


class Unit(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A unit of the organisation: a centre, a bureau, a committee, a grid, a member unit."""

    id: str
    name: str
    kind: UnitKind
    parent_id: str | None = None
    """The unit one level up (a grid's committee, a committee's street centre…); None at the top."""
    street_code: str | None = None
    """The street/town whose ground the unit serves (centres, committees, grids)."""
    committee_code: str | None = None
    workers: list[str] = []
    """Grid workers (网格员) of a grid, by name."""
    active: bool = True
    """False once retired: kept for history, no longer offered for dispatch."""


class UnitChanged(_Event, frozen=True, kw_only=True, tag="unit.changed"):
    """A unit was added, edited or retired (by an admin or an import)."""

    data: Unit


class RotaDay(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """Who is on duty on one day: the hotline's front-desk member unit and the staff on shift."""

    date: str
    """`YYYY-MM-DD`, the centre's local date."""
    front_desk_unit_id: str
    staff: list[str] = []
    note: str = ""


class RotaChanged(_Event, frozen=True, kw_only=True, tag="rota.changed"):
    """The duty rota of one day was set or changed."""

    data: RotaDay


class AlertAck(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An operator acknowledged an alert (确认) on one case or on a group of cases."""

    case_ids: list[str]
    kind: AlertKind
    key: str
    """Which alert of those cases, as `alert.ack` names it (e.g. `overall.red`, `supervise`, `return.2`)."""
    by: str
    """Account name of who acknowledged."""
    role: Role
    at: Instant
    comment: str = ""


class AlertAcknowledged(_Event, frozen=True, kw_only=True, tag="alert.acknowledged"):
    """An alert was acknowledged: every console marks it so, for everyone."""

    data: AlertAck


class AlertShelf(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """An officer shelved an alert kind, or one key of it, for a while, with a reason (ISA-18.2 shelving)."""

    kind: AlertKind
    key: str | None = None
    """One key of the kind (e.g. `step.red`); None: the whole kind."""
    unit_id: str | None = None
    """The desk it is shelved for: the shelving account's unit (None: the centre's desks)."""
    by: str
    role: Role
    at: Instant
    until: Instant
    """It expires by itself at this instant; alerts raise rows again from then on."""
    reason: str


class AlertShelved(_Event, frozen=True, kw_only=True, tag="alert.shelved"):
    """An alert kind or key was shelved: the desks it is for raise no row or sound for it until `until`."""

    data: AlertShelf


class GenericEvent(msgspec.Struct, frozen=True, kw_only=True):
    """An event whose type this client does not know: kept for `seq`, data left raw."""

    type: str
    seq: Seq
    ts: Instant
    data: dict[str, Any] = {}


# The emergency records extend the catalogue; that module takes Instant, Timer and _Event from here.
from protocol.emergency import (  # noqa: E402
    DirectiveChanged,
    EmergencyChanged,
    ReceiptChanged,
    ResourceChanged,
    TaskChanged,
    WarningChanged,
)
from protocol.scope import CaseEnteredScope, CaseLeftScope, EventWithheld  # noqa: E402
from protocol.shift import ShiftHandedOver, ShiftHandoverAcknowledged  # noqa: E402

KnownEvent: TypeAlias = (
    CaseCreated | CaseUpdated | TimerLevelChanged | SupervisionRecorded | UnitStatsChanged
    | UnitChanged | RotaChanged | ShiftHandedOver | ShiftHandoverAcknowledged | AlertAcknowledged
    | AlertShelved | EmergencyChanged | TaskChanged | DirectiveChanged | ReceiptChanged | WarningChanged
    | ResourceChanged
    | CaseEnteredScope | CaseLeftScope | EventWithheld
)
EVENT_TYPES: dict[str, type[KnownEvent]] = {
    "case.created": CaseCreated,
    "case.updated": CaseUpdated,
    "timer.level_changed": TimerLevelChanged,
    "supervision.recorded": SupervisionRecorded,
    "unit.stats": UnitStatsChanged,
    "unit.changed": UnitChanged,
    "rota.changed": RotaChanged,
    "shift.handed_over": ShiftHandedOver,
    "shift.handover_acknowledged": ShiftHandoverAcknowledged,
    "alert.acknowledged": AlertAcknowledged,
    "alert.shelved": AlertShelved,
    "emergency.changed": EmergencyChanged,
    "task.changed": TaskChanged,
    "directive.changed": DirectiveChanged,
    "receipt.changed": ReceiptChanged,
    "warning.changed": WarningChanged,
    "resource.changed": ResourceChanged,
    "case.entered_scope": CaseEnteredScope,
    "case.left_scope": CaseLeftScope,
    "event.withheld": EventWithheld,
}
"""Every event type of this protocol version, by its `type` string."""
