"""`python -m hub export`: the KPIs of an imported file match a recount written here, unit by unit, in plain
Python over the source CSV (docs/data-import.md defines each KPI); cases go out as CSV and Open311 JSON."""

from __future__ import annotations

import asyncio
import csv
import json
import statistics
import subprocess
import sys
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hub.importing.cli import run_import
from resources import __file__ as resources_init

DATA = Path(resources_init).parent / "data"
SAMPLES = DATA / "service_requests"
BALTIMORE = SAMPLES / "baltimore_311_sample.csv"
ZONE = ZoneInfo("America/New_York")


def _export(db: Path, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "hub", "export", *args, "--db", str(db)], check=True,
                          capture_output=True, text=True)
    return done.stdout


def _when(text: str) -> datetime:
    return datetime.strptime(text, "%m/%d/%Y %I:%M:%S %p").replace(tzinfo=ZONE).astimezone(UTC)


def _recount(rejected: set[int]) -> dict[str, dict[str, object]]:
    """Per agency (by name): the KPIs as docs/data-import.md defines them, from the CSV alone."""
    mapping = tomllib.loads((SAMPLES / "baltimore.toml").read_text(encoding="utf-8"))
    with (DATA / "categories.csv").open(encoding="utf-8") as handle:
        limit = {row["code"]: float(row["overall_limit_hours"]) for row in csv.DictReader(handle)}
    units: dict[str, dict[str, list[object]]] = {}
    with BALTIMORE.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if line in rejected:
                continue
            step = mapping["statuses"][row["SRStatus"]]
            if step == "merged":
                continue  # duplicates are not counted
            name = row["Agency"] if step != "received" else "(not dispatched)"
            unit = units.setdefault(name, {"received": [], "on_time": [], "hours": []})
            unit["received"].append(1)
            if step != "closed":
                continue
            received, closed = _when(row["CreatedDate"]), _when(row["CloseDate"])
            due = (_when(row["DueDate"]) if row["DueDate"]
                   else received + timedelta(hours=limit[mapping["categories"][row["SRType"]]]))
            unit["on_time"].append(closed <= due)
            unit["hours"].append((closed - received).total_seconds() / 3600)
    result: dict[str, dict[str, object]] = {}
    for name, unit in units.items():
        hours = [float(h) for h in unit["hours"]]  # type: ignore[arg-type]
        on_time = sum(1 for x in unit["on_time"] if x)
        result[name] = {
            "received": len(unit["received"]), "closed": len(hours), "closed_on_time": on_time,
            "closure_rate": f"{len(hours) / len(unit['received']):.4f}",
            "on_time_closure_rate": f"{on_time / len(hours):.4f}" if hours else "",
            "median_handling_hours": f"{statistics.median(hours):.2f}" if hours else "",
            "mean_handling_hours": f"{sum(hours) / len(hours):.2f}" if hours else "",
        }
    return result


def test_kpis_per_unit_match_a_recount_of_the_csv_unit_by_unit(tmp_path: Path) -> None:
    db = tmp_path / "baltimore.db"
    rejects = tmp_path / "rejects.csv"
    asyncio.run(run_import(BALTIMORE, SAMPLES / "baltimore.toml", f"sqlite:///{db}", rejects, show_progress=False))
    with rejects.open(encoding="utf-8", newline="") as handle:
        rejected = {int(r["line"]) for r in csv.DictReader(handle)}
    out = tmp_path / "kpis.csv"
    assert "exported the KPIs of" in _export(db, "kpis", str(out))
    with out.open(encoding="utf-8", newline="") as handle:
        exported = {row["name"]: row for row in csv.DictReader(handle)}
    expected = _recount(rejected)
    assert set(exported) == set(expected)
    for name, want in expected.items():
        got = exported[name]
        for column, value in want.items():
            assert got[column] == str(value), (name, column, got[column], value)
        assert got["returns"] == "0" and got["rated"] == "0" and got["satisfaction_rate"] == ""


def test_kpis_per_category_add_up_to_the_units_and_cases_go_out_as_csv_and_open311(tmp_path: Path) -> None:
    db = tmp_path / "baltimore.db"
    asyncio.run(run_import(BALTIMORE, SAMPLES / "baltimore.toml", f"sqlite:///{db}", tmp_path / "r.csv",
                           show_progress=False))
    _export(db, "kpis", str(tmp_path / "units.csv"))
    _export(db, "kpis", str(tmp_path / "categories.csv"), "--by", "category")
    totals = []
    for name in ("units.csv", "categories.csv"):
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        totals.append((sum(int(r["received"]) for r in rows), sum(int(r["closed"]) for r in rows)))
    assert totals[0] == totals[1]
    _export(db, "cases", str(tmp_path / "cases.csv"))
    with (tmp_path / "cases.csv").open(encoding="utf-8", newline="") as handle:
        cases = list(csv.DictReader(handle))
    _export(db, "cases", str(tmp_path / "cases.json"), "--format", "open311")
    requests = json.loads((tmp_path / "cases.json").read_text(encoding="utf-8"))
    assert len(cases) == len(requests) > 1000
    first = requests[0]
    assert set(first) >= {"service_request_id", "status", "service_name", "service_code", "description",
                          "agency_responsible", "requested_datetime", "updated_datetime", "expected_datetime",
                          "address", "lat", "long"}
    assert first["status"] in ("open", "closed") and first["service_request_id"].startswith("BAL")
    assert {c["serial"] for c in cases} == {r["service_request_id"] for r in requests}
