"""10,000 fuzzed frames against a live hub: no crash, no corrupted row, nothing leaked to another client.

One greeted client sends random bytes, garbled and truncated JSON, wrong types, huge numbers,
unknown commands and real commands with mutated arguments (a few oversize frames too), while a
second client only watches. Per docs/protocol.md "Bad input": each frame that is no command gets
one `error` (`bad_message`) and the connection stays open; each command gets its `command.result`;
a frame over `max_frame_bytes` closes with 1009. Afterwards a fresh client is served, the database
passes `PRAGMA integrity_check`, every case row decodes and the log replays to the hub's cases; the
watcher saw only events of the log (those of the fuzzer's accepted commands), never an answer meant
for the fuzzer.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa

from hub.db import schema
from hub.db.log_store import read_frames
from hub.embedded import EmbeddedHub
from protocol import LIMITS, Case, Command, Role, decode_client
from protocol.codec import BadMessage
from tests.hub.conftest import RawClient, case_args, greet
from tests.hub.test_engine_stateful import replay

FRAMES = 10_000
OVERSIZE = 3
BATCH = 50
SEED = 20261205
LIMITS_FUZZ = msgspec.structs.replace(LIMITS, bad_frames_per_minute=10 * FRAMES)
"""So that the flood of bad frames is answered one by one rather than closed at the 21st (4429)."""

ODD_VALUES: list[Any] = [
    None, True, False, 0, -1, 2**31, 2**63, 2**64 + 1, -(2**70), 10**400, 1e308, -1e-308, 0.5, "", " ", "x" * 5000,
    "null", "\u0000", "\ud7ff\ue000", "🚒" * 50, "'; DROP TABLE cases; --", [], [1, "a", None], {}, {"a": {"b": []}},
    "2026-13-45T99:99:99Z", "1970-01-01T00:00:00", "9999-12-31T23:59:59Z",
]


def mutate(rng: random.Random, args: dict[str, Any]) -> dict[str, Any]:
    """The args with one to three fields dropped, replaced by an odd value, or added."""
    args = dict(args)
    for _ in range(rng.randint(1, 3)):
        move = rng.random()
        keys = list(args)
        if move < 0.25 and keys:
            args.pop(rng.choice(keys))
        elif move < 0.85 and keys:
            args[rng.choice(keys)] = rng.choice(ODD_VALUES)
        else:
            args[rng.choice(["unknown", "seq", "status", "version", "id", "__proto__"])] = rng.choice(ODD_VALUES)
    return args


class Fuzzer:
    def __init__(self, hub: EmbeddedHub, rng: random.Random, case_ids: list[str]) -> None:
        self.hub, self.rng, self.case_ids = hub, rng, case_ids
        self.n = 0

    def command_id(self) -> str:
        self.n += 1
        return f"f-{self.n}"

    def valid_command(self) -> dict[str, Any]:
        rng = self.rng
        case_id = rng.choice(self.case_ids)
        name, args = rng.choice([
            ("case.create", case_args(self.hub)),
            ("case.register", {"id": case_id}),
            ("case.dispatch", {"id": case_id, "unit_id": rng.choice(["B-SW", "B-CG", "nope"])}),
            ("case.sign", {"id": case_id, "version": rng.randint(1, 5)}),
            ("case.pause", {"id": case_id, "reason": "fuzz"}),
            ("case.resume", {"id": case_id}),
            ("case.supervise", {"action": "remind", "ids": [case_id]}),
            ("case.extension_request", {"id": case_id, "hours": 4, "reason": "fuzz"}),
            ("org.units", {}),
            ("case.categories", {}),
            ("supervision.read", {"limit": 5}),
            ("alert.ack", {"case_ids": [case_id]}),
        ])
        return {"type": "command", "id": self.command_id(), "name": name, "args": args}

    def frame(self) -> str | bytes:
        rng = self.rng
        kind = rng.randrange(12)
        if kind == 0:
            return rng.randbytes(rng.randint(0, 300))  # a binary frame
        if kind == 1:  # random text
            return "".join(chr(rng.choice([rng.randint(32, 126), rng.randint(0x80, 0xD7FF)]))
                           for _ in range(rng.randint(0, 200)))
        if kind == 2:  # truncated JSON of a real command
            text = json.dumps(self.valid_command(), ensure_ascii=False)
            return text[: rng.randint(0, len(text) - 1)]
        if kind == 3:  # garbled: one character of a real command replaced
            chars = list(json.dumps(self.valid_command()))
            chars[rng.randrange(len(chars))] = rng.choice('{}[]",:\\ x0')
            return "".join(chars)
        if kind == 4:  # JSON, but not one object
            return json.dumps(rng.choice([[], ["hello"], 1, "command", None, True, [{"type": "command"}]]))
        if kind == 5:  # an object of no or another type, a second hello
            return json.dumps(rng.choice([
                {"token": "d7Kq2mXv9RbT4wLs8NcY3pHf"}, {"type": "subscribe"}, {"type": 7}, {"type": None},
                {"type": "hello", "token": self.hub.token}, {"type": "command.result", "id": "1", "ok": True},
                {"type": "case.created", "seq": 1}, {"type": "snapshot.end"},
            ]))
        if kind == 6:  # a command of the wrong shape
            frame = self.valid_command()
            frame[rng.choice(["id", "name", "args"])] = rng.choice(ODD_VALUES)
            return json.dumps(frame)
        if kind == 7:  # an unknown command
            return json.dumps({"type": "command", "id": self.command_id(),
                               "name": rng.choice(["case.delete", "drop", "admin.shell", "case.", "x" * 32]),
                               "args": {}})
        if kind == 8:  # deep nesting
            depth = rng.choice([100, 1000, 5000])
            return "[" * depth + "]" * depth if rng.random() < 0.5 else '{"a":' * depth + "1" + "}" * depth
        # a real command with mutated args (and sometimes a valid one)
        frame = self.valid_command()
        if kind < 11:
            frame["args"] = mutate(rng, frame["args"])
        return json.dumps(frame)


def expected_answer(frame: str | bytes) -> str | None:
    """The `id` of the command.result this frame should get; None when it should get a bad_message error."""
    if isinstance(frame, bytes):
        return None
    try:
        message = decode_client(frame)
    except BadMessage:
        return None
    return message.id if isinstance(message, Command) else None


async def fuzz(hub: EmbeddedHub, rng: random.Random) -> tuple[RawClient, list[str | bytes], Counter[str]]:
    centre, _ = await greet(hub)
    await centre.recv_until(lambda f: f["type"] == "snapshot.end")
    case_ids = [str((await centre.command("case.create", case_args(hub), f"seed-{k}"))["result"]["id"])
                for k in range(5)]
    await centre.ws.close()

    watcher, _ = await greet(hub)
    fuzzer_token = hub.add_user("fuzzer", Role.DUTY)
    client, _ = await greet(hub, token=fuzzer_token)
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    source = Fuzzer(hub, rng, case_ids)
    sent: list[str | bytes] = []
    answers: Counter[str] = Counter()
    oversize_at = {rng.randrange(FRAMES) for _ in range(OVERSIZE)}
    for start in range(0, FRAMES, BATCH):
        batch = [source.frame() for _ in range(BATCH)]
        expected_ids: Counter[str] = Counter()
        expected_errors = 0
        for frame in batch:
            await client.send(frame)
            answer = expected_answer(frame)
            if answer is None:
                expected_errors += 1
            else:
                expected_ids[answer] += 1
        sent += batch
        got_ids: Counter[str] = Counter()
        errors = 0
        while errors < expected_errors or got_ids != expected_ids:
            reply = await client.recv()
            if reply["type"] == "error":
                assert reply["code"] == "bad_message", reply
                errors += 1
            elif reply["type"] == "command.result":
                got_ids[reply["id"]] += 1
                answers["ok" if reply["ok"] else reply["error"]["code"]] += 1
                assert reply["ok"] or reply["error"]["code"] != "internal", reply
            else:
                assert "seq" in reply, reply  # events of accepted commands: the fuzzer is subscribed too
            assert errors <= expected_errors, "an error for a frame that was a command"
            assert all(got_ids[k] <= expected_ids[k] for k in got_ids), (got_ids, expected_ids)
        answers["bad_message"] += errors
        if any(start <= k < start + BATCH for k in oversize_at):  # a frame over max_frame_bytes: closed 1009
            await client.send("[" + " " * hub.hub.limits.max_frame_bytes + "]")
            assert (await client.closed())[0] == 1009
            answers["closed_1009"] += 1
            client, _ = await greet(hub, token=fuzzer_token)
            await client.recv_until(lambda f: f["type"] == "snapshot.end")
    await client.ws.close()
    return watcher, sent, answers


async def drained(watcher: RawClient, head: int) -> list[dict[str, Any]]:
    """Every frame the watcher got up to the event `head` (figures and the geography left out)."""
    frames: list[dict[str, Any]] = []
    if head == 0:
        return frames
    while not frames or frames[-1].get("seq") != head:
        frames.append(await watcher.recv())
    return frames


def test_ten_thousand_fuzzed_frames_crash_nothing_corrupt_nothing_and_leak_nothing(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False, limits=LIMITS_FUZZ) as hub:
            start_head = hub.hub.head_seq
            watcher, sent, answers = await fuzz(hub, random.Random(SEED))
            assert len(sent) == FRAMES
            assert answers["bad_message"] > FRAMES // 2 and answers["ok"] > 100, answers
            assert answers["closed_1009"] == OVERSIZE and answers["invalid_args"] > 100, answers

            head = hub.hub.head_seq
            seen = await drained(watcher, head)
            log = [json.loads(f) for f in read_frames(hub.hub.engine, 0, head + 1)]
            assert len(log) == head and [e["seq"] for e in log] == list(range(1, head + 1))
            # The watcher got no answer meant for the fuzzer, and every event it got is the log's, in order.
            assert not [f for f in seen if f["type"] in ("command.result", "error")]
            events = [f for f in seen if "seq" in f]
            assert [f["seq"] for f in events] == list(range(events[0]["seq"], head + 1))
            assert events == log[events[0]["seq"] - 1:]
            changes = ("case.updated", "supervision.recorded")
            actors = {e["data"]["actor"] for e in log[start_head:] if e["type"] in changes}
            assert actors <= {"fuzzer"}, actors  # every change after the seed cases is one of the fuzzer's

            # The hub still serves a fresh client, whole.
            fresh, _ = await greet(hub)
            snapshot = await fresh.recv_until(lambda f: f["type"] == "snapshot.end")
            items = [c for f in snapshot if f["type"] == "snapshot.chunk" for c in f["items"]]
            assert {c["id"] for c in items} == set(hub.hub.writer.cases)
            await fresh.ws.close()
            await watcher.ws.close()

            cases, _ = replay(read_frames(hub.hub.engine, 0, head + 1))
            assert msgspec.to_builtins(cases) == msgspec.to_builtins(dict(hub.hub.writer.cases))

    asyncio.run(asyncio.wait_for(main(), 300))

    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA integrity_check")).scalar_one() == "ok"
            rows = conn.execute(sa.select(schema.cases.c.id, schema.cases.c.status, schema.cases.c.data)).all()
    finally:
        engine.dispose()
    assert len(rows) > 50
    for row in rows:
        case = msgspec.json.decode(row.data, type=Case)
        assert case.id == row.id and case.status.value == row.status
