"""`python -m hub import`: the Baltimore and NYC samples into the log, rejects explained, re-import idempotent,
all or nothing per batch, the imported centre served to a console, Open311 JSON in."""

from __future__ import annotations

import asyncio
import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from hub.embedded import EmbeddedHub
from hub.importing import store
from hub.importing.cli import run_import
from resources import __file__ as resources_init
from tests.hub.conftest import greet

SAMPLES = Path(resources_init).parent / "data" / "service_requests"
BALTIMORE = SAMPLES / "baltimore_311_sample.csv"
NYC = SAMPLES / "nyc_311_sample.csv"
REASONS = ("unknown category", "coordinates outside the area", "missing coordinates", "coordinates swapped",
           "duplicate id", "closed before received", "due before received", "bad received date",
           "missing received date", "bad closed date", "missing close date", "bad due date", "unknown status")
BALTIMORE_HEADER = ("ServiceRequestNum,SRType,MethodReceived,CreatedDate,SRStatus,DueDate,CloseDate,Agency,Address,"
                    "Neighborhood,Latitude,Longitude")


def _import(file: Path, mapping: Path, db: Path, **kwargs: Any) -> Any:
    return asyncio.run(run_import(file, mapping, f"sqlite:///{db}", db.with_suffix(".rejects.csv"),
                                  show_progress=False, **kwargs))


def _count(db: Path, sql: str) -> int:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        value = int(conn.execute(sa.text(sql)).scalar_one())
    engine.dispose()
    return value


