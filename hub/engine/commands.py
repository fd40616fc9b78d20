"""From a validated command to the job that runs it inside the writer's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from hub.engine.alerts import acknowledge, shelve
from hub.engine.batch import Batch, Outcome
from hub.engine.cases import CaseEngine
from hub.engine.loop import CaseLoop, Refusal, refused
from hub.engine.photos import PhotoDesk
from hub.engine.supervision import pool, read_record, record
from protocol import (
    SUPERVISION_ROLES,
    AlertAckArgs,
    AlertShelveArgs,
    AnalysisHotspotsArgs,
    AnalysisRecurringArgs,
    AnalysisTrendsArgs,
    AuditReadArgs,
    CaseArbitrateArgs,
    CaseCallbackArgs,
    CaseCategoriesArgs,
    CaseCreateArgs,
    CaseDispatchArgs,
    CaseEscalateArgs,
    CaseExtensionDecideArgs,
    CaseExtensionRequestArgs,
    CaseFeedbackArgs,
    CaseMergeArgs,
    CasePauseArgs,
    CaseRegisterArgs,
    CaseRejectArgs,
    CaseResumeArgs,
    CaseReturnArgs,
    CaseSignArgs,
    CaseStartArgs,
    CaseSuperviseArgs,
    CaseTransferArgs,
    CaseVerifyArgs,
    DirectiveAckArgs,
    DirectiveIssueArgs,
    DirectiveRemindArgs,
    DirectiveReportArgs,
    EmergencyAssignArgs,
    EmergencyCheckInArgs,
    EmergencyCheckOutArgs,
    EmergencyCloseArgs,
    EmergencyDeclareArgs,
    EmergencyLevelArgs,
    ErrorCode,
    GeoLocateArgs,
    OrgUnitsArgs,
    ResourceSetArgs,
    Role,
    RotaAssignArgs,
    RouteSuggestArgs,
    ShiftHandoverAckArgs,
    ShiftHandoverArgs,
    SupervisionReadArgs,
    TaskUpdateArgs,
    UnitRetireArgs,
    UnitUpsertArgs,
    WarningConfirmArgs,
    WarningDismissArgs,
    WarningReceiveArgs,
)
from protocol.events import KnownEvent
from protocol.photos import PhotoGetArgs, PhotoStep, PhotoUploadArgs

Run = Callable[[Batch], Outcome]
EMERGENCY_ARGS = (EmergencyDeclareArgs, EmergencyLevelArgs, EmergencyCloseArgs, TaskUpdateArgs, DirectiveIssueArgs,
                  DirectiveAckArgs, DirectiveReportArgs, DirectiveRemindArgs, EmergencyAssignArgs, EmergencyCheckInArgs,
                  EmergencyCheckOutArgs, ResourceSetArgs)
WARNING_ARGS = (WarningReceiveArgs, WarningConfirmArgs, WarningDismissArgs)


class Caller:
    """Who sends a command: account name, role and, for a unit's desk, its unit."""

    def __init__(self, name: str, role: Role, scope: str | None = None) -> None:
        self.name, self.role, self.scope = name, role, scope


class OrgHandlers(Protocol):
    """The organisation's commands (hub/org/commands.py), kept behind this seam like `OrgPort`."""

    def upsert(self, batch: Batch, args: UnitUpsertArgs) -> Outcome: ...
    def retire(self, batch: Batch, args: UnitRetireArgs) -> Outcome: ...
    def units(self, args: OrgUnitsArgs) -> Outcome: ...
    def assign(self, batch: Batch, args: RotaAssignArgs) -> Outcome: ...
    def handover(self, batch: Batch, args: ShiftHandoverArgs, actor: str, scope: str | None = None) -> Outcome: ...
    def handover_ack(self, batch: Batch, args: ShiftHandoverAckArgs, actor: str, role: Role,
                     scope: str | None = None) -> Outcome: ...
    def audit(self, batch: Batch, args: AuditReadArgs) -> Outcome: ...
    def categories(self, args: CaseCategoriesArgs) -> Outcome: ...
    def locate(self, args: GeoLocateArgs) -> Outcome: ...
    def suggest(self, args: RouteSuggestArgs) -> Outcome: ...
    def analyse(self, batch: Batch, args: AnalysisHotspotsArgs | AnalysisRecurringArgs | AnalysisTrendsArgs,
                scope: str | None = None) -> Outcome: ...


