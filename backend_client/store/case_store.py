"""The client's replica of the hub's cases, with the queues' counts and one sorted view.

Pure Python (no Qt): the connection applies events here, and a Qt timer drains the
accumulated changes (`drain()`) into models at most ten times a second.

Three things follow every event, each at a cost that does not grow with the number of cases:
* the queues (`queues.py`): each case's queues as a bitmask, and their counts;
* every case's sort key under the current sort (`sort_keys.py`, strings compared in C);
* the view: the keys of the cases the current filter shows (`set_view`), kept sorted in
  chunks (`sorted_rows.py`), so an insert or a move is a bisect and a short `list.insert`.
A case's row is found by bisecting its current key; no id → row map is rewritten on every
insert. A descending sort reads the same ascending rows from the other end. Changing the
filter scans the cases once and sorts what it keeps (one reset for the UI).
"""

from __future__ import annotations

import contextlib
import logging
from array import array
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    MutableSequence,
    Sequence,
    ValuesView,
)
from operator import attrgetter
from typing import overload

import msgspec
from msgspec.structs import astuple

from backend_client.store.batch import ApplyResult, StoreBatch
from backend_client.store.compact import compact_case, compact_changes
from backend_client.store.pending import PendingCases
from backend_client.store.prepared import SAMPLE_EVERY, Prepared, fits, fits_shape, matches
from backend_client.store.queues import CaseFilter, Queue, QueueIndex, Tracked, UnitScope
from backend_client.store.shift_book import ShiftBook
from backend_client.store.sort_keys import (
    DEFAULT_SORT,
    DYNAMIC_VALUES,
    SORT_KEYS,
    SORT_VALUES,
    STATIC_SORTS,
    KeyFunc,
    SortKey,
    SortValue,
)
from backend_client.store.sorted_rows import SLOT_TYPE, SortedRows
from protocol.emergency import (
    EMERGENCY_EVENTS,
    CapWarning,
    Directive,
    DirectiveChanged,
    Emergency,
    EmergencyChanged,
    EmergencyTask,
    Receipt,
    ReceiptChanged,
    Resource,
    ResourceChanged,
    TaskChanged,
    WarningChanged,
)
from protocol.events import (
    AlertShelf,
    Case,
    CaseCreated,
    CasePatch,
    CaseUpdated,
    GenericEvent,
    KnownEvent,
    Supervision,
    SupervisionRecorded,
    TimerLevelChanged,
    Trace,
    Unit,
    UnitChanged,
    UnitStats,
    UnitStatsChanged,
)
from protocol.messages import Figures, Geography
from protocol.scope import CaseEnteredScope, CaseLeftScope

StoreEvent = KnownEvent | GenericEvent

_MERGED_FIELDS = tuple(
    (at, name) for at, name in enumerate(CasePatch.__struct_fields__) if name in Case.__struct_fields__ and name != "id"
)
"""Patch fields that are also case fields, with their place in the patch's fields; `actor` and `note` describe
the change only."""

_CASE_ID = attrgetter("id")
NO_RANK = 0xFFFF_FFFF
"""The tail rank of a slot whose case had left when the ranks were made."""
_APPLIED, _DUPLICATE, _GAP = ApplyResult.APPLIED, ApplyResult.DUPLICATE, ApplyResult.GAP
"""Read once: an enum member read from its class costs ~60 ns in 3.11, and `apply` returns one per event."""
UNKEYED: SortKey = ""
"""In a keys list: a held case whose key under that sort was not made yet (no key is empty). A first sort on a
column with a value (`SORT_VALUES`) orders the slots by value and makes keys as bisections need them."""

WARM_CASES = 8000
"""Slots a `warm_sorts` call makes values for: ~4 ms here."""

RELOAD_ABOVE = 1000
KEPT_ROWS = len(SORT_KEYS) - 1
"""How many sorts left behind keep their rows: all of them (each is the shown ids in its order, two lists of
references, about 2 MB at 120,000 cases; mended case by case on return, rebuilt when a quarter moved)."""
"""A drain with more new ids than this, and more than half the rows, reports a reset: after a
first fill or a long replay one reload is cheaper than thousands of insert runs."""


log = logging.getLogger(__name__)
OPENING_ROWS = 64
"""Rows whose cases `load_pending` decodes and checks before the first paint (more than a window shows)."""


