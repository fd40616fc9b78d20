"""`python -m hub import FILE --mapping MAP.toml [--db URL]`: a source file into the hub's log.

1. Every row is read and checked (a progress bar on a terminal); each bad row goes to the reject
   file (`FILE.rejects.csv` unless `--rejects` says otherwise) as `line,source_id,reason`.
2. For a centre of its own, the centre is built from the good rows and kept in the database
   (hub/importing/centre.py); Minhang's organisation is the shipped one.
3. The good rows are written through the hub's writer in batches (hub/importing/store.py).

Like `python -m hub units import`, it opens the database itself: on SQLite stop the hub serving
the file first (one hub owns a SQLite file); on PostgreSQL a running hub takes the cases at once.
"""

from __future__ import annotations

import asyncio
import csv
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from hub.core import Hub
from hub.db import database
from hub.directory import Directory
from hub.engine.batch import Outcome
from hub.errors import HubError
from hub.importing import centre as centres
from hub.importing.mapping import MappingError, load_mapping
from hub.importing.rows import Checker, Record, Reject, SourceError, read_raw
from hub.importing.store import CaseBuilder, batches
from hub.writer import Job


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    failed_batches: list[str] = field(default_factory=list)
    rejects_file: Path | None = None

    def reasons(self) -> Counter[str]:
        """Reject reasons without their particulars ("unknown category 'X'" → "unknown category")."""
        return Counter(_kind(r.reason) for r in self.rejects)


def _kind(reason: str) -> str:
    for cut in (" '", " (", " \""):
        if cut in reason:
            reason = reason.split(cut, 1)[0]
    return reason


def _progress(show: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    disable=not show, transient=True)


def check_rows(path: Path, checker: Checker, show: bool) -> tuple[list[Record], list[Reject], int]:
    records: list[Record] = []
    rejects: list[Reject] = []
    rows = 0
    total = path.read_bytes().count(b"\n") if checker.m.format == "csv" else None
    with _progress(show) as bar:
        task = bar.add_task(f"checking {path.name}", total=total)
        for line, raw in read_raw(path, checker.m):
            rows += 1
            result = checker.check(line, raw)
            if isinstance(result, Record):
                records.append(result)
            else:
                rejects.append(result)
            if rows % 1000 == 0:
                bar.update(task, completed=line)
    return records, rejects, rows


def write_rejects(path: Path, rejects: list[Reject]) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "source_id", "reason"])
            for r in rejects:
                writer.writerow([r.line, r.source_id, r.reason])
    except OSError as exc:
        raise HubError(f"--rejects: cannot write {path} ({exc.strerror})") from None


async def run_import(file: Path, mapping_file: Path, db: str, rejects_file: Path | None = None,
                     show_progress: bool | None = None, centre_only: bool = False) -> ImportReport:
    show = sys.stderr.isatty() if show_progress is None else show_progress
    try:
        mapping = load_mapping(mapping_file, set(Directory.load().categories))
    except MappingError as exc:
        raise HubError(str(exc)) from None
    if not file.exists():
        raise HubError(f"{file}: file not found")
    engine = database.open_engine(db)
    database.prepare(engine)
    report = ImportReport(rejects_file=rejects_file or file.with_name(file.name + ".rejects.csv"))
    now = datetime.now(UTC)
    hub: Hub | None = None
    try:
        if mapping.own_centre:
            existing = centres.read(engine)
            if existing is not None and existing.code != mapping.centre_code:
                raise HubError(f"{db} serves the centre {existing.code} ({existing.name}), "
                               f"not {mapping.centre_code}: import into another database")
            checker = Checker(mapping, now)
        else:
            if centres.read(engine) is not None:
                raise HubError(f"{db} serves an imported centre, not Minhang: import into another database")
            hub = Hub(db)
            checker = Checker(mapping, now, agencies=set(hub.org.units), inside=hub.directory.contains)
        try:
            records, report.rejects, report.rows = check_rows(file, checker, show)
        except SourceError as exc:
            raise HubError(str(exc)) from None
        assert report.rejects_file is not None
        write_rejects(report.rejects_file, report.rejects)
        if mapping.own_centre:
            centre = centres.build(mapping, records, existing)
            centres.save(engine, centre)
            hub = Hub(db)
            builder = CaseBuilder(
                hub.directory, centre.code, mapping.zone, file.name,
                unit_of=lambda r: (centre.agency_units[r.agency], centre.units[centre.agency_units[r.agency]]),
                street_of=lambda r: _street(centre, r.street))
        else:
            assert hub is not None
            chart, directory = hub.org, hub.directory
            builder = CaseBuilder(
                directory, mapping.centre_code, mapping.zone, file.name,
                unit_of=lambda r: (r.agency, chart.unit_name(r.agency) or r.agency),
                street_of=lambda r: directory.street_of(r.lon, r.lat).code, own_centre=False)
        engine.dispose()
        if centre_only:
            return report
        assert hub is not None
        await hub.open()
        await _write(hub, builder, records, report, show)
    finally:
        if hub is not None and hub._writer is not None:
            await hub.close()
        engine.dispose()
    return report


def _street(centre: centres.CentreData, name: str) -> str:
    code = centre.street_code(name[:60])
    assert code is not None, name
    return code


async def _write(hub: Hub, builder: CaseBuilder, records: list[Record], report: ImportReport, show: bool) -> None:
    chunks = batches(records)
    with _progress(show) as bar:
        task = bar.add_task("writing cases", total=len(records))
        pending: list[tuple[int, int, asyncio.Future[tuple[bytes, Outcome]]]] = []

        async def settle(first: int, size: int, waiting: asyncio.Future[tuple[bytes, Outcome]]) -> None:
            _, outcome = await waiting
            if outcome.ok:
                report.created += int((outcome.result or {}).get("created", 0))
                report.unchanged += int((outcome.result or {}).get("unchanged", 0))
            else:
                message = outcome.error.message if outcome.error else "failed"
                report.failed_batches.append(f"rows from line {first}: {message}")
            bar.advance(task, size)

        for chunk in chunks:
            job = Job(run=builder.job(chunk), name="case.import")
            pending.append((chunk[0].line, len(chunk), asyncio.ensure_future(hub.writer.submit(job))))
            if len(pending) >= 8:
                await settle(*pending.pop(0))
        for first, size, waiting in pending:
            await settle(first, size, waiting)


def print_report(report: ImportReport, file: Path) -> None:
    print(f"{file.name}: {report.rows} rows, {report.created} cases imported, "
          f"{report.unchanged} already imported, {len(report.rejects)} rejected")
    for reason, count in report.reasons().most_common():
        print(f"  rejected {count:6d}  {reason}")
    if report.rejects:
        print(f"rejected rows with their line and reason: {report.rejects_file}")
    for failure in report.failed_batches:
        print(f"  batch not written (nothing of it stored): {failure}")
