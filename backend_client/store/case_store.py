"""The client's replica of the hub's cases, kept in display order as events arrive.

Pure Python (no Qt): the connection applies events here, and a Qt timer drains the
accumulated changes (`drain()`) into models at most ten times a second.

Order is kept incrementally: a sorted list of unique key tuples (see `sort_keys.py`) with
the ids beside it. An insert or a reordering update is one `bisect` plus a `list.insert`
(a memmove), never a full sort; 100,000 cases stay cheap. A case's row is found by
bisecting its current key, so no id → row map has to be rewritten on every insert.
A descending sort reads the same ascending lists from the other end.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import overload

import msgspec

from backend_client.store.batch import ApplyResult, StoreBatch
from backend_client.store.sort_keys import DEFAULT_SORT, SORT_KEYS, KeyFunc, SortKey
from protocol.events import (
    Case,
    CaseCreated,
    CasePatch,
    CaseUpdated,
    GenericEvent,
    KnownEvent,
    Supervision,
    SupervisionRecorded,
    TimerLevelChanged,
    Unit,
    UnitChanged,
    UnitStats,
    UnitStatsChanged,
)

StoreEvent = KnownEvent | GenericEvent

_MERGED_FIELDS = tuple(
    name for name in CasePatch.__struct_fields__ if name in Case.__struct_fields__ and name != "id"
)
"""Patch fields that are also case fields; `actor` and `note` describe the change only."""

RELOAD_ABOVE = 1000
"""A drain with more new ids than this, and more than half the rows, reports a reset: after a
first fill or a long replay one reload is cheaper than thousands of insert runs."""


class OrderView(Sequence[str]):
    """Read-only view of the case ids in display order (no copy)."""

    __slots__ = ("_store",)

    def __init__(self, store: CaseStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._store.id_at(row) for row in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        return self._store.id_at(index)

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.ids_in_order())


class CaseStore:
    """Cases by id, in a sorted display order, with change tracking for a UI.

    `apply()` takes events in `seq` order: a duplicate changes nothing, a gap applies nothing
    (the caller resumes from `last_seq`). A snapshot (`begin_snapshot` … `end_snapshot`)
    replaces the whole state at its end; until then the old state stays visible and events
    that arrive are held and applied right after it.
    """

    def __init__(self) -> None:
        self.last_seq = 0
        """`seq` of the last event applied (or the snapshot's `as_of_seq`); 0 when empty."""
        self.log_id: str | None = None
        """Identity of the hub's event log this state came from (set by the session)."""
        self._cases: dict[str, Case] = {}
        self._key_of: dict[str, SortKey] = {}
        self._keys: list[SortKey] = []
        self._ids: list[str] = []
        self._sort_column = DEFAULT_SORT
        self._key_func: KeyFunc = SORT_KEYS[DEFAULT_SORT]
        self._descending = False
        self._order_view = OrderView(self)
        # changes since the last drain
        self._reset = False
        self._new: set[str] = set()
        self._changed: set[str] = set()
        self._moved = False
        # a snapshot being received
        self._pending: dict[str, Case] | None = None
        self._pending_seq = 0
        self._held: list[StoreEvent] = []
        self.units: dict[str, UnitStats] = {}
        """Every unit's statistics (from `snapshot.end` and `unit.stats` events)."""
        self.org_units: dict[str, Unit] = {}
        """The organisation as far as this client knows it: `org.units` at start, then `unit.changed`."""
        self.supervision: dict[str, list[Supervision]] = {}
        """Supervision recorded against each case since this replica started."""
        self.event_taps: list[Callable[[StoreEvent], None]] = []
        """Called with each event right after it is applied (the alerts derive from events, not state)."""

    # --- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._cases

    def get(self, case_id: str) -> Case | None:
        return self._cases.get(case_id)

    @property
    def order(self) -> Sequence[str]:
        """Ids in display order; a live view, not a copy."""
        return self._order_view

    def ids_in_order(self) -> list[str]:
        """A copy of the ids in display order (C speed: for a model's reload)."""
        return self._ids[::-1] if self._descending else self._ids.copy()

    def id_at(self, row: int) -> str:
        if not 0 <= row < len(self._ids):
            raise IndexError(f"row {row} out of range 0..{len(self._ids) - 1}")
        return self._ids[len(self._ids) - 1 - row] if self._descending else self._ids[row]

    def row_of(self, case_id: str) -> int:
        """Display row of a case (O(log n)), or -1 when the store does not hold it."""
        key = self._key_of.get(case_id)
        if key is None:
            return -1
        index = bisect_left(self._keys, key)
        return len(self._keys) - 1 - index if self._descending else index

    @property
    def sort_column(self) -> str:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    # --- events -----------------------------------------------------------------------

    def apply(self, event: StoreEvent) -> ApplyResult:
        """Apply one event in `seq` order (see `ApplyResult`)."""
        if self._pending is not None:
            return self._hold(event)
        if event.seq <= self.last_seq:
            return ApplyResult.DUPLICATE
        if event.seq > self.last_seq + 1:
            return ApplyResult.GAP
        if isinstance(event, CaseCreated):
            self._put(event.data)
        elif isinstance(event, CaseUpdated):
            self._patch(event.data)
        elif isinstance(event, TimerLevelChanged):
            self._level(event)
        elif isinstance(event, SupervisionRecorded):
            self.supervision.setdefault(event.data.case_id, []).append(event.data)
        elif isinstance(event, UnitStatsChanged):
            self.units[event.data.unit_id] = event.data
        elif isinstance(event, UnitChanged):
            self.org_units[event.data.id] = event.data
        self.last_seq = event.seq
        for tap in self.event_taps:
            tap(event)
        return ApplyResult.APPLIED

    def _hold(self, event: StoreEvent) -> ApplyResult:
        expected = self._held[-1].seq + 1 if self._held else self._pending_seq + 1
        if event.seq < expected:
            return ApplyResult.DUPLICATE
        if event.seq > expected:
            return ApplyResult.GAP
        self._held.append(event)
        return ApplyResult.APPLIED

    def _patch(self, patch: CasePatch) -> None:
        old = self._cases.get(patch.id)
        if old is None:
            return  # a case this replica never saw (e.g. filtered out by the hub): seq still counts
        changes = {
            name: value for name in _MERGED_FIELDS if (value := getattr(patch, name)) is not msgspec.UNSET
        }
        if patch.trace is not msgspec.UNSET:
            changes["history"] = [*old.history, patch.trace]
        self._put(msgspec.structs.replace(old, **changes))

    def _level(self, event: TimerLevelChanged) -> None:
        old = self._cases.get(event.data.case_id)
        if old is None:
            return
        field = "level" if event.data.kind == "overall" else "step_level"
        self._put(msgspec.structs.replace(old, **{field: event.data.level}))

    def _put(self, case: Case) -> None:
        case_id = case.id
        key = self._key_func(case)
        old_key = self._key_of.get(case_id)
        self._cases[case_id] = case
        if old_key is None:
            index = bisect_left(self._keys, key)
            self._keys.insert(index, key)
            self._ids.insert(index, case_id)
            self._key_of[case_id] = key
            self._new.add(case_id)
            return
        if case_id not in self._new:
            self._changed.add(case_id)
        if key == old_key:
            return
        old_index = bisect_left(self._keys, old_key)
        del self._keys[old_index]
        del self._ids[old_index]
        index = bisect_left(self._keys, key)
        self._keys.insert(index, key)
        self._ids.insert(index, case_id)
        self._key_of[case_id] = key
        if index != old_index and case_id not in self._new:
            self._moved = True

    # --- snapshots and resets ---------------------------------------------------------

    def begin_snapshot(self, as_of_seq: int) -> None:
        """Start receiving the state as of `as_of_seq`; the current state stays visible."""
        self._pending = {}
        self._pending_seq = as_of_seq
        self._held = []

    def add_snapshot_items(self, items: list[Case]) -> None:
        if self._pending is None:
            raise RuntimeError("snapshot items outside begin_snapshot() … end_snapshot()")
        for case in items:
            self._pending[case.id] = case

    def end_snapshot(self, as_of_seq: int) -> None:
        """Replace the whole state with the snapshot, then apply events held meanwhile."""
        cases = self._pending if self._pending is not None else {}
        held = self._held
        self._pending = None
        self._held = []
        self._load(cases)
        self.last_seq = as_of_seq
        for event in held:
            if self.apply(event) is ApplyResult.GAP:
                break  # cannot happen with held events checked on arrival; stay at last_seq

    def reset(self) -> None:
        """Forget everything (a different log, or a user's request): empty, seq 0, no log."""
        self._pending = None
        self._held = []
        self._load({})
        self.last_seq = 0
        self.log_id = None

    def _load(self, cases: dict[str, Case]) -> None:
        self._cases = cases
        self._rebuild()
        self._reset = True
        self._new.clear()
        self._changed.clear()
        self._moved = False

    def _rebuild(self) -> None:
        key_func = self._key_func
        self._keys = sorted(key_func(case) for case in self._cases.values())
        self._ids = [key[-1] for key in self._keys]
        self._key_of = dict(zip(self._ids, self._keys, strict=True))

    # --- order ------------------------------------------------------------------------

    def set_sort(self, column_key: str, descending: bool = False) -> None:
        """Sort by another column (one full sort). Reported to the UI as `moved`."""
        if column_key not in SORT_KEYS:
            raise ValueError(f"unknown sort column {column_key!r}; known: {', '.join(SORT_KEYS)}")
        if column_key == self._sort_column and descending == self._descending:
            return
        if column_key != self._sort_column:
            self._sort_column = column_key
            self._key_func = SORT_KEYS[column_key]
            self._rebuild()
        self._descending = descending
        if len(self._ids) > 1:
            self._moved = True

    # --- changes for the UI -----------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when `drain()` would return a non-empty batch (cheap: for a polling timer)."""
        return self._reset or self._moved or bool(self._new) or bool(self._changed)

    def drain(self) -> StoreBatch:
        """Return the changes since the last drain and start a new batch."""
        if self._reset or len(self._new) > max(RELOAD_ABOVE, len(self._ids) // 2):
            batch = StoreBatch(reset=True)
        elif not self.dirty:
            return StoreBatch()
        else:
            inserted = tuple(sorted(self.row_of(case_id) for case_id in self._new))
            batch = StoreBatch(inserted=inserted, moved=self._moved, changed_ids=frozenset(self._changed))
        self._reset = False
        self._new = set()
        self._changed = set()
        self._moved = False
        return batch
