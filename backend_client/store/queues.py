"""The duty officer's queues (待立案, 待派遣, 退单, 待核查, 待回访, 超期, 本单位, 全部在办) and saved filters.

Pure Python (no Qt). Each case's queues are one bitmask (`queue_mask`), computed once per
change of the case; the counts follow from the old and the new mask, so keeping them costs
the same whatever the number of cases. A saved filter (`CaseFilter`) splits into what no
`case.updated` can change (street, grid, category, channel, text: matched once, when the
case arrives) and what it can (queue, unit, level: matched again on every change).

Every queue here is a predicate on the case as the feed gives it, levels included: the hub
sends a level change when a limit crosses a threshold, so "overdue" follows the hub's
clock, and a count never needs a timer.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import msgspec

from protocol.enums import OPEN_STATUSES, CaseFlag, CaseStatus, Channel, SlaLevel, UnitKind
from protocol.events import Case, Unit


class Queue(StrEnum):
    """A built-in queue of the sidebar, in the order it shows them."""

    TO_REGISTER = "to_register"
    """受理, not yet registered (status `received`)."""
    TO_DISPATCH = "to_dispatch"
    """Registered, not yet dispatched; a case returned once is here again. Not while it awaits arbitration."""
    RETURNED = "returned"
    """Returned by a unit (退单) and back at the centre: to dispatch again, or to arbitrate after two returns."""
    TO_SIGN = "to_sign"
    """Dispatched, not yet signed for (签收) by its unit."""
    IN_HANDLING = "in_handling"
    """Signed for or being handled (处置) by its unit, no feedback yet."""
    TO_VERIFY = "to_verify"
    """The unit gave feedback (反馈): the centre verifies (核查)."""
    CALL_BACK = "call_back"
    """Closed, with a requester's number, not yet called back (回访); not for cases passed to 110."""
    OVERDUE = "overdue"
    """Red on the step or the overall limit: open cases, and call-backs past their step limit."""
    MINE = "mine"
    """Cases of the account's unit (its scope from `welcome`), open or awaiting call-back."""
    ALL_OPEN = "all_open"
    """Every open case (受理 to 核查)."""


QUEUES = tuple(Queue)
BIT: dict[Queue, int] = {queue: 1 << position for position, queue in enumerate(QUEUES)}
_MASKS = tuple(range(1 << len(QUEUES)))
"""One int object per mask: an open case's mask is above 256, past CPython's cached small ints, and 120,000
cases held 120,000 equal ints (28 bytes each)."""

_RED = SlaLevel.RED
_LEVEL_ORDER = {SlaLevel.BLUE: 0, SlaLevel.YELLOW: 1, SlaLevel.ORANGE: 2, SlaLevel.RED: 3}
_ALL_OPEN, _CALL_BACK, _MINE, _OVERDUE = [BIT[q] for q in (Queue.ALL_OPEN, Queue.CALL_BACK, Queue.MINE, Queue.OVERDUE)]
_TO_DISPATCH, _RETURNED = BIT[Queue.TO_DISPATCH], BIT[Queue.RETURNED]
_REGISTERED, _CLOSED = CaseStatus.REGISTERED, CaseStatus.CLOSED
_ARBITRATION, _TRANSFERRED_110 = CaseFlag.ARBITRATION, CaseFlag.TRANSFERRED_110
_OPEN_MASK: dict[CaseStatus, int] = {
    status: _ALL_OPEN | {
        CaseStatus.RECEIVED: BIT[Queue.TO_REGISTER],
        CaseStatus.DISPATCHED: BIT[Queue.TO_SIGN],
        CaseStatus.SIGNED: BIT[Queue.IN_HANDLING],
        CaseStatus.HANDLING: BIT[Queue.IN_HANDLING],
        CaseStatus.FEEDBACK: BIT[Queue.TO_VERIFY],
    }.get(status, 0)
    for status in OPEN_STATUSES
}
"""An open status's queues, before a registered case's dispatch or return and the overdue bit. Module
constants, not `Queue.X` in the function: an enum member read from its class is ~60 ns in 3.11 (the
metaclass's `__getattr__` hook), a global ~6, and this runs on every change of every case."""


def worse_level(case: Case) -> SlaLevel:
    """The worse of the case's two limits (step and overall), as the hub last set them."""
    return case.level if _LEVEL_ORDER[case.level] >= _LEVEL_ORDER[case.step_level] else case.step_level


