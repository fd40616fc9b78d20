"""Supervision (提醒、催办、督办、问效) and the timers' level changes.

A level change is not a user's edit: it changes `level`/`step_level` without bumping the
case's version (a duty officer's dispatch must not conflict with the clock), and is
published as `timer.level_changed`. On the overall limit the hub supervises by itself
(`AUTOMATIC`), recorded against the responsible unit like any supervision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec
import sqlalchemy as sa

from hub.db import schema
from hub.engine import stats
from hub.engine.batch import Batch, Outcome
from hub.engine.sla import LevelChange as Due
from protocol import (
    OPEN_STATUSES,
    Case,
    LevelChange,
    SlaLevel,
    Supervision,
    SupervisionAction,
    SupervisionReadArgs,
    SupervisionRecorded,
    TimerLevelChanged,
)
from protocol.events import KnownEvent

AUTOMATIC: dict[SlaLevel, SupervisionAction] = {
    SlaLevel.YELLOW: SupervisionAction.REMIND,
    SlaLevel.ORANGE: SupervisionAction.URGE,
    SlaLevel.RED: SupervisionAction.SUPERVISE,
}
"""What the hub does by itself when a case's overall limit reaches each level."""


def parse_automatic(spec: str) -> dict[SlaLevel, SupervisionAction]:
    """`yellow=remind,orange=urge,red=supervise` (any subset), or `off`: the automatic actions."""
    if spec.strip().lower() in ("off", "none", ""):
        return {}
    rules: dict[SlaLevel, SupervisionAction] = {}
    for part in spec.split(","):
        level_text, _, action_text = part.strip().partition("=")
        try:
            level, action = SlaLevel(level_text.strip()), SupervisionAction(action_text.strip())
        except ValueError:
            raise ValueError(f"{part.strip()!r}: expected LEVEL=ACTION, LEVEL one of yellow, orange, red and ACTION "
                             f"one of {', '.join(a.value for a in SupervisionAction)}") from None
        if level is SlaLevel.BLUE:
            raise ValueError("blue is the level of a case in time: nothing to supervise")
        rules[level] = action
    return rules


LEVEL_RANK = {SlaLevel.BLUE: 0, SlaLevel.YELLOW: 1, SlaLevel.ORANGE: 2, SlaLevel.RED: 3}


def record(batch: Batch, case: Case, action: SupervisionAction, actor: str, note: str,
           automatic: bool = False) -> KnownEvent:
    supervision = Supervision(case_id=case.id, unit_id=case.unit_id, action=action, actor=actor, note=note,
                              automatic=automatic)
    stats.account(batch, case, case, "supervise")
    return SupervisionRecorded(seq=batch.take_seq(), ts=batch.now, data=supervision)


def pool(cases: Iterable[Case], unit_id: str | None, min_level: SlaLevel | None) -> list[Case]:
    """Open cases of a unit at or above a level (the supervisor's filtered pool)."""
    floor = LEVEL_RANK[min_level] if min_level is not None else 0
    return [
        c for c in cases
        if c.status in OPEN_STATUSES and (unit_id is None or c.unit_id == unit_id) and LEVEL_RANK[c.level] >= floor
    ]


def level_changes(batch: Batch, due: list[Due],
                  automatic: Mapping[SlaLevel, SupervisionAction] = AUTOMATIC) -> Outcome:
    events: list[KnownEvent] = []
    for change in due:
        case = batch.case(change.case_id)
        if case is None or case.status not in OPEN_STATUSES or case.paused_at is not None:
            continue
        field = "level" if change.kind == "overall" else "step_level"
        updated = msgspec.structs.replace(case, **{field: change.new})
        batch.put(updated)
        stats.account(batch, case, updated, "timer")
        events.append(TimerLevelChanged(
            seq=batch.take_seq(), ts=batch.now,
            data=LevelChange(case_id=case.id, kind=change.kind, level=change.new, previous=change.old,
                             unit_id=case.unit_id),
        ))
        action = automatic.get(change.new)
        if change.kind == "overall" and action is not None and updated.unit_id is not None:
            events.append(record(batch, updated, action, "hub", f"overall limit reached {change.new.value}", True))
    return Outcome(result={"changes": len(events)}, events=events)


_RECORDED = "supervision.recorded"
_decode_recorded = msgspec.json.Decoder(SupervisionRecorded).decode


def read_record(batch: Batch, args: SupervisionReadArgs, in_scope: Callable[[Case], bool] | None) -> Outcome:
    """`supervision.read`: what the ladder did, newest first, from the log (inside the writer's transaction).

    Each record names its case's serial as the hub holds it; a scoped account (`in_scope`) gets the
    records of the cases in its scope only. `next_before_seq` pages back; null when the log has no more.
    """
    events = schema.events
    query = sa.select(events.c.seq, events.c.frame).where(events.c.type == _RECORDED)
    if args.before_seq is not None:
        query = query.where(events.c.seq < args.before_seq)
    rows = batch.reader.execute(query.order_by(events.c.seq.desc()).limit(args.limit + 1)).all()
    more = len(rows) > args.limit
    records: list[dict[str, Any]] = []
    for row in rows[: args.limit]:
        event = _decode_recorded(bytes(row.frame))
        case = batch.case(event.data.case_id)
        if in_scope is not None and (case is None or not in_scope(case)):
            continue
        records.append({"seq": event.seq, "at": event.ts, "serial": case.serial if case is not None else None,
                        **msgspec.to_builtins(event.data)})
    next_before = rows[args.limit - 1].seq if more else None
    return Outcome(result={"records": records, "next_before_seq": next_before}, kept=False)
