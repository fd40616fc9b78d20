"""The simulator drives a real hub: a back-filled queue at once, then steps along the loop."""

from __future__ import annotations

import asyncio
import itertools
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.embedded import EmbeddedHub
from protocol import CaseStatus
from tests.hub.conftest import WAIT_S, greet

ROOT = Path(__file__).resolve().parents[2]


def test_embedded_simulator_backfills_and_moves_cases_along(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=True, backfill_hours=3) as hub:
            async with asyncio.timeout(WAIT_S * 3):
                while True:
                    cases = list(hub.hub.writer.cases.values())
                    moved = [c for c in cases if c.status is not CaseStatus.RECEIVED]
                    if len(cases) >= 20 and len(moved) >= 5 and any(c.unit_name for c in moved):
                        break
                    await asyncio.sleep(0.05)
            serials = sorted(c.serial for c in cases)
            assert serials[0].endswith("-000001")
            assert all(c.street_name and c.category_zh and c.overall is not None for c in cases)
            dispatched = [c for c in moved if c.unit_name]
            assert dispatched, "dispatched cases name their unit"
            _, welcome = await greet(hub)
            assert welcome["head_seq"] >= len(cases)

    asyncio.run(main())


def test_the_back_fill_comes_on_a_clock_that_never_reads_the_same_twice(tmp_path: Path) -> None:
    """Each reading a microsecond on (a slow machine's `datetime.now`): the back-fill is still due at once.
    It was due at "the clock now", read after the loop's own reading, so always a microsecond ahead: the
    arrivals loop waited for it forever and the demo's queue stayed empty."""
    start = datetime.now(UTC)
    readings = itertools.count()

    def clock() -> datetime:
        return start + timedelta(microseconds=next(readings))

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=True, backfill_hours=1,
                               clock=clock) as hub:
            async with asyncio.timeout(WAIT_S * 3):
                while not hub.hub.writer.cases:
                    await asyncio.sleep(0.02)

    asyncio.run(main())


def test_remote_simulator_sends_commands_to_a_running_hub(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "hub", "simulate", "--hub", hub.url, "--token", hub.token,
                "--burst", "--count", "5", cwd=ROOT,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(), WAIT_S * 3)
            assert proc.returncode == 0, err.decode()
            assert "sent 5 requests" in out.decode()
            async with asyncio.timeout(WAIT_S):
                while hub.hub.head_seq < 5:
                    await asyncio.sleep(0.02)

    asyncio.run(main())


def test_remote_simulator_with_a_bad_token_says_so() -> None:
    async def main() -> None:
        async with EmbeddedHub("sqlite://", simulate=False) as hub:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "hub", "simulate", "--hub", hub.url, "--token", "wrong", cwd=ROOT,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )
            _, err = await asyncio.wait_for(proc.communicate(), WAIT_S * 3)
            assert proc.returncode == 2
            assert "refused" in err.decode() and "Traceback" not in err.decode()

    asyncio.run(main())
