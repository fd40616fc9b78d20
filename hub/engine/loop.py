"""The closed loop of a case (闭环): every step a command, validated, traced, timed.

Each handler reads through the `Batch`, refuses before it changes anything (so a refused
command stores nothing), and otherwise produces one `case.updated` whose `trace` is the
step's record (留痕). What each step needs of the case's state (`ALLOWED` and `state_refusal`)
lives in `protocol.loop_rules`, so consoles offer exactly the steps the hub accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from hub.directory import Category
from hub.engine import stats
from hub.engine.batch import Batch, Outcome
from hub.engine.org_port import OrgPort
from hub.engine.steps import step_timer
from hub.engine.timers import extend, level_at, paused_timer, resume
from protocol import (
    OPEN_STATUSES,
    Basis,
    Case,
    CaseFlag,
    CasePatch,
    CaseStatus,
    CaseUpdated,
    ErrorCode,
    SlaLevel,
    Trace,
)
from protocol.loop_rules import RETURNS_BEFORE_ARBITRATION, state_refusal
from protocol.photos import Photo

S = CaseStatus


class Refusal(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def refused(run: Callable[[], Outcome]) -> Outcome:
    try:
        return run()
    except Refusal as exc:
        return Outcome.refuse(exc.code, str(exc))


class CaseLoop:
    """The steps of the loop. `actor` is the account name; `scope` its unit, if any."""

    def __init__(self, org: OrgPort, categories: Mapping[str, Category] | None = None) -> None:
        self.org = org
        self.categories = categories or {}

    # --- common ------------------------------------------------------------------------

    def load(self, batch: Batch, case_id: str, version: int | None, action: str, scope: str | None) -> Case:
        case = batch.case(case_id)
        if case is None:
            raise Refusal(ErrorCode.NOT_FOUND, f"no case {case_id!r}")
        if scope is not None and not self.org.in_scope(scope, case):
            raise Refusal(ErrorCode.FORBIDDEN, f"case {case.serial} is outside this account's unit {scope}")
        if version is not None and version != case.version:
            raise Refusal(
                ErrorCode.CONFLICT,
                f"case {case.serial} is at version {case.version}, not {version}: someone acted first; reload",
            )
        why_not = state_refusal(action, case)
        if why_not is not None:
            raise Refusal(ErrorCode.ILLEGAL_STATE, why_not)
        return case

    def unit(self, unit_id: str) -> str:
        name = self.org.unit_name(unit_id)
        if name is None:
            raise Refusal(ErrorCode.INVALID_ARGS, f"unknown or retired unit {unit_id!r}")
        return name

    def step(
        self,
        batch: Batch,
        case: Case,
        action: str,
        actor: str,
        note: str,
        status: CaseStatus | None = None,
        photos: list[Photo] | None = None,
        **changes: Any,
    ) -> Outcome:
        """Apply one step: new status (and its step timer), the changes, the trace (with the photos
        it attaches); one event."""
        now = batch.now
        new_status = status or case.status
        fields: dict[str, Any] = dict(changes)
        if new_status is not case.status:
            fields["status"] = new_status
            fields["step"] = (None if case.paused_at
                              else step_timer(new_status, now, category=self.categories.get(case.category_code)))
            fields["step_level"] = SlaLevel.BLUE
        trace = Trace(
            at=now, actor=actor, action=action, status=new_status,
            unit_id=fields.get("unit_id", case.unit_id), note=note,
            step_started_at=case.step.started_at if case.step else None,
            step_due_at=case.step.due_at if case.step else None,
            photos=photos or [],
        )
        updated = msgspec.structs.replace(
            case, version=case.version + 1, updated_at=now, history=(*case.history, trace), **fields
        )
        batch.put(updated)
        patch = CasePatch(id=case.id, version=updated.version, updated_at=now, trace=trace, actor=actor, **fields)
        event = CaseUpdated(seq=batch.take_seq(), ts=now, data=patch)
        stats.account(batch, case, updated, action)
        return Outcome(result={"id": case.id, "version": updated.version, "seq": event.seq}, events=[event])

    # --- the steps ---------------------------------------------------------------------

    def register(self, batch: Batch, case: Case, actor: str, note: str) -> Outcome:
        return self.step(batch, case, "register", actor, note, S.REGISTERED, routing=self.org.suggest(case))

    def reject(self, batch: Batch, case: Case, actor: str, reason: str) -> Outcome:
        return self.step(batch, case, "reject", actor, reason, S.REJECTED, step=None)

    def merge(self, batch: Batch, case: Case, actor: str, into: str, note: str) -> Outcome:
        target = batch.case(into)
        if target is None or target.id == case.id or target.status not in OPEN_STATUSES:
            raise Refusal(ErrorCode.INVALID_ARGS, f"{into!r} is not another open case to merge into")
        return self.step(batch, case, "merge", actor, note or f"duplicate of {target.serial}", S.MERGED,
                         duplicate_of=target.id)

    def dispatch(self, batch: Batch, case: Case, actor: str, unit_id: str, basis: Basis | None,
                 co_units: list[str], note: str) -> Outcome:
        name = self.unit(unit_id)
        for co in co_units:
            self.unit(co)
        if basis is None:
            suggested = case.routing
            basis = suggested.basis if suggested and suggested.unit_id == unit_id else Basis.DESIGNATION
        return self.step(batch, case, "dispatch", actor, note, S.DISPATCHED, unit_id=unit_id, unit_name=name,
                         basis=basis, co_unit_ids=[c for c in co_units if c != unit_id])

    def sign(self, batch: Batch, case: Case, actor: str, note: str) -> Outcome:
        return self.step(batch, case, "sign", actor, note, S.SIGNED)

    def return_(self, batch: Batch, case: Case, actor: str, reason: str) -> Outcome:
        returns = case.returns + 1
        flags = list(case.flags)
        if returns >= RETURNS_BEFORE_ARBITRATION and CaseFlag.ARBITRATION not in flags:
            flags.append(CaseFlag.ARBITRATION)
        return self.step(batch, case, "return", actor, reason, S.REGISTERED, returns=returns, flags=flags,
                         unit_id=None, unit_name=None, basis=None, co_unit_ids=[])

    def arbitrate(self, batch: Batch, case: Case, actor: str, unit_id: str, note: str) -> Outcome:
        name = self.unit(unit_id)
        flags = [f for f in case.flags if f is not CaseFlag.ARBITRATION]
        return self.step(batch, case, "arbitrate", actor, note, S.DISPATCHED, unit_id=unit_id, unit_name=name,
                         basis=Basis.DESIGNATION, flags=flags)

    def start(self, batch: Batch, case: Case, actor: str, note: str, photos: list[Photo] | None = None) -> Outcome:
        return self.step(batch, case, "start", actor, note, S.HANDLING, photos=photos)

    def feedback(self, batch: Batch, case: Case, actor: str, result: str,
                 photos: list[Photo] | None = None) -> Outcome:
        return self.step(batch, case, "feedback", actor, result, S.FEEDBACK, photos=photos)

    def verify(self, batch: Batch, case: Case, actor: str, passed: bool, note: str) -> Outcome:
        if passed:
            return self.step(batch, case, "verify", actor, note, S.CLOSED)
        flags = [*case.flags, CaseFlag.VERIFY_FAILED] if CaseFlag.VERIFY_FAILED not in case.flags else case.flags
        return self.step(batch, case, "verify", actor, note or "verification failed", S.HANDLING, flags=flags)

    def callback(self, batch: Batch, case: Case, actor: str, satisfied: bool, note: str) -> Outcome:
        if satisfied or CaseFlag.REOPENED in case.flags:
            return self.step(batch, case, "callback", actor, note, S.CALLED_BACK, satisfied=satisfied)
        return self.step(batch, case, "callback", actor, note or "requester not satisfied: reopened",
                         S.HANDLING, satisfied=False, flags=[*case.flags, CaseFlag.REOPENED])

    def escalate(self, batch: Batch, case: Case, actor: str, reason: str) -> Outcome:
        target = self.org.escalation_target(case)
        if target is None:
            raise Refusal(ErrorCode.ILLEGAL_STATE, f"case {case.serial} is already at the district centre")
        flags = case.flags if CaseFlag.ESCALATED in case.flags else [*case.flags, CaseFlag.ESCALATED]
        return self.step(batch, case, "escalate", actor, reason, S.DISPATCHED, unit_id=target,
                         unit_name=self.unit(target), basis=Basis.DESIGNATION, flags=flags)

    def transfer(self, batch: Batch, case: Case, actor: str, reason: str) -> Outcome:
        police = self.org.police_unit()
        return self.step(batch, case, "transfer", actor, reason, S.CLOSED, unit_id=police,
                         unit_name=self.unit(police), flags=[*case.flags, CaseFlag.TRANSFERRED_110], step=None)

    def pause(self, batch: Batch, case: Case, actor: str, reason: str) -> Outcome:
        return self.step(batch, case, "pause", actor, reason, paused_at=batch.now,
                         flags=[*case.flags, CaseFlag.PAUSED])

    def resume(self, batch: Batch, case: Case, actor: str, note: str) -> Outcome:
        assert case.paused_at is not None  # state_refusal("resume") saw to it
        overall = resume(paused_timer(case.overall, case.paused_at), batch.now) if case.overall else None
        # A step entered while paused got no limit: it starts now.
        step = (resume(paused_timer(case.step, case.paused_at), batch.now) if case.step
                else step_timer(case.status, batch.now, category=self.categories.get(case.category_code)))
        return self.step(batch, case, "resume", actor, note, paused_at=None, overall=overall, step=step,
                         flags=[f for f in case.flags if f is not CaseFlag.PAUSED])

    def extension_request(self, batch: Batch, case: Case, actor: str, hours: float, reason: str) -> Outcome:
        return self.step(batch, case, "extension_request", actor, f"{hours:g} h: {reason}", extension_hours=hours,
                         flags=[*case.flags, CaseFlag.EXTENSION_REQUESTED])

    def extension_decide(self, batch: Batch, case: Case, actor: str, approve: bool, note: str) -> Outcome:
        assert case.extension_hours is not None  # state_refusal("extension_decide") saw to it
        flags = [f for f in case.flags if f is not CaseFlag.EXTENSION_REQUESTED]
        if not approve:
            return self.step(batch, case, "extension_refused", actor, note, extension_hours=None, flags=flags)
        overall = extend(case.overall, case.extension_hours, at=batch.now) if case.overall else None
        if CaseFlag.EXTENDED not in flags:
            flags.append(CaseFlag.EXTENDED)
        # An overdue case given more time is no longer overdue: the level follows the new limit.
        level = level_at(overall, batch.now) if overall else case.level
        return self.step(batch, case, "extension_approved", actor, note or f"+{case.extension_hours:g} h",
                         extension_hours=None, overall=overall, flags=flags, level=level)

