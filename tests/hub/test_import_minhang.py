"""`python -m hub import` into Minhang itself (`[centre] code = "MH"`): the cases go to the shipped
organisation (each source agency to the unit `[agencies]` names, each point to its street), the
database keeps serving Minhang, rows with an agency or a point Minhang does not have are rejected with
their reason, a second import changes nothing, and the KPIs per unit count the imported cases."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from hub.db import database, log_store
from hub.directory import Directory
from hub.embedded import EmbeddedHub
from hub.errors import HubError
from hub.importing import centre as centres
from hub.importing.cli import run_import
from protocol import CaseStatus
from protocol.exports import kpis
from resources import __file__ as resources_init
from tests.hub.conftest import greet

SAMPLES = Path(resources_init).parent / "data" / "service_requests"
CSV = """id,type,agency,created,closed,status,lat,lon,address
MH-1,Manhole,Water,2025-03-03T09:00:00,2025-03-03T15:00:00,Closed,31.015,121.425,江川路 1 号
MH-2,Dirty road,Streets,2025-03-04T10:00:00,,Open,31.148,121.385,古美路 2 号
MH-3,Dirty road,Streets,2025-03-05T08:00:00,,New,31.188,121.318,新虹路 3 号
MH-4,Dirty road,Parks,2025-03-05T09:00:00,,Open,31.015,121.425,江川路 4 号
MH-5,Manhole,Ghost,2025-03-05T10:00:00,,Open,31.015,121.425,江川路 5 号
MH-6,Manhole,Water,2025-03-05T11:00:00,,Open,31.19993,121.45913,徐汇区某路 6 号
MH-7,Manhole,Water,2025-03-05T12:00:00,,Open,31.5,121.9,崇明某路 7 号
"""
MAPPING = """
[source]
format = "csv"
id = "id"
category = "type"
agency = "agency"
received = "created"
closed = "closed"
status = "status"
address = "address"
description = ["type", "address"]
lat = "lat"
lon = "lon"
date_format = "iso"
timezone = "Asia/Shanghai"

[centre]
code = "MH"
name = "Minhang"
area = [121.2, 30.9, 121.6, 31.3]

[agencies]
"Water" = "B-SW"
"Streets" = "B-CG"
"Ghost" = "B-NOPE"

[statuses]
"New" = "received"
"Open" = "dispatched"
"Closed" = "closed"

[categories]
"Manhole" = "01001"
"Dirty road" = "06012"
"""


def _files(folder: Path, mapping: str = MAPPING) -> tuple[Path, Path]:
    (folder / "minhang.csv").write_text(CSV, encoding="utf-8")
    (folder / "minhang.toml").write_text(mapping, encoding="utf-8")
    return folder / "minhang.csv", folder / "minhang.toml"


def _import(folder: Path, db: Path, mapping: str = MAPPING, **kwargs: Any) -> Any:
    source, mapping_file = _files(folder, mapping)
    return asyncio.run(run_import(source, mapping_file, f"sqlite:///{db}", folder / "rejects.csv",
                                  show_progress=False, **kwargs))


def test_an_import_into_minhang_uses_its_units_and_streets_and_rejects_what_it_lacks(tmp_path: Path) -> None:
    db = tmp_path / "minhang.db"
    report = _import(tmp_path, db)
    assert (report.rows, report.created) == (7, 3) and not report.failed_batches
    reasons = {r.source_id: r.reason for r in report.rejects}
    assert reasons == {
        "MH-4": "agency 'Parks' has no unit in [agencies]",
        "MH-5": "agency 'Ghost' has no unit in [agencies]",  # mapped to a unit Minhang does not have
        "MH-6": reasons["MH-6"], "MH-7": reasons["MH-7"],
    }
    assert reasons["MH-6"].startswith("coordinates outside the district")  # in the box, not in Minhang's outline
    assert reasons["MH-7"].startswith("coordinates outside the area")
    assert [r.line for r in report.rejects] == [5, 6, 7, 8]

    engine = database.open_engine(f"sqlite:///{db}")
    assert centres.read(engine) is None  # the database still serves Minhang: no centre of its own kept
    cases = sorted(log_store.load_state(engine).cases.values(), key=lambda c: c.received_at)
    engine.dispose()
    directory = Directory.load()
    assert [c.status for c in cases] == [CaseStatus.CLOSED, CaseStatus.DISPATCHED, CaseStatus.RECEIVED]
    assert [c.unit_id for c in cases] == ["B-SW", "B-CG", None]
    assert [c.unit_name for c in cases] == ["区水务局", "区城管执法局", None]
    assert [c.street_code for c in cases] == ["310112001", "310112006", "310112008"]
    assert [c.street_name for c in cases] == [directory.street_of(c.lon, c.lat).name for c in cases]
    assert all(c.serial.startswith("MH2025-") for c in cases)
    by_unit = {k.key: k for k in kpis(cases, "unit")}
    assert (by_unit["B-SW"].received, by_unit["B-SW"].closed, by_unit["B-SW"].hours) == (1, 1, [6.0])
    assert (by_unit["B-CG"].received, by_unit["B-CG"].closed) == (1, 0)
    assert by_unit[""].name == "(not dispatched)"

    again = _import(tmp_path, db)
    assert (again.created, again.unchanged) == (0, 3)

    async def served() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False) as hub:
            client, _ = await greet(hub, with_map=True)
            geography = await client.recv()
            assert geography["type"] == "geography" and geography["district_name"] == directory.district.name
            frames = await client.recv_until(lambda f: f["type"] == "snapshot.end")
            held = {c["serial"]: c for f in frames if f["type"] == "snapshot.chunk" for c in f["items"]}
            assert {c.serial for c in cases} <= set(held)
            assert held[cases[0].serial]["unit_name"] == "区水务局"
            await client.ws.close()

    asyncio.run(served())


def test_minhang_needs_its_agencies_and_a_database_of_its_own(tmp_path: Path) -> None:
    without = MAPPING.split("[agencies]")[0] + "[statuses]" + MAPPING.split("[statuses]")[1]
    with pytest.raises(HubError, match=r"needs \[agencies\]"):
        _import(tmp_path, tmp_path / "a.db", without)
    db = tmp_path / "baltimore.db"
    asyncio.run(run_import(SAMPLES / "baltimore_311_sample.csv", SAMPLES / "baltimore.toml", f"sqlite:///{db}",
                           tmp_path / "b.rejects.csv", show_progress=False, centre_only=True))
    with pytest.raises(HubError, match="serves an imported centre, not Minhang"):
        _import(tmp_path, db)
