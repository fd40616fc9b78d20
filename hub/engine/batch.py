"""What one transaction of the writer sees and produces.

Handlers never change the hub's memory directly: they read through a `Batch`, which
overlays the changes of earlier jobs in the same transaction, and the writer folds the
overlay into memory only after the commit succeeded. A failed commit leaves memory as it
was, so memory and database never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from protocol import Case, CommandError, ErrorCode, UnitStats
from protocol.events import KnownEvent


@dataclass
class Outcome:
    """Result of one job: the command's answer and the events it appends."""

    ok: bool = True
    result: dict[str, Any] | None = None
    error: CommandError | None = None
    events: list[KnownEvent] = field(default_factory=list)
    kept: bool = True
    """False: the answer is not stored for repeats of the command's id (a read with a large answer,
    `photo.get`: a repeat reads again)."""

    @classmethod
    def refuse(cls, code: ErrorCode, message: str) -> Outcome:
        return cls(ok=False, error=CommandError(code=code, message=message))


@dataclass
class Batch:
    """Provisional state of one write transaction."""

    now: datetime
    next_seq: int
    cases: dict[str, Case]
    """The committed cases (read-only here); changes go to `changed`."""
    counters: dict[str, int]
    synced: dict[str, Case] = field(default_factory=dict)
    """Cases another hub changed since this hub's last transaction (read at its start)."""
    changed: dict[str, Case] = field(default_factory=dict)
    counters_changed: dict[str, int] = field(default_factory=dict)
    stats: dict[str, UnitStats] = field(default_factory=dict)
    """Committed unit statistics (read-only here); changes go to `stats_changed`."""
    stats_changed: dict[str, UnitStats] = field(default_factory=dict)
    records: dict[tuple[str, str], Any] = field(default_factory=dict)
    """Other records this transaction wrote (emergencies, tasks, directives…) by (kind, key), so a
    later job of the same transaction reads them; memory takes them from the events after commit."""
    reader: Any = None
    """The transaction's own connection, for read-only queries of a job (a second connection would
    wait on the write lock this transaction holds). None outside the writer."""

    def case(self, case_id: str) -> Case | None:
        return self.changed.get(case_id) or self.synced.get(case_id) or self.cases.get(case_id)

    def put(self, case: Case) -> None:
        self.changed[case.id] = case

    def take_seq(self) -> int:
        seq = self.next_seq
        self.next_seq += 1
        return seq

    def bump_counter(self, name: str) -> int:
        value = self.counters_changed.get(name, self.counters.get(name, 0)) + 1
        self.counters_changed[name] = value
        return value
