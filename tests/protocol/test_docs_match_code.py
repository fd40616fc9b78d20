"""docs/protocol.md and docs/asyncapi.yaml say exactly what `protocol` says.

Each test derives the code side by introspection (the catalogues in `protocol`, Struct fields
and annotations, enum members) and fails, naming the difference, when a message type, event
type, command, close code, error code, limit or field exists on one side and not the other.
"""

from __future__ import annotations

import json
import re

import msgspec
import pytest
from protocol_docs import (
    CLIENT,
    HUB,
    all_enums,
    asyncapi,
    code_spans,
    command_schemas,
    deref,
    fields,
    first_table,
    md_table_problems,
    message_schema_name,
    message_types,
    nested_structs,
    only_code,
    protocol_md,
    ref_name,
    resolve,
    schema_problems,
    section,
    subsections,
    tables,
)

import protocol

MESSAGES = message_types()
CONTROL = {**protocol.CLIENT_MESSAGE_TYPES, **protocol.SERVER_MESSAGE_TYPES}
NESTED = nested_structs()
ENUMS = all_enums()
VOCABULARIES = {name: e for name, e in ENUMS.items() if e is not protocol.ErrorCode}


def _diff(what: str, in_code: set[str], in_docs: set[str], where: str) -> str:
    parts = []
    if in_code - in_docs:
        parts.append(f"in the code but not in {where}: {sorted(in_code - in_docs)}")
    if in_docs - in_code:
        parts.append(f"in {where} but not in the code: {sorted(in_docs - in_code)}")
    return f"{what}: " + "; ".join(parts)


def _assert_same(what: str, in_code: set[str], in_docs: set[str], where: str) -> None:
    assert in_code == in_docs, _diff(what, in_code, in_docs, where)


# --- docs/protocol.md -------------------------------------------------------------------------


def test_catalogue_lists_every_message_type_with_its_direction_and_kind() -> None:
    rows = first_table(section(protocol_md(), "Message catalogue"))
    seen: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        name = only_code(row["`type`"])
        assert name is not None, row
        seen.setdefault((row["direction"], row["kind"]), set()).add(name)
    where = "the message catalogue of docs/protocol.md"
    _assert_same(
        "client messages", set(protocol.CLIENT_MESSAGE_TYPES), seen.pop(("client → hub", "control"), set()), where
    )
    _assert_same(
        "hub control messages", set(protocol.SERVER_MESSAGE_TYPES), seen.pop(("hub → client", "control"), set()), where
    )
    _assert_same("event types", set(protocol.EVENT_TYPES), seen.pop(("hub → client", "event"), set()), where)
    assert not seen, f"rows with an unknown direction/kind: {seen}"


def test_messages_section_has_one_subsection_per_control_message() -> None:
    documented = set(subsections(section(protocol_md(), "Messages")))
    _assert_same("control messages", set(CONTROL), documented, "## Messages of docs/protocol.md")


@pytest.mark.parametrize("wire_type", sorted(CONTROL))
def test_message_field_table_matches_struct(wire_type: str) -> None:
    cls, sender = MESSAGES[wire_type]
    text = subsections(section(protocol_md(), "Messages"))[wire_type]
    problems = md_table_problems(cls, first_table(text), sender)
    assert not problems, f"### `{wire_type}` in docs/protocol.md:\n" + "\n".join(problems)


def test_events_section_has_one_subsection_per_event_type() -> None:
    documented = set(subsections(section(protocol_md(), "Events")))
    _assert_same("event types", set(protocol.EVENT_TYPES), documented, "## Events of docs/protocol.md")


@pytest.mark.parametrize("wire_type", sorted(protocol.EVENT_TYPES))
def test_event_envelope_and_data_match_struct(wire_type: str) -> None:
    cls = protocol.EVENT_TYPES[wire_type]
    events = section(protocol_md(), "Events")
    envelope = first_table(events.split("\n### ", 1)[0])
    problems = md_table_problems(cls, envelope, HUB, skip_type_of=frozenset({"data"}), shared_envelope=True)
    data_type = fields(cls)["data"].type
    assert isinstance(data_type, msgspec.inspect.StructType)
    named = code_spans(subsections(events)[wire_type])
    if data_type.cls.__name__ not in named:
        problems.append(f"### `{wire_type}` must name its data object `{data_type.cls.__name__}`")
    assert not problems, "## Events in docs/protocol.md:\n" + "\n".join(problems)


LIMITS_NAME = protocol.Limits.__name__  # documented by the limits table, not by a field table


def test_objects_section_has_one_subsection_per_nested_struct() -> None:
    text = section(protocol_md(), "Objects")
    documented = set(subsections(text))
    where = "## Objects of docs/protocol.md"
    _assert_same("objects inside messages", set(NESTED) - {LIMITS_NAME}, documented, where)
    assert f"`{LIMITS_NAME}`" in text and "(#limits)" in text, f"{where}: point to the limits table"


