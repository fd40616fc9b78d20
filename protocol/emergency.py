"""Emergencies (突发事件) on the wire: the joint response's records and their events.

An emergency is declared at a level (IV → I), may activate the response plan (预案) for its
type and level, which gives every unit its tasks on a timer, and is steered by directives (指令)
that units acknowledge (签收) and report on. Each record travels whole in its `*.changed` event
(they are small and few), so a client replaces what it held by id.

The joint response names a lead unit and co-units, keeps the units sitting in at the centre
(check in / out) on the emergency, and its resources (teams, vehicles, pumps, sandbags) as
`Resource` records. Cases received inside an active emergency's area are linked to it
(`Case.emergency_id`, `Emergency.case_count`).

CAP 1.2 warnings (预警) come in as `CapWarning` records: the hub keeps each one with the response
it suggests (a plan for the warning's type and level), and a commander confirms it (declaring
the emergency) or dismisses it; both decisions are kept on the record.

Imported by `protocol.events` at its end (these events extend its catalogue), after the names
this module takes from it are defined.
"""

from enum import StrEnum
from typing import Annotated

import msgspec

from protocol.enums import EmergencyLevel, EmergencyStatus, EmergencyType, TaskStatus
from protocol.events import Instant, Timer, _Event

Point = Annotated[list[float], msgspec.Meta(min_length=2, max_length=2)]
"""[lon, lat] in degrees."""


