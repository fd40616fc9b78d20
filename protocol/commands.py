"""Commands (client → server): names, argument Structs and who may send them.

The permission table lives here, in one place, so the hub enforces it and consoles grey
out what a role cannot do with the same data.
"""

from typing import Annotated

import msgspec

from protocol.emergency import EmergencyArea, ResourceKind, ResourceStatus
from protocol.enums import (
    AlertKind,
    Basis,
    Channel,
    EmergencyLevel,
    EmergencyType,
    Role,
    SlaLevel,
    SupervisionAction,
    TaskStatus,
    UnitKind,
)
from protocol.events import Instant, Lat, Lon
from protocol.limits import LIMITS
from protocol.photos import PhotoGetArgs, PhotoIds, PhotoUploadArgs
from protocol.shift import HandoverItemKind

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
# `(?!\n)$`: Python's `$` also matches before a final newline; this form means "end" in both
# Python and JSON Schema (ECMA) regexes, so code and docs/asyncapi.yaml agree.
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_.-]+(?!\n)$")]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9][0-9 -]{4,19}(?!\n)$")]


class CaseCreateArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`case.create`: receive a new request (受理). The hub assigns id, serial and timers."""

    channel: Channel
    category_code: Code
    street_code: Code
    description: Text
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    lon: Lon
    lat: Lat
    committee_code: Code | None = None
    grid_id: Code | None = None
    requester_phone: Phone | None = None
    urgent: bool = False
    received_at: Instant | None = None
    """When the request was received, if not now (e.g. a call taken before a reconnect)."""
    exercise_id: Code | None = None


Note = Annotated[str, msgspec.Meta(max_length=2000)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
CaseId = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class _CaseStep(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Arguments every step of the loop shares."""

    id: CaseId
    version: int | None = None
    """The case version the sender saw; a different current version is refused (`conflict`)."""
    note: Note = ""


class CaseRegisterArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.register`: accept the request as a case (立案)."""


class CaseRejectArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.reject`: refuse to register (不予立案), with the reason."""

    reason: Reason


class CaseMergeArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.merge`: close as a duplicate of another open case."""

    into: CaseId


class CaseDispatchArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.dispatch`: send to the responsible unit (派遣); the first unit dispatched owns it."""

    unit_id: Code
    basis: Basis | None = None
    """Omitted: the routing rule's basis when `unit_id` is the suggestion, else `designation`."""
    co_unit_ids: list[Code] = []


class CaseSignArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.sign`: the unit signs for the case (签收)."""


class CaseReturnArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.return`: the unit refuses the case as not its own (退单), with the reason."""

    reason: Reason


class CaseArbitrateArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.arbitrate`: the centre decides who owns a case returned twice."""

    unit_id: Code


class CaseStartArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.start`: the unit starts handling (处置)."""

    photo_ids: PhotoIds = []
    """Photos of the scene before handling (`photo.upload` with step `before`), at most 5."""


class CaseFeedbackArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.feedback`: the unit reports the result and asks to close (反馈)."""

    result: Reason
    photo_ids: PhotoIds = []
    """Photos of the result (`photo.upload` with step `after`), at most 5."""


class CaseVerifyArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.verify`: the centre checks the result (核查): pass closes, fail sends it back."""

    passed: bool


class CaseCallbackArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.callback`: the requester's rating (回访); not satisfied reopens once."""

    satisfied: bool


class CaseEscalateArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.escalate`: move the case one loop up (grid → street → district)."""

    reason: Reason


class CaseTransferArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.transfer`: pass a police matter to 110 (the case leaves the centre's loop)."""

    reason: Reason


class CasePauseArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.pause`: stop the clock (挂起), e.g. waiting for the requester."""

    reason: Reason


class CaseResumeArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.resume`: restart the clock; deadlines move by the paused time."""


class CaseExtensionRequestArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.extension_request`: the unit asks for more time (延期申请)."""

    hours: Annotated[float, msgspec.Meta(gt=0, le=720)]
    reason: Reason


class CaseExtensionDecideArgs(_CaseStep, frozen=True, kw_only=True):
    """`case.extension_decide`: the centre approves or refuses the pending request."""

    approve: bool


class CaseSuperviseArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`case.supervise`: remind, urge, supervise or hold to account, on cases or a filtered pool."""

    action: SupervisionAction
    ids: list[CaseId] = []
    unit_id: Code | None = None
    """With no `ids`: every open case of this unit…"""
    min_level: SlaLevel | None = None
    """…at this overall level or above."""
    note: Note = ""


Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Date = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$")]


class UnitUpsertArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`unit.upsert`: add a unit or replace one (admins); its parent must exist."""

    id: Code
    name: Name
    kind: UnitKind
    parent_id: Code | None = None
    street_code: Code | None = None
    committee_code: Code | None = None
    workers: Annotated[list[Name], msgspec.Meta(max_length=50)] = []


class UnitRetireArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`unit.retire`: take a unit out of service; refused while it owns open cases or active units."""

    id: Code
    reason: Reason


class OrgUnitsArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`org.units`: the organisation as the hub holds it now (result: `units`, `rota`)."""

    include_retired: bool = False


class CaseCategoriesArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`case.categories`: the categories the hub accepts in `case.create` (result: `categories`)."""


class GeoLocateArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`geo.locate`: the street, committee and grid the hub places a point in (the intake desk's map)."""

    lon: Lon
    lat: Lat


class RouteSuggestArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`route.suggest`: the unit the routing rules (三定) would suggest for a case not yet created."""

    category_code: Code
    street_code: Code
    committee_code: Code | None = None
    grid_id: Code | None = None
    lon: Lon | None = None
    """With `lat`: the place, for rules that route to the place's own grid; give both or neither."""
    lat: Lat | None = None


class RotaAssignArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`rota.assign`: set the front-desk member unit and the staff on shift for a day."""

    date: Date
    front_desk_unit_id: Code
    staff: Annotated[list[Name], msgspec.Meta(max_length=50)] = []
    note: Note = ""


ItemRef = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
HANDOVER_ITEMS_MAX = 200
"""Most items a console sends with one handover (and names in one acknowledgement, after the hub's)."""


class HandoverItemArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """An open item only the sending console knows: an unacknowledged alert, a refused command."""

    kind: HandoverItemKind
    """`alert` or `refused_command` (the hub lists red cases and arbitrations itself)."""
    ref: ItemRef
    text: Annotated[str, msgspec.Meta(max_length=500)] = ""


class HandoverRefArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Names one item of a handover to acknowledge."""

    kind: HandoverItemKind
    ref: ItemRef


class ShiftHandoverArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`shift.handover`: hand the shift over; the hub records what is open at this moment."""

    to: Name | None = None
    note: Note = ""
    items: Annotated[list[HandoverItemArgs], msgspec.Meta(max_length=HANDOVER_ITEMS_MAX)] = []
    """The sender's own open items, kept after the red cases and arbitrations the hub lists."""


class ShiftHandoverAckArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`shift.handover_ack`: the incoming officer acknowledges items of a handover, or all of them."""

    id: ItemRef
    """The handover's `id` (the latest of its desk)."""
    items: Annotated[list[HandoverRefArgs], msgspec.Meta(max_length=3 * HANDOVER_ITEMS_MAX)] = []
    all: bool = False
    """Every item not yet acknowledged (and the handover itself when it has none); give `items` or this."""
    note: Note = ""


class AlertShelveArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`alert.shelve`: raise no row for an alert kind (or one key of it) on this desk for a while, with a reason."""

    kind: AlertKind
    key: Code | None = None
    """One key of the kind, as `alert.ack` names it (e.g. `step.red`); None: every alert of the kind."""
    minutes: Annotated[int, msgspec.Meta(ge=5, le=480)]
    """How long: it expires by itself (5 minutes to 8 hours)."""
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class AuditReadArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`audit.read`: the newest audit rows (admins), before `before_id` when paging back."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 100
    before_id: Annotated[int, msgspec.Meta(ge=1)] | None = None


class SupervisionReadArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`supervision.read`: the record of the supervision ladder (newest first), before `before_seq` when paging back."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 500
    before_seq: Annotated[int, msgspec.Meta(ge=1)] | None = None


class AlertAckArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`alert.ack`: acknowledge one alert on one case, or a grouped alert on many, with a comment."""

    case_ids: Annotated[list[CaseId], msgspec.Meta(min_length=1, max_length=LIMITS.max_batch_args)]
    kind: AlertKind
    key: Code
    """Which alert: `overall.red`, `step.orange`… (timer), the action (supervision), `return.N` (returned)."""
    comment: Annotated[str, msgspec.Meta(max_length=500)] = ""


Numbers = Annotated[dict[Code, Annotated[int, msgspec.Meta(ge=0, le=10_000_000)]], msgspec.Meta(max_length=50)]
"""A report's figures by name, e.g. `{"people_evacuated": 120}`."""
RecordId = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]


class EmergencyDeclareArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.declare`: declare an emergency (启动应急响应) and, by default, activate its plan."""

    type: EmergencyType
    level: EmergencyLevel
    title: Name
    area: EmergencyArea = EmergencyArea()
    activate_plan: bool = True
    """Give every unit its tasks from the response plan for this type and level."""
    exercise: bool = False
    note: Note = ""


class EmergencyLevelArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.set_level`: escalate or de-escalate; escalation activates the new level's plan."""

    id: RecordId
    level: EmergencyLevel
    reason: Reason


class EmergencyCloseArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.close`: end the response (响应终止)."""

    id: RecordId
    reason: Reason


class EmergencyAssignArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.assign`: name the lead unit (牵头单位) and the co-units (配合单位) of a response.

    Replaces what the emergency held: an empty `co_unit_ids` clears them, a null lead clears it."""

    id: RecordId
    lead_unit_id: Code | None = None
    co_unit_ids: Annotated[list[Code], msgspec.Meta(max_length=LIMITS.max_batch_args)] = []
    """Not the lead; each at most once."""
    note: Note = ""


Person = Annotated[str, msgspec.Meta(max_length=100)]


class EmergencyCheckInArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.check_in`: a unit sits in at the centre (进驻) for the response."""

    id: RecordId
    unit_id: Code | None = None
    """Required from an account with no unit; a unit's desk checks in its own unit."""
    person: Person = ""
    """Who sits in for the unit."""


class EmergencyCheckOutArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`emergency.check_out`: a unit sitting in at the centre leaves (撤离)."""

    id: RecordId
    unit_id: Code | None = None
    """Required from an account with no unit; a unit's desk checks out its own unit."""


class ResourceSetArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`resource.set`: register a resource of a response, or replace one (quantity, place, status…)."""

    id: RecordId | None = None
    """Omitted or null: a new resource (its id is in the result); else the resource to replace."""
    emergency_id: RecordId
    kind: ResourceKind
    name: Name
    quantity: Annotated[int, msgspec.Meta(ge=0, le=999_999)]
    unit_id: Code | None = None
    """The unit it belongs to; required from an account with no unit, a unit's desk sets its own."""
    status: ResourceStatus = ResourceStatus.STANDBY
    place: Annotated[str, msgspec.Meta(max_length=200)] = ""
    lon: Lon | None = None
    """With `lat`: where it is on the map; give both or neither."""
    lat: Lat | None = None
    note: Note = ""


class TaskUpdateArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`task.update`: a unit acknowledges its task, starts it, reports numbers, or marks it done."""

    id: RecordId
    status: TaskStatus
    numbers: Numbers = {}
    note: Note = ""


class DirectiveIssueArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`directive.issue`: send a directive (指令) to chosen units, a kind of unit, or all units."""

    text: Text
    unit_ids: Annotated[list[Code], msgspec.Meta(max_length=LIMITS.max_batch_args)] = []
    """The recipients by id…"""
    unit_kind: UnitKind | None = None
    """…or every active unit of this kind; with neither: every active bureau, member unit, street
    centre and police unit."""
    emergency_id: RecordId | None = None
    ack_within_min: Annotated[int, msgspec.Meta(ge=1, le=1440)] = 30
    report_every_h: Annotated[float, msgspec.Meta(ge=0.25, le=72)] | None = None
    report_fields: Annotated[list[Code], msgspec.Meta(max_length=20)] = []


class DirectiveAckArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`directive.ack`: a recipient acknowledges (签收). A unit's desk acknowledges for its unit."""

    id: RecordId
    unit_id: Code | None = None
    """Required from an account with no unit (the centre acknowledging on a unit's behalf)."""
    note: Note = ""


class DirectiveReportArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`directive.report`: a recipient reports figures and text; it acknowledges too if it had not."""

    id: RecordId
    unit_id: Code | None = None
    numbers: Numbers = {}
    text: Note = ""


class DirectiveRemindArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`directive.remind`: remind every recipient that has not acknowledged (result: `count`)."""

    id: RecordId


CAP_XML_MAX_CHARS = 300_000
CapXml = Annotated[str, msgspec.Meta(max_length=CAP_XML_MAX_CHARS)]
"""A CAP message's text: at most 300,000 characters (under 1 MiB as UTF-8, within a frame)."""


class WarningReceiveArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`warning.receive`: take in a CAP 1.2 message (result: `id`, `suggested_plan_id`, `duplicate`)."""

    xml: CapXml
    file_name: Annotated[str, msgspec.Meta(max_length=255)] = ""
    """The file it came from, kept on the warning and named in a refusal."""


class WarningConfirmArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`warning.confirm`: declare the emergency a warning suggests and activate its plan."""

    id: RecordId
    title: Name | None = None
    """Omitted: the warning's headline (or event)."""
    type: EmergencyType | None = None
    """Omitted: the warning's signal; required when it has none."""
    level: EmergencyLevel | None = None
    """Omitted: the warning's signal; another level activates that level's plan."""
    exercise: bool = False
    """A drill (a CAP `Exercise` is one anyway)."""
    note: Note = ""


class WarningDismissArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`warning.dismiss`: decide that a warning needs no response, with the reason."""

    id: RecordId
    reason: Reason


class AnalysisHotspotsArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`analysis.hotspots`: the grids whose count in a window is significantly above their own history and
    their neighbours' (Getis-Ord Gi* with a Poisson test, false discovery rate corrected)."""

    category_code: Code | None = None
    """Only this category (default: every category)."""
    window_days: Annotated[int, msgspec.Meta(ge=1, le=31)] = 7
    history_days: Annotated[int, msgspec.Meta(ge=7, le=730)] = 56
    """The history each grid's window is compared with: this many days before the window."""
    until: Instant | None = None
    """The end of the window (default: just after the latest case received)."""
    alpha: Annotated[float, msgspec.Meta(gt=0, le=0.2)] = 0.05
    min_cases: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 3


class AnalysisRecurringArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`analysis.recurring`: the same category at the same grid (or address) again and again, ranked."""

    by_address: bool = False
    """Places are addresses (their text) instead of grids."""
    category_code: Code | None = None
    days: Annotated[int, msgspec.Meta(ge=7, le=730)] = 90
    min_count: Annotated[int, msgspec.Meta(ge=2, le=1000)] = 3
    limit: Annotated[int, msgspec.Meta(ge=1, le=200)] = 50
    until: Instant | None = None


class AnalysisTrendsArgs(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`analysis.trends`: per category and per street, this week against the weeks before."""

    weeks: Annotated[int, msgspec.Meta(ge=1, le=26)] = 4
    """The weeks before this week that make its comparison."""
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 50
    until: Instant | None = None


COMMAND_ARGS: dict[str, type[msgspec.Struct]] = {
    "case.create": CaseCreateArgs,
    "case.register": CaseRegisterArgs,
    "case.reject": CaseRejectArgs,
    "case.merge": CaseMergeArgs,
    "case.dispatch": CaseDispatchArgs,
    "case.sign": CaseSignArgs,
    "case.return": CaseReturnArgs,
    "case.arbitrate": CaseArbitrateArgs,
    "case.start": CaseStartArgs,
    "case.feedback": CaseFeedbackArgs,
    "case.verify": CaseVerifyArgs,
    "case.callback": CaseCallbackArgs,
    "case.escalate": CaseEscalateArgs,
    "case.transfer": CaseTransferArgs,
    "case.pause": CasePauseArgs,
    "case.resume": CaseResumeArgs,
    "case.extension_request": CaseExtensionRequestArgs,
    "case.extension_decide": CaseExtensionDecideArgs,
    "case.supervise": CaseSuperviseArgs,
    "supervision.read": SupervisionReadArgs,
    "unit.upsert": UnitUpsertArgs,
    "unit.retire": UnitRetireArgs,
    "org.units": OrgUnitsArgs,
    "case.categories": CaseCategoriesArgs,
    "geo.locate": GeoLocateArgs,
    "route.suggest": RouteSuggestArgs,
    "rota.assign": RotaAssignArgs,
    "shift.handover": ShiftHandoverArgs,
    "shift.handover_ack": ShiftHandoverAckArgs,
    "audit.read": AuditReadArgs,
    "alert.ack": AlertAckArgs,
    "alert.shelve": AlertShelveArgs,
    "emergency.declare": EmergencyDeclareArgs,
    "emergency.set_level": EmergencyLevelArgs,
    "emergency.close": EmergencyCloseArgs,
    "emergency.assign": EmergencyAssignArgs,
    "emergency.check_in": EmergencyCheckInArgs,
    "emergency.check_out": EmergencyCheckOutArgs,
    "resource.set": ResourceSetArgs,
    "task.update": TaskUpdateArgs,
    "directive.issue": DirectiveIssueArgs,
    "directive.ack": DirectiveAckArgs,
    "directive.report": DirectiveReportArgs,
    "directive.remind": DirectiveRemindArgs,
    "warning.receive": WarningReceiveArgs,
    "warning.confirm": WarningConfirmArgs,
    "warning.dismiss": WarningDismissArgs,
    "photo.upload": PhotoUploadArgs,
    "photo.get": PhotoGetArgs,
    "analysis.hotspots": AnalysisHotspotsArgs,
    "analysis.recurring": AnalysisRecurringArgs,
    "analysis.trends": AnalysisTrendsArgs,
}
"""Every command of this protocol version, by name, with the Struct its `args` must fit."""

QUERIES = frozenset({"org.units", "case.categories", "geo.locate", "route.suggest", "audit.read", "photo.get",
                     "supervision.read",
                     "analysis.hotspots", "analysis.recurring", "analysis.trends"})
"""The commands that change nothing: a console does not keep them in its outbox across a restart (asking
again is the same) and does not count them among the actions waiting to be sent."""

_CASE_WORKERS = frozenset({Role.DUTY, Role.COMMANDER, Role.ADMIN})
_COMMAND = frozenset({Role.COMMANDER, Role.ADMIN})

_ADMIN = frozenset({Role.ADMIN})
_SUPERVISOR = frozenset({Role.SUPERVISOR})
"""Supervision apart from command (Beijing's separation): the ladder, alerts and the organisation, no step."""

PERMISSIONS: dict[str, frozenset[Role]] = {
    **{name: _CASE_WORKERS for name in COMMAND_ARGS},
    "unit.upsert": _ADMIN,
    "unit.retire": _ADMIN,
    "rota.assign": _COMMAND,
    "audit.read": _ADMIN,
    "case.supervise": _CASE_WORKERS | _SUPERVISOR,
    "supervision.read": _CASE_WORKERS | _SUPERVISOR,
    "org.units": _CASE_WORKERS | _SUPERVISOR,
    "alert.ack": frozenset({Role.DUTY, Role.COMMANDER}) | _SUPERVISOR,
    "alert.shelve": frozenset({Role.DUTY, Role.COMMANDER}) | _SUPERVISOR,
    "emergency.declare": _COMMAND,
    "emergency.set_level": _COMMAND,
    "emergency.close": _COMMAND,
    "emergency.assign": _COMMAND,
    "resource.set": _CASE_WORKERS,
    "directive.issue": _COMMAND,
    "directive.remind": _COMMAND,
    "warning.receive": _COMMAND,
    "warning.confirm": _COMMAND,
    "warning.dismiss": _COMMAND,
    "photo.get": _CASE_WORKERS | _SUPERVISOR,
    "analysis.hotspots": _CASE_WORKERS | _SUPERVISOR | frozenset({Role.WALL}),
    "analysis.recurring": _CASE_WORKERS | _SUPERVISOR,
    "analysis.trends": _CASE_WORKERS | _SUPERVISOR,
}
"""Roles allowed to send each command. `wall` only the hot-spot question (its tile); `supervisor` no step of
the loop."""
SUPERVISION_ROLES: dict[SupervisionAction, frozenset[Role]] = {
    SupervisionAction.REMIND: _CASE_WORKERS | _SUPERVISOR,
    SupervisionAction.URGE: _CASE_WORKERS | _SUPERVISOR,
    SupervisionAction.SUPERVISE: _COMMAND | _SUPERVISOR,
    SupervisionAction.ACCOUNT: _COMMAND | _SUPERVISOR,
}
"""Who may take each supervision action: formal supervision and accountability are the commanders'
and the supervisors'."""


def may_send(role: Role, name: str) -> bool:
    """True when a holder of `role` may send the command `name`."""
    return role in PERMISSIONS.get(name, frozenset())
