"""Every example frame in docs/protocol.md is what the code accepts and writes.

Code blocks tagged ```json client, ```json hub and ```text client-bad hold one frame each.
Client frames must decode with `protocol.decode_client`, hub frames with
`protocol.decode_server`, bad frames must be refused, and the `error` after a bad frame must
carry exactly the message the codec gives.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import msgspec
import pytest
from protocol_docs import (
    CLIENT,
    HUB,
    Frame,
    asyncapi,
    example_frames,
    message_schema_name,
    only_code,
    protocol_md,
    section,
    tables,
)

import protocol
from protocol.codec import convert_args

FRAMES = example_frames()
GOOD = [f for f in FRAMES if f.sender in (CLIENT, HUB)]


def decode(frame: Frame) -> Any:
    if frame.sender == CLIENT:
        return protocol.decode_client(frame.text)
    return protocol.decode_server(frame.text)


def invalid_args_ids() -> set[str]:
    """Ids of example commands that the docs show refused with `invalid_args`."""
    ids = set()
    for frame in GOOD:
        message = decode(frame)
        error = message.error if isinstance(message, protocol.CommandResult) else None
        if error is not None and error.code is protocol.ErrorCode.INVALID_ARGS:
            ids.add(message.id)
    return ids


def bad_message(text: str) -> str:
    with pytest.raises(protocol.BadMessage) as refused:
        protocol.decode_client(text)
    return str(refused.value)


def test_the_docs_have_examples_of_every_message_type() -> None:
    types = {json.loads(f.text)["type"] for f in GOOD}
    missing = set(protocol.CLIENT_MESSAGE_TYPES) | set(protocol.SERVER_MESSAGE_TYPES) | set(protocol.EVENT_TYPES)
    assert not missing - types, f"docs/protocol.md has no example of {sorted(missing - types)}"


@pytest.mark.parametrize("frame", GOOD, ids=str)
def test_example_frame_decodes(frame: Frame) -> None:
    message = decode(frame)
    expected = (
        protocol.CLIENT_MESSAGE_TYPES
        if frame.sender == CLIENT
        else {
            **protocol.SERVER_MESSAGE_TYPES,
            **protocol.EVENT_TYPES,
        }
    )
    wire_type = json.loads(frame.text)["type"]
    assert type(message) is expected[wire_type], f"{frame}: decoded as {type(message).__name__}"


@pytest.mark.parametrize("frame", GOOD, ids=str)
def test_example_frame_is_exactly_what_the_code_writes(frame: Frame) -> None:
    """Same fields, same values: no field missing that the hub always writes, none invented."""
    assert msgspec.json.decode(protocol.encode(decode(frame))) == json.loads(frame.text), str(frame)


@pytest.mark.parametrize("frame", GOOD, ids=str)
def test_example_frame_fits_its_asyncapi_payload_schema(frame: Frame) -> None:
    payload = json.loads(frame.text)
    doc = asyncapi()
    name = message_schema_name(doc, payload["type"])
    assert name is not None, f"{frame}: no message {payload['type']!r} in docs/asyncapi.yaml"
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    validator = jsonschema.Draft7Validator(schema)
    if payload["type"] == "command" and payload["id"] in invalid_args_ids():
        assert list(validator.iter_errors(payload)), f"{frame}: the code refuses these args, the schema must too"
    else:
        validator.validate(payload)


def test_bad_example_frames_get_the_error_the_codec_gives() -> None:
    bad = [i for i, f in enumerate(FRAMES) if f.sender == "client-bad"]
    assert bad, "docs/protocol.md shows no bad frame"
    for i in bad:
        answer = next((f for f in FRAMES[i + 1 :] if f.sender == HUB), None)
        assert answer is not None, f"{FRAMES[i]}: show the hub's error after it"
        error = decode(answer)
        assert isinstance(error, protocol.Error), f"{answer}: expected an error frame"
        assert error.code is protocol.ErrorCode.BAD_MESSAGE
        assert error.message == bad_message(FRAMES[i].text), str(answer)


def test_bad_input_table_gives_the_codecs_messages() -> None:
    rows = next(t for t in tables(section(protocol_md(), "Bad input")) if "`message` in the hub's `error`" in t[0])
    checked = 0
    for row in rows:
        frame = only_code(row["frame sent by the client"])
        if frame is None:  # "a second hello", "a binary frame": the hub's words, not the codec's
            continue
        assert only_code(row["`message` in the hub's `error`"]) == bad_message(frame), row
        checked += 1
    assert checked >= 5


def test_invalid_args_examples_give_the_codecs_messages() -> None:
    commands = {}
    checked = 0
    for frame in GOOD:
        message = decode(frame)
        if isinstance(message, protocol.Command):
            commands[message.id] = message
        error = message.error if isinstance(message, protocol.CommandResult) else None
        if error is not None and error.code is protocol.ErrorCode.INVALID_ARGS and message.id in commands:
            command = commands[message.id]
            with pytest.raises(protocol.BadMessage) as refused:
                convert_args(command.args, protocol.COMMAND_ARGS[command.name])
            assert error.message == str(refused.value), str(frame)
            checked += 1
    assert checked, "docs/protocol.md shows no invalid_args example after its command"


def test_example_commands_not_shown_refused_fit_their_arguments() -> None:
    refused = invalid_args_ids()
    for frame in GOOD:
        message = decode(frame)
        if isinstance(message, protocol.Command) and message.id not in refused:
            convert_args(message.args, protocol.COMMAND_ARGS[message.name])


def test_example_session_is_complete_and_consistent() -> None:
    session = [f for f in FRAMES if f.section == "Example session"]
    kinds = [f.sender if f.sender == "client-bad" else json.loads(f.text)["type"] for f in session]
    expected = ["hello", "welcome", "snapshot.begin", "snapshot.chunk", "snapshot.end"]
    assert kinds[:5] == expected, kinds
    assert {"command", "command.result", "client-bad", "error"} <= set(kinds), kinds
    assert kinds.index("client-bad") < kinds.index("error")
    assert any(k in protocol.EVENT_TYPES for k in kinds), kinds

    messages = [decode(f) for f in session if f.sender != "client-bad"]
    hello, welcome, begin, *rest = messages
    assert isinstance(hello, protocol.Hello) and hello.resume_from is None
    assert isinstance(welcome, protocol.Welcome) and welcome.mode is protocol.ReplayMode.SNAPSHOT
    assert welcome.limits == protocol.LIMITS, "the example welcome must show the default limits"
    assert isinstance(begin, protocol.SnapshotBegin) and begin.as_of_seq == welcome.head_seq
    chunks = [m for m in rest if isinstance(m, protocol.SnapshotChunk)]
    end = next(m for m in rest if isinstance(m, protocol.SnapshotEnd))
    assert end.as_of_seq == begin.as_of_seq
    assert sum(len(c.items) for c in chunks) == begin.total
    assert all(len(c.items) <= welcome.limits.snapshot_chunk_items for c in chunks)
    cases = {case.id: case for c in chunks for case in c.items}

    units = {u.unit_id: u for u in end.units}
    assert len(units) == len(end.units), "snapshot.end lists each unit once"

    events = [m for m in rest if isinstance(m, tuple(protocol.EVENT_TYPES.values()))]
    assert [e.seq for e in events] == list(range(end.as_of_seq + 1, end.as_of_seq + 1 + len(events)))
    assert all(e.ts >= welcome.server_time for e in events), "events after welcome happen after it"
    versions: dict[int, tuple[str, int]] = {}
    for event in events:
        if isinstance(event, protocol.CaseCreated):
            cases[event.data.id] = event.data
            versions[event.seq] = (event.data.id, event.data.version)
        elif isinstance(event, protocol.CaseUpdated):
            held = cases[event.data.id]
            assert event.data.version == held.version + 1
            changed = {f: getattr(event.data, f) for f in event.data.__struct_fields__}
            changed = {k: v for k, v in changed.items() if v is not msgspec.UNSET and k in held.__struct_fields__}
            if event.data.trace is not msgspec.UNSET:  # a step of the loop: appended to the history
                assert event.data.trace.status == changed.get("status", held.status)
                changed["history"] = [*held.history, event.data.trace]
            cases[event.data.id] = msgspec.structs.replace(held, **changed)
            versions[event.seq] = (event.data.id, event.data.version)
        elif isinstance(event, protocol.TimerLevelChanged):
            # A level change is the clock's, not an edit: it moves `level` / `step_level`, not `version`.
            change = event.data
            held = cases[change.case_id]
            field = {"overall": "level", "step": "step_level"}[change.kind]
            timer = getattr(held, change.kind)
            assert timer is not None, f"{change.case_id}: no {change.kind} timer to change level"
            assert getattr(held, field) == change.previous != change.level
            threshold = {
                protocol.SlaLevel.YELLOW: timer.yellow_at,
                protocol.SlaLevel.ORANGE: timer.orange_at,
                protocol.SlaLevel.RED: timer.due_at,
            }[change.level]
            assert event.ts >= threshold, f"seq {event.seq}: published before its threshold {threshold}"
            assert change.unit_id == held.unit_id
            cases[change.case_id] = msgspec.structs.replace(held, **{field: change.level})
        elif isinstance(event, protocol.SupervisionRecorded):
            held = cases[event.data.case_id]
            assert event.data.unit_id == held.unit_id, "supervision is recorded against the responsible unit"
        elif isinstance(event, protocol.UnitStatsChanged):
            units[event.data.unit_id] = event.data
        else:
            raise AssertionError(f"teach this test the event {type(event).__name__}")

    commands = {m.id: m for m in rest if isinstance(m, protocol.Command)}
    for result in (m for m in rest if isinstance(m, protocol.CommandResult)):
        assert result.id in commands
        if result.ok and result.result is not None and {"id", "version", "seq"} <= set(result.result):
            # a step of the loop answers with the case's new version and the seq of its case.updated
            assert versions[result.result["seq"]] == (result.result["id"], result.result["version"])
        if result.ok and commands[result.id].name == "case.create":
            assert result.result is not None
            created = next(e for e in events if e.seq == result.result["seq"])
            assert isinstance(created, protocol.CaseCreated)
            assert (created.data.id, created.data.serial) == (result.result["id"], result.result["serial"])
            args = convert_args(commands[result.id].args, protocol.CaseCreateArgs)
            for name in ("channel", "street_code", "category_code", "description", "address", "lon", "lat", "urgent"):
                assert getattr(created.data, name) == getattr(args, name), name

    for case in cases.values():
        for timer in (case.overall, case.step):
            if timer is None:
                continue
            assert timer.started_at <= timer.yellow_at <= timer.orange_at <= timer.due_at
            if not timer.working_time:  # working time skips nights, weekends and holidays: no plain ratio
                span = timer.due_at - timer.started_at
                assert timer.yellow_at - timer.started_at == span / 2
                assert timer.orange_at - timer.started_at == span * 4 / 5
