"""`python -m hub units import|export FILE`: the organisation in and out of a CSV file.

An import goes through the hub's writer as one admin job: every row is checked first, then all
are stored as `unit.changed` events in one transaction, or none is. It is audited as the
command `units.import` by the user `cli`. A hub serving the same database takes the change
at its next commit (on PostgreSQL at once, woken by NOTIFY).
"""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import msgspec

from hub.core import Hub
from hub.directory import DirectoryError
from hub.errors import HubError
from hub.org.units_file import OPTIONAL, REQUIRED, read_units
from hub.writer import Job


async def units_command(db: str, action: str, file: Path, include_retired: bool = False) -> int:
    units = []
    if action == "import":
        try:
            units = read_units(file)
        except DirectoryError as exc:
            raise HubError(str(exc)) from None
        if not units:
            raise HubError(f"{file}: no units in the file")
    hub = Hub(db)
    await hub.open()
    try:
        if action == "export":
            return _export(hub, file, include_retired)
        args = msgspec.json.encode({"file": file.name, "units": len(units)})
        job = Job(run=lambda batch: hub.org_commands.store(batch, units), name="units.import", user="cli",
                  command_id=uuid.uuid4().hex, role="admin", args=args)
        _, outcome = await hub.writer.submit(job)
    finally:
        await hub.close()
    if not outcome.ok:
        assert outcome.error is not None
        raise HubError(f"{file}: nothing imported: {outcome.error.message}")
    result = outcome.result or {}
    print(f"imported {file.name}: {result.get('changed', 0)} units added or changed, "
          f"{result.get('unchanged', 0)} already as in the file")
    return 0


def _export(hub: Hub, file: Path, include_retired: bool) -> int:
    units = sorted((u for u in hub.org.units.values() if u.active or include_retired), key=lambda u: u.id)
    try:
        with file.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(REQUIRED + OPTIONAL)
            for u in units:
                writer.writerow([u.id, u.name, u.kind.value, u.parent_id or "", u.street_code or "",
                                 u.committee_code or "", ";".join(u.workers)])
    except OSError as exc:
        raise HubError(f"{file}: cannot write ({exc.strerror})") from None
    print(f"exported {len(units)} units to {file}")
    return 0
