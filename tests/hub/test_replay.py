"""`python -m hub replay`: a file's requests into a running hub at their original pace, scaled; pause and resume."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hub.directory import Directory
from hub.embedded import EmbeddedHub
from hub.importing.cli import run_import
from hub.importing.mapping import load_mapping
from hub.importing.replay import Pacer, Sender, Step, controls, play, run_replay, timeline
from hub.importing.rows import Checker, Record, read_raw
from protocol import CaseStatus
from resources import __file__ as resources_init
from tests.hub.conftest import WAIT_S

SAMPLES = Path(resources_init).parent / "data" / "service_requests"
NYC = SAMPLES / "nyc_311_sample.csv"
T0 = datetime(2019, 12, 31, 23, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_data_time_maps_to_wall_time_at_the_speed_and_a_pause_moves_what_follows() -> None:
    async def scenario() -> None:
        clock = FakeClock()
        pacer = Pacer(T0, 60, clock)
        assert pacer.delay(T0 + timedelta(minutes=1)) == 1.0  # a minute of data in a second
        clock.now += 0.5
        pacer.pause()
        assert pacer.delay(T0 + timedelta(minutes=1)) is None  # nothing is due while paused
        clock.now += 10
        assert pacer.data_time() == 30.0  # the data clock stood still
        pacer.resume()
        assert pacer.delay(T0 + timedelta(minutes=1)) == 0.5  # the time paused is not made up
        assert pacer.data_time() == 30.0

    asyncio.run(scenario())


def _records(limit: int) -> list[Record]:
    mapping = load_mapping(SAMPLES / "nyc.toml", set(Directory.load().categories))
    checker = Checker(mapping, datetime.now(UTC))
    found = [r for line, raw in read_raw(NYC, mapping) if isinstance(r := checker.check(line, raw), Record)]
    return sorted(found, key=lambda r: r.received)[:limit]


def test_steps_come_in_time_order_and_a_pause_holds_them_until_resumed() -> None:
    steps = timeline(_records(20))
    assert [s.at for s in steps] == sorted(s.at for s in steps)
    assert {s.name for s in steps} == {"create", "dispatch", "close"}

    async def scenario() -> None:
        clock = FakeClock()
        pacer = Pacer(steps[0].at, 60, clock)
        clock.now += 10**9  # every step is due at once: the test waits on the pause alone
        played: list[Step] = []

        class Recorder(Sender):
            async def step(self, step: Step) -> None:
                played.append(step)
                if len(played) == 3:
                    pacer.pause()  # as an operator would, between two steps

        run = asyncio.ensure_future(play(steps, pacer, Recorder(lambda n, a: None, str, str), asyncio.Event(),
                                         lambda text: None))
        for _ in range(100):
            await asyncio.sleep(0)
        assert pacer.paused and len(played) == 3 and not run.done()
        pacer.resume()
        assert await asyncio.wait_for(run, WAIT_S) == len(steps)
        assert played == steps

    asyncio.run(scenario())


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="no SIGUSR1 here")
def test_sigusr1_pauses_and_resumes() -> None:
    async def scenario() -> None:
        pacer = Pacer(T0, 60)
        said: list[str] = []
        remove = controls(pacer, asyncio.Event(), said.append)
        try:
            os.kill(os.getpid(), signal.SIGUSR1)
            for _ in range(1000):
                if pacer.paused:
                    break
                await asyncio.sleep(0)
            assert pacer.paused and said == ["paused (r or Ctrl+Z to resume)"]
            os.kill(os.getpid(), signal.SIGUSR1)
            for _ in range(1000):
                if not pacer.paused:
                    break
                await asyncio.sleep(0)
            assert not pacer.paused and said[-1] == "resumed"
        finally:
            remove()

    asyncio.run(scenario())


def test_a_replay_moves_the_cases_of_a_real_evening_through_the_loop_of_a_running_hub(tmp_path: Path,
                                                                                       capsys: Any) -> None:
    db = tmp_path / "nyc.db"
    asyncio.run(run_import(NYC, SAMPLES / "nyc.toml", f"sqlite:///{db}", tmp_path / "r.csv", show_progress=False,
                           centre_only=True))

    async def scenario() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False) as hub:
            assert not hub.hub.writer.cases  # the centre only
            code = await run_replay(NYC, SAMPLES / "nyc.toml", hub.url, hub.token, speed=1e9, limit=30)
            assert code == 0
            cases = list(hub.hub.writer.cases.values())
            assert len(cases) == 30
            closed = [c for c in cases if c.status is CaseStatus.CLOSED]
            assert closed and all(c.unit_name for c in closed)
            assert [t.action for t in closed[0].history] == ["register", "dispatch", "sign", "start", "feedback",
                                                             "verify"]

    asyncio.run(scenario())
    assert "replayed" in capsys.readouterr().out