def awaits_call_back(case: Case) -> bool:
    """Closed with a number to call, not passed to 110. A call-back leaves `closed` (to `called_back`, or
    back to `handling` when it reopens the case: closed again, it awaits a second call-back, `satisfied`
    False from the first), so the status alone says it is not yet done."""
    return case.status is _CLOSED and case.requester_phone is not None and _TRANSFERRED_110 not in case.flags


@dataclass(frozen=True, slots=True)
class UnitScope:
    """An account scoped to a unit, as the hub decides it (hub/org/chart.py `in_scope`).

    A case is the desk's when its unit, or a unit under it, owns or co-handles it, or when it
    lies on the ground the unit serves (a street centre's street, a committee's area, a grid).
    """

    unit_id: str
    owners: frozenset[str]
    """The unit and every unit under it."""
    street_code: str | None = None
    committee_code: str | None = None
    grid_id: str | None = None

    @classmethod
    def of(cls, unit_id: str, units: Mapping[str, Unit]) -> UnitScope:
        children: dict[str, list[str]] = {}
        for unit in units.values():
            if unit.parent_id is not None:
                children.setdefault(unit.parent_id, []).append(unit.id)
        owners, todo = {unit_id}, deque([unit_id])
        while todo:
            for child in children.get(todo.popleft(), ()):
                if child not in owners:
                    owners.add(child)
                    todo.append(child)
        own = units.get(unit_id)
        kind = own.kind if own is not None else None
        return cls(
            unit_id, frozenset(owners),
            street_code=own.street_code if own is not None and kind is UnitKind.STREET_CENTRE else None,
            committee_code=own.committee_code if own is not None and kind is UnitKind.COMMITTEE else None,
            grid_id=unit_id if kind is UnitKind.GRID else None,
        )

    def matches(self, case: Case) -> bool:
        owners = self.owners
        if case.unit_id in owners or any(unit in owners for unit in case.co_unit_ids):
            return True
        return ((self.street_code is not None and case.street_code == self.street_code)
                or (self.committee_code is not None and case.committee_code == self.committee_code)
                or (self.grid_id is not None and case.grid_id == self.grid_id))


def queue_mask(case: Case, scope: UnitScope | None = None) -> int:
    """The queues a case is in, as a bitmask of `BIT`."""
    status = case.status
    mask = _OPEN_MASK.get(status)
    if mask is None:  # closed, rejected, merged: only a call-back still to make keeps it in a queue
        if not awaits_call_back(case):
            return 0
        mask = _CALL_BACK
        if case.step_level is _RED:
            mask |= _OVERDUE
    else:
        if status is _REGISTERED:
            arbitration = _ARBITRATION in case.flags
            if not arbitration:
                mask |= _TO_DISPATCH
            if arbitration or case.returns > 0:
                mask |= _RETURNED
        if case.step_level is _RED or case.level is _RED:
            mask |= _OVERDUE
    if scope is not None:  # a unit's desk: every queue holds only the desk's cases (the feed is not filtered)
        return _MASKS[mask | _MINE] if scope.matches(case) else 0
    return _MASKS[mask]


