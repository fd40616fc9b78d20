"""What the supervision desk watches: cases at risk and units ranked by overdue and returns. No Qt.

    rows = at_risk(store.cases(), store.supervision)    # the at-risk table, worst first
    ranks = rank_units(store.units, rows)              # the units table, worst first
    pool = pool_of(store.cases(), "S310112001", SlaLevel.ORANGE)   # what a pooled action reaches

A case is at risk while it is open and its overall limit is orange or red, or units have
returned it twice or more (退单, the arbitration threshold), or a requester's dissatisfaction
reopened it. `pool_of` is the hub's own rule for a unit's pool (open cases it leads at a level
or above), so the form says how many cases an action will reach before it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from protocol.enums import OPEN_STATUSES, CaseFlag, SlaLevel, SupervisionAction
from protocol.events import Case, Supervision, UnitStats

RETURNS_AT_RISK = 2
"""Returned this many times a case is at risk: the second return sends it to arbitration."""
LEVEL_RANK = {SlaLevel.BLUE: 0, SlaLevel.YELLOW: 1, SlaLevel.ORANGE: 2, SlaLevel.RED: 3}
"""The hub's order of levels (hub/engine/supervision.py), for pools and sorting."""
ACTION_RANK = {action: rank for rank, action in enumerate(SupervisionAction)}


@dataclass(frozen=True, slots=True)
class AtRisk:
    """One row of the at-risk table: the case, why it is there, and what supervision it had."""

    case: Case
    reasons: tuple[str, ...]
    """`red`, `orange`, `returned`, `reopened`, in that order."""
    supervised: int
    """Supervision records this console holds for the case."""
    heaviest: SupervisionAction | None
    """The heaviest rung taken on it so far (None: not yet supervised)."""

    @property
    def weight(self) -> tuple[int, int, int]:
        """Larger is worse: level, returns, reopened."""
        reopened = int("reopened" in self.reasons)
        return LEVEL_RANK[self.case.level], self.case.returns, reopened


def reasons_of(case: Case) -> tuple[str, ...]:
    """Why `case` is at risk (empty: it is not)."""
    if case.status not in OPEN_STATUSES:
        return ()
    reasons: list[str] = []
    if case.level in (SlaLevel.RED, SlaLevel.ORANGE):
        reasons.append(case.level.value)
    if case.returns >= RETURNS_AT_RISK:
        reasons.append("returned")
    if CaseFlag.REOPENED in case.flags:
        reasons.append("reopened")
    return tuple(reasons)


def at_risk(cases: Iterable[Case], supervision: Mapping[str, list[Supervision]]) -> list[AtRisk]:
    """Every open case at risk, worst first (level, returns, reopened), oldest first among equals."""
    rows: list[AtRisk] = []
    for case in cases:
        reasons = reasons_of(case)
        if not reasons:
            continue
        records = supervision.get(case.id, [])
        heaviest = max((r.action for r in records), key=ACTION_RANK.__getitem__, default=None)
        rows.append(AtRisk(case, reasons, len(records), heaviest))
    rows.sort(key=lambda r: (tuple(-w for w in r.weight), r.case.received_at))
    return rows


@dataclass(frozen=True, slots=True)
class UnitRank:
    """One row of the units table."""

    unit_id: str
    unit_name: str
    overdue_now: int
    returned: int
    at_risk: int
    """Open cases the unit leads that are at risk."""
    supervised: int
    received: int
    closed_on_time: int
    closed: int


def rank_units(stats: Mapping[str, UnitStats], rows: Iterable[AtRisk]) -> list[UnitRank]:
    """Units with any case, worst first: overdue now, then returns, then cases at risk."""
    risky: dict[str, int] = {}
    for row in rows:
        if row.case.unit_id is not None:
            risky[row.case.unit_id] = risky.get(row.case.unit_id, 0) + 1
    ranks = [
        UnitRank(s.unit_id, s.unit_name, s.overdue_now, s.returned, risky.get(s.unit_id, 0), s.supervised,
                 s.received, s.closed_on_time, s.closed)
        for s in stats.values() if s.received or s.overdue_now or s.returned or s.unit_id in risky
    ]
    ranks.sort(key=lambda u: (-u.overdue_now, -u.returned, -u.at_risk, u.unit_name, u.unit_id))
    return ranks


def pool_of(cases: Iterable[Case], unit_id: str, min_level: SlaLevel | None) -> list[Case]:
    """The open cases `unit_id` leads at `min_level` or above: what a pooled `case.supervise` reaches."""
    floor = LEVEL_RANK[min_level] if min_level is not None else 0
    return [c for c in cases
            if c.status in OPEN_STATUSES and c.unit_id == unit_id and LEVEL_RANK[c.level] >= floor]