@pytest.mark.parametrize("name", sorted(set(NESTED) - {LIMITS_NAME}))
def test_object_field_table_matches_struct(name: str) -> None:
    text = subsections(section(protocol_md(), "Objects"))[name]
    problems = md_table_problems(NESTED[name], first_table(text), HUB)
    assert not problems, f"### `{name}` in docs/protocol.md:\n" + "\n".join(problems)


def test_vocabularies_section_has_one_subsection_per_enum() -> None:
    documented = set(subsections(section(protocol_md(), "Vocabularies")))
    _assert_same("enums", set(VOCABULARIES), documented, "## Vocabularies of docs/protocol.md")


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_vocabulary_table_lists_every_value(name: str) -> None:
    rows = first_table(subsections(section(protocol_md(), "Vocabularies"))[name])
    documented = {only_code(row["value"]) or row["value"] for row in rows}
    _assert_same(name, {m.value for m in VOCABULARIES[name]}, documented, f"### `{name}` of docs/protocol.md")


def test_commands_section_has_one_subsection_per_command() -> None:
    documented = set(subsections(section(protocol_md(), "Commands")))
    _assert_same("commands", set(protocol.COMMAND_ARGS), documented, "## Commands of docs/protocol.md")


@pytest.mark.parametrize("name", sorted(protocol.COMMAND_ARGS))
def test_command_arguments_and_roles_match_code(name: str) -> None:
    text = subsections(section(protocol_md(), "Commands"))[name]
    problems = md_table_problems(protocol.COMMAND_ARGS[name], first_table(text), CLIENT)
    assert not problems, f"arguments of ### `{name}` in docs/protocol.md:\n" + "\n".join(problems)
    line = re.search(r"^\*\*Who may send:\*\*(.*)$", text, re.MULTILINE)
    assert line, f"### `{name}`: say '**Who may send:** `role`, ...'"
    roles = set(code_spans(line.group(1)))
    _assert_same(f"roles allowed to send {name}", {r.value for r in protocol.PERMISSIONS[name]}, roles, "docs")


def test_close_codes_table_matches_close_code() -> None:
    rows = first_table(section(protocol_md(), "Close codes"))
    documented = {(only_code(row["code"]), only_code(row["name"])) for row in rows}
    in_code = {(str(c.value), c.name) for c in protocol.CloseCode}
    _assert_same("close codes", {f"{c} {n}" for c, n in in_code}, {f"{c} {n}" for c, n in documented}, "docs")


def test_error_codes_table_matches_error_code() -> None:
    rows = first_table(section(protocol_md(), "Error codes"))
    documented = {only_code(row["code"]) or "" for row in rows}
    _assert_same("error codes", {c.value for c in protocol.ErrorCode}, documented, "## Error codes of docs/protocol.md")


def test_limits_table_has_one_row_per_limit_with_its_default() -> None:
    rows = first_table(section(protocol_md(), "Limits"))
    assert list(rows[0]) == ["limit", "default", "at the limit", "why"]
    documented = {only_code(row["limit"]) or "": row for row in rows}
    names = [f.name for f in msgspec.structs.fields(protocol.Limits)]
    _assert_same("limits", set(names), set(documented), "## Limits of docs/protocol.md")
    for f in msgspec.structs.fields(protocol.Limits):
        cell = documented[f.name]["default"]
        assert code_spans(cell)[:1] == [json.dumps(f.default)], (
            f"`{f.name}`: default is {f.default!r}, docs say {cell!r}"
        )
        assert documented[f.name]["at the limit"] and documented[f.name]["why"], f"`{f.name}`: say what and why"


def test_every_limit_named_in_the_text_exists() -> None:
    """`snake_case` names ending like a limit must be Limits fields (catches renamed limits)."""
    names = {f.name for f in msgspec.structs.fields(protocol.Limits)}
    suffixes = ("_bytes", "_s", "_per_minute", "_window", "_items", "_args")
    mentioned = {s for s in code_spans(protocol_md()) if re.fullmatch(r"[a-z_]+", s) and s.endswith(suffixes)}
    mentioned -= {c.value for c in protocol.ErrorCode}
    structs = [*NESTED.values(), *(cls for cls, _ in MESSAGES.values()), *protocol.COMMAND_ARGS.values()]
    mentioned -= {name for cls in structs for name in fields(cls)}  # fields such as `latency_s` are not limits
    assert mentioned <= names, f"docs/protocol.md names limits the code lacks: {sorted(mentioned - names)}"


def test_the_table_check_catches_a_missing_and_an_extra_field() -> None:
    rows = first_table(subsections(section(protocol_md(), "Objects"))["Timer"])
    timer = NESTED["Timer"]
    assert not md_table_problems(timer, rows, HUB)
    assert md_table_problems(timer, rows[:-1], HUB)
    assert md_table_problems(timer, [*rows, {**rows[0], "Field": "`colour`"}], HUB)
    wrong_null = [{**row, "Type": row["Type"] + " or null"} if i == 0 else row for i, row in enumerate(rows)]
    assert md_table_problems(timer, wrong_null, HUB)


def test_every_table_is_well_formed() -> None:
    assert len(tables(protocol_md())) > 10  # the parser raises on a ragged row


