"""Checked records into the hub's log: one `case.created` per case, through the writer, per batch.

Each batch is one job of the writer, so its cases, their `seq`, the serial counters and the units'
statistics are written in one transaction or not at all; a case is written whole (its history up
to where the source leaves it) in one event, never half. A case's id is drawn from the centre and
the source id, so a row imported before is found and left as it is: re-importing changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

import msgspec

from hub.directory import Directory
from hub.engine.batch import Batch, Outcome
from hub.engine.timers import level_at, overall_timer
from hub.importing.rows import Record
from protocol import OPEN_STATUSES, Basis, Case, CaseCreated, CaseStatus, SlaLevel, Timer, Trace, UnitStats
from protocol.events import KnownEvent

ACTOR = "import"
"""The account name an imported step is traced to."""
BATCH_ROWS = 1000
"""Rows per job (one transaction at most; the writer may put several jobs in one)."""

_STATUS = {"received": CaseStatus.RECEIVED, "dispatched": CaseStatus.DISPATCHED, "closed": CaseStatus.CLOSED,
           "merged": CaseStatus.MERGED}


def case_id(centre: str, source_id: str) -> str:
    """The hub's id of an imported case: the same for the same centre and source id, every time."""
    return "i" + hashlib.sha1(f"{centre}:{source_id}".encode()).hexdigest()[:15]


class CaseBuilder:
    """Makes the hub's `Case` of a record (run inside the writer's transaction)."""

    def __init__(self, directory: Directory, centre: str, zone: ZoneInfo, file_name: str,
                 unit_of: Callable[[Record], tuple[str, str]], street_of: Callable[[Record], str],
                 own_centre: bool = True) -> None:
        self.directory = directory
        self.own_centre = own_centre
        self.centre = centre
        self.zone = zone
        self.file_name = file_name
        self.unit_of = unit_of
        """Record → (unit id, unit name) of its agency."""
        self.street_of = street_of
        """Record → the hub's street code."""

    def job(self, records: Sequence[Record]) -> Callable[[Batch], Outcome]:
        return lambda batch: self.write(batch, records)

    def write(self, batch: Batch, records: Sequence[Record]) -> Outcome:
        events: list[KnownEvent] = []
        unchanged = 0
        for record in records:
            cid = case_id(self.centre, record.source_id)
            if batch.case(cid) is not None:
                unchanged += 1
                continue
            case = self.case(batch, cid, record)
            batch.put(case)
            events.append(CaseCreated(seq=batch.take_seq(), ts=batch.now, data=case))
            self._account(batch, case, record)
        return Outcome(result={"created": len(events), "unchanged": unchanged}, events=events)

    def case(self, batch: Batch, cid: str, r: Record) -> Case:
        category = self.directory.categories[r.category_code]
        street = self.directory.streets[self.street_of(r)]
        if r.due is not None:
            span = r.due - r.received
            yellow, orange = category.thresholds
            overall = Timer(started_at=r.received, due_at=r.due, yellow_at=r.received + span * yellow,
                            orange_at=r.received + span * orange)
        else:
            # The hub's working calendar is China's: a centre of its own counts the limit in calendar hours.
            overall = overall_timer(r.received, category.overall_limit_hours,
                                    category.working_time and not self.own_centre, thresholds=category.thresholds)
        status = _STATUS[r.status]
        unit_id, unit_name = self.unit_of(r)
        note = f"{self.file_name} line {r.line}, source id {r.source_id}"
        history: list[Trace] = []
        owner = status is not CaseStatus.RECEIVED
        if owner:
            history.append(Trace(at=r.dispatched or r.received, actor=ACTOR, action="dispatch",
                                 status=CaseStatus.DISPATCHED, unit_id=unit_id, note=f"imported: {note}"))
        if r.closed is not None:
            action = "merge" if status is CaseStatus.MERGED else "verify"
            history.append(Trace(at=r.closed, actor=ACTOR, action=action, status=status, unit_id=unit_id,
                                 note=f"closed at the source: {note}"))
        level = level_at(overall, r.closed or batch.now)
        year = r.received.astimezone(self.zone).year
        number = batch.bump_counter(f"serial:{self.centre}:{year}")
        return Case(
            id=cid, serial=f"{self.centre}{year}-{number:06d}", version=1 + len(history), status=status,
            received_at=r.received, updated_at=history[-1].at if history else r.received, channel=r.channel,
            category_code=category.code, category_zh=category.name_zh, category_en=category.name_en,
            street_code=street.code, street_name=street.name, address=r.address or street.name,
            description=r.description, lon=r.lon, lat=r.lat,
            unit_id=unit_id if owner else None, unit_name=unit_name if owner else None,
            basis=Basis.DESIGNATION if owner else None, level=level, overall=overall,
            satisfied=r.satisfied, history=tuple(history),
        )

    def _account(self, batch: Batch, case: Case, r: Record) -> None:
        """The units' statistics as the loop's own steps would have counted them (hub/engine/stats.py)."""
        if case.unit_id is None:
            return
        deltas = {"received": 1}
        if case.status is CaseStatus.CLOSED and r.closed is not None:
            deltas["closed"] = 1
            deltas["closed_on_time"] = int(case.overall is None or r.closed <= case.overall.due_at)
        if case.satisfied is not None:
            deltas["rated"] = 1
            deltas["satisfied"] = int(case.satisfied)
        if case.status in OPEN_STATUSES and case.level is SlaLevel.RED:
            deltas["overdue_now"] = 1
        current = batch.stats_changed.get(case.unit_id) or batch.stats.get(case.unit_id) or UnitStats(
            unit_id=case.unit_id, unit_name=case.unit_name or case.unit_id)
        batch.stats_changed[case.unit_id] = msgspec.structs.replace(
            current, **{name: getattr(current, name) + delta for name, delta in deltas.items()})


def batches(records: Sequence[Record], size: int | None = None) -> list[Sequence[Record]]:
    size = size or BATCH_ROWS
    return [records[start:start + size] for start in range(0, len(records), size)]
