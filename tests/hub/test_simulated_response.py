"""The simulator plays the units of a joint response on a real hub with a virtual clock: a directive
to all units is acknowledged with realistic latencies (some late, some never), reports come on
the cadence, and the plan's tasks move to done; the same seed plays the same night."""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.embedded import EmbeddedHub
from hub.engine.commands import Caller
from hub.simulation import desk_name
from hub.simulator import responders as policy
from protocol import COMMAND_ARGS, Receipt, Role, TaskStatus
from protocol.codec import convert_args
from tests.hub.conftest import WAIT_S

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai: the typhoon comes ashore tonight
ACK_WITHIN_MIN = 15
REMIND_AT = NOW + timedelta(hours=1)
FIELDS = ["people_evacuated", "teams_ready"]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Night:
    """What the acknowledgement and task matrices showed."""

    recipients: int
    before_reminder: dict[str, Receipt]
    reminded: int
    receipts: dict[str, Receipt]
    tasks: dict[str, tuple[TaskStatus, float | None, float | None, dict[str, int]]]
    """Task id → (status, seconds to acknowledgement, seconds to done past the deadline, numbers)."""
    windows: dict[str, float]

    def signature(self) -> object:
        cells = {u: (r.latency_s, r.reminded, [((p.at - NOW).total_seconds(), p.numbers, p.text) for p in r.reports])
                 for u, r in self.receipts.items()}
        return cells, self.tasks


async def _command(hub: EmbeddedHub, name: str, raw: dict[str, Any]) -> dict[str, Any]:
    args = convert_args(raw, COMMAND_ARGS[name])
    outcome = await hub.hub.run_internal(name, hub.hub.commands.job(name, args, Caller("zhang.wei", Role.COMMANDER)))
    assert outcome.ok and outcome.result is not None, outcome.error
    return outcome.result


async def _play_until(hub: EmbeddedHub, clock: Clock, end: datetime) -> None:
    """Move the clock from one planned answer to the next, each sent at its own instant."""
    assert hub.driver is not None
    responders = hub.driver.responders
    while (due := responders.next_due()) is not None and due <= end:
        clock.now = max(clock.now, due)
        responders.poke()
        await responders.caught_up(clock.now)
    clock.now = end
    responders.poke()
    await responders.caught_up(end)


def play(tmp_path: Path, seed: int, hours: float = 40, name: str = "hub") -> Night:
    clock = Clock(NOW)

    async def main() -> Night:
        async with EmbeddedHub(f"sqlite:///{tmp_path / f'{name}.db'}", simulate=True, backfill_hours=0,
                               rate=0.01, seed=seed, clock=clock) as hub:
            async with asyncio.timeout(WAIT_S * 6):
                declared = await _command(hub, "emergency.declare",
                                          {"type": "typhoon", "level": "II", "title": "台风“贝碧嘉”防御"})
                issued = await _command(hub, "directive.issue", {
                    "text": "各单位立即进入防台状态，每2小时报告转移人数和待命队伍", "emergency_id": declared["id"],
                    "ack_within_min": ACK_WITHIN_MIN, "report_every_h": 2, "report_fields": FIELDS})
                book = hub.hub.emergencies
                mine = lambda: {r.unit_id: r for r in book.receipts.values()  # noqa: E731
                                if r.directive_id == issued["id"]}
                await _play_until(hub, clock, REMIND_AT)
                before = mine()
                reminded = await _command(hub, "directive.remind", {"id": issued["id"]})
                await _play_until(hub, clock, NOW + timedelta(hours=hours))
                tasks = {
                    t.id: (t.status,
                           (t.acknowledged_at - t.timer.started_at).total_seconds() if t.acknowledged_at else None,
                           (t.done_at - t.timer.due_at).total_seconds() if t.done_at else None,
                           t.numbers)
                    for t in book.tasks_of(declared["id"])}
                windows = {t.id: (t.timer.due_at - t.timer.started_at).total_seconds()
                           for t in book.tasks_of(declared["id"])}
                return Night(issued["recipients"], before, reminded["count"], mine(), tasks, windows)

    return asyncio.run(main())