# --- docs/asyncapi.yaml ------------------------------------------------------------------------


def _operation_message_names(action: str) -> set[str]:
    doc = asyncapi()
    names = set()
    for operation in doc["operations"].values():
        if operation["action"] == action:
            for ref in operation.get("messages", []):
                names.add(deref(doc, ref)["name"])
    return names


def test_asyncapi_has_one_message_per_wire_type() -> None:
    doc = asyncapi()
    names = [deref(doc, m)["name"] for m in doc["components"]["messages"].values()]
    assert len(names) == len(set(names)), f"duplicate message names: {names}"
    _assert_same("message types", set(MESSAGES), set(names), "components/messages of docs/asyncapi.yaml")
    channel = [deref(doc, m)["name"] for m in doc["channels"]["feed"]["messages"].values()]
    _assert_same("message types", set(MESSAGES), set(channel), "channels/feed/messages of docs/asyncapi.yaml")


def test_asyncapi_operations_send_client_messages_and_receive_the_rest() -> None:
    where = "the operations of docs/asyncapi.yaml"
    _assert_same("sent messages", set(protocol.CLIENT_MESSAGE_TYPES), _operation_message_names("send"), where)
    received = set(protocol.SERVER_MESSAGE_TYPES) | set(protocol.EVENT_TYPES)
    _assert_same("received messages", received, _operation_message_names("receive"), where)


@pytest.mark.parametrize("wire_type", sorted(MESSAGES))
def test_asyncapi_payload_schema_matches_struct(wire_type: str) -> None:
    cls, sender = MESSAGES[wire_type]
    name = message_schema_name(asyncapi(), wire_type)
    assert name is not None, f"no message named {wire_type!r} in docs/asyncapi.yaml"
    assert name == cls.__name__, f"payload of {wire_type!r} is {name}, the Struct is {cls.__name__}"
    problems = schema_problems(cls, name, sender, asyncapi())
    assert not problems, "docs/asyncapi.yaml:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(NESTED))
def test_asyncapi_object_schema_matches_struct(name: str) -> None:
    problems = schema_problems(NESTED[name], name, HUB, asyncapi())
    assert not problems, "docs/asyncapi.yaml:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_asyncapi_enum_lists_every_value(name: str) -> None:
    schema = asyncapi()["components"]["schemas"].get(name)
    assert schema is not None, f"components/schemas/{name} is missing"
    values = schema.get("enum", [])
    assert len(values) == len(set(values))
    _assert_same(name, {m.value for m in ENUMS[name]}, set(values), f"components/schemas/{name}")


def test_asyncapi_error_codes_match_error_code() -> None:
    values = set(asyncapi()["components"]["schemas"]["ErrorCode"]["enum"])
    _assert_same("error codes", {c.value for c in protocol.ErrorCode}, values, "components/schemas/ErrorCode")


def test_asyncapi_limits_match_limits() -> None:
    props = set(asyncapi()["components"]["schemas"]["Limits"]["properties"])
    names = {f.name for f in msgspec.structs.fields(protocol.Limits)}
    _assert_same("limits", names, props, "components/schemas/Limits")


def test_asyncapi_close_codes_match_close_code() -> None:
    listed = {f"{c['code']} {c['name']}" for c in asyncapi()["x-close-codes"]}
    _assert_same("close codes", {f"{c.value} {c.name}" for c in protocol.CloseCode}, listed, "x-close-codes")


def test_asyncapi_types_the_args_of_every_command() -> None:
    doc = asyncapi()
    entries = command_schemas(doc)
    _assert_same("commands", set(protocol.COMMAND_ARGS), set(entries), "components/schemas/Command allOf")
    for name, entry in entries.items():
        cls = protocol.COMMAND_ARGS[name]
        schema_name = ref_name(entry["then"]["properties"]["args"]["$ref"])
        assert schema_name == cls.__name__
        problems = schema_problems(cls, schema_name, CLIENT, doc)
        assert not problems, "docs/asyncapi.yaml:\n" + "\n".join(problems)
        roles = {r.value for r in protocol.PERMISSIONS[name]}
        _assert_same(f"roles of {name}", roles, set(entry.get("x-roles", [])), "x-roles")


def test_the_schema_check_catches_a_missing_and_an_extra_property() -> None:
    doc = json.loads(json.dumps(asyncapi()))
    assert not schema_problems(protocol.Hello, "Hello", CLIENT, doc)
    del doc["components"]["schemas"]["Hello"]["properties"]["log_id"]
    assert schema_problems(protocol.Hello, "Hello", CLIENT, doc)
    doc = json.loads(json.dumps(asyncapi()))
    doc["components"]["schemas"]["Hello"]["properties"]["colour"] = {"type": "string"}
    assert schema_problems(protocol.Hello, "Hello", CLIENT, doc)
    doc = json.loads(json.dumps(asyncapi()))
    resolve(doc, "#/components/schemas/Hello/properties/token")["maxLength"] = 100
    assert schema_problems(protocol.Hello, "Hello", CLIENT, doc)
