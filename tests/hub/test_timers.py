"""Timers on a fixed clock: level changes at the exact minute, across a weekend and holidays."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub.embedded import EmbeddedHub
from tests.hub.conftest import WAIT_S, case_args, greet

SHANGHAI = timedelta(hours=8)


def shanghai(text: str) -> datetime:
    return (datetime.fromisoformat(text) - SHANGHAI).replace(tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_levels_change_at_the_exact_minute_across_a_weekend_and_holidays(tmp_path: Path) -> None:
    """Received Fri 2026-09-25 16:00 (Mid-Autumn holiday, then a weekend) with 8 working hours:
    the clock first runs Mon 09:00; yellow at 4 h, orange at 6.4 h, red at 8 h of working time."""
    clock = Clock(shanghai("2026-09-25T16:00:00"))
    expected = [("yellow", "2026-09-28T14:30:00"), ("orange", "2026-09-28T16:54:00"), ("red", "2026-09-29T09:30:00")]

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=clock) as hub:
            watcher, _ = await greet(hub)
            await watcher.recv_until(lambda f: f["type"] == "snapshot.end")
            writer, _ = await greet(hub)
            created = await writer.command("case.create", case_args(hub, category_code="06010"), "c1")
            case_id = created["result"]["id"]
            case = hub.hub.writer.cases[case_id]
            assert case.overall.working_time
            assert case.overall.yellow_at == shanghai(expected[0][1])
            await writer.command("case.register", {"id": case_id}, "r1")
            await writer.command("case.dispatch", {"id": case_id, "unit_id": "MH"}, "d1")
            await writer.command("case.sign", {"id": case_id}, "s1")
            await watcher.recv_until(lambda f: f["type"] == "case.updated" and f["data"].get("status") == "signed")

            async def overall_changes_at(moment: datetime) -> list[dict[str, Any]]:
                clock.now = moment
                keeper = hub.hub.timekeeper
                keeper.poke()
                while keeper.checked_up_to != moment:  # the keeper has committed all that is due
                    await asyncio.sleep(0.001)
                marker = await writer.command("case.supervise", {"action": "remind", "ids": [case_id]},
                                              f"m{moment.timestamp()}")
                frames = await watcher.recv_until(
                    lambda f: f["type"] == "supervision.recorded" and f["data"]["actor"] == "duty-demo"
                )
                assert marker["ok"]
                automatic.extend(f["data"]["action"] for f in frames
                                 if f["type"] == "supervision.recorded" and f["data"].get("automatic"))
                return [f["data"] for f in frames if f["type"] == "timer.level_changed"
                        and f["data"]["kind"] == "overall"]

            automatic: list[str] = []

            async with asyncio.timeout(WAIT_S):
                for level, at in expected:
                    moment = shanghai(at)
                    assert await overall_changes_at(moment - timedelta(minutes=1)) == []
                    changes = await overall_changes_at(moment)
                    assert [c["level"] for c in changes] == [level], (level, at)
            case = hub.hub.writer.cases[case_id]
            assert case.level.value == "red"
            assert hub.hub.writer.stats["MH"].overdue_now == 1
            assert automatic == ["remind", "urge", "supervise"]

    asyncio.run(main())
