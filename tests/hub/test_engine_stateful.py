"""The case engine under random sequences of commands (hypothesis, stateful), on a real hub.

Several accounts (the centre's duty desk, a commander, a unit's scoped desk) send random but
well-formed case commands over the feed. After every command: a refused one changed nothing (the
head `seq` and every case as before), an accepted step moved its case along a transition of the
loop written out below (independently of the hub's own table). At all times every case's status is
legal and its history is a legal path to it. After every run of commands: the log's `seq` is
gapless and a replay of the log rebuilds exactly the hub's cases (memory and database rows) and
its unit statistics.

One hub serves every example (a hub per example would cost seconds each); examples continue on
the cases the earlier ones left, which only makes the sequences longer.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from hub import auth
from hub.db import schema
from hub.db.log_store import read_frames
from hub.embedded import EmbeddedHub
from protocol import OPEN_STATUSES, Case, CaseStatus, Role, SlaLevel, UnitStats, decode_server
from protocol.events import CaseCreated, CaseUpdated, SupervisionRecorded, TimerLevelChanged
from tests.hub.conftest import RawClient, greet

S = CaseStatus
OPEN = frozenset(OPEN_STATUSES)

# The loop as docs/protocol.md describes it: step → {status before: statuses after}. Written out here,
# not taken from protocol.loop_rules, so a change of the hub's table shows up as a failure.
TRANSITIONS: dict[str, dict[CaseStatus, frozenset[CaseStatus]]] = {
    "register": {S.RECEIVED: frozenset({S.REGISTERED})},
    "reject": {S.RECEIVED: frozenset({S.REJECTED})},
    "merge": {s: frozenset({S.MERGED}) for s in (S.RECEIVED, S.REGISTERED)},
    "dispatch": {S.REGISTERED: frozenset({S.DISPATCHED})},
    "sign": {S.DISPATCHED: frozenset({S.SIGNED})},
    "return": {S.DISPATCHED: frozenset({S.REGISTERED})},
    "arbitrate": {S.REGISTERED: frozenset({S.DISPATCHED})},
    "start": {S.SIGNED: frozenset({S.HANDLING})},
    "feedback": {s: frozenset({S.FEEDBACK}) for s in (S.SIGNED, S.HANDLING)},
    "verify": {S.FEEDBACK: frozenset({S.CLOSED, S.HANDLING})},
    "callback": {S.CLOSED: frozenset({S.CALLED_BACK, S.HANDLING})},
    "escalate": {s: frozenset({S.DISPATCHED}) for s in OPEN},
    "transfer": {s: frozenset({S.CLOSED}) for s in (S.RECEIVED, S.REGISTERED)},
    "pause": {s: frozenset({s}) for s in OPEN},
    "resume": {s: frozenset({s}) for s in OPEN},
    "extension_request": {s: frozenset({s}) for s in (S.SIGNED, S.HANDLING)},
    "extension_approved": {s: frozenset({s}) for s in (S.SIGNED, S.HANDLING, S.FEEDBACK)},
    "extension_refused": {s: frozenset({s}) for s in (S.SIGNED, S.HANDLING, S.FEEDBACK)},
}
STEP_OF_COMMAND = {name: name for name in TRANSITIONS if not name.startswith("extension_")}
STEP_OF_COMMAND |= {"extension_request": "extension_request", "extension_decide": "extension_*"}
COMMAND_STEPS = sorted(STEP_OF_COMMAND)
KINDS = ["next"] * 8 + ["any"] * 4 + ["create"] * 2 + ["supervise", "unknown"]
FORWARD = {S.RECEIVED: ["register"], S.REGISTERED: ["dispatch"], S.DISPATCHED: ["sign", "return"],
           S.SIGNED: ["start", "start", "extension_request"], S.HANDLING: ["feedback", "feedback", "extension_request"],
           S.FEEDBACK: ["verify"], S.CLOSED: ["callback"]}
"""The usual next steps from each status (the loop's main path, a return, an extension)."""

UNITS = ["B-SW", "B-CG", "B-LH", "B-ZJ", "NO-SUCH-UNIT"]
SCOPED_UNIT = "B-SW"
NOTES = st.sampled_from(["", "ok", "现场核实", "x" * 300])
REASONS = st.sampled_from(["非本单位职责", "duplicate", "需区中心协调", "y" * 200])


def legal_path(case: Case) -> str | None:
    """Why `case`'s history is not a legal path from `received` to its status; None when it is."""
    status = S.RECEIVED
    for trace in case.history:
        allowed = TRANSITIONS.get(trace.action, {}).get(status)
        if allowed is None or trace.status not in allowed:
            return f"{case.serial}: {trace.action} from {status.value} to {trace.status.value}"
        status = trace.status
    if status is not case.status:
        return f"{case.serial}: history ends at {status.value}, case is {case.status.value}"
    if (case.paused_at is not None) != ("paused" in case.flags):
        return f"{case.serial}: paused_at and the paused flag disagree"
    if case.version != 1 + len(case.history):
        return f"{case.serial}: version {case.version} after {len(case.history)} steps"
    return None


# --- the recount: the hub's cases and unit statistics from the log alone -------------------------


def _overdue(case: Case) -> bool:
    return case.level is SlaLevel.RED and case.status in OPEN and case.unit_id is not None


def replay(frames: list[bytes]) -> tuple[dict[str, Case], dict[str, Counter[str]]]:
    cases: dict[str, Case] = {}
    stats: dict[str, Counter[str]] = {}

    def bump(unit_id: str | None, **deltas: int) -> None:
        if unit_id is not None:
            stats.setdefault(unit_id, Counter()).update(deltas)

    for number, frame in enumerate(frames, start=1):
        event = decode_server(frame)
        assert event.seq == number, f"seq {event.seq} at position {number}: the log has a gap"  # type: ignore[union-attr]
        if isinstance(event, CaseCreated):
            assert event.data.id not in cases
            cases[event.data.id] = event.data
        elif isinstance(event, CaseUpdated):
            patch = event.data
            before = cases[patch.id]
            assert patch.version == before.version + 1
            changes = {name: value for name in patch.__struct_fields__
                       if name not in ("id", "trace", "actor", "note")
                       and (value := getattr(patch, name)) is not msgspec.UNSET}
            history = (*before.history, patch.trace) if patch.trace is not msgspec.UNSET else before.history
            after = msgspec.structs.replace(before, history=history, **changes)
            cases[patch.id] = after
            action = patch.trace.action if patch.trace is not msgspec.UNSET else ""
            if action in ("dispatch", "arbitrate", "escalate"):
                bump(after.unit_id, received=1)
            elif action == "sign":
                bump(after.unit_id, signed_in_time=int(before.step is None or event.ts <= before.step.due_at))
            elif action == "return":
                bump(before.unit_id, returned=1)
            elif action == "verify" and after.status is S.CLOSED:
                bump(after.unit_id, closed=1,
                     closed_on_time=int(after.overall is None or event.ts <= after.overall.due_at))
            elif action == "callback" and after.satisfied is not None:
                bump(after.unit_id, rated=1, satisfied=int(after.satisfied))
        elif isinstance(event, TimerLevelChanged):
            change = event.data
            field_name = "level" if change.kind == "overall" else "step_level"
            cases[change.case_id] = msgspec.structs.replace(cases[change.case_id], **{field_name: change.level})
        elif isinstance(event, SupervisionRecorded):
            bump(cases[event.data.case_id].unit_id, supervised=1)
    for case in cases.values():
        if _overdue(case):
            bump(case.unit_id, overdue_now=1)
    return cases, stats


def stats_counts(stats: dict[str, UnitStats]) -> dict[str, Counter[str]]:
    counted: dict[str, Counter[str]] = {}
    for unit_id, st_ in stats.items():
        values = {k: v for k, v in msgspec.structs.asdict(st_).items() if isinstance(v, int) and v}
        if values:
            counted[unit_id] = Counter(values)
    return counted


# --- the world: one hub, its accounts, driven from a loop the test owns ---------------------------


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    hub: EmbeddedHub
    clients: dict[str, RawClient] = field(default_factory=dict)
    commands: int = 0
    accepted: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(asyncio.wait_for(coro, 30))

    def send(self, who: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        self.commands += 1
        frame: dict[str, Any] = self.run(self.clients[who].command(name, args, f"{who}-{self.commands}"))
        return frame

    def cases(self) -> dict[str, Case]:
        return dict(self.hub.hub.writer.cases)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    loop = asyncio.new_event_loop()

    async def make() -> EmbeddedHub:  # the server binds to the running loop
        return await EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False).__aenter__()

    hub = loop.run_until_complete(make())
    w = World(loop, hub)
    try:
        tokens = {
            "centre": hub.token,
            "commander": hub.add_user("commander-1", Role.COMMANDER),
            "desk": auth.add_user(hub.hub.engine, "water-desk", Role.DUTY, unit_id=SCOPED_UNIT),
        }
        for who, token in tokens.items():
            client, _ = w.run(greet(hub, token=token))
            w.run(client.recv_until(lambda f: f["type"] == "snapshot.end"))
            w.clients[who] = client
        yield w
    finally:
        for client in w.clients.values():
            w.run(client.ws.close())
        w.run(hub.__aexit__(None, None, None))
        loop.close()


def machine(w: World) -> type[RuleBasedStateMachine]:
    hub = w.hub.hub
    streets = sorted(hub.directory.streets)[:4]
    categories = sorted(hub.directory.categories)[:6]

    class CaseEngineMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.case_ids: list[str] = []
            """The cases this example created (the earlier examples' stay in the hub, not in the draw)."""

        def command(self, who: str, name: str, args: dict[str, Any], case_id: str | None = None) -> dict[str, Any]:
            before_head, before_cases = hub.head_seq, w.cases()
            answer = w.send(who, name, args)
            after_cases = w.cases()
            if not answer["ok"]:
                w.refused[answer["error"]["code"]] += 1
                assert hub.head_seq == before_head, f"refused {name} {answer} moved the log"
                assert after_cases == before_cases, f"refused {name} {answer} changed a case"
                return answer
            w.accepted[name] += 1
            # Every accepted command is in the log; only a supervision of an empty pool writes nothing.
            assert hub.head_seq > before_head or answer["result"] == {"count": 0}
            if case_id is not None and name != "case.supervise":
                old, new = before_cases[case_id], after_cases[case_id]
                assert new.version == old.version + 1
                others = {k: v for k, v in after_cases.items() if k != case_id}
                assert others == {k: v for k, v in before_cases.items() if k != case_id}, f"{name} changed another case"
                trace = new.history[-1]
                step = name.removeprefix("case.")
                expected_step = STEP_OF_COMMAND[step]
                assert trace.action == expected_step or (
                    expected_step == "extension_*" and trace.action in ("extension_approved", "extension_refused"))
                assert new.status in TRANSITIONS[trace.action][old.status], (
                    f"{name} took {old.serial} from {old.status.value} to {new.status.value}")
            return answer

        def pick(self, index: int) -> str | None:
            return self.case_ids[index % len(self.case_ids)] if self.case_ids else None

        # --- rules -------------------------------------------------------------------------------

        def create(self, who: str, street: str, category: str, urgent: bool) -> None:
            args = {"channel": "hotline_12345", "category_code": category, "street_code": street,
                    "description": "测试 random", "address": "测试路 1 号", "lon": 121.38, "lat": 31.02,
                    "urgent": urgent}
            answer = self.command(who, "case.create", args)
            if answer["ok"]:
                case_id = answer["result"]["id"]
                assert hub.writer.cases[case_id].status is S.RECEIVED
                self.case_ids.append(case_id)

        def send_step(self, who: str, case_id: str, step: str, version: str, other: int, unit: str, flag: bool,
                      note: str, reason: str, hours: float) -> None:
            args: dict[str, Any] = {"id": case_id, "note": note}
            current = hub.writer.cases[case_id].version
            if version == "current":
                args["version"] = current
            elif version == "stale":
                args["version"] = current - 1 if current > 1 else current + 1
            match step:
                case "reject" | "return" | "escalate" | "transfer" | "pause":
                    args["reason"] = reason
                case "merge":
                    args["into"] = self.pick(other)
                case "dispatch" | "arbitrate":
                    args["unit_id"] = unit
                    if step == "dispatch" and flag:
                        args["co_unit_ids"] = [u for u in UNITS[:3] if u != unit]
                case "feedback":
                    args["result"] = reason
                case "verify":
                    args["passed"] = flag
                case "callback":
                    args["satisfied"] = flag
                case "extension_request":
                    args |= {"hours": hours, "reason": reason}
                case "extension_decide":
                    args["approve"] = flag
            self.command(who, f"case.{step}", args, case_id)

        def any_step(self, who: str, index: int, step: str, version: str, other: int, unit: str, flag: bool,
                     note: str, reason: str, hours: float) -> None:
            """Any step on any case by anyone: mostly refused, and a refusal changes nothing."""
            case_id = self.pick(index)
            assert case_id is not None
            self.send_step(who, case_id, step, version, other, unit, flag, note, reason, hours)

        def next_step(self, who: str, index: int, choice: int, other: int, unit: str, flag: bool,
                      note: str, reason: str, hours: float) -> None:
            """A step the case's status allows (so the sequences go deep into the loop)."""
            case_id = self.case_ids[-1 - index % min(3, len(self.case_ids))]  # the latest few: deep walks
            case = hub.writer.cases[case_id]
            steps = [step for step in COMMAND_STEPS if case.status in TRANSITIONS[STEP_OF_COMMAND[step].replace(
                "extension_*", "extension_approved")]]
            ways = FORWARD.get(case.status)
            forward = ways[choice // 4 % len(ways)] if ways else None
            if forward == "dispatch" and "arbitration" in case.flags:
                forward = "arbitrate"
            if case.extension_hours is not None and choice % 3 == 0:
                forward = "extension_decide"
            if case.paused_at is not None and choice % 3 == 1:
                forward = "resume"
            step = forward if forward and choice % 4 else steps[choice % len(steps)] if steps else None
            if step is not None:
                self.send_step(who, case_id, step, "current", other, unit, flag, note, reason, hours)

        def supervise(self, who: str, action: str, indexes: list[int], unit: str) -> None:
            args: dict[str, Any] = {"action": action, "note": "盯紧"}
            if indexes:
                args["ids"] = [self.pick(i) for i in indexes]
            else:
                args["unit_id"] = unit
            before = w.cases()
            self.command(who, "case.supervise", args)
            assert w.cases() == before, "supervision changed a case"

        def unknown_case(self, who: str, step: str) -> None:
            args = {"id": "no-such-case", "reason": "r"} if step == "pause" else {"id": "no-such-case"}
            answer = self.command(who, f"case.{step}", args)
            assert not answer["ok"] and answer["error"]["code"] == "not_found"

        @rule(kind=st.sampled_from(KINDS), who=st.sampled_from(["centre", "centre", "commander", "desk"]),
              index=st.integers(0, 10_000), choice=st.integers(0, 10_000), other=st.integers(0, 10_000),
              step=st.sampled_from(COMMAND_STEPS), version=st.sampled_from(["current", "current", "none", "stale"]),
              unit=st.sampled_from([SCOPED_UNIT, *UNITS]), flag=st.booleans(), note=NOTES, reason=REASONS,
              hours=st.sampled_from([0.5, 4, 24, 720]), street=st.sampled_from(streets),
              category=st.sampled_from(categories),
              action=st.sampled_from(["remind", "urge", "supervise", "account"]),
              indexes=st.lists(st.integers(0, 10_000), max_size=3))
        def act(self, kind: str, who: str, index: int, choice: int, other: int, step: str, version: str, unit: str,
                flag: bool, note: str, reason: str, hours: float, street: str, category: str, action: str,
                indexes: list[int]) -> None:
            """One command, mostly the next step of a recent case (so the walks go deep into the loop)."""
            if kind == "create" or not self.case_ids:
                self.create(who, street, category, flag)
            elif kind == "next":
                self.next_step(who, index, choice, other, unit, flag, note, reason, hours)
            elif kind == "any":
                case_id = self.pick(index)
                assert case_id is not None
                self.any_step(who, index, step, version, other, unit, flag, note, reason, hours)
            elif kind == "supervise":
                self.supervise(who, action, indexes, unit)
            else:
                self.unknown_case(who, step if step in ("sign", "register", "pause") else "sign")

        # --- invariants ---------------------------------------------------------------------------

        @invariant()
        def every_case_is_legal(self) -> None:
            for case in hub.writer.cases.values():
                assert isinstance(case.status, CaseStatus)
                why = legal_path(case)
                assert why is None, why

        def teardown(self) -> None:
            assert_recount(w)

    return CaseEngineMachine


def assert_recount(w: World) -> None:
    hub = w.hub.hub
    frames: list[bytes] = []
    while page := read_frames(hub.engine, len(frames), 5000):
        frames += page
    assert len(frames) == hub.head_seq
    cases, stats = replay(frames)
    held = w.cases()
    assert msgspec.to_builtins(cases) == msgspec.to_builtins(held)
    with hub.engine.connect() as conn:
        rows = conn.execute(sa.select(schema.cases.c.id, schema.cases.c.status, schema.cases.c.version,
                                      schema.cases.c.data)).all()
    decoded = {row.id: msgspec.json.decode(row.data, type=Case) for row in rows}
    assert msgspec.to_builtins(decoded) == msgspec.to_builtins(held)
    assert all(row.status == held[row.id].status.value and row.version == held[row.id].version for row in rows)
    assert stats == stats_counts(hub.writer.stats)


def test_no_sequence_of_case_commands_reaches_an_illegal_state_or_breaks_the_recount(world: World) -> None:
    run_state_machine_as_test(
        machine(world),
        settings=settings(max_examples=100, stateful_step_count=50, deadline=None, derandomize=True,
                          database=None, suppress_health_check=list(HealthCheck)),
    )
    accepted = sum(world.accepted.values())
    # The sequences reached deep into the loop, not only refusals.
    assert world.accepted["case.create"] >= 10 and accepted >= 100, (world.accepted, world.refused)
    for deep in ("case.sign", "case.verify", "case.callback", "case.return", "case.arbitrate", "case.resume",
                 "case.extension_decide", "case.merge"):
        assert world.accepted[deep] > 0, (deep, world.accepted)
    assert {"illegal_state", "conflict", "forbidden", "not_found"} <= set(world.refused), world.refused