class EmergencyHandlers(Protocol):
    """The joint response's commands (hub/emergency/commands.py), behind a seam like the organisation's."""

    def declare(self, batch: Batch, args: EmergencyDeclareArgs, actor: str) -> Outcome: ...
    def set_level(self, batch: Batch, args: EmergencyLevelArgs, actor: str) -> Outcome: ...
    def close(self, batch: Batch, args: EmergencyCloseArgs, actor: str) -> Outcome: ...
    def update_task(self, batch: Batch, args: TaskUpdateArgs, actor: str, scope: str | None) -> Outcome: ...
    def issue(self, batch: Batch, args: DirectiveIssueArgs, actor: str) -> Outcome: ...
    def acknowledge(self, batch: Batch, args: DirectiveAckArgs, actor: str, scope: str | None) -> Outcome: ...
    def report(self, batch: Batch, args: DirectiveReportArgs, actor: str, scope: str | None) -> Outcome: ...
    def remind(self, batch: Batch, args: DirectiveRemindArgs) -> Outcome: ...
    def assign(self, batch: Batch, args: EmergencyAssignArgs, actor: str) -> Outcome: ...
    def check_in(self, batch: Batch, args: EmergencyCheckInArgs, actor: str, scope: str | None) -> Outcome: ...
    def check_out(self, batch: Batch, args: EmergencyCheckOutArgs, actor: str, scope: str | None) -> Outcome: ...
    def set_resource(self, batch: Batch, args: ResourceSetArgs, actor: str, role: Role,
                     scope: str | None) -> Outcome: ...


class WarningHandlers(Protocol):
    """CAP warnings in (hub/emergency/warnings.py): receive, confirm (declares), dismiss."""

    def receive(self, batch: Batch, args: WarningReceiveArgs, actor: str) -> Outcome: ...
    def confirm(self, batch: Batch, args: WarningConfirmArgs, actor: str) -> Outcome: ...
    def dismiss(self, batch: Batch, args: WarningDismissArgs, actor: str) -> Outcome: ...


LOOP_STEPS = frozenset({
    CaseRegisterArgs, CaseRejectArgs, CaseMergeArgs, CaseDispatchArgs, CaseSignArgs, CaseReturnArgs, CaseArbitrateArgs,
    CaseStartArgs, CaseFeedbackArgs, CaseVerifyArgs, CaseCallbackArgs, CaseEscalateArgs, CaseTransferArgs,
    CasePauseArgs, CaseResumeArgs, CaseExtensionRequestArgs, CaseExtensionDecideArgs,
})
"""The arguments of the closed loop's steps (`CommandTable._step`): `job` sends them there without asking the
organisation's, the emergencies' and the warnings' tables first (~13 patterns and two tuples of types, ~3 us a
command on the loop)."""


