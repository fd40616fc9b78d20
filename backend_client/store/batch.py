"""What changed in the store since the last drain, in the shape a Qt model needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ApplyResult(Enum):
    """Outcome of `CaseStore.apply` for one event."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    """`seq <= last_seq`: already applied (a replay overlap); nothing changed."""
    GAP = "gap"
    """`seq > last_seq + 1`: an event is missing; nothing applied, the caller resyncs."""


@dataclass(frozen=True, slots=True)
class StoreBatch:
    """Changes accumulated between two `CaseStore.drain()` calls.

    A consumer (e.g. a Qt model holding its own copy of the row order) applies them so:

    1. `reset`: reload everything from the store and ignore the rest.
    2. `inserted` without `moved`: inserting the new ids at these rows, in ascending order,
       yields exactly the store's order (one `beginInsertRows` per run).
    3. `inserted` with `moved` or `removed_ids`: add the new ids anywhere (appending is
       cheapest), then re-lay every row to the store's order in one layout change, with the
       removed ids after it, and remove those last rows.
    4. `changed_ids`: refresh values in place (one `dataChanged` over their span).

    Nothing here grows with the number of events: ids are sets, and one batch covers any
    number of events between two drains.
    """

    reset: bool = False
    """The whole set of cases was replaced (snapshot, resync, `reset()`): reload from the store."""
    inserted: tuple[int, ...] = ()
    """Final rows (in the store's current order) of ids new since the last drain, ascending."""
    inserted_ids: tuple[str, ...] = field(default=(), compare=False)
    """The ids at the `inserted` rows, in the same order (so a consumer need not look each row up; it
    follows from `inserted` and the store's order, so two batches compare without it)."""
    moved: bool = False
    """Rows that existed at the last drain changed their relative order (update or re-sort)."""
    changed_ids: frozenset[str] = frozenset()
    """Ids present at the last drain whose fields changed (their rows may also have moved)."""
    removed_ids: frozenset[str] = frozenset()
    """Ids shown at the last drain that the store's filter no longer shows."""

    @property
    def empty(self) -> bool:
        return not (self.reset or self.inserted or self.moved or self.changed_ids or self.removed_ids)

    def inserted_runs(self) -> list[tuple[int, int]]:
        """`inserted` as (first row, count) runs of consecutive rows, ascending.

        >>> StoreBatch(inserted=(0, 1, 4, 6, 7)).inserted_runs()
        [(0, 2), (4, 1), (6, 2)]
        """
        runs: list[tuple[int, int]] = []
        for row in self.inserted:
            if runs and runs[-1][0] + runs[-1][1] == row:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((row, 1))
        return runs
