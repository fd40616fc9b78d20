"""The hub on a virtual clock: the simulator and the timekeeper follow it, so a day runs fast and the same
every time; and `alert.shelve` against a real hub (recorded for the shelving desk, refused cleanly)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub import auth
from hub.db import log_store
from hub.embedded import EmbeddedHub
from hub.virtual_clock import ClockDriver, VirtualClock
from protocol import Role
from tests.hub.conftest import run_hub
from tests.hub.test_closed_loop import desk

START = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


async def two_hours(path: Path, seed: int) -> tuple[int, list[tuple[str, str, str]], Counter[str]]:
    clock = VirtualClock(START)
    async with EmbeddedHub(f"sqlite:///{path}", simulate=True, seed=seed, backfill_hours=3, clock=clock) as hub:
        assert hub.driver is not None
        driver = ClockDriver(hub.hub, clock, hub.driver.loops)
        await driver.run_until(START + timedelta(hours=2))
        assert clock() == START + timedelta(hours=2)
        cases = sorted((c.serial, c.status.value, f"{c.level.value}/{c.step_level.value}")
                       for c in hub.hub.writer.cases.values())
        frames = log_store.read_frames(hub.hub.engine, 0, 100_000)
        types = Counter(f.split(b'"type":"', 1)[1].split(b'"', 1)[0].decode() for f in frames)
        return hub.hub.head_seq, cases, types


def test_two_simulated_hours_run_on_the_virtual_clock_the_same_every_time(tmp_path: Path) -> None:
    first = asyncio.run(two_hours(tmp_path / "a.db", seed=3))
    second = asyncio.run(two_hours(tmp_path / "b.db", seed=3))
    assert first == second, "the same seed on the virtual clock gives the same log"
    _, cases, types = first
    received = [c for c in cases if c[0]]
    assert len(received) > 200, "three hours of back-fill and two of a morning's arrivals"
    assert types["timer.level_changed"] > 0 and types["case.updated"] > types["case.created"]
    assert any("red" in levels for _, _, levels in cases), "the timekeeper followed the clock"


def test_a_shelf_is_recorded_for_the_shelving_desk_and_refused_without_a_reason(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        street = await desk(hub, token=auth.add_user(hub.hub.engine, "street-desk", Role.DUTY, "S310112001"),
                            name="s")
        centre = await desk(hub)
        result = await street.ok("alert.shelve", kind="timer", key="step.red", minutes=60,
                                 reason="暴雨积水，全街道人员在现场")
        frames = await centre.client.recv_until(lambda f: f["type"] == "alert.shelved")
        data = frames[-1]["data"]
        assert frames[-1]["seq"] == result["seq"]
        assert (data["kind"], data["key"], data["unit_id"], data["by"]) == ("timer", "step.red", "S310112001",
                                                                            "street-desk")
        at = datetime.fromisoformat(data["at"])
        assert datetime.fromisoformat(data["until"]) - at == timedelta(minutes=60)
        for args, word in (({"kind": "timer", "key": "red", "minutes": 60, "reason": "x"}, "key"),
                           ({"kind": "timer", "minutes": 60, "reason": "   "}, "reason"),
                           ({"kind": "timer", "minutes": 2, "reason": "x"}, "minutes"),
                           ({"kind": "timer", "minutes": 600, "reason": "x"}, "minutes")):
            refused = await centre.do("alert.shelve", **args)
            assert not refused["ok"] and refused["error"]["code"] == "invalid_args", refused
            assert word in refused["error"]["message"]
        rows = [r for r in log_store.read_audit(hub.hub.engine, 10, None) if r["name"] == "alert.shelve"]
        assert [r["ok"] for r in rows] == [False, False, False, False, True], "every try is audited"

    run_hub(db_url, scenario)