def test_a_directive_to_all_units_fills_its_matrix_as_on_a_real_night(tmp_path: Path) -> None:
    night = play(tmp_path, seed=3)
    window = ACK_WITHIN_MIN * 60

    before = night.before_reminder
    assert len(before) == night.recipients >= 25
    latencies = [r.latency_s for r in before.values() if r.latency_s is not None]
    on_time = [s for s in latencies if s <= window]
    late = [s for s in latencies if s > window]
    missing = [u for u, r in before.items() if r.acknowledged_at is None]
    assert len(on_time) >= 0.6 * night.recipients, latencies
    assert late and missing, "some units acknowledge late and some not at all"
    assert 60 <= statistics.median(on_time) <= 360, "most acknowledge within a few minutes"
    assert all(r.acknowledged_by == desk_name(u) for u, r in before.items() if r.acknowledged_at)
    print(f"\nseed 3, {night.recipients} units: on time {len(on_time)} (median {statistics.median(on_time):.0f} s), "
          f"late {len(late)} (median {statistics.median(late):.0f} s), missing {len(missing)} before the reminder")

    assert night.reminded == len(missing)
    after = night.receipts
    answered = [u for u in missing if after[u].acknowledged_at is not None]
    assert all(after[u].reminded == 1 for u in missing)
    assert all(after[u].latency_s is not None and after[u].latency_s - 3600 < 600 for u in answered), \
        "a reminded unit answers within minutes"
    print(f"after the reminder: {len(answered)} of {len(missing)} answered, "
          f"still missing {sum(1 for r in after.values() if r.acknowledged_at is None)}")

    for unit, receipt in after.items():
        if receipt.acknowledged_at is None:
            assert not receipt.reports, "a unit that never acknowledged does not report"
            continue
        assert len(receipt.reports) >= 10, f"{unit} reports every 2 h for 40 h, skipping a few"
        gaps = [(b.at - a.at).total_seconds() / 3600 for a, b in itertools.pairwise(receipt.reports)]
        assert all(0.45 <= g <= 8 for g in gaps), gaps  # late, skipped, jittered: never bunched
        evacuated = [p.numbers["people_evacuated"] for p in receipt.reports]
        assert evacuated == sorted(evacuated) and evacuated[-1] > 0, "a running total only grows"
        assert all(set(p.numbers) == set(FIELDS) and p.text.startswith("第") for p in receipt.reports)
    cadence = [(p.at - NOW).total_seconds() / 3600 for r in after.values() for p in r.reports]
    assert 1.5 < min(cadence) < 2.5, "the first reports come around the cadence"

    statuses = [status for status, *_ in night.tasks.values()]
    done = statuses.count(TaskStatus.DONE)
    assert len(statuses) == 71 and done >= 0.8 * len(statuses), statuses
    assert statuses.count(TaskStatus.ASSIGNED) + statuses.count(TaskStatus.IN_PROGRESS) >= 1, "a few never finish"
    past_due = [late_s for _, _, late_s, _ in night.tasks.values() if late_s is not None and late_s > 0]
    assert past_due and len(past_due) < done / 3, "most on time, some late"
    for task_id, (status, ack_s, _, numbers) in night.tasks.items():
        if status is TaskStatus.DONE:
            assert ack_s is not None and ack_s < 0.3 * night.windows[task_id] + 1
            assert all(v >= 0 for v in numbers.values())
    reported = [n for status, _, _, n in night.tasks.values() if status is TaskStatus.DONE and n]
    assert reported, "done tasks carry the figures of their report fields"
    print(f"tasks: {done} of {len(statuses)} done, {len(past_due)} of them late")


def test_the_same_seed_plays_the_same_night(tmp_path: Path) -> None:
    first, again = play(tmp_path, seed=5, hours=8, name="first"), play(tmp_path, seed=5, hours=8, name="again")
    assert first.signature() == again.signature()
    other = play(tmp_path, seed=6, hours=8, name="other")
    assert other.signature() != first.signature()


def test_the_policy_keeps_its_shares() -> None:
    """Over many units the shares are as documented: 80 % on time (median ~3 min), 15 % late, 5 % never."""
    plans = [policy.plan_ack(random.Random(f"share:{i}"), 15 * 60) for i in range(20_000)]
    share = {o: sum(1 for p in plans if p.outcome is o) / len(plans) for o in policy.AckOutcome}
    assert abs(share[policy.AckOutcome.ON_TIME] - 0.80) < 0.015
    assert abs(share[policy.AckOutcome.LATE] - 0.15) < 0.015
    assert abs(share[policy.AckOutcome.NEVER] - 0.05) < 0.01
    on_time = [p.latency_s for p in plans if p.outcome is policy.AckOutcome.ON_TIME and p.latency_s is not None]
    assert all(s <= 15 * 60 for s in on_time) and 150 <= statistics.median(on_time) <= 210
    late = [p.latency_s for p in plans if p.outcome is policy.AckOutcome.LATE and p.latency_s is not None]
    assert all(s > 15 * 60 for s in late)

    reminded = [policy.reminded_latency(random.Random(f"r:{i}"), policy.AckOutcome.LATE) for i in range(2000)]
    assert statistics.median(s for s in reminded if s is not None) < policy.LATE_MEDIAN_S, "reminded: faster"
    never = [policy.reminded_latency(random.Random(f"n:{i}"), policy.AckOutcome.NEVER) for i in range(2000)]
    assert 0.4 < sum(1 for s in never if s is not None) / len(never) < 0.6

    tasks = [policy.plan_task(random.Random(f"t:{i}"), 7200) for i in range(10_000)]
    done_on_time = sum(1 for t in tasks if t and t[-1].status is TaskStatus.DONE and t[-1].at_s <= 7200)
    assert 0.78 < done_on_time / len(tasks) < 0.82
    assert all(a.at_s < b.at_s for t in tasks for a, b in itertools.pairwise(t)), "steps in order"


def test_after_a_restart_the_units_take_up_the_directive_where_it_stood(tmp_path: Path) -> None:
    clock = Clock(NOW)
    url = f"sqlite:///{tmp_path / 'hub.db'}"

    async def main() -> None:
        async with EmbeddedHub(url, simulate=False, clock=clock) as hub:
            issued = await _command(hub, "directive.issue", {"text": "各单位加强值守", "ack_within_min": 30})
        clock.now = NOW + timedelta(minutes=10)  # the demo was down for ten minutes
        async with EmbeddedHub(url, simulate=True, backfill_hours=0, rate=0.01, seed=2, clock=clock) as hub:
            async with asyncio.timeout(WAIT_S * 3):
                await _play_until(hub, clock, clock.now)
                receipts = [r for r in hub.hub.emergencies.receipts.values() if r.directive_id == issued["id"]]
                caught_up = [r for r in receipts if r.latency_s is not None]
                assert caught_up and all(r.latency_s == 600 for r in caught_up), "what fell due is sent at once"
                await _play_until(hub, clock, NOW + timedelta(hours=3))
                acked = sum(1 for r in hub.hub.emergencies.receipts.values()
                            if r.directive_id == issued["id"] and r.acknowledged_at is not None)
                assert len(caught_up) < acked <= len(receipts), "the others answer later, on their own plan"

    asyncio.run(main())
