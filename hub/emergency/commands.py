"""The joint response's commands: declare, change level, close, plan tasks, directives and receipts,
lead and co-units, units sitting in at the centre, and resources.

Each runs inside the writer's transaction like a case command and answers with events; the
book takes them after the commit. A unit's desk (an account with a unit) acts for its own unit
or a unit under it; the centre's accounts act on a unit's behalf by naming it.
"""

from __future__ import annotations

from datetime import timedelta

import msgspec

from hub.emergency.book import EmergencyBook, receipt_key
from hub.emergency.plans import PlanBook, expand, unassigned
from hub.engine.batch import Batch, Outcome
from hub.engine.cases import CENTRE_ZONE
from hub.engine.loop import Refusal
from hub.engine.timers import overall_timer
from hub.org.chart import OrgChart
from protocol import (
    EMERGENCY_LEVEL_ORDER,
    Directive,
    DirectiveAckArgs,
    DirectiveChanged,
    DirectiveIssueArgs,
    DirectiveRemindArgs,
    DirectiveReport,
    DirectiveReportArgs,
    Emergency,
    EmergencyAssignArgs,
    EmergencyChanged,
    EmergencyCheckInArgs,
    EmergencyCheckOutArgs,
    EmergencyCloseArgs,
    EmergencyDeclareArgs,
    EmergencyLevelArgs,
    EmergencyStatus,
    EmergencyStep,
    EmergencyTask,
    ErrorCode,
    Receipt,
    ReceiptChanged,
    Resource,
    ResourceChanged,
    ResourceSetArgs,
    Role,
    SitIn,
    TaskChanged,
    TaskStatus,
    TaskUpdateArgs,
    UnitKind,
)
from protocol.events import KnownEvent

ALL_UNITS_KINDS = frozenset({UnitKind.BUREAU, UnitKind.MEMBER, UnitKind.STREET_CENTRE, UnitKind.POLICE})
"""Who "all units" means in a directive: the bureaus, member units, street centres and police."""
REPORTS_KEPT = 20
_TASK_ORDER = (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)

replace = msgspec.structs.replace


