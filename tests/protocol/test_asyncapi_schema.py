"""docs/asyncapi.yaml is a valid AsyncAPI 3.0.0 document, and its payload schemas accept what the hub writes.

Validity is checked against the official AsyncAPI 3.0.0 JSON Schema, vendored in
tests/data/ (see tests/data/SOURCES.md) so that no network is needed.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from protocol_docs import CLIENT, OFFICIAL_SCHEMA, asyncapi, deref, message_schema_name, message_types, resolve
from protocol_strategies import message_of_type

import protocol
from protocol.codec import convert_args

MESSAGES = message_types()


def official_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def payload_validator(wire_type: str) -> jsonschema.Draft7Validator:
    """A Draft 7 validator for the payload of one message, resolving refs inside the document."""
    doc = asyncapi()
    name = message_schema_name(doc, wire_type)
    assert name is not None
    schema = {"$ref": f"#/components/schemas/{name}", "components": doc["components"]}
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


# --- validity --------------------------------------------------------------------------------


def test_vendored_schema_is_the_official_asyncapi_3_0_0_schema() -> None:
    schema = json.loads(OFFICIAL_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema"
    assert schema["properties"]["asyncapi"]["const"] == "3.0.0"
    jsonschema.Draft7Validator.check_schema(schema)
    remote = [ref for ref in _refs(schema.get("definitions", {})) if not ref.startswith("#")]
    # Only the schema's own `examples` hold non-local refs; validation never follows them.
    assert all(not ref.startswith("http") for ref in remote), remote


def test_asyncapi_yaml_is_valid_against_the_official_schema() -> None:
    errors = sorted(official_validator().iter_errors(asyncapi()), key=lambda e: list(e.absolute_path))
    report = "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors)
    assert not errors, f"docs/asyncapi.yaml is not valid AsyncAPI 3.0.0:\n{report}"


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d.update(asyncapi="2.6.0"),
        lambda d: d.pop("info"),
        lambda d: d["operations"]["sendHello"].update(action="publish"),
        lambda d: d["servers"]["local"].pop("protocol"),
        lambda d: d["channels"]["feed"].update(publish={}),
        lambda d: d["components"]["schemas"]["Hello"].update(type="record"),
    ],
    ids=["version", "no-info", "v2-action", "server-without-protocol", "v2-channel", "bad-schema-type"],
)
def test_the_official_schema_rejects_broken_documents(break_it: Any) -> None:
    doc = copy.deepcopy(asyncapi())
    break_it(doc)
    assert list(official_validator().iter_errors(doc)), "the validator accepted a broken document"


def test_every_reference_resolves() -> None:
    doc = asyncapi()
    for ref in _refs(doc):
        resolve(doc, ref)  # raises KeyError naming the missing part


def test_operations_use_only_messages_of_their_channel() -> None:
    doc = asyncapi()
    for name, operation in doc["operations"].items():
        channel = deref(doc, operation["channel"])
        allowed = {id(deref(doc, m)) for m in channel["messages"].values()}
        for part in (operation, operation.get("reply", {})):
            for ref in part.get("messages", []):
                assert ref["$ref"].startswith("#/channels/"), f"{name}: reference channel messages"
                assert id(deref(doc, ref)) in allowed, f"{name}: {ref['$ref']} is not a message of its channel"


def test_server_channel_and_subprotocol_binding() -> None:
    doc = asyncapi()
    local = doc["servers"]["local"]
    assert (local["protocol"], local["host"], local["pathname"]) == ("ws", "127.0.0.1:8765", protocol.FEED_PATH)
    assert doc["servers"]["secure"]["protocol"] == "wss"
    feed = doc["channels"]["feed"]
    assert feed["address"] == protocol.FEED_PATH
    header = feed["bindings"]["ws"]["headers"]["properties"]["Sec-WebSocket-Protocol"]
    offered = re.compile(header["pattern"])
    assert offered.search(protocol.PROTOCOL_VERSION)
    assert offered.search(f"chat, {protocol.PROTOCOL_VERSION}")
    assert not offered.search(protocol.PROTOCOL_VERSION + "0")
    assert not offered.search("cc.v2")


def test_commands_and_results_are_correlated_by_id() -> None:
    doc = asyncapi()
    for wire_type in ("command", "command.result"):
        message = next(deref(doc, m) for m in doc["components"]["messages"].values() if m.get("name") == wire_type)
        assert message["correlationId"]["location"] == "$message.payload#/id"


# --- the examples in the document ----------------------------------------------------------------


def _examples() -> list[tuple[str, dict[str, Any]]]:
    doc = asyncapi()
    out = []
    for message in doc["components"]["messages"].values():
        message = deref(doc, message)
        for example in message.get("examples", []):
            out.append((message["name"], example["payload"]))
    return out


@pytest.mark.parametrize(("wire_type", "payload"), _examples(), ids=lambda v: v if isinstance(v, str) else "")
def test_asyncapi_example_decodes_as_its_message_and_is_what_the_code_writes(
    wire_type: str, payload: dict[str, Any]
) -> None:
    cls, sender = MESSAGES[wire_type]
    assert payload["type"] == wire_type
    frame = json.dumps(payload).encode()
    decoded = protocol.decode_client(frame) if sender == CLIENT else protocol.decode_server(frame)
    assert type(decoded) is cls
    assert msgspec.json.decode(protocol.encode(decoded)) == payload
    payload_validator(wire_type).validate(payload)


# --- the schemas accept whatever the code writes -----------------------------------------------


@pytest.mark.parametrize("wire_type", sorted(MESSAGES))
@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_payload_schema_accepts_every_encoded_message(wire_type: str, data: st.DataObject) -> None:
    message = data.draw(message_of_type(wire_type))
    encoded = msgspec.json.decode(protocol.encode(message))
    payload_validator(wire_type).validate(encoded)


@pytest.mark.parametrize(
    ("wire_type", "frame"),
    [
        ("hello", {"type": "hello", "token": "t", "resume_from": -1}),
        ("hello", {"type": "hello"}),
        ("command", {"type": "command", "id": "", "name": "case.create"}),
        ("command", {"type": "command", "id": "1", "name": "case.create", "args": {"channel": "fax"}}),
        ("welcome", {"type": "welcome", "role": "guest"}),
        ("case.updated", {"type": "case.updated", "seq": 0, "ts": "2026-11-24T08:57:43Z", "data": {}}),
        ("snapshot.chunk", {"type": "snapshot.chunk", "items": [{"id": "5e0d7c2a9f314b86"}]}),
        ("error", {"type": "error", "code": "teapot", "message": "short and stout"}),
    ],
)
def test_payload_schema_refuses_what_the_code_refuses(wire_type: str, frame: dict[str, Any]) -> None:
    _, sender = MESSAGES[wire_type]
    raw = json.dumps(frame).encode()
    with pytest.raises(protocol.BadMessage):
        decoded = protocol.decode_client(raw) if sender == CLIENT else protocol.decode_server(raw)
        if isinstance(decoded, protocol.Command):
            convert_args(decoded.args, protocol.COMMAND_ARGS[decoded.name])
    assert list(payload_validator(wire_type).iter_errors(frame)), f"the {wire_type} schema accepts {frame}"
