"""Which open timers change level, and when: a heap keyed by each timer's next threshold.

The hub holds tens of thousands of open cases, each with an overall and a step timer, and must
turn a case yellow / orange / red at the exact instant (supervisors see it, rankings count it).
Scanning every case each second costs O(n) per tick whether or not anything changes; here a tick
costs O(k log n) for the k changes that are due, and nothing when none is.

Pure and synchronous, with no clock of its own: the caller passes `now` (the hub's loop sleeps
until `next_wakeup()`, tests pass fixed instants). A timer is in the heap once, at its *next*
threshold only; when that passes it is pushed again at the following one.

Layout: each tracked timer owns a slot in parallel arrays, and a heap item is one plain int,
`(threshold in µs since the epoch) << 32 | slot`. Ints compare in C and are invisible to the
garbage collector, so 100,000 timers add no objects for a full collection to walk (with tuples
and entry objects, a collection pause doubled and fell inside ticks). The key a slot expects next
is its version: re-tracking or untracking writes a new key (or none) and leaves the old heap item
behind, skipped when it surfaces; the heap is rebuilt if such leftovers pile up. A slot's three
thresholds are kept in µs too (`_thresholds`), converted once when the timer is tracked, so a tick
does no datetime arithmetic; and a `LevelChange` is a struct the collector does not track, made in
C: a tick of 200 changes allocates nothing that counts towards a collection but its list (with
named tuples and datetime arithmetic it cost 2.7 µs a change, 0.55 ms a full slice, up to 1.3 ms
with the machine's jitter; docs/architecture.md, "The level-change tick"). About 175–225 bytes per
timer on CPython 3.11 (the Timer itself and the case id belong to the case).

A paused timer (挂起) is untracked, and tracked again with the resumed Timer.
"""

from __future__ import annotations

import heapq
from array import array
from datetime import UTC, datetime, timedelta
from operator import attrgetter

import msgspec

from hub.engine.timers import LEVELS
from protocol.enums import SlaLevel
from protocol.events import Timer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_RED = len(LEVELS) - 1
_INDEX = {level: index for index, level in enumerate(LEVELS)}
_STARTS = tuple(attrgetter(name) for name in ("started_at", "yellow_at", "orange_at", "due_at"))
"""Instant from which each level (by index) holds; attrgetter keeps the hot loop in C."""
_SHIFT = 32
_SLOT = (1 << _SHIFT) - 1
_NONE = -1
"""Key of a slot that waits for nothing (free, or its timer is red)."""
_COMPACT_MIN = 1024
"""Leftover heap items tolerated before a rebuild is considered (rebuilds are O(n))."""


def _us(moment: datetime) -> int:
    """Microseconds since the epoch (UTC), exact: a threshold is reported at its own microsecond."""
    return (moment - _EPOCH) // _US


class LevelChange(msgspec.Struct, frozen=True, gc=False):
    """A timer of `case_id` moved from `old` to `new` at the threshold instant `at` (UTC).

    `gc=False`: never tracked by the cyclic collector, and its fields (strings, levels, an instant)
    cannot make a reference cycle.
    """

    case_id: str
    kind: str
    old: SlaLevel
    new: SlaLevel
    at: datetime