class OrderView(Sequence[str]):
    """Read-only view of the shown case ids in display order (no copy)."""

    __slots__ = ("_store",)

    def __init__(self, store: CaseStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return self._store.shown

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
    """Cases by id, the queues' counts, and the cases a filter shows in a sorted order.

    `apply()` takes events in `seq` order: a duplicate changes nothing, a gap applies nothing
    (the caller resumes from `last_seq`). A snapshot (`begin_snapshot` … `end_snapshot`)
    replaces the whole state at its end; until then the old state stays visible and events
    that arrive are held and applied right after it. `len()` counts every case held;
    `order`, `row_of`, `id_at` and `drain` speak of the shown ones (all of them until
    `set_view` names a filter).
    """

    def __init__(self) -> None:
        self.last_seq = 0
        """`seq` of the last event applied (or the snapshot's `as_of_seq`); 0 when empty."""
        self.log_id: str | None = None
        """Identity of the hub's event log this state came from (set by the session)."""
        self.loads = 0
        """How often the whole state was replaced (snapshot, resync, `reset()`); a resume by replay keeps it."""
        self._cases: MutableMapping[str, Case] = {}
        """A dict, or a `PendingCases` while a load is unfinished: typed as a mapping so that compiled code
        (mypyc turns operations on a `dict` into the dict's own C calls) goes through its methods too."""
        self._slot_ids: list[str] = []
        """Case ids by slot number: the values the sorted rows hold. Appended to; a load starts a new list."""
        self._slot_of: dict[str, int] = {}
        self._queues = QueueIndex()
        self._scope_unit: str | None = None
        self._view: Tracked | None = None
        self._sort_column = DEFAULT_SORT
        self._key_func: KeyFunc = SORT_KEYS[DEFAULT_SORT]
        self._static = DEFAULT_SORT in STATIC_SORTS
        self._keys: list[SortKey | None] = []
        """Every held case's key under the current sort, by slot (shown or not: a filter change needs no key
        work); None at the slot of a case that left, `UNKEYED` where a sort by value has not needed it yet.
        A list by slot, not a dict by id: a fifth of the memory, and a sort orders the slots by it directly
        (`sorted(slots, key=keys.__getitem__)`)."""
        self._values: dict[str, MutableSequence[SortValue]] = {}
        """Columns' values by slot (`SORT_VALUES`), each made the first time it is sorted by (or warmed) and
        kept up to date from then on; a load forgets them."""
        self._making: dict[str, MutableSequence[SortValue]] = {}
        """Values being made a slice at a time by `warm_sorts` (the first slots' so far), kept up to date too."""
        self._tail_rank: array[int] | None = None
        """Each held slot's place in (serial, id) order, where every key ends: the order a sort by value starts
        from (so that equal values keep it). New cases with a higher serial take the next rank; None: to be made."""
        self._tail_order: array[int] = array(SLOT_TYPE)
        """The slots by tail rank (the inverse of `_tail_rank`, held or not): a first sort by value starts from
        it instead of sorting the shown slots by rank."""
        self._tail_last: tuple[str, str] = ("", "")
        self._next_rank = 0
        self._other_keys: dict[str, list[SortKey | None]] = {}
        """Keys under the other sorts used before, kept so that sorting back costs a sort, not 100,000 keys
        (slots taken since they were left are keyed on return)."""
        self._stale: dict[str, set[int]] = {}
        """Per kept sort whose keys an update can change: slots changed since it was left."""
        self._resent: set[int] = set()
        """Slots of cases re-sent whole since the last load (rare): keyed again under every sort on return."""
        self._other_rows: dict[str, tuple[SortedRows, set[int]]] = {}
        """The shown rows of the last sorts left (at most `KEPT_ROWS`), with the slots put since: sorting
        back mends them case by case instead of sorting 100,000 keys again."""
        self._rows = SortedRows()
        self._descending = False
        self._order_view = OrderView(self)
        # changes since the last drain
        self._reset = False
        self._new: set[str] = set()
        self._gone: set[str] = set()
        self._changed: set[str] = set()
        self._moved = False
        # a snapshot being received
        self._pending: dict[str, Case] | None = None
        self._pending_seq = 0
        self._held: list[StoreEvent] = []
        self._unfinished: tuple[list[str], Callable[[], list[Case]], Prepared, UnitScope | None] | None = None
        """What `load_pending` left to decode and check (`finish_load`): the ids, how to decode, the masks and
        keys taken, the scope they were taken under."""
        self.units: dict[str, UnitStats] = {}
        """Every unit's statistics (from `snapshot.end` and `unit.stats` events)."""
        self.figures: Figures | None = None
        """The hub's latest `figures` (the wall's numbers); None until the first, and after a reset."""
        self.emergencies: dict[str, Emergency] = {}
        """The joint response (snapshot and `*.changed` events): emergencies, plan tasks, directives,
        receipts by `directive_id/unit_id`; `emergency_version` rises with every change."""
        self.tasks: dict[str, EmergencyTask] = {}
        self.directives: dict[str, Directive] = {}
        self.receipts: dict[str, Receipt] = {}
        self.warnings: dict[str, CapWarning] = {}
        """CAP warnings by id, decided or not (`warning.changed`); they bump `emergency_version` too."""
        self.resources: dict[str, Resource] = {}
        """The responses' resources by id (`resource.changed`); they bump `emergency_version` too."""
        self.emergency_version = 0
        self.geography: Geography | None = None
        """The hub's map of the district (boundary, streets, grids); None until a hub sent one."""
        self.figures_version = 0
        """Raised by one with each new `figures`, so a screen polling at 1 Hz knows when to redraw."""
        self._org_units: dict[str, Unit] = {}
        self.supervision: dict[str, list[Supervision]] = {}
        """Supervision recorded against each case since this replica started."""
        self.event_taps: list[Callable[[StoreEvent], None]] = []
        """Called with each event right after it is applied (the alerts derive from events, not state)."""
        self.shift = ShiftBook()
        """The duty rota and the latest shift handover of each desk (`snapshot.end` and events)."""
        self.event_taps.append(self.shift.on_event)
        self.alert_shelves: list[AlertShelf] = []
        """The alert shelves in force as the last `snapshot.end` gave them (`AlertBook` merges them in)."""
        self.alert_shelves_version = 0

    # --- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        """Every case held, shown or not."""
        return len(self._cases)

    def __contains__(self, case_id: object) -> bool:
        return case_id in self._cases

    def get(self, case_id: str) -> Case | None:
        return self._cases.get(case_id)

    def cases(self) -> ValuesView[Case]:
        """Every case held, in no particular order (a live view)."""
        return self._cases.values()

    @property
    def shown(self) -> int:
        """How many cases the current filter shows."""
        return len(self._rows)

    @property
    def order(self) -> Sequence[str]:
        """Shown ids in display order; a live view, not a copy."""
        return self._order_view

    def ids_in_order(self) -> list[str]:
        """A copy of the shown ids in display order."""
        slots = array(SLOT_TYPE)
        ids = self.fill_slots_in_order(slots)
        return list(map(ids.__getitem__, slots))

    def fill_slots_in_order(self, slots: array[int]) -> list[str]:
        """The shown cases' slot numbers in display order, into `slots` in place (a `memcpy` a chunk: a model
        takes the whole order after every drain); returns the list of case ids by slot that they index.

        That list only grows until the next load, which starts a new one: slots taken before a load keep
        naming the same cases through the old list until the holder takes the order again."""
        self._rows.values_into(slots)
        if self._descending:
            slots.reverse()
        return self._slot_ids

    @property
    def slot_ids(self) -> list[str]:
        """Case ids by slot number (what `fill_slots_in_order` returns)."""
        return self._slot_ids

    def slot_of(self, case_id: str) -> int | None:
        """The slot number of a case this store has held since its last load (kept after it left), or None."""
        return self._slot_of.get(case_id)

    def slots_of(self, case_ids: Iterable[str]) -> array[int]:
        """The slot numbers of cases held since the last load (a KeyError names one never held)."""
        return array(SLOT_TYPE, map(self._slot_of.__getitem__, case_ids))

    def _slot(self, case_id: str) -> int:
        slot = self._slot_of.get(case_id)
        if slot is None:
            slot = self._slot_of[case_id] = len(self._slot_ids)
            self._slot_ids.append(case_id)
        return slot

    def id_at(self, row: int) -> str:
        if not 0 <= row < len(self._rows):
            raise IndexError(f"row {row} out of range 0..{len(self._rows) - 1}")
        return self._slot_ids[self._rows.value_at(len(self._rows) - 1 - row if self._descending else row)]

    def row_of(self, case_id: str) -> int:
        """Display row of a case (O(log n)), or -1 when it is not shown."""
        slot = self._slot_of.get(case_id)
        key = self._keys[slot] if slot is not None else None
        if key is None:
            return -1
        if not key:  # UNKEYED
            assert slot is not None
            key = self._key_at(slot)
        index = self._rows.index(key)
        if index < 0 or not self._descending:
            return index
        return len(self._rows) - 1 - index

    @property
    def sort_column(self) -> str:
        return self._sort_column

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def view(self) -> CaseFilter | None:
        """The filter of the shown cases; None shows every case."""
        return self._view.filter if self._view is not None else None

    # --- queues and filters -----------------------------------------------------------

    def queue_count(self, queue: Queue) -> int:
        """Cases in a queue now (kept as events apply, never by a scan)."""
        return self._queues.count(queue)

    @property
    def masks_made(self) -> int:
        """Queue masks made from cases so far, by loads and changes (a load that takes saved ones makes none)."""
        return self._queues.masks_made

    def queue_counts(self) -> dict[Queue, int]:
        return self._queues.counts()

    def set_saved_filters(self, filters: Mapping[str, CaseFilter]) -> None:
        """Keep counts for these filters by name (a new or changed one scans the cases once)."""
        self._queues.set_saved(filters, self._cases)

    def saved_count(self, name: str) -> int | None:
        tracked = self._queues.saved.get(name)
        return tracked.count if tracked is not None else None

    @property
    def scope(self) -> UnitScope | None:
        """The account's unit, from `welcome`: what the queue `mine` holds."""
        return self._queues.scope

    def set_scope(self, unit_id: str | None) -> None:
        """Scope `Queue.MINE` to a unit (and those under it, as `org_units` says); None empties it."""
        self._scope_unit = unit_id
        self._refresh_scope()

    @property
    def org_units(self) -> dict[str, Unit]:
        """The organisation as far as this client knows it: `org.units` at start, then `unit.changed`."""
        return self._org_units

    @org_units.setter
    def org_units(self, units: dict[str, Unit]) -> None:
        self._org_units = units
        self._refresh_scope()

    def _refresh_scope(self) -> None:
        unit_id = self._scope_unit
        scope = UnitScope.of(unit_id, self._org_units) if unit_id is not None else None
        if scope == self._queues.scope:
            return
        self._queues.scope = scope
        self._queues.rebuild(self._cases)
        if self._view is not None:
            self._view.rebuild(self._cases, self._queues.mask_of)
            self._rebuild_rows()
            self._mark_reset()

    def set_view(self, case_filter: CaseFilter | None) -> None:
        """Show the cases `case_filter` passes (None: every case). One scan and one sort; a reset for the UI."""
        if self._view is None and case_filter is None:
            return
        if self._view is not None and case_filter == self._view.filter:
            return
        self._view = (Tracked(case_filter, self._cases, self._queues.mask_of, counted=False)
                      if case_filter is not None else None)
        self._other_rows.clear()  # they hold the cases of the filter before
        self._rebuild_rows()
        self._mark_reset()

    # --- events -----------------------------------------------------------------------

    def apply(self, event: StoreEvent) -> ApplyResult:
        """Apply one event in `seq` order (see `ApplyResult`)."""
        if self._pending is not None:
            return self._hold(event)
        if event.seq <= self.last_seq:
            return _DUPLICATE
        if event.seq > self.last_seq + 1:
            return _GAP
        # Decoded events are never subclassed: the most frequent are found by identity, not isinstance.
        if type(event) is CaseUpdated:
            self._patch(event.data)
        elif type(event) is TimerLevelChanged:
            self._level(event)
        elif type(event) is CaseCreated or type(event) is CaseEnteredScope:
            self._put(compact_case(event.data), fresh=True)
        elif type(event) is CaseLeftScope:
            self._drop(event.data.id)
        elif isinstance(event, SupervisionRecorded):
            self.supervision.setdefault(event.data.case_id, []).append(event.data)
        elif isinstance(event, UnitStatsChanged):
            self.units[event.data.unit_id] = event.data
        elif isinstance(event, UnitChanged):
            self._org_units[event.data.id] = event.data
            if self._scope_unit is not None:
                self._refresh_scope()
        elif isinstance(event, EMERGENCY_EVENTS):
            self._emergency(event)
        self.last_seq = event.seq
        for tap in self.event_taps:
            tap(event)
        return _APPLIED

    def _emergency(self, event: EmergencyChanged | TaskChanged | DirectiveChanged | ReceiptChanged
                   | WarningChanged | ResourceChanged) -> None:
        if isinstance(event, EmergencyChanged):
            self.emergencies[event.data.id] = event.data
        elif isinstance(event, TaskChanged):
            self.tasks[event.data.id] = event.data
        elif isinstance(event, DirectiveChanged):
            self.directives[event.data.id] = event.data
        elif isinstance(event, WarningChanged):
            self.warnings[event.data.id] = event.data
        elif isinstance(event, ResourceChanged):
            self.resources[event.data.id] = event.data
        else:
            self.receipts[f"{event.data.directive_id}/{event.data.unit_id}"] = event.data
        self.emergency_version += 1

    def set_emergency_state(self, emergencies: list[Emergency], tasks: list[EmergencyTask],
                            directives: list[Directive], receipts: list[Receipt],
                            warnings: list[CapWarning] | None = None, resources: list[Resource] | None = None) -> None:
        """The joint response as a snapshot gives it: replaces what the store held."""
        self.emergencies = {e.id: e for e in emergencies}
        self.tasks = {t.id: t for t in tasks}
        self.directives = {d.id: d for d in directives}
        self.receipts = {f"{r.directive_id}/{r.unit_id}": r for r in receipts}
        self.warnings = {w.id: w for w in warnings or []}
        self.resources = {r.id: r for r in resources or []}
        self.emergency_version += 1

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
        # one C call reads every field, not 18 lookups by name (compiled: -1.9 % of an event's decode and apply)
        values = astuple(patch)
        changes = {name: value for at, name in _MERGED_FIELDS if (value := values[at]) is not msgspec.UNSET}
        if patch.trace is not msgspec.UNSET:
            changes["history"] = (*old.history, patch.trace)
        self._put(msgspec.structs.replace(old, **compact_changes(old, patch, changes)))

    def _level(self, event: TimerLevelChanged) -> None:
        old = self._cases.get(event.data.case_id)
        if old is None:
            return
        field = "level" if event.data.kind == "overall" else "step_level"
        self._put(msgspec.structs.replace(old, **{field: event.data.level}))

    def _put(self, case: Case, fresh: bool = False) -> None:
        """Store a case's new state; `fresh` when it was created (or re-sent whole) rather than patched."""
        case_id = case.id
        old = self._cases.get(case_id)
        self._cases[case_id] = case
        keys = self._keys
        slot = self._slot(case_id)  # every case held has one, shown or not: a filter change looks them up
        if slot == len(keys):  # a new slot (the kept sorts key it on return)
            keys.append(None)
        elif old is None:  # back after it left (its keys were forgotten): the kept sorts key it again on return
            self._resent.add(slot)
        old_mask, mask = self._queues.put(case_id, old, case, fresh)
        if fresh and old is not None:
            self._resent.add(slot)
            self._other_rows.clear()  # they can no longer find the case's old place (rare: a case re-sent whole)
        for stale in self._stale.values():
            stale.add(slot)
        for _rows, touched in self._other_rows.values():
            touched.add(slot)
        if self._values or self._making:
            self._put_values(slot, case, whole=fresh or old is None)
        old_key = keys[slot]
        if self._static and old is not None and not fresh:
            key = old_key  # a static sort's key cannot change (it may still be UNKEYED: made when a row needs it)
        else:
            key = self._key_func(case)
            if not old_key and old is not None:  # made now: the rows may ask for it while the case moves
                old_key = keys[slot] = self._key_func(old)
        # until the rows are done, keys[slot] is the key the case is found by (lazily keyed rows ask for it)
        view = self._view
        if view is None:
            was, now = old is not None, True
        else:
            was, now = view.put(case_id, old, old_mask, case, mask, fresh)
        rows = self._rows
        if was and now:
            if case_id not in self._new:
                self._changed.add(case_id)
            if key == old_key:
                return
            assert old_key is not None and key is not None
            if not self._moved and case_id not in self._new:  # did it pass another row?
                low, high = (old_key, key) if old_key < key else (key, old_key)
                following = rows.successor(low)
                self._moved = following is not None and following < high
            rows.remove(old_key)
            keys[slot] = key
            rows.insert(key, slot)
        elif now:
            if not key:
                key = self._key_func(case)
            keys[slot] = key
            rows.insert(key, slot)
            if case_id in self._gone:  # left and came back before a drain: the UI still has its row
                self._gone.discard(case_id)
                self._changed.add(case_id)
                self._moved = True
            else:
                self._new.add(case_id)
        elif was:
            assert old_key is not None and old is not None
            if not old_key:
                old_key = keys[slot] = self._key_func(old)
            rows.remove(old_key)
            keys[slot] = key
            if case_id in self._new:
                self._new.discard(case_id)
            else:
                self._gone.add(case_id)
                self._changed.discard(case_id)
        else:
            keys[slot] = key

    def _put_values(self, slot: int, case: Case, whole: bool) -> None:
        """The made values of the slot's case: every one for a new or re-sent case, else those an update moves."""
        values, making = self._values, self._making
        for column in values if whole else DYNAMIC_VALUES:
            held = values.get(column)
            if held is not None:
                value = SORT_VALUES[column].of(case)
                if slot < len(held):
                    held[slot] = value
                else:
                    held.append(value)
        for column in making if whole else DYNAMIC_VALUES:
            held = making.get(column)
            if held is not None and slot < len(held):  # slots past the made part are read when it gets there
                held[slot] = SORT_VALUES[column].of(case)
        if whole and self._tail_rank is not None:
            ranks, tail = self._tail_rank, (case.serial, case.id)
            if slot < len(ranks) and ranks[slot] != NO_RANK:
                return  # back after it left: its place is kept
            if tail <= self._tail_last:
                self._tail_rank = None  # out of the hub's numbering order (rare): ranked again when needed
                return
            self._tail_last = tail
            rank = self._next_rank
            self._next_rank += 1
            self._tail_order.append(slot)
            if slot < len(ranks):
                ranks[slot] = rank
            else:  # every new slot passes here while the ranks are kept
                ranks.append(rank)

    def _drop(self, case_id: str) -> None:
        """Forget a case the hub no longer shows this account (`case.left_scope`)."""
        old = self._cases.pop(case_id, None)
        self.supervision.pop(case_id, None)
        if old is None:
            return
        old_mask = self._queues.drop(case_id, old)
        view = self._view
        was = view is None or view.drop(case_id, old, old_mask)
        slot = self._slot_of[case_id]  # kept: a model may still show the case until it drains
        for keys in self._other_keys.values():
            if slot < len(keys):
                keys[slot] = None
        for stale in self._stale.values():
            stale.discard(slot)
        self._resent.discard(slot)
        self._other_rows.clear()  # they hold the case's row (rare: a case leaves a desk's scope)
        self._changed.discard(case_id)
        if not was:
            self._keys[slot] = None
            return
        key = self._keys[slot] or self._key_func(old)  # UNKEYED: made from the case that leaves
        self._keys[slot] = key  # what lazily keyed rows find it by until it is removed
        self._rows.remove(key)
        self._keys[slot] = None
        if case_id in self._new:
            self._new.discard(case_id)
        else:
            self._gone.add(case_id)

    # --- snapshots and resets ---------------------------------------------------------

    def set_alert_shelves(self, shelves: list[AlertShelf]) -> None:
        """The shelves in force from `snapshot.end` (before the events held meanwhile are applied)."""
        self.alert_shelves = list(shelves)
        self.alert_shelves_version += 1

    def begin_snapshot(self, as_of_seq: int) -> None:
        """Start receiving the state as of `as_of_seq`; the current state stays visible."""
        self._pending = {}
        self._pending_seq = as_of_seq
        self._held = []

    def add_snapshot_items(self, items: list[Case]) -> None:
        if self._pending is None:
            raise RuntimeError("snapshot items outside begin_snapshot() … end_snapshot()")
        pending = self._pending
        for case in items:
            compact_case(case)  # in place: the id is interned too
            pending[case.id] = case

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

    def load(self, cases: Iterable[Case], as_of_seq: int, prepared: Prepared | None = None, *,
             compacted: bool = False) -> bool:
        """Replace the whole state with these cases at once (a snapshot received whole: the cache's).

        `prepared`: their queue masks and keys under the current sort, made earlier; taken only when they
        are what this store would make now (`prepared.fits`), else made from the cases. `compacted`: the
        caller made them as `compact_case` would (the cache does, at C speed): no Python call per case.
        Returns whether `prepared` was taken."""
        self._pending = None
        self._held = []
        held: dict[str, Case]
        if compacted:
            cases = list(cases)
            held = dict(zip(map(_CASE_ID, cases), cases, strict=True))
        else:
            held = {}
            for case in cases:
                compact_case(case)  # in place: the id is interned too
                held[case.id] = case
        taken = self._load(held, prepared)
        self.last_seq = as_of_seq
        return taken

    def load_pending(self, ids: list[str], decode: Callable[[list[int]], dict[int, Case]],
                     rest: Callable[[], list[Case]], as_of_seq: int, prepared: Prepared) -> bool:
        """`load` before most cases are decoded (a cold start's first paint): the rows, counts and order from
        `prepared` (the cases' masks and keys, saved with their `ids`); `decode(slots)` gives the cases at those
        slots (and any decoded with them) by slot, `rest()` every case in `ids`' order (`finish_load`).

        Taken only where no case need be read for it (the view and every saved filter a queue alone, a sort by
        key) and `prepared` fits by shape (`prepared.fits_shape`). The cases of the first `OPENING_ROWS` rows
        are decoded now and their masks and keys made again: where one differs, every case is decoded and the
        queue made from them at once (logged; what `rest` raises then goes to the caller). The rest are
        decoded when first read, or by `finish_load`. False, nothing changed, where not taken (the caller
        loads the cases whole)."""
        scope, sort = self._queues.scope, self._sort_column
        if (not (self._view is None or self._view.plain) or not all(t.plain for t in self._queues.saved.values())
                or sort in SORT_VALUES or not fits_shape(prepared, ids, scope, sort)):
            return False
        slot_of = dict(zip(ids, range(len(ids)), strict=True))
        if len(slot_of) != len(ids):  # an id twice: not what a store holds
            return False
        self._pending = None
        self._held = []
        cases = PendingCases(slot_of, self._finished_cases)
        self._load(cases, prepared, checked=True)
        self.last_seq = as_of_seq
        decoded = decode([slot_of[self.id_at(row)] for row in range(min(OPENING_ROWS, len(self._rows)))])
        if (all(0 <= slot < len(ids) and ids[slot] == case.id for slot, case in decoded.items())
                and matches(prepared, decoded, decoded, scope, sort)):
            dict.update(cases, {case.id: case for case in decoded.values()})
            self._unfinished = (ids, rest, prepared, scope)
            return True
        log.warning("the snapshot cache's queue masks and keys do not match the opening rows' cases: made again")
        whole = rest()
        self._load(dict(zip(map(_CASE_ID, whole), whole, strict=True)))
        return True

    @property
    def loading(self) -> bool:
        """Whether a `load_pending` is not finished: whatever goes over every case had better wait for it."""
        return self._unfinished is not None

    def finish_load(self) -> bool:
        """Decode the cases `load_pending` left (nothing when there are none) and check them: the same ids in
        the same order, and every `SAMPLE_EVERY`-th case's mask and key made again and equal, else the queue
        is made again from the cases (one reset, logged). Cases that cannot be decoded leave the store empty
        at seq 0 with no log (the hub then sends a whole snapshot): False, logged."""
        unfinished, self._unfinished = self._unfinished, None
        if unfinished is None:
            return True
        ids, rest, prepared, scope = unfinished
        try:
            cases = rest()
            if list(map(_CASE_ID, cases)) != ids:
                raise ValueError(f"{len(cases)} cases decoded are not the {len(ids)} saved with their masks and keys")
        except Exception as exc:  # whatever the decoding raised: the cached state is gone
            log.error("the snapshot cache's cases could not be decoded after the first paint (%s): emptied", exc)
            self.reset()
            return False
        held = dict(zip(ids, cases, strict=True))
        if matches(prepared, cases, range(0, len(cases), SAMPLE_EVERY), scope, prepared.sort):
            self._cases = held  # the masks, keys and rows stay: they are the cases'
        else:
            log.warning("the snapshot cache's queue masks and keys failed the check of every %dth case: made again",
                        SAMPLE_EVERY)
            self._load(held)
        return True

    def _finished_cases(self) -> dict[str, Case]:
        """The cases once `finish_load` is done (what `PendingCases` reads through)."""
        self.finish_load()
        cases = self._cases
        if isinstance(cases, PendingCases) or not isinstance(cases, dict):
            raise RuntimeError("the store's cases were read while its load was being finished")
        return cases

    def set_histories(self, case_ids: Iterable[str], histories: Iterable[tuple[Trace, ...]]) -> list[Case]:
        """Give held cases these histories, nothing else changed (the cache's, restored after a start).

        No queue, filter, count or sort reads a history, so no mask, key, value or row is made again, and
        `loads` stays (values made for a sort are still good); one reset for the UI, whose cases are new
        objects. Ids no longer held are passed over. Returns the new cases."""
        cases, replace = self._cases, msgspec.structs.replace
        done: list[Case] = []
        for case_id, history in zip(case_ids, histories, strict=True):
            case = cases.get(case_id)
            if case is not None:
                case = cases[case_id] = replace(case, history=history)
                done.append(case)
        self._mark_reset()
        return done

    def reset(self) -> None:
        """Forget everything (a different log, or a user's request): empty, seq 0, no log."""
        self._pending = None
        self._held = []
        self._load({})
        self.last_seq = 0
        self.log_id = None
        self.figures = None

    def _load(self, cases: MutableMapping[str, Case], prepared: Prepared | None = None, *,
              checked: bool = False) -> bool:
        """`checked`: `prepared` was found to fit (`load_pending`). A load replaces one left unfinished."""
        self._unfinished = None
        self.loads += 1
        self._cases = cases
        self._slot_ids = list(cases)  # a new list: a model may still read the old one until it drains the reset
        self._slot_of = {case_id: slot for slot, case_id in enumerate(self._slot_ids)}
        taken = prepared is not None and (checked or fits(prepared, list(cases.values()), self._slot_ids,
                                                          self._queues.scope, self._sort_column))
        if taken:
            assert prepared is not None
            self._queues.load(cases, prepared.masks)
        else:
            self._queues.rebuild(cases)
        if self._view is not None:
            self._view.rebuild(cases, self._queues.mask_of)
        self._values.clear()
        self._making.clear()
        self._tail_rank = None
        # slot order is the dict's order after a load; a sort by value makes its keys when rows need them
        if taken:
            assert prepared is not None
            self._keys = list(prepared.keys)
        elif self._sort_column in SORT_VALUES:
            self._keys = [UNKEYED] * len(cases)
        else:
            self._keys = list(map(self._key_func, cases.values()))
        self._other_keys.clear()
        self._stale.clear()
        self._resent.clear()
        self._other_rows.clear()
        self._rebuild_rows()
        self._mark_reset()
        return taken

    def _mark_reset(self) -> None:
        self._reset = True
        self._new.clear()
        self._gone.clear()
        self._changed.clear()
        self._moved = False

    def _rebuild_rows(self) -> None:
        """The shown rows again: one scan, and one sort by value from tail order (keys made later), or by key."""
        view, keys = self._view, self._keys
        slots: Iterable[int]
        if view is not None:
            slots = map(self._slot_of.__getitem__, view.matching(self._cases, self._queues.mask_of))
        elif len(self._cases) == len(keys):  # no case left since the load: every slot is held
            slots = range(len(keys))
        else:
            slots = map(self._slot_of.__getitem__, self._cases)
        column = self._sort_column
        if column in SORT_VALUES:
            order = self._in_tail_order(slots)
            if column != "serial":  # the tail order is the serial sort's own
                order.sort(key=self._column_values(column).__getitem__)  # stable: equal values keep tail order
            self._rows = SortedRows.keyed_later(order, self._key_at)
            return
        order = sorted(slots, key=keys.__getitem__)  # type: ignore[arg-type]  # held slots have keys
        self._rows = SortedRows(map(keys.__getitem__, order), order)  # type: ignore[arg-type]

    def _in_tail_order(self, slots: Iterable[int]) -> list[int]:
        """The shown slots in tail order: with no filter and no case gone, the kept `_tail_order` copied
        (120,000 slots: ~5 ms, where sorting them by rank took ~30 ms; the same sort of a filtered two
        thirds took about half, less than picking them from the kept order with Python-called steps)."""
        ranks = self._tail_ranks()  # makes `_tail_order` too if it was not
        tail = self._tail_order
        if self._view is None and len(self._cases) == len(tail):  # every ranked slot is held and shown
            return tail.tolist()
        return sorted(slots, key=ranks.__getitem__)

    def _key_at(self, slot: int) -> SortKey:
        """The key of a held case under the current sort, made now if it was not (what lazily keyed rows ask).
        While a case moves, its slot holds the key it is found by (`_put`)."""
        key = self._keys[slot]
        if not key:
            key = self._keys[slot] = self._key_func(self._cases[self._slot_ids[slot]])
        return key

    def _column_values(self, column: str) -> MutableSequence[SortValue]:
        """A column's values by slot, made once (40-100 ms at 120,000 cases, unless `warm_sorts` made them) and
        kept up to date by `_put` from then on."""
        values = self._values.get(column)
        if values is None:
            self._make_values(column, len(self._slot_ids))
            values = self._values[column]
        return values

    def _make_values(self, column: str, count: int) -> None:
        """Make the values of up to `count` more slots of a column; a column made to its last slot is kept."""
        of, typecode, missing = SORT_VALUES[column]
        values = self._making.get(column)
        if values is None:
            made: MutableSequence[SortValue] = array(typecode) if typecode is not None else []  # type: ignore[assignment]
            values = self._making[column] = made
        ids, get = self._slot_ids, self._cases.get
        start = len(values)
        values.extend([of(case) if (case := get(case_id)) is not None else missing
                       for case_id in ids[start : start + count]])
        if len(values) == len(ids):
            self._values[column] = self._making.pop(column)

    def warm_sorts(self, count: int = WARM_CASES) -> bool:
        """Make a part of what a first sort by value needs: the next `count` slots' values of a column not made
        yet (the serials first), or the tail ranks (one sort). False when everything is made.

        For the UI's idle moments (a few ms a call): a first sort on a warm column orders 120,000 slots by their
        tail ranks and values, two sorts in C, instead of making 120,000 key strings (see `SORT_VALUES`)."""
        for column in SORT_VALUES:  # serial first: the tail ranks need it
            if column not in self._values:
                self._make_values(column, count)
                return True
            if column == "serial" and self._tail_rank is None:
                self._tail_ranks()
                return True
        return False

    def _tail_ranks(self) -> array[int]:
        """Each held slot's place in (serial, id) order, made once per load (a sort of the serials, nearly in
        order already as the hub numbers cases) and extended as new cases come."""
        ranks = self._tail_rank
        if ranks is not None:
            return ranks
        serials, ids = self._column_values("serial"), self._slot_ids
        order = sorted(map(self._slot_of.__getitem__, self._cases), key=serials.__getitem__)
        if len(set(map(serials.__getitem__, order))) < len(order):  # equal serials (the hub never repeats one)
            order.sort(key=lambda slot: (serials[slot], ids[slot]))
        ranks = array(SLOT_TYPE, [NO_RANK]) * len(ids)
        for rank, slot in enumerate(order):
            ranks[slot] = rank
        self._tail_order = array(SLOT_TYPE, order)
        self._next_rank = len(order)
        last = order[-1] if order else None
        self._tail_last = (str(serials[last]), ids[last]) if last is not None else ("", "")
        self._tail_rank = ranks
        return ranks

    # --- order ------------------------------------------------------------------------

    def set_sort(self, column_key: str, descending: bool = False) -> None:
        """Sort by another column (one sort of the shown keys, or the rows kept from the last time
        it was used, mended case by case). Reported to the UI as `moved`."""
        if column_key not in SORT_KEYS:
            raise ValueError(f"unknown sort column {column_key!r}; known: {', '.join(SORT_KEYS)}")
        if column_key == self._sort_column and descending == self._descending:
            return
        if column_key != self._sort_column:
            kept = self._other_rows.pop(column_key, None)
            if self._rows.fully_keyed:  # rows still keyed later would ask the next sort's keys
                self._other_rows[self._sort_column] = (self._rows, set())
            while len(self._other_rows) > KEPT_ROWS:
                del self._other_rows[next(iter(self._other_rows))]  # the longest unused
            mendable = kept is not None and len(kept[1]) <= len(kept[0]) // 4
            touched = kept[1] if kept is not None and mendable else set()
            old_keys = self._switch_keys(column_key, touched)
            if kept is not None and mendable:
                self._rows = self._mend(kept[0], touched, old_keys)
            else:
                self._rebuild_rows()
        self._descending = descending
        if len(self._rows) > 1:
            self._moved = True

    def _mend(self, rows: SortedRows, touched: set[int], old_keys: dict[int, SortKey]) -> SortedRows:
        """Rows kept from when this sort was left, brought up to date for the cases put since."""
        view, cases, masks, ids = self._view, self._cases, self._queues.mask_of, self._slot_ids
        for slot in touched:
            old = old_keys.get(slot)
            if old is not None:
                with contextlib.suppress(KeyError):  # it was not shown then
                    rows.remove(old)
            case_id = ids[slot]
            case = cases.get(case_id)
            if case is not None and (view is None or view.contains(case_id, case, masks[case_id])):
                rows.insert(self._key_at(slot), slot)
        return rows

    def _switch_keys(self, column_key: str, touched: set[int]) -> dict[int, SortKey]:
        """Take the keys of another sort: kept ones brought up to date, the rest computed once.

        Returns the keys the `touched` slots had before (for `_mend`)."""
        left = self._sort_column
        self._other_keys[left] = self._keys
        if left not in STATIC_SORTS:
            self._stale[left] = set()
        key_func, cases, ids = SORT_KEYS[column_key], self._cases, self._slot_ids

        def key_of(case_id: str) -> SortKey | None:
            case = cases.get(case_id)
            return key_func(case) if case is not None else None  # None: the case left

        kept = self._other_keys.pop(column_key, None)
        stale = self._stale.pop(column_key, set())
        old_keys: dict[int, SortKey] = {}
        by_value = column_key in SORT_VALUES
        if kept is None and by_value:  # keys made as rows need them
            keys: list[SortKey | None] = ([UNKEYED] * len(ids) if len(cases) == len(ids)
                                          else [UNKEYED if case_id in cases else None for case_id in ids])
        elif kept is None:  # no case left since the load: no lookup can miss
            keys = (list(map(key_func, map(cases.__getitem__, ids))) if len(cases) == len(ids)
                    else list(map(key_of, ids)))
        else:
            keys = kept
            old_keys = {slot: key for slot in touched if slot < len(keys) and (key := keys[slot])}
            for slot in stale | self._resent:
                if slot < len(keys):
                    keys[slot] = UNKEYED if by_value and ids[slot] in cases else key_of(ids[slot])
            keys.extend(map(key_of, ids[len(keys):]))
        self._sort_column, self._key_func, self._keys = column_key, key_func, keys
        self._static = column_key in STATIC_SORTS
        return old_keys

    # --- changes for the UI -----------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when `drain()` would return a non-empty batch (cheap: for a polling timer)."""
        return self._reset or self._moved or bool(self._new) or bool(self._changed) or bool(self._gone)

    def drain(self) -> StoreBatch:
        """Return the changes since the last drain and start a new batch."""
        if self._reset or len(self._new) > max(RELOAD_ABOVE, len(self._rows) // 2):
            batch = StoreBatch(reset=True)
        elif not self.dirty:
            return StoreBatch()
        else:
            placed = sorted((self.row_of(case_id), case_id) for case_id in self._new)
            batch = StoreBatch(inserted=tuple(row for row, _ in placed), inserted_ids=tuple(i for _, i in placed),
                               moved=self._moved, changed_ids=frozenset(self._changed),
                               removed_ids=frozenset(self._gone))
        self._reset = False
        self._new = set()
        self._gone = set()
        self._changed = set()
        self._moved = False
        return batch
