"""`python -m hub simulate --days N`: simulated days on the virtual clock into a new database, the same every
time for the same seed; a database that already holds a log is refused."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hub.__main__ import main
from hub.db import schema
from hub.errors import HubError
from hub.simulate_day import parse_speed, simulate_days


def log_of(path: Path) -> tuple[list[tuple[int, str]], list[tuple[str, str]]]:
    """(seq, type) of every event and (serial, status) of every case: the log without its random ids."""
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        events = conn.execute(sa.select(schema.events.c.seq, schema.events.c.type).order_by(schema.events.c.seq)).all()
        cases = conn.execute(sa.select(schema.cases.c.serial, schema.cases.c.status)
                             .order_by(schema.cases.c.serial)).all()
    engine.dispose()
    return [(int(seq), str(kind)) for seq, kind in events], [(str(a), str(b)) for a, b in cases]


def test_the_same_seed_gives_the_same_simulated_hours(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.db", "b.db"):
        assert main(["simulate", "--days", "0.06", "--speed", "max", "--db", str(tmp_path / name)]) == 0
    first, second = log_of(tmp_path / "a.db"), log_of(tmp_path / "b.db")
    assert first == second and len(first[0]) > 100 and len(first[1]) > 50
    assert {kind for _, kind in first[0]} >= {"case.created", "case.updated", "timer.level_changed"}
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("simulating 0.06 day(s) from 2026-11-24 00:00 (Asia/Shanghai) into ")
    assert out[1].startswith("2026-11-24 01:00  seq ")
    assert out[-1].startswith("done: 0.06 day(s) to 2026-11-24 01:26 in ")


def test_a_database_with_a_log_is_refused_and_the_speed_is_checked(tmp_path: Path) -> None:
    db = str(tmp_path / "day.db")
    asyncio.run(simulate_days(db, days=0.01, speed=None, start=date(2026, 11, 24)))
    with pytest.raises(HubError, match="already holds a log"):
        asyncio.run(simulate_days(db, days=0.01, speed=None))
    assert parse_speed("max") is None and parse_speed("600") == 600.0
    for bad in ("fast", "0", "-2"):
        with pytest.raises(HubError, match="--speed"):
            parse_speed(bad)