class CommandTable:
    def __init__(self, cases: CaseEngine, loop: CaseLoop, org: OrgHandlers | None = None,
                 emergency: EmergencyHandlers | None = None, warnings: WarningHandlers | None = None,
                 photos: PhotoDesk | None = None) -> None:
        self.cases = cases
        self.loop = loop
        self.photos = photos or PhotoDesk(loop)
        self.org = org
        self.emergency = emergency
        self.warnings = warnings

    def job(self, name: str, args: Any, caller: Caller) -> Run:
        """The function the writer runs for this command (inside its transaction)."""
        kind = type(args)
        if kind is CaseCreateArgs:  # the most sent commands first: no other table below takes them
            return lambda batch: self.cases.create(batch, args, caller.name)
        if kind not in LOOP_STEPS:
            org_job = (self._org_job(args, caller) or self._emergency_job(args, caller)
                       or self._warning_job(args, caller))
            if org_job is not None:
                return org_job
        if isinstance(args, CaseCreateArgs):
            return lambda batch: self.cases.create(batch, args, caller.name)
        if isinstance(args, CaseSuperviseArgs):
            return lambda batch: refused(lambda: self._supervise(batch, args, caller))
        if isinstance(args, SupervisionReadArgs):
            scope, org = caller.scope, self.loop.org
            return lambda batch: read_record(batch, args, None if scope is None else lambda c: org.in_scope(scope, c))
        if isinstance(args, PhotoUploadArgs):
            return lambda batch: refused(lambda: self.photos.upload(batch, args, caller.name, caller.scope))
        if isinstance(args, PhotoGetArgs):
            return lambda batch: refused(lambda: self.photos.get(batch, args, caller.scope))
        if isinstance(args, AlertShelveArgs):
            return lambda batch: refused(lambda: shelve(batch, args, caller.name, caller.role, caller.scope))
        if isinstance(args, AlertAckArgs):
            return lambda batch: refused(
                lambda: acknowledge(batch, args, caller.name, caller.role, caller.scope, self.loop.org))
        action = name.removeprefix("case.")

        def run(batch: Batch) -> Outcome:
            def step() -> Outcome:
                case = self.loop.load(batch, args.id, args.version, action, caller.scope)
                return self._step(batch, case, args, caller.name)

            return refused(step)

        return run

    def _org_job(self, a: Any, caller: Caller) -> Run | None:
        org = self.org
        if org is None:
            if isinstance(a, UnitUpsertArgs | UnitRetireArgs | OrgUnitsArgs | RotaAssignArgs | ShiftHandoverArgs
                          | AuditReadArgs | CaseCategoriesArgs | GeoLocateArgs | RouteSuggestArgs
                          | AnalysisHotspotsArgs | AnalysisRecurringArgs | AnalysisTrendsArgs):
                return lambda batch: Outcome.refuse(ErrorCode.INTERNAL, "this hub runs without an organisation chart")
            return None
        match a:
            case UnitUpsertArgs():
                return lambda batch: org.upsert(batch, a)
            case UnitRetireArgs():
                return lambda batch: org.retire(batch, a)
            case OrgUnitsArgs():
                return lambda batch: org.units(a)
            case RotaAssignArgs():
                return lambda batch: org.assign(batch, a)
            case ShiftHandoverArgs():
                return lambda batch: org.handover(batch, a, caller.name, caller.scope)
            case ShiftHandoverAckArgs():
                return lambda batch: org.handover_ack(batch, a, caller.name, caller.role, caller.scope)
            case AuditReadArgs():
                return lambda batch: org.audit(batch, a)
            case CaseCategoriesArgs():
                return lambda batch: org.categories(a)
            case GeoLocateArgs():
                return lambda batch: org.locate(a)
            case RouteSuggestArgs():
                return lambda batch: org.suggest(a)
            case AnalysisHotspotsArgs() | AnalysisRecurringArgs() | AnalysisTrendsArgs():
                return lambda batch: org.analyse(batch, a, caller.scope)
        return None

    def _emergency_job(self, a: Any, caller: Caller) -> Run | None:
        handlers = self.emergency
        job: Callable[[Batch], Outcome]
        if not isinstance(a, EMERGENCY_ARGS):
            return None
        if handlers is None:
            return lambda batch: Outcome.refuse(ErrorCode.INTERNAL, "this hub runs without response plans")
        match a:
            case EmergencyDeclareArgs():
                job = lambda batch: handlers.declare(batch, a, caller.name)  # noqa: E731
            case EmergencyLevelArgs():
                job = lambda batch: handlers.set_level(batch, a, caller.name)  # noqa: E731
            case EmergencyCloseArgs():
                job = lambda batch: handlers.close(batch, a, caller.name)  # noqa: E731
            case TaskUpdateArgs():
                job = lambda batch: handlers.update_task(batch, a, caller.name, caller.scope)  # noqa: E731
            case DirectiveIssueArgs():
                job = lambda batch: handlers.issue(batch, a, caller.name)  # noqa: E731
            case DirectiveAckArgs():
                job = lambda batch: handlers.acknowledge(batch, a, caller.name, caller.scope)  # noqa: E731
            case DirectiveReportArgs():
                job = lambda batch: handlers.report(batch, a, caller.name, caller.scope)  # noqa: E731
            case EmergencyAssignArgs():
                job = lambda batch: handlers.assign(batch, a, caller.name)  # noqa: E731
            case EmergencyCheckInArgs():
                job = lambda batch: handlers.check_in(batch, a, caller.name, caller.scope)  # noqa: E731
            case EmergencyCheckOutArgs():
                job = lambda batch: handlers.check_out(batch, a, caller.name, caller.scope)  # noqa: E731
            case ResourceSetArgs():
                job = lambda batch: handlers.set_resource(batch, a, caller.name, caller.role, caller.scope)  # noqa: E731
            case _:
                job = lambda batch: handlers.remind(batch, a)  # noqa: E731
        return lambda batch: refused(lambda: job(batch))

    def _warning_job(self, a: Any, caller: Caller) -> Run | None:
        handlers = self.warnings
        job: Callable[[Batch], Outcome]
        if not isinstance(a, WARNING_ARGS):
            return None
        if handlers is None:
            return lambda batch: Outcome.refuse(ErrorCode.INTERNAL, "this hub runs without CAP warnings")
        match a:
            case WarningReceiveArgs():
                job = lambda batch: handlers.receive(batch, a, caller.name)  # noqa: E731
            case WarningConfirmArgs():
                job = lambda batch: handlers.confirm(batch, a, caller.name)  # noqa: E731
            case _:
                job = lambda batch: handlers.dismiss(batch, a, caller.name)  # noqa: E731
        return lambda batch: refused(lambda: job(batch))

    def _step(self, batch: Batch, case: Any, a: Any, actor: str) -> Outcome:
        loop = self.loop
        match a:
            case CaseRegisterArgs():
                return loop.register(batch, case, actor, a.note)
            case CaseRejectArgs():
                return loop.reject(batch, case, actor, a.reason)
            case CaseMergeArgs():
                return loop.merge(batch, case, actor, a.into, a.note)
            case CaseDispatchArgs():
                return loop.dispatch(batch, case, actor, a.unit_id, a.basis, list(a.co_unit_ids), a.note)
            case CaseSignArgs():
                return loop.sign(batch, case, actor, a.note)
            case CaseReturnArgs():
                return loop.return_(batch, case, actor, a.reason)
            case CaseArbitrateArgs():
                return loop.arbitrate(batch, case, actor, a.unit_id, a.note)
            case CaseStartArgs():
                return self.photos.step(batch, case, a.photo_ids, PhotoStep.BEFORE,
                                        lambda photos: loop.start(batch, case, actor, a.note, photos))
            case CaseFeedbackArgs():
                return self.photos.step(batch, case, a.photo_ids, PhotoStep.AFTER,
                                        lambda photos: loop.feedback(batch, case, actor, a.result, photos))
            case CaseVerifyArgs():
                return loop.verify(batch, case, actor, a.passed, a.note)
            case CaseCallbackArgs():
                return loop.callback(batch, case, actor, a.satisfied, a.note)
            case CaseEscalateArgs():
                return loop.escalate(batch, case, actor, a.reason)
            case CaseTransferArgs():
                return loop.transfer(batch, case, actor, a.reason)
            case CasePauseArgs():
                return loop.pause(batch, case, actor, a.reason)
            case CaseResumeArgs():
                return loop.resume(batch, case, actor, a.note)
            case CaseExtensionRequestArgs():
                return loop.extension_request(batch, case, actor, a.hours, a.reason)
            case CaseExtensionDecideArgs():
                return loop.extension_decide(batch, case, actor, a.approve, a.note)
        raise AssertionError(f"no step for {type(a).__name__}")  # COMMAND_ARGS and this table agree

    def _supervise(self, batch: Batch, args: CaseSuperviseArgs, caller: Caller) -> Outcome:
        if caller.role not in SUPERVISION_ROLES[args.action]:
            raise Refusal(ErrorCode.FORBIDDEN, f"role {caller.role.value!r} may not {args.action.value}")
        if args.ids:
            targets = []
            for case_id in args.ids:
                case = batch.case(case_id)
                if case is None:
                    raise Refusal(ErrorCode.NOT_FOUND, f"no case {case_id!r}")
                targets.append(case)
        else:
            if args.unit_id is None:
                raise Refusal(ErrorCode.INVALID_ARGS, "name the cases (ids) or a unit's pool (unit_id)")
            merged = {**batch.cases, **batch.synced, **batch.changed}
            targets = pool(merged.values(), args.unit_id, args.min_level)
        if caller.scope is not None:
            targets = [c for c in targets if self.loop.org.in_scope(caller.scope, c)]
        events: list[KnownEvent] = [record(batch, c, args.action, caller.name, args.note) for c in targets]
        return Outcome(result={"count": len(events)}, events=events)