class EmergencyArea(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """Where an emergency applies: streets, grids, or a polygon; all empty is the whole district."""

    street_codes: list[str] = []
    grid_ids: list[str] = []
    polygon: list[Point] = []
    """A ring of [lon, lat] points (e.g. a CAP warning's area)."""


class EmergencyStep(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """One step of an emergency's story: declared, escalated, de-escalated, plan activated, closed,
    units assigned, a unit checked in or out of the centre."""

    at: Instant
    actor: str
    action: str
    """`declare`, `escalate`, `deescalate`, `activate` (a plan's tasks were given), `assign` (lead and
    co-units set), `check_in`, `check_out` (a unit sitting in at the centre) or `close`."""
    level: EmergencyLevel
    """The level after the step."""
    note: str = ""


class ResourceKind(StrEnum):
    """What a response resource is."""

    TEAM = "team"            # 队伍: a rescue or repair team
    VEHICLE = "vehicle"      # 车辆
    PUMP = "pump"            # 排水泵 (泵车)
    SANDBAGS = "sandbags"    # 沙袋
    OTHER = "other"


class ResourceStatus(StrEnum):
    """Where a resource stands in the response."""

    STANDBY = "standby"      # 待命
    EN_ROUTE = "en_route"    # 在途
    DEPLOYED = "deployed"    # 已部署
    RETURNED = "returned"    # 已撤回


class SitIn(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A unit sitting in at the centre during an emergency (进驻): checked in, and out once it leaves."""

    unit_id: str
    unit_name: str
    checked_in_at: Instant
    checked_in_by: str
    """The account that checked the unit in."""
    person: str = ""
    """Who sits in for the unit, e.g. `王强 副局长`."""
    checked_out_at: Instant | None = None
    """None while the unit sits in."""


class Emergency(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """An emergency the centre commands (`emergency.changed` data)."""

    id: str
    serial: str
    """e.g. `EM2026-0003`, numbered per year."""
    type: EmergencyType
    level: EmergencyLevel
    title: str
    status: EmergencyStatus
    declared_by: str
    declared_at: Instant
    updated_at: Instant
    area: EmergencyArea = EmergencyArea()
    plan_ids: list[str] = []
    """The response plans activated for it, in order (one per level it was raised to)."""
    closed_at: Instant | None = None
    exercise: bool = False
    """A drill (演练): shown as such, never mixed with a real emergency."""
    history: list[EmergencyStep] = []
    lead_unit_id: str | None = None
    """The unit that leads the response (牵头单位), once assigned."""
    co_unit_ids: list[str] = []
    """The units that take part with it (配合单位), sorted."""
    sitting_in: list[SitIn] = []
    """Every check-in of a unit at the centre, oldest first; one that left keeps its `checked_out_at`."""
    case_count: int = 0
    """Cases received inside the area while the emergency was active, linked to it (`Case.emergency_id`)."""


class EmergencyTask(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """One unit's task of an activated plan (`task.changed` data): a cell of the task matrix."""

    id: str
    emergency_id: str
    plan_id: str
    task_key: str
    """The task's id in its plan: a matrix column."""
    unit_id: str
    unit_name: str
    title_en: str
    title_zh: str
    timer: Timer
    """The deadline, counted from activation; its level colours the cell."""
    status: TaskStatus
    updated_at: Instant
    report_fields: list[str] = []
    """Numbers the unit reports, e.g. `people_evacuated`."""
    numbers: dict[str, int] = {}
    note: str = ""
    acknowledged_at: Instant | None = None
    done_at: Instant | None = None
    by: str = ""
    """Who made the last change."""


class Directive(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A directive (指令) to units (`directive.changed` data); each recipient has a `Receipt`."""

    id: str
    serial: str
    """e.g. `ZL2026-0012`, numbered per year."""
    text: str
    issued_by: str
    issued_at: Instant
    ack_due_at: Instant
    """Recipients acknowledge by this instant; those who have not are late."""
    recipients: list[str]
    """Unit ids, sorted."""
    emergency_id: str | None = None
    report_every_h: float | None = None
    """Units report this often (hours) once they acknowledged; None: no reporting cadence."""
    report_fields: list[str] = []
    reminders: list[Instant] = []
    """When the missing units were reminded (`directive.remind`)."""


class DirectiveReport(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    at: Instant
    by: str
    numbers: dict[str, int] = {}
    text: str = ""


class Receipt(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """One recipient of a directive (`receipt.changed` data): a cell of the acknowledgement matrix."""

    directive_id: str
    unit_id: str
    unit_name: str
    acknowledged_at: Instant | None = None
    acknowledged_by: str | None = None
    latency_s: float | None = None
    """Seconds from issue to acknowledgement."""
    reminded: int = 0
    """How many reminders reached this unit before it acknowledged."""
    reports: list[DirectiveReport] = []
    """The unit's reports, oldest first (the latest 20)."""


class EmergencyChanged(_Event, frozen=True, kw_only=True, tag="emergency.changed"):
    """An emergency was declared, changed level, had a plan activated, or was closed."""

    data: Emergency


class TaskChanged(_Event, frozen=True, kw_only=True, tag="task.changed"):
    """A plan's task for one unit was assigned or changed status."""

    data: EmergencyTask


class DirectiveChanged(_Event, frozen=True, kw_only=True, tag="directive.changed"):
    """A directive was issued, or its missing units were reminded."""

    data: Directive


class ReceiptChanged(_Event, frozen=True, kw_only=True, tag="receipt.changed"):
    """A recipient of a directive was added, reminded, acknowledged or reported."""

    data: Receipt


class Resource(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A resource of the response (`resource.changed` data): a team, vehicles, pumps, sandbags."""

    id: str
    """e.g. `RS2026-0001`, numbered per year."""
    emergency_id: str
    kind: ResourceKind
    name: str
    """e.g. `区排水抢险队`, `大型移动泵车`."""
    quantity: int
    """How many (people of a team, vehicles, pumps, sandbags); 0 once used up."""
    unit_id: str
    """The unit the resource belongs to."""
    unit_name: str
    status: ResourceStatus
    updated_at: Instant
    by: str
    """Who made the last change."""
    place: str = ""
    """Where it is, in words, e.g. `莘庄立交下穿通道`."""
    location: Point | None = None
    """Where it is on the map, [lon, lat]."""
    note: str = ""


class ResourceChanged(_Event, frozen=True, kw_only=True, tag="resource.changed"):
    """A resource of a response was registered or changed (quantity, place, status)."""

    data: Resource


class WarningStatus(StrEnum):
    """Where a CAP warning stands: waiting for a commander, or decided."""

    RECEIVED = "received"      # 已接收: waiting for a commander
    CONFIRMED = "confirmed"    # 已确认: an emergency was declared from it
    DISMISSED = "dismissed"    # 已驳回: no response, with the reason


class WarningSignal(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """The response a warning suggests: China's four-colour signal (or a foreign cyclone warning)."""

    type: EmergencyType
    level: EmergencyLevel
    reason: str
    """How the hub read it, e.g. `China four-colour signal: eventCode CN-WarningSignal=typhoon-orange`."""


class CapWarning(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, gc=False):
    """A CAP 1.2 warning the hub received (`warning.changed` data)."""

    id: str
    """e.g. `WN2026-0001`, numbered per year."""
    identifier: str
    """The CAP `<identifier>`; with `sender` it names the message (a second copy is not stored)."""
    sender: str
    sent: Instant
    msg_type: str
    """CAP `<msgType>`: `Alert`, `Update`, `Cancel`, `Ack` or `Error`."""
    status: WarningStatus
    received_by: str
    received_at: Instant
    updated_at: Instant
    event: str = ""
    headline: str = ""
    description: str = ""
    """The chosen `<info>`'s description, cut to 1,000 characters."""
    severity: str = ""
    urgency: str = ""
    certainty: str = ""
    language: str = ""
    sender_name: str = ""
    expires: Instant | None = None
    area: EmergencyArea = EmergencyArea()
    """The first polygon (or circle, as a ring) of the warning's areas."""
    area_desc: str = ""
    signal: WarningSignal | None = None
    suggested_plan_id: str | None = None
    source: str = ""
    """The file it came from."""
    exercise: bool = False
    """CAP status `Exercise`: a confirmed one declares a drill."""
    composed: bool = False
    """A composed demo file, not issued by any authority."""
    decided_by: str | None = None
    decided_at: Instant | None = None
    note: str = ""
    emergency_id: str | None = None
    """The emergency declared when it was confirmed."""


class WarningChanged(_Event, frozen=True, kw_only=True, tag="warning.changed"):
    """A CAP warning was received, confirmed, dismissed or cancelled."""

    data: CapWarning


EMERGENCY_EVENTS = (EmergencyChanged, TaskChanged, DirectiveChanged, ReceiptChanged, WarningChanged, ResourceChanged)