class EmergencyCommands:
    def __init__(self, book: EmergencyBook, org: OrgChart, plans: PlanBook) -> None:
        self.book, self.org, self.plans = book, org, plans

    # --- emergencies -------------------------------------------------------------------

    def declare(self, batch: Batch, args: EmergencyDeclareArgs, actor: str) -> Outcome:
        unknown_streets = [c for c in args.area.street_codes if c not in self.org.directory.streets]
        unknown_grids = [g for g in args.area.grid_ids if g not in self.org.grids]
        if unknown_streets or unknown_grids:
            raise Refusal(ErrorCode.INVALID_ARGS, f"no such street {unknown_streets[0]!r}" if unknown_streets
                          else f"no such grid {unknown_grids[0]!r}")
        if args.area.polygon and len(args.area.polygon) < 3:
            raise Refusal(ErrorCode.INVALID_ARGS, "an area polygon needs at least 3 points")
        year = batch.now.astimezone(CENTRE_ZONE).year  # the centre's year, as case serials count
        number = batch.bump_counter(f"emergency:{year}")
        serial = f"EM{year}-{number:04d}"
        emergency = Emergency(
            id=serial, serial=serial, type=args.type, level=args.level, title=args.title,
            status=EmergencyStatus.ACTIVE, declared_by=actor, declared_at=batch.now, updated_at=batch.now,
            area=args.area, exercise=args.exercise,
            history=[EmergencyStep(at=batch.now, actor=actor, action="declare", level=args.level, note=args.note)],
        )
        events: list[KnownEvent] = []
        result: dict[str, object] = {"id": emergency.id, "serial": serial, "tasks": 0, "plan_id": None}
        if args.activate_plan:
            emergency, task_events, result = self._activate(batch, emergency, actor, result)
            events += task_events
        self.book.put(batch, emergency.id, emergency)
        events.insert(0, EmergencyChanged(seq=0, ts=batch.now, data=emergency))
        return Outcome(result=result, events=_numbered(batch, events))

    def set_level(self, batch: Batch, args: EmergencyLevelArgs, actor: str) -> Outcome:
        emergency = self._active(batch, args.id)
        if args.level == emergency.level:
            raise Refusal(ErrorCode.INVALID_ARGS, f"{emergency.serial} is already at level {args.level.value}")
        up = EMERGENCY_LEVEL_ORDER.index(args.level) > EMERGENCY_LEVEL_ORDER.index(emergency.level)
        step = EmergencyStep(at=batch.now, actor=actor, action="escalate" if up else "deescalate", level=args.level,
                             note=args.reason)
        emergency = replace(emergency, level=args.level, updated_at=batch.now, history=[*emergency.history, step])
        events: list[KnownEvent] = []
        result: dict[str, object] = {"id": emergency.id, "tasks": 0, "plan_id": None}
        if up:  # a higher level's plan: new tasks, and earlier deadlines for tasks not yet done
            emergency, events, result = self._activate(batch, emergency, actor, result)
        self.book.put(batch, emergency.id, emergency)
        events.insert(0, EmergencyChanged(seq=0, ts=batch.now, data=emergency))
        return Outcome(result=result, events=_numbered(batch, events))

    def close(self, batch: Batch, args: EmergencyCloseArgs, actor: str) -> Outcome:
        emergency = self._active(batch, args.id)
        step = EmergencyStep(at=batch.now, actor=actor, action="close", level=emergency.level, note=args.reason)
        sitting_in = [s if s.checked_out_at is not None else replace(s, checked_out_at=batch.now)
                      for s in emergency.sitting_in]  # closing checks out every unit still sitting in
        emergency = replace(emergency, status=EmergencyStatus.CLOSED, closed_at=batch.now, updated_at=batch.now,
                            history=[*emergency.history, step], sitting_in=sitting_in)
        self.book.put(batch, emergency.id, emergency)
        return Outcome(result={"id": emergency.id},
                       events=[EmergencyChanged(seq=batch.take_seq(), ts=batch.now, data=emergency)])

    # --- joint response: lead, co-units, units sitting in --------------------------------

    def assign(self, batch: Batch, args: EmergencyAssignArgs, actor: str) -> Outcome:
        emergency = self._active(batch, args.id)
        lead = args.lead_unit_id
        co_units = sorted(set(args.co_unit_ids))
        for unit_id in ([lead] if lead is not None else []) + co_units:
            self._unit_name(unit_id)
        if lead is not None and lead in co_units:
            raise Refusal(ErrorCode.INVALID_ARGS, f"the lead unit {lead} cannot also be a co-unit")
        note = args.note or f"lead {lead or '-'}; co-units {', '.join(co_units) or '-'}"
        step = EmergencyStep(at=batch.now, actor=actor, action="assign", level=emergency.level, note=note)
        emergency = replace(emergency, lead_unit_id=lead, co_unit_ids=co_units, updated_at=batch.now,
                            history=[*emergency.history, step])
        return self._changed(batch, emergency, {"id": emergency.id, "lead_unit_id": lead, "co_unit_ids": co_units})

    def check_in(self, batch: Batch, args: EmergencyCheckInArgs, actor: str, scope: str | None) -> Outcome:
        emergency = self._active(batch, args.id)
        unit_id = self._acting_for(args.unit_id, scope)
        name = self._unit_name(unit_id)
        if any(s.unit_id == unit_id and s.checked_out_at is None for s in emergency.sitting_in):
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"{unit_id} already sits in for {emergency.serial}")
        sit_in = SitIn(unit_id=unit_id, unit_name=name, checked_in_at=batch.now, checked_in_by=actor,
                       person=args.person)
        step = EmergencyStep(at=batch.now, actor=actor, action="check_in", level=emergency.level,
                             note=f"{unit_id} {args.person}".strip())
        emergency = replace(emergency, sitting_in=[*emergency.sitting_in, sit_in], updated_at=batch.now,
                            history=[*emergency.history, step])
        return self._changed(batch, emergency, {"id": emergency.id, "unit_id": unit_id})

    def check_out(self, batch: Batch, args: EmergencyCheckOutArgs, actor: str, scope: str | None) -> Outcome:
        emergency = self._active(batch, args.id)
        unit_id = self._acting_for(args.unit_id, scope)
        index = next((i for i, s in enumerate(emergency.sitting_in)
                      if s.unit_id == unit_id and s.checked_out_at is None), None)
        if index is None:
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"{unit_id} does not sit in for {emergency.serial}")
        sitting_in = list(emergency.sitting_in)
        sitting_in[index] = replace(sitting_in[index], checked_out_at=batch.now)
        step = EmergencyStep(at=batch.now, actor=actor, action="check_out", level=emergency.level, note=unit_id)
        emergency = replace(emergency, sitting_in=sitting_in, updated_at=batch.now, history=[*emergency.history, step])
        return self._changed(batch, emergency, {"id": emergency.id, "unit_id": unit_id})

    def _changed(self, batch: Batch, emergency: Emergency, result: dict[str, object]) -> Outcome:
        self.book.put(batch, emergency.id, emergency)
        return Outcome(result=result, events=[EmergencyChanged(seq=batch.take_seq(), ts=batch.now, data=emergency)])

    # --- resources ---------------------------------------------------------------------

    def set_resource(self, batch: Batch, args: ResourceSetArgs, actor: str, role: Role, scope: str | None) -> Outcome:
        emergency = self._active(batch, args.emergency_id)
        if (args.lon is None) != (args.lat is None):
            raise Refusal(ErrorCode.INVALID_ARGS, "give both lon and lat, or neither")
        unit_id = self._acting_for(args.unit_id, scope)
        if role is Role.DUTY and scope is None:
            raise Refusal(ErrorCode.FORBIDDEN, "a duty officer of the centre keeps no resources: a commander or "
                                               "the unit's desk does")
        name = self._unit_name(unit_id)
        held: Resource | None = None
        if args.id is not None:
            held = self.book.get(batch, Resource, args.id)
            if held is None:
                raise Refusal(ErrorCode.NOT_FOUND, f"no resource {args.id!r}")
            if held.emergency_id != emergency.id:
                raise Refusal(ErrorCode.INVALID_ARGS, f"{held.id} serves {held.emergency_id}, not {emergency.id}")
            self._may_act_for(held.unit_id, scope)
            resource_id = held.id
        else:
            year = batch.now.astimezone(CENTRE_ZONE).year
            resource_id = f"RS{year}-{batch.bump_counter(f'resource:{year}'):04d}"
        resource = Resource(
            id=resource_id, emergency_id=emergency.id, kind=args.kind, name=args.name, quantity=args.quantity,
            unit_id=unit_id, unit_name=name, status=args.status, updated_at=batch.now, by=actor, place=args.place,
            location=[args.lon, args.lat] if args.lon is not None and args.lat is not None else None, note=args.note,
        )
        self.book.put(batch, resource.id, resource)
        return Outcome(result={"id": resource.id, "created": held is None},
                       events=[ResourceChanged(seq=batch.take_seq(), ts=batch.now, data=resource)])

    def _acting_for(self, unit_id: str | None, scope: str | None) -> str:
        """The unit a command acts for: the one named, else the desk's own; a desk only for its subtree."""
        unit = unit_id or scope
        if unit is None:
            raise Refusal(ErrorCode.INVALID_ARGS, "name the unit (unit_id) you act for")
        self._may_act_for(unit, scope)
        return unit

    def _unit_name(self, unit_id: str) -> str:
        unit = self.org.units.get(unit_id)
        if unit is None or not unit.active:
            raise Refusal(ErrorCode.NOT_FOUND, f"no active unit {unit_id!r}")
        return unit.name

    def _active(self, batch: Batch, emergency_id: str) -> Emergency:
        emergency = self.book.get(batch, Emergency, emergency_id)
        if emergency is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no emergency {emergency_id!r}")
        if emergency.status is not EmergencyStatus.ACTIVE:
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"{emergency.serial} is closed")
        return emergency

    def _activate(self, batch: Batch, emergency: Emergency, actor: str,
                  result: dict[str, object]) -> tuple[Emergency, list[KnownEvent], dict[str, object]]:
        """Tasks of the plan for the emergency's type and level (none when no plan is kept for them)."""
        plan = self.plans.for_(emergency.type, emergency.level)
        if plan is None:
            return emergency, [], {**result, "note": f"no response plan for {emergency.type.value} "
                                                     f"level {emergency.level.value}"}
        units = list(self.org.units.values())
        events: list[KnownEvent] = []
        for task, unit_id in expand(plan, units):
            key = f"{emergency.id}/{task.id}/{unit_id}"
            timer = overall_timer(batch.now, task.within_min / 60, task.working_time)
            held = self.book.get(batch, EmergencyTask, key)
            if held is not None:
                if held.status is TaskStatus.DONE or held.timer.due_at <= timer.due_at:
                    continue
                record = replace(held, plan_id=plan.id, timer=timer, updated_at=batch.now, by=actor,
                                 title_en=task.title_en, title_zh=task.title_zh,
                                 report_fields=sorted({*held.report_fields, *task.report}))
            else:
                record = EmergencyTask(
                    id=key, emergency_id=emergency.id, plan_id=plan.id, task_key=task.id, unit_id=unit_id,
                    unit_name=self.org.unit_name(unit_id) or unit_id, title_en=task.title_en,
                    title_zh=task.title_zh, timer=timer, status=TaskStatus.ASSIGNED, updated_at=batch.now,
                    report_fields=list(task.report), by=actor,
                )
            self.book.put(batch, key, record)
            events.append(TaskChanged(seq=0, ts=batch.now, data=record))
        step = EmergencyStep(at=batch.now, actor=actor, action="activate", level=emergency.level,
                             note=f"{plan.id}: {len(events)} tasks")
        emergency = replace(emergency, plan_ids=[*emergency.plan_ids, plan.id], history=[*emergency.history, step])
        missed = [f"{u.task.id}: {u.reason}" for u in unassigned(plan, units)]
        return emergency, events, {**result, "tasks": len(events), "plan_id": plan.id, "unassigned": missed}

    # --- plan tasks --------------------------------------------------------------------

    def update_task(self, batch: Batch, args: TaskUpdateArgs, actor: str, scope: str | None) -> Outcome:
        task = self.book.get(batch, EmergencyTask, args.id)
        if task is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no task {args.id!r}")
        self._may_act_for(task.unit_id, scope)
        self._active(batch, task.emergency_id)
        if _TASK_ORDER.index(args.status) < _TASK_ORDER.index(task.status):
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"the task is {task.status.value}: it cannot go back to "
                                                   f"{args.status.value}")
        unknown = [name for name in args.numbers if name not in task.report_fields]
        if unknown:
            raise Refusal(ErrorCode.INVALID_ARGS, f"the task reports {', '.join(task.report_fields) or 'no numbers'}"
                                                  f", not {unknown[0]!r}")
        started = args.status is not TaskStatus.ASSIGNED
        task = replace(
            task, status=args.status, updated_at=batch.now, by=actor, numbers={**task.numbers, **args.numbers},
            note=args.note or task.note,
            acknowledged_at=task.acknowledged_at or (batch.now if started else None),
            done_at=task.done_at or (batch.now if args.status is TaskStatus.DONE else None),
        )
        self.book.put(batch, task.id, task)
        return Outcome(result={"id": task.id, "status": task.status.value},
                       events=[TaskChanged(seq=batch.take_seq(), ts=batch.now, data=task)])

    # --- directives --------------------------------------------------------------------

    def issue(self, batch: Batch, args: DirectiveIssueArgs, actor: str) -> Outcome:
        if args.emergency_id is not None:
            self._active(batch, args.emergency_id)
        active = {u.id: u for u in self.org.units.values() if u.active}
        if args.unit_ids:
            missing = [u for u in args.unit_ids if u not in active]
            if missing:
                raise Refusal(ErrorCode.NOT_FOUND, f"no active unit {missing[0]!r}")
            recipients = sorted(set(args.unit_ids))
        elif args.unit_kind is not None:
            recipients = sorted(u.id for u in active.values() if u.kind is args.unit_kind)
        else:
            recipients = sorted(u.id for u in active.values() if u.kind in ALL_UNITS_KINDS)
        if not recipients:
            raise Refusal(ErrorCode.INVALID_ARGS, "no active unit matches the recipients")
        year = batch.now.astimezone(CENTRE_ZONE).year
        serial = f"ZL{year}-{batch.bump_counter(f'directive:{year}'):04d}"
        directive = Directive(
            id=serial, serial=serial, text=args.text, issued_by=actor, issued_at=batch.now,
            ack_due_at=batch.now + timedelta(minutes=args.ack_within_min), recipients=recipients,
            emergency_id=args.emergency_id, report_every_h=args.report_every_h,
            report_fields=list(args.report_fields),
        )
        self.book.put(batch, directive.id, directive)
        events: list[KnownEvent] = [DirectiveChanged(seq=batch.take_seq(), ts=batch.now, data=directive)]
        for unit_id in recipients:
            receipt = Receipt(directive_id=directive.id, unit_id=unit_id, unit_name=active[unit_id].name)
            self.book.put(batch, receipt_key(directive.id, unit_id), receipt)
            events.append(ReceiptChanged(seq=batch.take_seq(), ts=batch.now, data=receipt))
        return Outcome(result={"id": directive.id, "recipients": len(recipients)}, events=events)

    def acknowledge(self, batch: Batch, args: DirectiveAckArgs, actor: str, scope: str | None) -> Outcome:
        directive, receipt = self._receipt(batch, args.id, args.unit_id, scope)
        if receipt.acknowledged_at is not None:
            return Outcome(result={"id": directive.id, "unit_id": receipt.unit_id, "already": True})
        receipt = self._acknowledged(batch, directive, receipt, actor)
        return Outcome(result={"id": directive.id, "unit_id": receipt.unit_id, "latency_s": receipt.latency_s},
                       events=[ReceiptChanged(seq=batch.take_seq(), ts=batch.now, data=receipt)])

    def report(self, batch: Batch, args: DirectiveReportArgs, actor: str, scope: str | None) -> Outcome:
        directive, receipt = self._receipt(batch, args.id, args.unit_id, scope)
        unknown = [name for name in args.numbers if name not in directive.report_fields]
        if unknown:
            raise Refusal(ErrorCode.INVALID_ARGS, f"the directive asks for "
                                                  f"{', '.join(directive.report_fields) or 'no numbers'}, "
                                                  f"not {unknown[0]!r}")
        if not args.numbers and not args.text.strip():
            raise Refusal(ErrorCode.INVALID_ARGS, "a report needs numbers or text")
        if receipt.acknowledged_at is None:
            receipt = self._acknowledged(batch, directive, receipt, actor)
        entry = DirectiveReport(at=batch.now, by=actor, numbers=dict(args.numbers), text=args.text)
        receipt = replace(receipt, reports=[*receipt.reports, entry][-REPORTS_KEPT:])
        self.book.put(batch, receipt_key(directive.id, receipt.unit_id), receipt)
        return Outcome(result={"id": directive.id, "unit_id": receipt.unit_id},
                       events=[ReceiptChanged(seq=batch.take_seq(), ts=batch.now, data=receipt)])

    def remind(self, batch: Batch, args: DirectiveRemindArgs) -> Outcome:
        directive = self.book.get(batch, Directive, args.id)
        if directive is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no directive {args.id!r}")
        missing = [r for r in self.book.receipts_of(batch, directive) if r.acknowledged_at is None]
        if not missing:
            return Outcome(result={"id": directive.id, "count": 0})
        directive = replace(directive, reminders=[*directive.reminders, batch.now])
        self.book.put(batch, directive.id, directive)
        events: list[KnownEvent] = [DirectiveChanged(seq=batch.take_seq(), ts=batch.now, data=directive)]
        for receipt in missing:
            receipt = replace(receipt, reminded=receipt.reminded + 1)
            self.book.put(batch, receipt_key(directive.id, receipt.unit_id), receipt)
            events.append(ReceiptChanged(seq=batch.take_seq(), ts=batch.now, data=receipt))
        return Outcome(result={"id": directive.id, "count": len(missing)}, events=events)

    def _receipt(self, batch: Batch, directive_id: str, unit_id: str | None,
                 scope: str | None) -> tuple[Directive, Receipt]:
        directive = self.book.get(batch, Directive, directive_id)
        if directive is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no directive {directive_id!r}")
        unit = unit_id or scope
        if unit is None:
            raise Refusal(ErrorCode.INVALID_ARGS, "name the unit (unit_id) you act for")
        self._may_act_for(unit, scope)
        receipt = self.book.get(batch, Receipt, receipt_key(directive.id, unit))
        if receipt is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"unit {unit!r} is not a recipient of {directive.serial}")
        return directive, receipt

    def _acknowledged(self, batch: Batch, directive: Directive, receipt: Receipt, actor: str) -> Receipt:
        latency = (batch.now - directive.issued_at).total_seconds()
        receipt = replace(receipt, acknowledged_at=batch.now, acknowledged_by=actor, latency_s=round(latency, 3))
        self.book.put(batch, receipt_key(directive.id, receipt.unit_id), receipt)
        return receipt

    def _may_act_for(self, unit_id: str, scope: str | None) -> None:
        if scope is not None and scope not in self.org.ancestry(unit_id):
            raise Refusal(ErrorCode.FORBIDDEN, f"this desk acts for {scope}, not for {unit_id}")


def _numbered(batch: Batch, events: list[KnownEvent]) -> list[KnownEvent]:
    """The events with their `seq`, taken in order now that they are all known."""
    return [replace(e, seq=batch.take_seq()) for e in events]