def _rejects(db: Path) -> list[dict[str, str]]:
    with db.with_suffix(".rejects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_baltimore_sample_imports_with_every_reject_explained_and_again_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "baltimore.db"
    report = _import(BALTIMORE, SAMPLES / "baltimore.toml", db)
    assert report.rows == 3000
    assert report.created + len(report.rejects) == 3000
    assert report.created > 1000 and not report.failed_batches
    rejects = _rejects(db)
    assert len(rejects) == len(report.rejects)
    assert all(r["reason"].startswith(REASONS) for r in rejects), {r["reason"] for r in rejects}
    lines = BALTIMORE.read_text(encoding="utf-8").splitlines()
    for r in rejects[:50]:  # the line named is the row's own line in the file
        assert lines[int(r["line"]) - 1].startswith(r["source_id"] + ",")
    assert any(r["reason"] == "coordinates outside the area (39.00000, -77.00000)" for r in rejects)
    events = _count(db, "SELECT count(*) FROM events")
    assert _count(db, "SELECT count(*) FROM events WHERE type = 'case.created'") == report.created
    assert _count(db, "SELECT count(*) FROM cases") == report.created

    again = _import(BALTIMORE, SAMPLES / "baltimore.toml", db)
    assert (again.created, again.unchanged) == (0, report.created)
    assert _count(db, "SELECT count(*) FROM events") == events


def test_each_kind_of_bad_row_is_rejected_with_its_line_and_reason(tmp_path: Path) -> None:
    good = ("TRT-Traffic Signal Repairs,Phone,04/12/2018 11:11:26 AM,Closed,04/13/2018 11:11:26 AM,"
            "04/12/2018 12:45:47 PM")
    place = "Transportation,1 MAIN ST,Dorchester"
    rows = [
        f"A1,{good},{place},39.33,-76.67",                                               # 2 good
        f"A2,TRT-Traffic Signal Repairs,Phone,13/45/2018 11:11:26 AM,Closed,,,{place},39.33,-76.67",  # 3 bad date
        f"A3,TRT-Traffic Signal Repairs,Phone,,Closed,,,{place},39.33,-76.67",             # 4 missing date
        f"A4,TRT-Traffic Signal Repairs,Phone,04/12/2018 11:11:26 AM,Closed,,04/11/2018 09:00:00 AM,"
        f"{place},39.33,-76.67",
        f"A5,{good},{place},39,-77",                                                      # 6 outside
        f"A6,{good},{place},-76.67,39.33",                                                # 7 swapped
        f"A7,SW-Rat Rubout,Phone,04/12/2018 11:11:26 AM,Closed,,04/12/2018 12:00:00 PM,{place},39.33,-76.67",
        f"A1,{good},{place},39.33,-76.67",                                                # 9 duplicate
        f"A8,TRT-Traffic Signal Repairs,Phone,04/12/2018 11:11:26 AM,Closed,04/11/2018 11:11:26 AM,"
        f"04/12/2018 12:00:00 PM,{place},39.3,-76.6",
        f"A9,{good},{place},,",                                                           # 11 no coordinates
    ]
    source = tmp_path / "bad.csv"
    source.write_text("\n".join([BALTIMORE_HEADER, *rows]) + "\n", encoding="utf-8")
    db = tmp_path / "bad.db"
    report = _import(source, SAMPLES / "baltimore.toml", db)
    assert report.created == 1
    got = [(int(r["line"]), r["source_id"], r["reason"].split(" (")[0].split(" '")[0]) for r in _rejects(db)]
    assert got == [
        (3, "A2", "bad received date"),
        (4, "A3", "missing received date"),
        (5, "A4", "closed before received"),
        (6, "A5", "coordinates outside the area"),
        (7, "A6", "coordinates swapped"),
        (8, "A7", "unknown category"),
        (9, "A1", "duplicate id"),
        (10, "A8", "due before received"),
        (11, "A9", "missing coordinates"),
    ]


def test_a_batch_that_fails_leaves_none_of_its_cases_and_the_others_land(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    original = store.CaseBuilder.case
    doomed: list[int] = []

    def case(self: store.CaseBuilder, batch: Any, cid: str, record: Any) -> Any:
        if record.line >= 1200 and not doomed:
            doomed.append(record.line)  # a row in the middle of the file fails whenever it is written
        if doomed and record.line == doomed[0]:
            raise RuntimeError("disk on fire")
        return original(self, batch, cid, record)

    monkeypatch.setattr(store.CaseBuilder, "case", case)
    monkeypatch.setattr(store, "BATCH_ROWS", 100)
    db = tmp_path / "b.db"
    report = _import(BALTIMORE, SAMPLES / "baltimore.toml", db)
    assert len(report.failed_batches) == 1 and "disk on fire" in report.failed_batches[0]
    good = 3000 - len(report.rejects)
    stored = _count(db, "SELECT count(*) FROM cases")
    assert 0 < good - stored <= 100  # the failed batch, whole
    assert _count(db, "SELECT count(*) FROM events WHERE type = 'case.created'") == stored
    monkeypatch.setattr(store.CaseBuilder, "case", original)
    again = _import(BALTIMORE, SAMPLES / "baltimore.toml", db)  # the rest comes in on a second run
    assert again.created == good - stored and not again.failed_batches


def test_an_imported_centre_is_what_a_console_gets_from_the_hub(tmp_path: Path) -> None:
    db = tmp_path / "nyc.db"
    report = _import(NYC, SAMPLES / "nyc.toml", db)
    assert report.created > 600

    async def scenario() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False) as hub:
            client, _ = await greet(hub, with_map=True)
            geography = await client.recv()
            assert geography["type"] == "geography"
            assert geography["district_name"] == "New York City"
            assert any(s["name"] == "12 MANHATTAN" for s in geography["streets"])
            frames = await client.recv_until(lambda f: f["type"] == "snapshot.end")
            cases = [c for f in frames if f["type"] == "snapshot.chunk" for c in f["items"]]
            assert len(cases) == report.created
            nypd = [c for c in cases if c["unit_name"] == "New York City Police Department"]
            assert nypd and all(c["serial"].startswith("NYC2019-") for c in nypd)
            assert all(-74.26 <= c["lon"] <= -73.70 for c in cases)
            await client.ws.close()

    asyncio.run(scenario())


def test_open311_json_exported_by_one_hub_imports_into_another(tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    report = _import(BALTIMORE, SAMPLES / "baltimore.toml", first)
    exported = tmp_path / "requests.json"
    subprocess.run([sys.executable, "-m", "hub", "export", "cases", str(exported), "--format", "open311",
                    "--db", str(first)], check=True, capture_output=True)
    mapping = tmp_path / "open311.toml"
    codes = sorted({line.split(" = ")[1] for line in (SAMPLES / "baltimore.toml").read_text().splitlines()
                    if line.startswith('"') and " = \"0" in line})
    mapping.write_text("\n".join([
        '[source]', 'format = "open311"', 'category = "service_code"', 'street = "x_cc_street"',
        '[centre]', 'code = "BAL"', 'name = "Baltimore City"', 'area = [-76.72, 39.19, -76.52, 39.38]',
        '[statuses]', 'open = "dispatched"', 'closed = "closed"',
        '[categories]', *[f'{c} = {c}' for c in codes],
    ]) + "\n", encoding="utf-8")
    second = tmp_path / "second.db"
    again = _import(exported, mapping, second)
    assert again.created == report.created - 5  # the five never dispatched have no agency
    assert {r.reason for r in again.rejects} == {"missing agency"}
