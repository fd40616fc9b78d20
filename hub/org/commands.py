"""The organisation's commands: units (admins), the duty rota, shift handover, the audit log.

Each runs inside the writer's transaction like a case command. Changes become events
(`unit.changed`, `rota.changed`, `shift.handed_over`, `shift.handover_acknowledged`); the chart and
the handover book take them after the commit (hub/org/follow.py, hub/org/handovers.py), so a refused
or failed transaction changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import msgspec

from hub.analysis.queries import AnalysisQueries
from hub.engine.batch import Batch, Outcome
from hub.org.chart import OrgChart
from hub.org.handovers import HandoverCommands
from hub.org.intake import IntakeQueries
from hub.org.units_file import unit_of
from protocol import (
    OPEN_STATUSES,
    AnalysisHotspotsArgs,
    AnalysisRecurringArgs,
    AnalysisTrendsArgs,
    AuditReadArgs,
    Case,
    CaseCategoriesArgs,
    ErrorCode,
    GeoLocateArgs,
    OrgUnitsArgs,
    Role,
    RotaAssignArgs,
    RotaChanged,
    RotaDay,
    RouteSuggestArgs,
    ShiftHandoverAckArgs,
    ShiftHandoverArgs,
    Unit,
    UnitChanged,
    UnitRetireArgs,
    UnitUpsertArgs,
)
from protocol.events import KnownEvent

AuditReader = Callable[[Any, int, int | None], list[dict[str, object]]]
"""(connection, limit, before_id) → audit rows, newest first."""
AUDIT_RESULT_BYTES = 512 * 1024
"""Most argument bytes one `audit.read` answer carries (it must fit a frame); page with `before_id`."""


class OrgCommands:
    def __init__(self, chart: OrgChart, read_audit: AuditReader) -> None:
        self.chart = chart
        self.read_audit = read_audit
        self.handovers = HandoverCommands(chart)
        """The shift handover's commands and the latest handover of each desk (`handovers.book`)."""
        self.intake = IntakeQueries(chart)
        """The intake desk's queries (categories, the place of a point, the routing suggestion)."""
        self.analysis = AnalysisQueries(lambda: chart.grids.keys(), chart.in_scope)
        """Recurring problems, trends and hot spots (hub/analysis/)."""

    def categories(self, args: CaseCategoriesArgs) -> Outcome:
        return self.intake.categories(args)

    def locate(self, args: GeoLocateArgs) -> Outcome:
        return self.intake.locate(args)

    def suggest(self, args: RouteSuggestArgs) -> Outcome:
        return self.intake.suggest(args)

    def analyse(self, batch: Batch, args: AnalysisHotspotsArgs | AnalysisRecurringArgs | AnalysisTrendsArgs,
                scope: str | None = None) -> Outcome:
        if isinstance(args, AnalysisHotspotsArgs):
            return self.analysis.hotspots(batch, args, scope)
        if isinstance(args, AnalysisRecurringArgs):
            return self.analysis.recurring(batch, args, scope)
        return self.analysis.trends(batch, args, scope)

    def upsert(self, batch: Batch, args: UnitUpsertArgs) -> Outcome:
        return self.store(batch, [unit_of(args)])

    def store(self, batch: Batch, units: list[Unit]) -> Outcome:
        """Store units together (an import names parents in the same file): all or nothing."""
        pending = {u.id: u for u in units}
        for unit in units:
            problem = self.chart.problem_with(unit, pending)
            if problem is not None:
                return Outcome.refuse(ErrorCode.INVALID_ARGS, problem)
        changed = [u for u in units if self.chart.units.get(u.id) != u]
        events: list[KnownEvent] = [UnitChanged(seq=batch.take_seq(), ts=batch.now, data=u) for u in changed]
        return Outcome(result={"changed": len(changed), "unchanged": len(units) - len(changed)}, events=events)

    def retire(self, batch: Batch, args: UnitRetireArgs) -> Outcome:
        unit = self.chart.units.get(args.id)
        if unit is None or not unit.active:
            return Outcome.refuse(ErrorCode.NOT_FOUND, f"no active unit {args.id!r}")
        children = self.chart.children(args.id)
        if children:
            return Outcome.refuse(ErrorCode.ILLEGAL_STATE, f"unit {args.id} still has {len(children)} active units "
                                                           f"under it (e.g. {children[0]}): retire or move them first")
        owning = sum(1 for c in _merged(batch).values() if c.unit_id == args.id and c.status in OPEN_STATUSES)
        if owning:
            return Outcome.refuse(ErrorCode.ILLEGAL_STATE,
                                  f"unit {args.id} owns {owning} open cases: dispatch them elsewhere first")
        retired = msgspec.structs.replace(unit, active=False)
        return Outcome(result={"retired": args.id},
                       events=[UnitChanged(seq=batch.take_seq(), ts=batch.now, data=retired)])

    def units(self, args: OrgUnitsArgs) -> Outcome:
        units = [u for u in self.chart.units.values() if u.active or args.include_retired]
        rota = sorted(self.chart.rota.values(), key=lambda d: d.date)[-31:]
        return Outcome(result={"units": msgspec.to_builtins(units), "rota": msgspec.to_builtins(rota)})

    def assign(self, batch: Batch, args: RotaAssignArgs) -> Outcome:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"{args.date!r} is not a date (YYYY-MM-DD)")
        if self.chart.unit_name(args.front_desk_unit_id) is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown unit {args.front_desk_unit_id!r}")
        day = RotaDay(date=args.date, front_desk_unit_id=args.front_desk_unit_id, staff=list(args.staff),
                      note=args.note)
        return Outcome(result={"date": args.date}, events=[RotaChanged(seq=batch.take_seq(), ts=batch.now, data=day)])

    def handover(self, batch: Batch, args: ShiftHandoverArgs, actor: str, scope: str | None = None) -> Outcome:
        return self.handovers.handover(batch, args, actor, scope)

    def handover_ack(self, batch: Batch, args: ShiftHandoverAckArgs, actor: str, role: Role,
                     scope: str | None = None) -> Outcome:
        return self.handovers.acknowledge(batch, args, actor, role, scope)

    def audit(self, batch: Batch, args: AuditReadArgs) -> Outcome:
        rows: list[dict[str, object]] = []
        size, cut = 0, False
        for row in self.read_audit(batch.reader, args.limit, args.before_id):
            size += len(str(row["args"]))
            if rows and size > AUDIT_RESULT_BYTES:
                cut = True  # the rest would not fit one frame: the client pages on with `before_id`
                break
            rows.append(row)
        return Outcome(result={"rows": rows, "more": cut})


def _merged(batch: Batch) -> dict[str, Case]:
    return {**batch.cases, **batch.synced, **batch.changed}
