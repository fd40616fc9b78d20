"""A simulated half day through the real loop: every path taken, and the unit statistics
recounted independently from the event log agree with the hub's projection."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from hub.db.log_store import read_frames
from hub.embedded import EmbeddedHub
from protocol import OPEN_STATUSES, CaseStatus, SlaLevel, decode_server
from protocol.events import CaseCreated, CaseUpdated, SupervisionRecorded, TimerLevelChanged

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai, a Tuesday


def recount(events: list[Any]) -> dict[str, Counter[str]]:
    """Unit results from the events alone (a second implementation, by design)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    unit: dict[str, str | None] = {}
    status: dict[str, CaseStatus] = {}
    level: dict[str, SlaLevel] = {}
    due: dict[str, datetime] = {}
    for event in events:
        if isinstance(event, CaseCreated):
            c = event.data
            unit[c.id], status[c.id], level[c.id] = c.unit_id, c.status, c.level
            if c.overall:
                due[c.id] = c.overall.due_at
        elif isinstance(event, CaseUpdated):
            p, cid = event.data, event.data.id
            before = unit.get(cid)
            if p.unit_id is not msgspec.UNSET:
                unit[cid] = p.unit_id
            if p.status is not msgspec.UNSET:
                status[cid] = p.status
            if p.overall is not msgspec.UNSET and p.overall is not None:
                due[cid] = p.overall.due_at
            if p.level is not msgspec.UNSET:  # an approved extension lowers the level in the patch itself
                level[cid] = p.level
            trace = p.trace
            if trace is msgspec.UNSET:
                continue
            if trace.action in ("dispatch", "arbitrate", "escalate"):
                counts[unit[cid]]["received"] += 1
            elif trace.action == "sign":
                counts[unit[cid]]["signed_in_time"] += int(trace.step_due_at is None or trace.at <= trace.step_due_at)
            elif trace.action == "return":
                counts[before]["returned"] += 1
            elif trace.action == "verify" and status[cid] is CaseStatus.CLOSED:
                counts[unit[cid]]["closed"] += 1
                counts[unit[cid]]["closed_on_time"] += int(trace.at <= due[cid])
            elif trace.action == "callback":
                counts[unit[cid]]["rated"] += 1
                counts[unit[cid]]["satisfied"] += int(p.satisfied is True)
        elif isinstance(event, TimerLevelChanged) and event.data.kind == "overall":
            level[event.data.case_id] = event.data.level
        elif isinstance(event, SupervisionRecorded) and event.data.unit_id:
            counts[event.data.unit_id]["supervised"] += 1
    for cid, lvl in level.items():
        if lvl is SlaLevel.RED and status[cid] in OPEN_STATUSES and unit[cid]:
            counts[unit[cid]]["overdue_now"] += 1
    return counts


@pytest.mark.parametrize("seed", [1, 7])
def test_simulated_half_day_takes_every_path_and_stats_match_the_log(tmp_path: Path, seed: int) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=True, backfill_hours=12, seed=seed,
                               clock=lambda: NOW) as hub:
            assert hub.driver is not None
            await asyncio.wait_for(hub.driver.settled.wait(), 240)
            frames = []
            while True:
                page = read_frames(hub.hub.engine, len(frames), 5000)
                if not page:
                    break
                frames += page
            assert len(frames) == hub.hub.head_seq
            events = [decode_server(f) for f in frames]
            actions = Counter(e.data.trace.action for e in events
                              if isinstance(e, CaseUpdated) and e.data.trace is not msgspec.UNSET)
            for path in ("register", "reject", "merge", "dispatch", "return", "arbitrate", "sign", "escalate",
                         "start", "pause", "resume", "extension_request", "feedback", "verify", "callback"):
                assert actions[path] > 0, f"the simulated day never took {path}: {actions}"
            assert actions["extension_approved"] + actions["extension_refused"] == actions["extension_request"]
            flags = Counter(f for c in hub.hub.writer.cases.values() for f in c.flags)
            assert flags["reopened"] > 0 and flags["verify_failed"] > 0
            expected = recount(events)
            for unit_id, stats in hub.hub.writer.stats.items():
                got = {k: v for k, v in msgspec.structs.asdict(stats).items() if isinstance(v, int) and v}
                assert got == {k: v for k, v in expected[unit_id].items() if v}, unit_id
            assert {u for u, c in expected.items() if any(c.values())} <= set(hub.hub.writer.stats)

    asyncio.run(main())
