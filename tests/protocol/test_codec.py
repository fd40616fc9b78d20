"""protocol.codec: precise refusals, exact round trips, and nothing but BadMessage from bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from protocol_docs import CLIENT, message_types
from protocol_strategies import JSON_VALUES, any_message, message_of_type

import protocol
from protocol.codec import convert_args, utc_text
from protocol.events import Timer
from protocol.photos import Photo, PhotoStep, PhotoType

MESSAGES = message_types()
AT = datetime(2026, 11, 24, 8, 57, 43, 123456, tzinfo=UTC)
LOG_ID = "3f2c9a0e5b7d4c1e8a6b2d9f0c4e7a15"
HYPOTHESIS = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def refusal(frame: bytes | str, *, server: bool = False) -> str:
    decode = protocol.decode_server if server else protocol.decode_client
    with pytest.raises(protocol.BadMessage) as refused:
        decode(frame)
    return str(refused.value)


# --- malformed input: each class of mistake is refused with a message naming it -----------------

MALFORMED_CLIENT_FRAMES = [
    # (frame, words the message must contain)
    pytest.param(b"", "not valid JSON", id="empty"),
    pytest.param(b'{"type": "hello", "token": "t"', "not valid JSON", id="truncated"),
    pytest.param(b"{'type': 'hello'}", "not valid JSON", id="single-quotes"),
    pytest.param(b'{"type": "hello", "token": "t"} {}', "not valid JSON", id="two-objects"),
    pytest.param(b'{"type": "hello", "token": "t", }', "not valid JSON", id="trailing-comma"),
    pytest.param(b'{"type": "hello", "token": NaN}', "not valid JSON", id="nan"),
    pytest.param(b"\xff\xfe{}", "not valid JSON", id="not-utf8"),
    pytest.param(b'["hello"]', "one JSON object", id="array"),
    pytest.param(b"42", "one JSON object", id="number"),
    pytest.param(b'"hello"', "one JSON object", id="string"),
    pytest.param(b"null", "one JSON object", id="null"),
    pytest.param(b"{}", "field `type`", id="no-type"),
    pytest.param(b'{"token": "t"}', "field `type`", id="hello-without-type"),
    pytest.param(b'{"type": 7}', "`$.type`", id="type-not-string"),
    pytest.param(
        b'{"type": "subscribe"}', "unknown message type: Invalid value 'subscribe' - at `$.type`", id="unknown"
    ),
    pytest.param(b'{"type": "welcome", "role": "duty"}', "unknown message type", id="hub-message-from-client"),
    pytest.param(b'{"type": "HELLO", "token": "t"}', "unknown message type", id="type-is-case-sensitive"),
    pytest.param(b'{"type": "hello"}', "missing required field `token`", id="no-token"),
    pytest.param(b'{"type": "hello", "token": 7}', "`$.token`", id="token-not-string"),
    pytest.param(b'{"type": "hello", "token": "' + b"t" * 513 + b'"}', "length <= 512 - at `$.token`", id="token-long"),
    pytest.param(b'{"type": "hello", "token": "t", "resume_from": -1}', ">= 0 - at `$.resume_from`", id="resume-neg"),
    pytest.param(b'{"type": "hello", "token": "t", "resume_from": "12"}', "`$.resume_from`", id="resume-str"),
    pytest.param(b'{"type": "hello", "token": "t", "resume_from": 1.5}', "`$.resume_from`", id="resume-float"),
    pytest.param(b'{"type": "hello", "token": "t", "log_id": 5}', "`$.log_id`", id="log-id-int"),
    pytest.param(b'{"type": "hello", "token": "t", "client": ["a"]}', "`$.client`", id="client-list"),
    pytest.param(b'{"type": "command", "name": "case.create"}', "missing required field `id`", id="no-id"),
    pytest.param(b'{"type": "command", "id": "", "name": "case.create"}', "length >= 1 - at `$.id`", id="empty-id"),
    pytest.param(b'{"type": "command", "id": "1"}', "missing required field `name`", id="no-name"),
    pytest.param(b'{"type": "command", "id": "1", "name": "case create"}', "regex", id="name-pattern"),
    pytest.param(b'{"type": "command", "id": "1", "name": "c", "args": null}', "`$.args`", id="args-null"),
    pytest.param(b'{"type": "command", "id": "1", "name": "c", "args": [1]}', "`$.args`", id="args-list"),
]


@pytest.mark.parametrize(("frame", "words"), MALFORMED_CLIENT_FRAMES)
def test_malformed_client_frame_is_refused_naming_the_problem(frame: bytes, words: str) -> None:
    assert words in refusal(frame)


def test_a_str_frame_is_decoded_like_its_utf8_bytes() -> None:
    frame = '{"type": "hello", "token": "值班"}'
    assert protocol.decode_client(frame) == protocol.decode_client(frame.encode())
    assert refusal('{"type": "nope"}') == refusal(b'{"type": "nope"}')


MALFORMED_SERVER_FRAMES = [
    pytest.param(b"<html>", "not valid JSON", id="not-json"),
    pytest.param(b"[]", "one JSON object", id="array"),
    pytest.param(b'{"type": "welcome", "role": "duty"}', "missing required field", id="welcome-incomplete"),
    pytest.param(b'{"type": "snapshot.end", "as_of_seq": "9"}', "`$.as_of_seq`", id="seq-as-string"),
    pytest.param(b'{"type": "snapshot.begin", "as_of_seq": -1, "total": 0}', "`$.as_of_seq`", id="negative"),
    pytest.param(
        b'{"type": "case.updated", "seq": 5, "ts": "2026-11-24T08:57:43Z", "data": {"id": "x"}}',
        "missing required field `version` - at `$.data`",
        id="known-event-bad-data",
    ),
    pytest.param(
        b'{"type": "case.created", "seq": 0, "ts": "2026-11-24T08:57:43Z", "data": {}}', "`$.seq`", id="seq-zero"
    ),
    pytest.param(
        b'{"type": "future.event", "seq": 0, "ts": "2026-11-24T08:57:43Z"}', "unknown message type", id="bad-seq"
    ),
    pytest.param(b'{"type": "future.event", "ts": "2026-11-24T08:57:43Z"}', "unknown message type", id="no-seq"),
    pytest.param(b'{"type": "error", "code": "teapot", "message": ""}', "`$.code`", id="unknown-error-code"),
]


@pytest.mark.parametrize(("frame", "words"), MALFORMED_SERVER_FRAMES)
def test_malformed_hub_frame_is_refused_naming_the_problem(frame: bytes, words: str) -> None:
    assert words in refusal(frame, server=True)


def test_an_unknown_event_type_decodes_as_a_generic_event_that_keeps_its_seq() -> None:
    frame = b'{"type": "directive.issued", "seq": 1044, "ts": "2026-11-24T09:00:00Z", "data": {"to": "duty"}}'
    event = protocol.decode_server(frame)
    assert isinstance(event, protocol.GenericEvent)
    assert (event.type, event.seq, event.data) == ("directive.issued", 1044, {"to": "duty"})
    assert event.ts == datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_unknown_fields_are_ignored_in_frames() -> None:
    hello = protocol.decode_client(b'{"type": "hello", "token": "t", "capabilities": ["zstd"]}')
    assert hello == protocol.Hello(token="t")
    frame = b'{"type": "snapshot.end", "as_of_seq": 3, "checksum": "ab"}'
    assert protocol.decode_server(frame) == protocol.SnapshotEnd(as_of_seq=3)


ARGS = {
    "channel": "app",
    "category_code": "04002",
    "street_code": "310112001",
    "description": "行道树倒伏",
    "lon": 121.4251,
    "lat": 31.0152,
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        pytest.param({"channel": "fax"}, "Invalid enum value 'fax' - at `args.channel`", id="enum"),
        pytest.param({"lat": 91}, "<= 90.0 - at `args.lat`", id="range"),
        pytest.param({"description": ""}, "length >= 1 - at `args.description`", id="empty"),
        pytest.param({"street_code": "31 01"}, "regex", id="pattern"),
        pytest.param({"requester_phone": "call me"}, "`args.requester_phone`", id="phone"),
        pytest.param(
            {"received_at": "yesterday"}, "Invalid RFC3339 encoded datetime - at `args.received_at`", id="instant"
        ),
        pytest.param({"urgent": [True]}, "`args.urgent`", id="bool"),
        pytest.param({"lon": None}, "`args.lon`", id="null-for-number"),
        pytest.param({"colour": "red"}, "unknown field `colour`", id="unknown-field"),
        pytest.param({"lon": ...}, "missing required field `lon`", id="missing"),
    ],
)
def test_command_arguments_are_refused_naming_the_field(change: dict[str, object], words: str) -> None:
    args = {k: v for k, v in {**ARGS, **change}.items() if v is not ...}
    with pytest.raises(protocol.BadMessage) as refused:
        convert_args(args, protocol.CaseCreateArgs)
    assert words in str(refused.value)


def test_valid_command_arguments_convert_with_defaults() -> None:
    args = convert_args(ARGS, protocol.CaseCreateArgs)
    assert (args.address, args.urgent, args.received_at, args.exercise_id) == ("", False, None, None)


# --- round trips ----------------------------------------------------------------------------


def _timer(start: datetime, hours: float) -> Timer:
    span = timedelta(hours=hours)
    return Timer(started_at=start, due_at=start + span, yellow_at=start + span / 2, orange_at=start + span * 0.8)


CASE = protocol.Case(
    id="5e0d7c2a9f314b86",
    serial="MH2026-000121",
    version=4,
    status=protocol.CaseStatus.DISPATCHED,
    received_at=AT - timedelta(hours=3),
    updated_at=AT,
    channel=protocol.Channel.HOTLINE_12345,
    category_code="01001",
    category_zh="供水井盖异常",
    category_en="water-supply manhole cover - abnormal",
    street_code="310112006",
    street_name="古美街道",
    address="",
    description="井盖破损",
    lon=121.3862,
    lat=31.1473,
    committee_code="310112006001",
    committee_name="古美一村居委会",
    requester_phone="+86 139 1234 5678",
    urgent=True,
    unit_id="u-1",
    unit_name="养护站",
    level=protocol.SlaLevel.ORANGE,
    overall=_timer(AT - timedelta(hours=3), 4),
    step=_timer(AT, 0.5),
    exercise_id="drill-7",
    step_level=protocol.SlaLevel.RED,
    co_unit_ids=["u-2"],
    basis=protocol.Basis.LAW,
    routing=protocol.Routing(
        unit_id="u-1", unit_name="养护站", basis=protocol.Basis.LAW, rule_id="01001", explanation_zh="依法"
    ),
    flags=[protocol.CaseFlag.PAUSED, protocol.CaseFlag.EXTENSION_REQUESTED],
    returns=1,
    satisfied=None,
    paused_at=AT,
    extension_hours=7.5,
    history=(
        protocol.Trace(
            at=AT - timedelta(hours=2), actor="wang.li", action="register", status=protocol.CaseStatus.REGISTERED
        ),
        protocol.Trace(
            at=AT,
            actor="wang.li",
            action="dispatch",
            status=protocol.CaseStatus.DISPATCHED,
            unit_id="u-1",
            note="属地",
            step_started_at=AT - timedelta(hours=2),
            step_due_at=AT - timedelta(hours=1, minutes=30),
        ),
    ),
)
STATS = protocol.UnitStats(unit_id="u-1", unit_name="养护站", received=3, signed_in_time=2, overdue_now=1)

EMERGENCY = protocol.Emergency(
    id="EM2026-0003", serial="EM2026-0003", type=protocol.EmergencyType.TYPHOON, level=protocol.EmergencyLevel.LEVEL_II,
    title="台风", status=protocol.EmergencyStatus.ACTIVE, declared_by="zhang", declared_at=AT, updated_at=AT,
    plan_ids=["typhoon-II"],
    history=[protocol.EmergencyStep(at=AT, actor="zhang", action="declare", level=protocol.EmergencyLevel.LEVEL_II,
                                    note="橙色预警"),
             protocol.EmergencyStep(at=AT, actor="zhang", action="activate", level=protocol.EmergencyLevel.LEVEL_II)],
)
TASK = protocol.EmergencyTask(
    id="EM2026-0003/evacuate/S1", emergency_id="EM2026-0003", plan_id="typhoon-II", task_key="evacuate", unit_id="S1",
    unit_name="街道", title_en="Evacuate", title_zh="转移", timer=_timer(AT, 6), status=protocol.TaskStatus.ASSIGNED,
    updated_at=AT, report_fields=["people_evacuated"],
)
DIRECTIVE = protocol.Directive(
    id="ZL2026-0012", serial="ZL2026-0012", text="排查低洼地区", issued_by="zhang", issued_at=AT,
    ack_due_at=AT + timedelta(minutes=15), recipients=["S1", "S2"], emergency_id="EM2026-0003", report_every_h=2.0,
    report_fields=["people_evacuated"], reminders=[AT],
)
WARNING = protocol.CapWarning(
    id="WN2026-0004", identifier="composed.310112.typhoon.orange", sender="meteo@example.invalid", sent=AT,
    msg_type="Update", status=protocol.WarningStatus.RECEIVED, received_by="zhang", received_at=AT, updated_at=AT,
    event="台风橙色预警信号", severity="Severe", urgency="Expected", certainty="Likely", language="zh-CN",
    expires=AT + timedelta(hours=24), area=protocol.EmergencyArea(polygon=[[121.24, 31.24], [121.33, 30.98],
                                                                            [121.55, 30.99], [121.24, 31.24]]),
    area_desc="上海市闵行区", suggested_plan_id="typhoon-II", source="orange.cap.xml", composed=True,
    signal=protocol.WarningSignal(type=protocol.EmergencyType.TYPHOON, level=protocol.EmergencyLevel.LEVEL_II,
                                  reason="China four-colour signal"),
)

SITTING_IN = [
    protocol.SitIn(unit_id="B-SW", unit_name="区水务局", checked_in_at=AT, checked_in_by="zhang",
                   person="王强 副局长"),
    protocol.SitIn(unit_id="B-CG", unit_name="区城管执法局", checked_in_at=AT - timedelta(hours=2),
                   checked_in_by="zhang", checked_out_at=AT),
]
RESOURCE = protocol.Resource(
    id="RS2026-0001", emergency_id="EM2026-0003", kind=protocol.ResourceKind.PUMP, name="大型移动泵车", quantity=3,
    unit_id="B-SW", unit_name="区水务局", status=protocol.ResourceStatus.DEPLOYED, place="莘庄立交下穿通道",
    location=[121.385, 31.111], updated_at=AT, by="zhang", note="每台 3000 m³/h",
)

SAMPLES = [
    protocol.Hello(token="t"),
    protocol.Hello(token="t", resume_from=0, client="cc-console/0.1.0", log_id=LOG_ID),
    protocol.Command(id="c1", name="case.create", args=dict(ARGS)),
    protocol.Command(id="c2", name="case.close"),
    protocol.Welcome(
        role=protocol.Role.WALL,
        user="wall-1",
        server_time=AT,
        head_seq=0,
        mode=protocol.ReplayMode.REPLAY,
        log_id=LOG_ID,
        hub="cc-hub/0.1.0",
        limits=protocol.LIMITS,
    ),
    protocol.SnapshotBegin(as_of_seq=0, total=0),
    protocol.SnapshotChunk(items=[]),
    protocol.SnapshotChunk(items=[CASE, msgspec.structs.replace(CASE, id="b", overall=None, step=None)]),
    protocol.SnapshotEnd(as_of_seq=1041),
    protocol.SnapshotEnd(as_of_seq=1041, units=[STATS, protocol.UnitStats(unit_id="u-2", unit_name="所")]),
    protocol.CommandResult(id="c1", ok=True, result={"id": "9b2f0c7e41d84a6f", "serial": "MH2026-000123", "seq": 1043}),
    protocol.CommandResult(id="c1", ok=True),
    protocol.CommandResult(
        id="c2", ok=False, error=protocol.CommandError(code=protocol.ErrorCode.FORBIDDEN, message="role 'wall'")
    ),
    protocol.Error(code=protocol.ErrorCode.BAD_MESSAGE, message="unknown message type"),
    protocol.Figures(
        as_of_seq=1041, as_of=AT, zone="Asia/Shanghai",
        open_by_level={"blue": 2, "yellow": 0, "orange": 0, "red": 1}, open_by_status={"handling": 3}, overdue_now=1,
        hours=[protocol.HourFigures(start=AT, received_by_channel={"app": 2}, closed=1, closed_on_time=0, overdue=1)],
        today=protocol.Totals(received=2, closed=1, closed_on_time=0, returned=1, rated=1, satisfied=0),
        month=protocol.Totals(received=9, closed=5, closed_on_time=4, returned=1, rated=3, satisfied=2),
        units_month=[protocol.AreaFigures(id="u-1", name="养护站", received=3, closed=1, closed_on_time=0, returned=1,
                                          rated=1, satisfied=0, open_now=2, overdue_now=1)],
        streets_month=[], grids=[protocol.GridFigures(grid_id="G1", street_code="310112006", open=3, overdue=1)],
    ),
    protocol.Geography(
        version="v1", district_code="310112", district_name="闵行区",
        boundary=[[[121.3, 31.0], [121.5, 31.0], [121.5, 31.2]]], boundary_source="test", approximate=True,
        streets=[protocol.StreetArea(code="310112006", name="古美街道", seed=[121.39, 31.15],
                                     area=[[121.3, 31.0], [121.5, 31.0], [121.4, 31.2]])],
        grids=[protocol.GridArea(id="G1", street_code="310112006", committee_code="310112006001",
                                 ring=[[121.39, 31.15], [121.4, 31.15], [121.4, 31.16], [121.39, 31.15]])],
    ),
    protocol.CaseCreated(seq=1, ts=AT, data=CASE),
    protocol.CaseUpdated(seq=2, ts=AT, data=protocol.CasePatch(id=CASE.id, version=5, updated_at=AT)),
    protocol.CaseUpdated(
        seq=3,
        ts=AT,
        data=protocol.CasePatch(
            id=CASE.id,
            version=6,
            updated_at=AT,
            status=protocol.CaseStatus.CLOSED,
            level=protocol.SlaLevel.RED,
            unit_id=None,
            unit_name=None,
            overall=None,
            step=_timer(AT, 1),
            actor="hub",
            note="",
        ),
    ),
    protocol.CaseUpdated(
        seq=4,
        ts=AT,
        data=protocol.CasePatch(
            id=CASE.id,
            version=7,
            updated_at=AT,
            status=protocol.CaseStatus.REGISTERED,
            step_level=protocol.SlaLevel.BLUE,
            co_unit_ids=[],
            basis=None,
            routing=None,
            flags=[protocol.CaseFlag.ARBITRATION],
            returns=2,
            duplicate_of=None,
            satisfied=False,
            paused_at=None,
            extension_hours=None,
            trace=protocol.Trace(at=AT, actor="desk", action="return", status=protocol.CaseStatus.REGISTERED),
        ),
    ),
    protocol.CaseUpdated(
        seq=4,
        ts=AT,
        data=protocol.CasePatch(
            id=CASE.id,
            version=8,
            updated_at=AT,
            status=protocol.CaseStatus.FEEDBACK,
            trace=protocol.Trace(
                at=AT, actor="unit-desk", action="feedback", status=protocol.CaseStatus.FEEDBACK, note="已清理",
                photos=[Photo(id="p1", step=PhotoStep.AFTER, content_type=PhotoType.JPEG, size=183_204,
                              sha256="ab" * 32)],
            ),
        ),
    ),
    protocol.TimerLevelChanged(
        seq=5,
        ts=AT,
        data=protocol.LevelChange(
            case_id=CASE.id,
            kind="overall",
            level=protocol.SlaLevel.RED,
            previous=protocol.SlaLevel.ORANGE,
            unit_id="u-1",
        ),
    ),
    protocol.SupervisionRecorded(
        seq=6,
        ts=AT,
        data=protocol.Supervision(
            case_id=CASE.id, unit_id="u-1", action=protocol.SupervisionAction.SUPERVISE, actor="hub", automatic=True
        ),
    ),
    protocol.SupervisionRecorded(
        seq=7,
        ts=AT,
        data=protocol.Supervision(case_id="b", unit_id=None, action=protocol.SupervisionAction.REMIND, actor="li"),
    ),
    protocol.UnitStatsChanged(seq=8, ts=AT, data=STATS),
    protocol.UnitChanged(
        seq=10,
        ts=AT,
        data=protocol.Unit(id="G12139-3099", name="兰坪新村第一居委会G12139-3099网格", kind=protocol.UnitKind.GRID,
                           parent_id="C310112001017", street_code="310112001", committee_code="310112001017",
                           workers=["肖兰", "陈静"]),
    ),
    protocol.UnitChanged(
        seq=11,
        ts=AT,
        data=protocol.Unit(id="B-WJ", name="区卫生健康委员会", kind=protocol.UnitKind.BUREAU, parent_id="MH",
                           active=False),
    ),
    protocol.RotaChanged(
        seq=12, ts=AT, data=protocol.RotaDay(date="2026-11-25", front_desk_unit_id="M-GD", staff=["王伟", "李娜"])
    ),
    protocol.ShiftHandedOver(
        seq=13,
        ts=AT,
        data=protocol.Handover(by="wang.li", at=AT, open_by_status={"handling": 7, "received": 2},
                               red_case_ids=[CASE.id], to="夜班 张强", note="注意积水点"),
    ),
    protocol.ShiftHandedOver(seq=14, ts=AT, data=protocol.Handover(by="li", at=AT, open_by_status={})),
    protocol.ShiftHandedOver(
        seq=15,
        ts=AT,
        data=protocol.Handover(
            by="wang.li", at=AT, open_by_status={"registered": 1}, id="H15", unit_id="S310112001",
            items=[protocol.HandoverItem(kind=protocol.HandoverItemKind.ARBITRATION, ref=CASE.id, text="MH2026-000001"),
                   protocol.HandoverItem(kind=protocol.HandoverItemKind.ALERT, ref="timer/overall.red/c1",
                                         acknowledged_by="zhang.qiang", acknowledged_at=AT)],
            acknowledged_by="zhang.qiang", acknowledged_at=AT),
    ),
    protocol.ShiftHandoverAcknowledged(
        seq=16,
        ts=AT,
        data=protocol.HandoverAck(handover_id="H15", items=[protocol.HandoverItemRef(
            kind=protocol.HandoverItemKind.REFUSED_COMMAND, ref="case.dispatch/c2")], by="zhang.qiang",
            role=protocol.Role.DUTY, at=AT, complete=True, note="已接班"),
    ),
    protocol.ShiftHandoverAcknowledged(seq=17, ts=AT, data=protocol.HandoverAck(
        handover_id="H16", items=[], by="li", role=protocol.Role.COMMANDER, at=AT)),
    protocol.AlertAcknowledged(
        seq=9,
        ts=AT,
        data=protocol.AlertAck(case_ids=[CASE.id, "b"], kind=protocol.AlertKind.TIMER, key="overall.red", by="li",
                               role=protocol.Role.DUTY, at=AT, comment="已电话催办"),
    ),
    protocol.AlertShelved(seq=10, ts=AT, data=protocol.AlertShelf(
        kind=protocol.AlertKind.TIMER, key="step.red", unit_id="S310112001", by="zhou", role=protocol.Role.DUTY,
        at=AT, until=AT, reason="暴雨积水")),
    protocol.EmergencyChanged(seq=15, ts=AT, data=EMERGENCY),
    protocol.EmergencyChanged(
        seq=16,
        ts=AT,
        data=msgspec.structs.replace(
            EMERGENCY, status=protocol.EmergencyStatus.CLOSED, closed_at=AT, exercise=True, plan_ids=[], history=[],
            area=protocol.EmergencyArea(street_codes=["310112001"], grid_ids=["G12139-3099"],
                                        polygon=[[121.3, 31.0], [121.5, 31.0], [121.4, 31.2]]),
        ),
    ),
    protocol.TaskChanged(seq=17, ts=AT, data=TASK),
    protocol.TaskChanged(
        seq=18,
        ts=AT,
        data=msgspec.structs.replace(TASK, status=protocol.TaskStatus.DONE, numbers={"people_evacuated": 126},
                                     note="完成", acknowledged_at=AT, done_at=AT, by="desk"),
    ),
    protocol.DirectiveChanged(seq=19, ts=AT, data=DIRECTIVE),
    protocol.DirectiveChanged(
        seq=20, ts=AT, data=msgspec.structs.replace(DIRECTIVE, emergency_id=None, report_every_h=None, report_fields=[])
    ),
    protocol.ReceiptChanged(
        seq=21, ts=AT, data=protocol.Receipt(directive_id="ZL2026-0012", unit_id="S1", unit_name="街道")
    ),
    protocol.ReceiptChanged(
        seq=22,
        ts=AT,
        data=protocol.Receipt(
            directive_id="ZL2026-0012", unit_id="S1", unit_name="街道", acknowledged_at=AT, acknowledged_by="desk",
            latency_s=312.418, reminded=1,
            reports=[protocol.DirectiveReport(at=AT, by="desk", numbers={"people_evacuated": 37}, text="已转移"),
                     protocol.DirectiveReport(at=AT, by="desk")],
        ),
    ),
    protocol.SnapshotEnd(
        as_of_seq=1041, emergencies=[EMERGENCY], tasks=[TASK], directives=[DIRECTIVE],
        receipts=[protocol.Receipt(directive_id="ZL2026-0012", unit_id="S1", unit_name="街道")], warnings=[WARNING],
        resources=[RESOURCE],
    ),
    protocol.EmergencyChanged(
        seq=26, ts=AT, data=msgspec.structs.replace(EMERGENCY, lead_unit_id="B-SW", co_unit_ids=["B-CG", "S310112001"],
                                                    sitting_in=SITTING_IN, case_count=17),
    ),
    protocol.ResourceChanged(seq=27, ts=AT, data=RESOURCE),
    protocol.CaseEnteredScope(seq=30, ts=AT, data=CASE),
    protocol.CaseLeftScope(seq=31, ts=AT, data=protocol.CaseRef(id=CASE.id)),
    protocol.EventWithheld(seq=32, ts=AT, data=protocol.Withheld()),
    protocol.ResourceChanged(
        seq=28, ts=AT, data=protocol.Resource(
            id="RS2026-0002", emergency_id="EM2026-0003", kind=protocol.ResourceKind.SANDBAGS, name="沙袋", quantity=0,
            unit_id="S310112001", unit_name="江川路街道城运分中心", status=protocol.ResourceStatus.RETURNED,
            updated_at=AT, by="jiangchuan-desk"),
    ),
    protocol.CaseCreated(seq=29, ts=AT, data=msgspec.structs.replace(CASE, emergency_id="EM2026-0003")),
    protocol.WarningChanged(seq=23, ts=AT, data=WARNING),
    protocol.WarningChanged(
        seq=24, ts=AT, data=msgspec.structs.replace(
            WARNING, status=protocol.WarningStatus.CONFIRMED, decided_by="zhang", decided_at=AT, note="启动",
            emergency_id="EM2026-0003", exercise=True)
    ),
    protocol.WarningChanged(
        seq=25, ts=AT, data=protocol.CapWarning(
            id="WN2026-0005", identifier="x", sender="y", sent=AT, msg_type="Cancel",
            status=protocol.WarningStatus.DISMISSED, received_by="cap-inbox", received_at=AT, updated_at=AT)
    ),
]


def decode_as_sent(message: msgspec.Struct, frame: bytes) -> object:
    wire_type = json.loads(frame)["type"]
    _, sender = MESSAGES[wire_type]
    return protocol.decode_client(frame) if sender == CLIENT else protocol.decode_server(frame)


def test_the_samples_cover_every_message_type() -> None:
    covered = {json.loads(protocol.encode(m))["type"] for m in SAMPLES}
    assert covered == set(MESSAGES)


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_every_message_round_trips(message: msgspec.Struct) -> None:
    frame = protocol.encode(message)
    assert decode_as_sent(message, frame) == message
    assert protocol.encode(decode_as_sent(message, frame)) == frame


def test_a_patch_says_only_what_changed_and_null_means_cleared() -> None:
    patch = protocol.CasePatch(id="a", version=2, updated_at=AT, unit_id=None)
    assert json.loads(protocol.encode(patch)) == {
        "id": "a",
        "version": 2,
        "updated_at": "2026-11-24T08:57:43.123456Z",
        "unit_id": None,
    }


def test_a_command_result_writes_only_result_or_error() -> None:
    ok = json.loads(protocol.encode(protocol.CommandResult(id="c", ok=True, result={"n": 1})))
    assert ok == {"type": "command.result", "id": "c", "ok": True, "result": {"n": 1}}
    error = protocol.CommandError(code=protocol.ErrorCode.CONFLICT, message="version 3, not 2")
    failed = json.loads(protocol.encode(protocol.CommandResult(id="c", ok=False, error=error)))
    assert failed == {
        "type": "command.result",
        "id": "c",
        "ok": False,
        "error": {"code": "conflict", "message": error.message},
    }


def test_event_frame_is_the_encoded_event() -> None:
    for event in (m for m in SAMPLES if isinstance(m, tuple(protocol.EVENT_TYPES.values()))):
        assert protocol.event_frame(event) == protocol.encode(event)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (AT, "2026-11-24T08:57:43.123456Z"),
        (AT.replace(microsecond=0), "2026-11-24T08:57:43Z"),
        (AT.replace(microsecond=120000), "2026-11-24T08:57:43.120000Z"),
    ],
)
def test_instants_are_written_as_rfc3339_utc(moment: datetime, text: str) -> None:
    assert utc_text(moment) == text
    assert protocol.decode_server(protocol.encode(protocol.SnapshotEnd(as_of_seq=1))) == protocol.SnapshotEnd(
        as_of_seq=1
    )


@HYPOTHESIS
@given(message=any_message())
def test_any_valid_message_round_trips(message: msgspec.Struct) -> None:
    frame = protocol.encode(message)
    assert decode_as_sent(message, frame) == message


# --- nothing but BadMessage -------------------------------------------------------------------


def _is_utf8(frame: bytes | str) -> bool:
    try:
        frame.decode() if isinstance(frame, bytes) else frame.encode()
    except UnicodeError:
        return False
    return True


def _never_raises_anything_but_bad_message(frame: bytes | str) -> None:
    # Known defect (test_invalid_utf8_in_a_string_is_a_bad_message): invalid UTF-8 inside a
    # JSON string escapes as UnicodeDecodeError. A WebSocket text frame is valid UTF-8 by
    # RFC 6455, so the hub never passes such bytes; once fixed, drop the allowance below.
    allowed: tuple[type[Exception], ...] = (protocol.BadMessage,)
    if not _is_utf8(frame):
        allowed = (protocol.BadMessage, UnicodeDecodeError)
    for decode in (protocol.decode_client, protocol.decode_server):
        try:
            decode(frame)
        except allowed as exc:
            assert str(exc), "a refusal must say why"


@HYPOTHESIS
@given(frame=st.binary(max_size=300))
def test_arbitrary_bytes_give_a_message_or_bad_message(frame: bytes) -> None:
    _never_raises_anything_but_bad_message(frame)


@HYPOTHESIS
@given(text=st.text(max_size=300))
def test_arbitrary_text_gives_a_message_or_bad_message(text: str) -> None:
    assert _is_utf8(text)
    _never_raises_anything_but_bad_message(text)
    _never_raises_anything_but_bad_message(text.encode())


@HYPOTHESIS
@given(value=JSON_VALUES)
def test_arbitrary_json_gives_a_message_or_bad_message(value: object) -> None:
    _never_raises_anything_but_bad_message(json.dumps(value))


FIELD_NAMES = sorted({f.name for cls, _ in MESSAGES.values() for f in msgspec.structs.fields(cls)} | {"type", "x"})


@HYPOTHESIS
@given(
    wire_type=st.sampled_from([*sorted(MESSAGES), "x.y", ""]),
    body=st.dictionaries(st.sampled_from(FIELD_NAMES), JSON_VALUES, max_size=6),
)
def test_near_miss_frames_give_a_message_or_bad_message(wire_type: str, body: dict[str, object]) -> None:
    """Objects with a real `type` and real field names but arbitrary values."""
    _never_raises_anything_but_bad_message(json.dumps({**body, "type": wire_type}))


@HYPOTHESIS
@given(message=any_message(), data=st.data())
def test_corrupted_valid_frames_give_a_message_or_bad_message(message: msgspec.Struct, data: st.DataObject) -> None:
    frame = bytearray(protocol.encode(message))
    for _ in range(data.draw(st.integers(1, 3))):
        frame[data.draw(st.integers(0, len(frame) - 1))] = data.draw(st.integers(0, 255))
    _never_raises_anything_but_bad_message(bytes(frame))


@pytest.mark.parametrize("wire_type", sorted(MESSAGES))
@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_message_type_round_trips(wire_type: str, data: st.DataObject) -> None:
    message = data.draw(message_of_type(wire_type))
    assert decode_as_sent(message, protocol.encode(message)) == message


# --- defects found in review, fixed: kept as regression tests ---


def test_deeply_nested_json_is_a_bad_message() -> None:
    depth = 2000  # a 4 KB frame, far under max_frame_bytes
    frame = (
        b'{"type": "command", "id": "1", "name": "case.create", "args": {"a": ' + b"[" * depth + b"]" * depth + b"}}"
    )
    assert "nest" in refusal(frame)


def test_invalid_utf8_in_a_string_is_a_bad_message() -> None:
    assert "UTF-8" in refusal(b'{"type": "hello", "token": "\x80"}')


def test_a_code_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(protocol.BadMessage):
        convert_args({**ARGS, "grid_id": "310112008-07\n"}, protocol.CaseCreateArgs)


def test_an_instant_without_a_zone_is_refused() -> None:
    refusal(
        b'{"type": "case.updated", "seq": 5, "ts": "2026-11-24T08:57:43", '
        b'"data": {"id": "a", "version": 2, "updated_at": "2026-11-24T08:57:43"}}',
        server=True,
    )


def test_a_malformed_control_message_is_not_taken_for_an_unknown_event() -> None:
    refusal(b'{"type": "welcome", "seq": 7, "ts": "2026-11-24T08:57:43Z"}', server=True)


def test_offsets_other_than_utc_are_kept_as_the_same_instant() -> None:
    """Documented: the hub writes UTC; a decoder given another offset still gets the right instant."""
    event = protocol.decode_server(b'{"type": "future.x", "seq": 1, "ts": "2026-11-24T16:57:43+08:00", "data": {}}')
    assert event.ts == datetime(2026, 11, 24, 8, 57, 43, tzinfo=UTC)
    assert event.ts.utcoffset() == timezone(timedelta(hours=8)).utcoffset(None)
