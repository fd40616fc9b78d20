"""311 import: 100,000 rows into SQLite with their rejects, against the target "100,000 rows <= 20 s".

    python bench/import_311.py [--rows 100000] [--baseline-rows 2000]

* rows: synthesised from the shipped Baltimore sample (resources/data/service_requests/): each
  row of the sample the mapping accepts is repeated with a new id, its dates moved by whole days
  and its point by up to ~50 m, to make 90 % of the file; the rest are real rejects (the sample's
  own unknown categories, the (39, -77) placeholder, missing coordinates), plus duplicate ids and
  rows closed before they were received. The file is written once, before timing.
* ours: `python -m hub import`'s path (`hub.importing.cli.run_import`): read and check every row,
  write the reject file, build and keep the centre, then the cases through the hub's writer in
  batches of 1,000 rows (`case.created` events with `seq`, the cases table, counters, unit
  statistics), on a new SQLite file, WAL and synchronous=FULL as the hub runs it. Timed end to
  end, hub start included.
* baseline (same run, same file, its first --baseline-rows good rows): the row-at-a-time path,
  one writer job awaited per case (one transaction and one fsync per case), as a client sending
  `case.create` one by one would get; its rate is extrapolated to --rows.
Prints a table and writes JSON to bench/results/import_311.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.core import Hub  # noqa: E402
from hub.db import database  # noqa: E402
from hub.directory import Directory  # noqa: E402
from hub.importing import centre as centres  # noqa: E402
from hub.importing.cli import run_import  # noqa: E402
from hub.importing.mapping import load_mapping  # noqa: E402
from hub.importing.rows import Checker, Record, read_raw  # noqa: E402
from hub.importing.store import CaseBuilder  # noqa: E402
from hub.writer import Job  # noqa: E402

SAMPLES = ROOT / "resources" / "data" / "service_requests"
SAMPLE = SAMPLES / "baltimore_311_sample.csv"
MAPPING = SAMPLES / "baltimore.toml"
TARGETS = {"rows_100k_s": 20.0}
FORMAT = "%m/%d/%Y %I:%M:%S %p"


def figure(value: float | None, target: float, unit: str, **extra: Any) -> dict[str, Any]:
    return {"value": value, "target": target, "unit": unit, "met": None if value is None else value <= target,
            **extra}


def synthesise(path: Path, rows: int, seed: int = 1) -> dict[str, int]:
    """A file of `rows` rows made from the sample; returns how many of each kind were written."""
    mapping = load_mapping(MAPPING, set(Directory.load().categories))
    checker = Checker(mapping, datetime.now(UTC))
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        sample = list(reader)
    good, bad = [], []
    for line, row in enumerate(sample, start=2):
        (good if isinstance(checker.check(line, row), Record) else bad).append(row)
    rng = random.Random(seed)
    kinds = {"good": 0, "rejected_from_sample": 0, "duplicate_id": 0, "closed_before_received": 0}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        for n in range(rows):
            pick = rng.random()
            if pick < 0.90:
                row = dict(rng.choice(good))
                shift = timedelta(days=rng.randint(-300, 0))
                for column in ("CreatedDate", "DueDate", "CloseDate"):
                    if row[column]:
                        row[column] = (datetime.strptime(row[column], FORMAT) + shift).strftime(FORMAT)
                row["Latitude"] = f"{float(row['Latitude']) + rng.uniform(-4e-4, 4e-4):.7f}"
                row["Longitude"] = f"{float(row['Longitude']) + rng.uniform(-4e-4, 4e-4):.7f}"
                kind = "good"
            elif pick < 0.99:
                row, kind = dict(rng.choice(bad)), "rejected_from_sample"
            elif pick < 0.995 and n > 0:
                row, kind = dict(rng.choice(good)), "duplicate_id"
                row["ServiceRequestNum"] = f"S{rng.randrange(n):07d}"
            else:
                row, kind = dict(rng.choice(good)), "closed_before_received"
                if row["CloseDate"]:
                    row["CreatedDate"], row["CloseDate"] = row["CloseDate"], row["CreatedDate"]
                    row["DueDate"] = ""
            if kind != "duplicate_id":
                row["ServiceRequestNum"] = f"S{n:07d}"
            kinds[kind] += 1
            writer.writerow(row)
    return kinds


async def ours(path: Path, folder: Path) -> tuple[float, Any]:
    db = folder / "ours.db"
    started = time.perf_counter()
    report = await run_import(path, MAPPING, f"sqlite:///{db}", folder / "ours.rejects.csv", show_progress=False)
    return time.perf_counter() - started, report


async def baseline(path: Path, folder: Path, rows: int) -> tuple[float, int]:
    """One job, one transaction, per case: the same cases, row at a time."""
    db = folder / "baseline.db"
    mapping = load_mapping(MAPPING, set(Directory.load().categories))
    checker = Checker(mapping, datetime.now(UTC))
    records = []
    for line, raw in read_raw(path, mapping):
        found = checker.check(line, raw)
        if isinstance(found, Record):
            records.append(found)
            if len(records) == rows:
                break
    engine = database.open_engine(f"sqlite:///{db}")
    database.prepare(engine)
    centre = centres.build(mapping, records, None)
    centres.save(engine, centre)
    engine.dispose()
    hub = Hub(f"sqlite:///{db}")
    agency = centre.agency_units
    builder = CaseBuilder(hub.directory, centre.code, mapping.zone, path.name,
                          unit_of=lambda r: (agency[r.agency], centre.units[agency[r.agency]]),
                          street_of=lambda r: centre.street_code(r.street) or "")
    await hub.open()
    try:
        started = time.perf_counter()
        for record in records:
            await hub.writer.submit(Job(run=builder.job([record]), name="case.import"))
        return time.perf_counter() - started, len(records)
    finally:
        await hub.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "import_311.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cc-bench-311-") as name:
        folder = Path(name)
        source = folder / "baltimore_synth.csv"
        kinds = synthesise(source, args.rows)
        seconds, report = asyncio.run(ours(source, folder))
        print(f"ours: {args.rows} rows in {seconds:.2f} s", flush=True)
        base_seconds, base_rows = asyncio.run(baseline(source, folder, args.baseline_rows))
    per_row = base_seconds / base_rows
    result = {
        "bench": "import_311",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "rows": args.rows,
        "file": kinds,
        "imported": report.created,
        "rejected": len(report.rejects),
        "reject_reasons": dict(report.reasons()),
        "figures": {
            "rows_100k_s": figure(round(seconds * 100_000 / args.rows, 2), TARGETS["rows_100k_s"], "s",
                                  measured_s=round(seconds, 2), rows_per_s=round(args.rows / seconds)),
        },
        "baseline": {
            "what": "one writer job (one transaction, one fsync) per case, same cases",
            "rows": base_rows, "seconds": round(base_seconds, 2), "cases_per_s": round(base_rows / base_seconds),
            "extrapolated_100k_s": round(per_row * 100_000, 1),
        },
    }
    print(f"{'figure':<28}{'value':>12}{'target':>10}  met")
    fig = result["figures"]["rows_100k_s"]
    print(f"{'100,000 rows (s)':<28}{fig['value']:>12}{fig['target']:>10}  {fig['met']}")
    print(f"{'  rows/s':<28}{fig['rows_per_s']:>12}")
    print(f"{'  cases imported':<28}{report.created:>12}")
    print(f"{'  rows rejected':<28}{len(report.rejects):>12}")
    print(f"{'baseline: case/transaction':<28}{result['baseline']['cases_per_s']:>12} cases/s "
          f"(100,000 rows ≈ {result['baseline']['extrapolated_100k_s']} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written {args.out}")
    return 0 if fig["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
