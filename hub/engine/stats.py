"""Unit statistics, a projection of the log kept step by step (the ranking's inputs).

`account()` is called for every change of a case with its before and after, so the
counters follow the same events any client can replay; a test recounts them from the log.
"""

from __future__ import annotations

import msgspec

from hub.engine.batch import Batch
from protocol import OPEN_STATUSES, Case, CaseStatus, SlaLevel, UnitStats


def _bump(batch: Batch, unit_id: str | None, unit_name: str | None, **deltas: int) -> None:
    if unit_id is None:
        return
    current = batch.stats_changed.get(unit_id) or batch.stats.get(unit_id) or UnitStats(
        unit_id=unit_id, unit_name=unit_name or unit_id
    )
    values = {name: getattr(current, name) + delta for name, delta in deltas.items()}
    batch.stats_changed[unit_id] = msgspec.structs.replace(current, **values)


def _overdue(case: Case) -> bool:
    return case.level is SlaLevel.RED and case.status in OPEN_STATUSES and case.unit_id is not None


def account(batch: Batch, before: Case, after: Case, action: str) -> None:
    """Count one step (or timer change) of a case against the units concerned."""
    now = batch.now
    if action in ("dispatch", "arbitrate", "escalate"):
        _bump(batch, after.unit_id, after.unit_name, received=1)
    elif action == "sign":
        in_time = before.step is None or now <= before.step.due_at
        _bump(batch, after.unit_id, after.unit_name, signed_in_time=int(in_time))
    elif action == "return":
        _bump(batch, before.unit_id, before.unit_name, returned=1)
    elif action == "verify" and after.status is CaseStatus.CLOSED:
        on_time = after.overall is None or now <= after.overall.due_at
        _bump(batch, after.unit_id, after.unit_name, closed=1, closed_on_time=int(on_time))
    elif action == "callback" and after.satisfied is not None:
        _bump(batch, after.unit_id, after.unit_name, rated=1, satisfied=int(after.satisfied))
    elif action == "supervise":
        _bump(batch, after.unit_id, after.unit_name, supervised=1)
    if _overdue(before) != _overdue(after) or (_overdue(before) and before.unit_id != after.unit_id):
        if _overdue(before):
            _bump(batch, before.unit_id, before.unit_name, overdue_now=-1)
        if _overdue(after):
            _bump(batch, after.unit_id, after.unit_name, overdue_now=1)