class CaseFilter(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """What a saved filter (or the sidebar's current choice with its search text) shows.

    Every criterion given must hold; within one criterion any listed value does. Stored in
    the settings as JSON (`msgspec.json`), so field names are part of the saved format.
    """

    queue: Queue = Queue.ALL_OPEN
    streets: frozenset[str] = frozenset()
    """Street/town codes (`street_code`)."""
    grids: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    """Category codes or code prefixes: "01" takes every category under 01."""
    channels: frozenset[Channel] = frozenset()
    units: frozenset[str] = frozenset()
    """Unit ids: the case's unit or one of its co-units."""
    levels: frozenset[SlaLevel] = frozenset()
    """The worse of the two limits' levels."""
    text: str = ""
    """Words that must each appear in the serial number, the address or the description (any case)."""

    @property
    def has_static(self) -> bool:
        return bool(self.streets or self.grids or self.categories or self.channels or self.text.strip())

    def static_matcher(self) -> Callable[[Case], bool]:
        """A test of the fields no update changes (prepared once: terms folded, prefixes tupled)."""
        return _StaticMatch(self.streets, self.grids, tuple(self.categories), self.channels,
                            self.text.casefold().split())

    def dynamic_match(self, case: Case, mask: int) -> bool:
        """The criteria an update can change: the queue (from the case's `mask`), the unit, the level."""
        if not mask & BIT[self.queue]:
            return False
        if self.units and case.unit_id not in self.units and not self.units.intersection(case.co_unit_ids):
            return False
        return not self.levels or worse_level(case) in self.levels

    def matches(self, case: Case, scope: UnitScope | None = None) -> bool:
        """The whole filter on one case (slow path, for tests and one-off checks)."""
        return self.static_matcher()(case) and self.dynamic_match(case, queue_mask(case, scope))

    def with_text(self, text: str) -> CaseFilter:
        """This filter narrowed by more search words."""
        joined = f"{self.text} {text}".strip()
        return msgspec.structs.replace(self, text=joined) if joined != self.text else self


class _StaticMatch:
    """`CaseFilter.static_matcher`'s test (a class, not a closure: mypyc compiles no closure in a method
    of a msgspec struct)."""

    __slots__ = ("channels", "grids", "prefixes", "streets", "terms")

    def __init__(self, streets: frozenset[str], grids: frozenset[str], prefixes: tuple[str, ...],
                 channels: frozenset[Channel], terms: list[str]) -> None:
        self.streets, self.grids, self.prefixes, self.channels, self.terms = streets, grids, prefixes, channels, terms

    def __call__(self, case: Case) -> bool:
        if self.streets and case.street_code not in self.streets:
            return False
        if self.grids and case.grid_id not in self.grids:
            return False
        if self.prefixes and not case.category_code.startswith(self.prefixes):
            return False
        if self.channels and case.channel not in self.channels:
            return False
        if self.terms:
            haystack = f"{case.serial}\n{case.address}\n{case.description}".casefold()
            return all(term in haystack for term in self.terms)
        return True


class Tracked:
    """A filter applied to a store's cases: which match its static criteria, and how many match now."""

    __slots__ = ("_counted", "_static", "count", "filter", "static_ids")

    def __init__(self, case_filter: CaseFilter, cases: Mapping[str, Case], mask_of: Mapping[str, int],
                 *, counted: bool = True) -> None:
        self.filter = case_filter
        self._static = case_filter.static_matcher()
        self._counted = counted
        self.static_ids: set[str] | None = None
        """Ids that pass the static criteria; None when there are none (every case passes)."""
        self.count = 0
        """Cases that pass now (kept only when `counted`: a store's view counts its rows instead)."""
        self.rebuild(cases, mask_of)

    def rebuild(self, cases: Mapping[str, Case], mask_of: Mapping[str, int]) -> None:
        if self.filter.has_static:
            static = self._static
            self.static_ids = {case_id for case_id, case in cases.items() if static(case)}
        else:
            self.static_ids = None
        self.count = len(self.matching(cases, mask_of)) if self._counted else 0

    @property
    def plain(self) -> bool:
        """Only a queue: membership is one bit of the case's mask."""
        f = self.filter
        return not (f.has_static or f.units or f.levels)

    def matching(self, cases: Mapping[str, Case], mask_of: Mapping[str, int]) -> list[str]:
        """Ids of every case that passes now (one scan; a bit test per case for a plain queue)."""
        if self.plain:
            bit = BIT[self.filter.queue]
            return [case_id for case_id, mask in mask_of.items() if mask & bit]
        candidates = cases.keys() if self.static_ids is None else self.static_ids
        dynamic = self.filter.dynamic_match
        return [case_id for case_id in candidates if dynamic(cases[case_id], mask_of[case_id])]

    def contains(self, case_id: str, case: Case, mask: int) -> bool:
        static = self.static_ids
        return (static is None or case_id in static) and self.filter.dynamic_match(case, mask)

    def put(
        self, case_id: str, old: Case | None, old_mask: int, new: Case, mask: int, fresh: bool
    ) -> tuple[bool, bool]:
        """Follow one change of a case; (matched before, matches now)."""
        was = old is not None and self.contains(case_id, old, old_mask)
        static = self.static_ids
        if fresh and static is not None:  # a new case, or one replaced whole: its static fields may differ
            if self._static(new):
                static.add(case_id)
            else:
                static.discard(case_id)
        now = self.contains(case_id, new, mask)
        if now != was and self._counted:
            self.count += 1 if now else -1
        return was, now

    def drop(self, case_id: str, old: Case, old_mask: int) -> bool:
        """Forget a case the store no longer holds; whether it matched."""
        was = self.contains(case_id, old, old_mask)
        if self.static_ids is not None:
            self.static_ids.discard(case_id)
        if was and self._counted:
            self.count -= 1
        return was


_QUEUE_BITS = len(QUEUES)
_STEPS: dict[int, tuple[tuple[int, int], ...]] = {}
"""What a change of a case's mask does to the counts, (queue position, +1 or -1) for each bit that flips, by
`old << _QUEUE_BITS | new`: a few hundred changes occur, and a loop over the bits in Python cost up to ten
turns an event (a case closing flips the last bit)."""
_STEPS_KEPT = 4096


def _steps(old_mask: int, mask: int) -> tuple[tuple[int, int], ...]:
    key = old_mask << _QUEUE_BITS | mask
    steps = _STEPS.get(key)
    if steps is None:
        if len(_STEPS) >= _STEPS_KEPT:
            _STEPS.clear()
        diff = old_mask ^ mask
        steps = _STEPS[key] = tuple((position, 1 if mask >> position & 1 else -1)
                                    for position in range(_QUEUE_BITS) if diff >> position & 1)
    return steps


class QueueIndex:
    """The queues of every case of a store, their counts, and the counts of the saved filters."""

    def __init__(self) -> None:
        self.mask_of: dict[str, int] = {}
        self._counts = [0] * len(QUEUES)
        self.scope: UnitScope | None = None
        self.saved: dict[str, Tracked] = {}
        self.masks_made = 0
        """Masks made from cases so far (a load that takes saved masks makes none)."""

    def count(self, queue: Queue) -> int:
        return self._counts[QUEUES.index(queue)]

    def counts(self) -> dict[Queue, int]:
        return dict(zip(QUEUES, self._counts, strict=True))

    def put(self, case_id: str, old: Case | None, new: Case, fresh: bool) -> tuple[int, int]:
        """Follow one change of a case; returns its (old, new) mask. `fresh`: created or replaced whole."""
        old_mask = self.mask_of.get(case_id, 0)
        mask = queue_mask(new, self.scope)
        self.masks_made += 1
        self.mask_of[case_id] = mask
        if mask != old_mask:
            counts = self._counts
            for position, step in _STEPS.get(old_mask << _QUEUE_BITS | mask) or _steps(old_mask, mask):
                counts[position] += step
        for tracked in self.saved.values():
            tracked.put(case_id, old, old_mask, new, mask, fresh)
        return old_mask, mask

    def drop(self, case_id: str, old: Case) -> int:
        """Forget a case the store no longer holds; returns the mask it had."""
        old_mask = self.mask_of.pop(case_id, 0)
        counts = self._counts
        for position, step in _steps(old_mask, 0):
            counts[position] += step
        for tracked in self.saved.values():
            tracked.drop(case_id, old, old_mask)
        return old_mask

    def rebuild(self, cases: Mapping[str, Case]) -> None:
        """Everything again from `cases` (after a snapshot, or when the scope changed)."""
        scope = self.scope
        self._take({case_id: queue_mask(case, scope) for case_id, case in cases.items()}, cases)
        self.masks_made += len(cases)

    def load(self, cases: Mapping[str, Case], masks: Iterable[int]) -> None:
        """Everything from `cases` and their masks under this scope, made earlier (one per case, same order)."""
        self._take(dict(zip(cases, map(_MASKS.__getitem__, masks), strict=True)), cases)

    def _take(self, mask_of: dict[str, int], cases: Mapping[str, Case]) -> None:
        self.mask_of = mask_of
        counts = [0] * len(QUEUES)
        for mask, cases_with in Counter(mask_of.values()).items():  # a few hundred masks at most
            for position in range(len(QUEUES)):
                if mask >> position & 1:
                    counts[position] += cases_with
        self._counts = counts
        for tracked in self.saved.values():
            tracked.rebuild(cases, mask_of)

    def set_saved(self, filters: Mapping[str, CaseFilter], cases: Mapping[str, Case]) -> None:
        """Count these filters from now on (by name); a filter kept unchanged is not rescanned."""
        kept = {name: t for name, t in self.saved.items() if filters.get(name) == t.filter}
        self.saved = {name: kept.get(name) or Tracked(f, cases, self.mask_of) for name, f in filters.items()}


def recount(cases: Iterable[Case], scope: UnitScope | None = None) -> dict[Queue, int]:
    """Counts of every queue from scratch (what the incremental counts must always equal)."""
    counts = dict.fromkeys(QUEUES, 0)
    for case in cases:
        mask = queue_mask(case, scope)
        for queue in QUEUES:
            if mask & BIT[queue]:
                counts[queue] += 1
    return counts