class SlaScheduler:
    """Open timers by (case id, kind), each scheduled at its next threshold."""

    __slots__ = ("_cases", "_free", "_heap", "_keys", "_kinds", "_levels", "_slots", "_stale", "_thresholds",
                 "_timers")

    def __init__(self) -> None:
        self._heap: list[int] = []
        self._slots: dict[str, dict[str, int]] = {}
        """kind → case id → slot."""
        self._cases: list[str] = []
        self._kinds: list[str] = []
        self._timers: list[Timer | None] = []
        self._levels = bytearray()
        self._thresholds = array("q")
        """Yellow, orange and red of each slot (3 per slot) in µs since the epoch."""
        self._keys: list[int] = []
        """The heap item each slot waits for, or _NONE."""
        self._free: list[int] = []
        self._stale = 0
        """Heap items whose slot no longer waits for them (an upper bound; dropped lazily)."""

    def __len__(self) -> int:
        """Number of tracked timers (red ones included: they stay tracked until untracked)."""
        return len(self._cases) - len(self._free)

    def track(self, case_id: str, kind: str, timer: Timer, current_level: SlaLevel) -> None:
        """Follow `timer` (kind e.g. "overall" or "step"), now at `current_level`; replaces a previous one.

        `current_level` is the level the case shows (e.g. as stored); if the timer is further on
        than that, the next `due()` reports each change it missed, at its own instant.
        """
        slots = self._slots.setdefault(kind, {})
        slot = slots.get(case_id)
        level = _INDEX[current_level]
        if slot is None:
            slot = slots[case_id] = self._new_slot()
        elif self._timers[slot] is timer and self._levels[slot] == level:
            # Already waiting for this timer's next threshold: a step keeps the case's overall timer, and the
            # writer re-tracks every case a commit changed (each time a stale heap item and a new one, before).
            return
        elif self._keys[slot] != _NONE:
            self._stale += 1
        self._cases[slot], self._kinds[slot], self._timers[slot], self._levels[slot] = case_id, kind, timer, level
        base = 3 * slot
        self._thresholds[base : base + 3] = array("q", (_us(timer.yellow_at), _us(timer.orange_at),
                                                        _us(timer.due_at)))
        self._keys[slot] = _NONE
        if level < _RED:
            key = self._keys[slot] = self._thresholds[base + level] << _SHIFT | slot
            heapq.heappush(self._heap, key)
        self._maybe_compact()

    def _new_slot(self) -> int:
        if self._free:
            return self._free.pop()
        slot = len(self._cases)
        if slot > _SLOT:
            raise OverflowError(f"more than {_SLOT + 1} tracked timers")
        self._cases.append("")
        self._kinds.append("")
        self._timers.append(None)
        self._levels.append(0)
        self._thresholds.extend((0, 0, 0))
        self._keys.append(_NONE)
        return slot

    def untrack(self, case_id: str, kind: str | None = None) -> None:
        """Stop following one timer of a case, or all of them (kind None); unknown ids are ignored."""
        for name, slots in self._slots.items():
            if kind is not None and name != kind:
                continue
            slot = slots.pop(case_id, None)
            if slot is None:
                continue
            if self._keys[slot] != _NONE:
                self._stale += 1
            self._keys[slot] = _NONE
            self._cases[slot], self._timers[slot] = "", None
            self._free.append(slot)
        self._maybe_compact()

    def level(self, case_id: str, kind: str) -> SlaLevel | None:
        """The level last reported for a tracked timer, None if it is not tracked."""
        slot = self._slots.get(kind, {}).get(case_id)
        return None if slot is None else LEVELS[self._levels[slot]]

    def due(self, now: datetime, max_changes: int | None = None) -> list[LevelChange]:
        """Level changes with threshold <= `now`, oldest first (ties in slot order), each reported once.

        A timer several thresholds behind (the hub was down) yields one change per threshold,
        each at its own instant, so the history reads blue→yellow→orange→red, not blue→red.
        Working-time limits bunch up (every case phoned in overnight starts counting at 09:00),
        so thousands of changes can fall on one second: `max_changes` caps one call, and the
        rest stays due (`next_wakeup()` <= now) for the next call, which keeps an event loop
        responsive between slices.
        """
        last = _us(now) << _SHIFT | _SLOT
        budget = -1 if max_changes is None else max_changes
        heap, keys, levels, timers, cases, kinds, thresholds = (
            self._heap, self._keys, self._levels, self._timers, self._cases, self._kinds, self._thresholds)
        changes: list[LevelChange] = []
        while heap and heap[0] <= last and budget != 0:
            item = heap[0]
            slot = item & _SLOT
            if keys[slot] != item:
                heapq.heappop(heap)
                self._stale = max(0, self._stale - 1)
                continue
            old = levels[slot]
            levels[slot] = new = old + 1
            changes.append(LevelChange(cases[slot], kinds[slot], LEVELS[old], LEVELS[new], _STARTS[new](timers[slot])))
            budget -= 1
            if new < _RED:
                when = thresholds[3 * slot + new]
                keys[slot] = (when if when > item >> _SHIFT else item >> _SHIFT) << _SHIFT | slot
                heapq.heapreplace(heap, keys[slot])
            else:
                keys[slot] = _NONE
                heapq.heappop(heap)
        return changes

    def next_wakeup(self) -> datetime | None:
        """The next threshold instant of any tracked timer (UTC), None when no change is pending."""
        heap, keys = self._heap, self._keys
        while heap and keys[heap[0] & _SLOT] != heap[0]:
            heapq.heappop(heap)
            self._stale = max(0, self._stale - 1)
        return _EPOCH + timedelta(microseconds=heap[0] >> _SHIFT) if heap else None

    def _maybe_compact(self) -> None:
        """Rebuild the heap from the live keys once leftovers outnumber live items (amortised O(1))."""
        if self._stale < _COMPACT_MIN or self._stale * 2 < len(self._heap):
            return
        self._heap = [key for key in self._keys if key != _NONE]
        heapq.heapify(self._heap)
        self._stale = 0
