"""Fewer bytes per case: what repeats across cases, or within one, is held once.

A case decoded from a frame brings its own copy of every string and instant. The category's
two names, the street's, the committee's and the unit's came again with each of 120,000
cases (about 600 bytes a case), the same instant appeared up to five times in one case (when
it was received, when its overall limit started, its first step…), and every case and step
had empty lists of its own (co-units, flags, photos: 56 bytes each, and each one an object
the cyclic collector tracks). `compact_case` makes the store keep one object for each:

* names, codes and account names through `sys.intern` (the table keeps a string only while
  something uses it, so it never grows past the vocabulary in use);
* a case's equal instants as one `datetime` (compared where the hub makes them equal: a limit
  starts when the step did, a step's trace is stamped when the case was updated);
* equal routings as one `Routing`;
* every empty list as one shared list, `EMPTY`.

The values stay equal, so nothing a view or a test reads changes, and what is encoded again
(the snapshot cache) is byte for byte the same. The decoded objects are the store's own, so
they are set in place (`msgspec.structs.force_setattr`) rather than copied. Free text
(address, description, notes, phone numbers) is left alone: it rarely repeats, and a table
of unique strings would cost more than it saves.

Nothing may change a list held by a case (cases are frozen values): `EMPTY` is shared by
every case and step of the store.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import compress, repeat
from operator import and_, attrgetter, eq, is_not
from typing import Any

from msgspec.structs import force_setattr

from protocol.enums import CaseFlag
from protocol.events import Case, CasePatch, Routing, Timer, Trace

EMPTY: list[Any] = []
"""The one empty list of every case's `co_unit_ids` and `flags` and every step's `photos`. Never changed."""

_intern = sys.intern

_OPTIONAL_NAMES = ("committee_code", "committee_name", "grid_id", "unit_id", "unit_name", "exercise_id",
                   "emergency_id")
"""Strings of a small vocabulary that a case may not have (None)."""

_flag_lists: dict[tuple[CaseFlag, ...], list[CaseFlag]] = {}
_flag_list_ids: set[int] = set()
"""The shared `flags` lists (never freed: kept in `_flag_lists`), so a case's own list is told from them."""
_RECEIVED, _UPDATED, _OVERALL, _STEP, _STARTED = map(attrgetter, ("received_at", "updated_at", "overall", "step",
                                                                  "started_at"))
drain: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend
"""Runs an iterator to its end in C (for `map`s called for their effect: no Python frame per item)."""
_routings: dict[Routing, Routing] = {}
"""One instance of each routing (a rule's suggestion repeats for every case of its category and street)."""
_ROUTINGS_KEPT = 4096
"""Routings are few (rules × places); past this many the table starts again rather than grow."""


def _same(moment: datetime | None, *known: datetime | None) -> datetime | None:
    """`moment`, or the equal instant among `known` (one object where the hub sent one value twice)."""
    if moment is None:
        return None
    for other in known:
        if other is not None and other is not moment and other == moment:
            return other
    return moment


def _timer(timer: Timer | None, *known: datetime | None) -> Timer | None:
    """A limit whose start is one of `known` instants shares it (set in place: the timer is the store's)."""
    if timer is None:
        return None
    start = timer.started_at
    shared = _same(start, *known)
    if shared is not start:
        force_setattr(timer, "started_at", shared)
    return timer


def _routing(routing: Routing | None) -> Routing | None:
    if routing is None:
        return None
    kept = _routings.get(routing)
    if kept is not None:
        return kept
    if len(_routings) >= _ROUTINGS_KEPT:
        _routings.clear()
    for name in ("unit_id", "unit_name", "rule_id"):
        value = getattr(routing, name)
        if value is not None:
            force_setattr(routing, name, _intern(value))
    _routings[routing] = routing
    return routing


def compact_trace(trace: Trace, *known: datetime | None) -> Trace:
    """One step of a history, its repeated parts shared (in place); `known`: the case's instants."""
    set_ = force_setattr
    if trace.photos is EMPTY:
        return trace  # done before (a case re-put whole keeps the steps it had)
    set_(trace, "actor", _intern(trace.actor))
    set_(trace, "action", _intern(trace.action))
    unit_id = trace.unit_id
    if unit_id is not None:
        set_(trace, "unit_id", _intern(unit_id))
    at = _same(trace.at, *known)
    set_(trace, "at", at)
    started = trace.step_started_at
    if started is not None:
        set_(trace, "step_started_at", _same(started, at, *known))
        due = trace.step_due_at
        if due is not None:
            set_(trace, "step_due_at", _same(due, *known))
    if not trace.photos:
        set_(trace, "photos", EMPTY)
    return trace


def _flags(flags: list[CaseFlag]) -> list[CaseFlag]:
    """The one list of each combination of flags (`EMPTY` for none)."""
    if not flags:
        return EMPTY
    key = tuple(flags)
    kept = _flag_lists.get(key)
    if kept is None:
        kept = _flag_lists[key] = flags
        _flag_list_ids.add(id(kept))
    return kept


def shared_routing(routing: Routing | None) -> Routing | None:
    """The one instance of an equal routing (its names interned)."""
    return _routing(routing)


def shared_flags(flags: list[CaseFlag]) -> list[CaseFlag]:
    """The one list of this combination of flags (`EMPTY` for none): a case holding it counts as compacted."""
    return _flags(list(flags))


def share_instants(cases: list[Case]) -> None:
    """What `compact_case` does to a case's instants, for many cases at once, at C speed (no Python
    frame per case: `map` over C functions). `updated_at` equal to `received_at` becomes it, an overall
    limit starting when the case was received shares that instant, a step's start is its `updated_at`
    or its `received_at` when equal. For the snapshot cache, whose cases come with their names shared."""
    received = list(map(_RECEIVED, cases))
    same = list(map(eq, map(_UPDATED, cases), received))
    drain(map(force_setattr, compress(cases, same), repeat("updated_at"), compress(received, same)))
    updated = list(map(_UPDATED, cases))
    has_overall = list(map(is_not, map(_OVERALL, cases), repeat(None)))
    overall = list(map(_OVERALL, compress(cases, has_overall)))
    starts = list(map(_STARTED, overall))
    kept = list(compress(received, has_overall))
    same = list(map(eq, starts, kept))
    drain(map(force_setattr, compress(overall, same), repeat("started_at"), compress(kept, same)))
    has_step = list(map(is_not, map(_STEP, cases), repeat(None)))
    steps = list(map(_STEP, compress(cases, has_step)))
    for known in (list(compress(updated, has_step)), list(compress(received, has_step))):
        starts = list(map(_STARTED, steps))
        same = list(map(and_, map(eq, starts, known), map(is_not, starts, known)))
        drain(map(force_setattr, compress(steps, same), repeat("started_at"), compress(known, same)))


def compact_case(case: Case) -> Case:
    """The same case holding shared objects wherever a value repeats (set in place; returns `case`).

    A case compacted before (its `flags` are one of the shared lists) only has its steps looked
    at: `SnapshotCache.restore_history` puts the same cases again with their histories."""
    flags = case.flags
    history = case.history
    if not history and (flags is EMPTY or id(flags) in _flag_list_ids):
        return case  # done before, no steps (the snapshot cache's cases, until their histories come)
    set_ = force_setattr
    intern = _intern
    received, updated = case.received_at, case.updated_at
    step = case.step
    if flags is not EMPTY and id(flags) not in _flag_list_ids:
        set_(case, "id", intern(case.id))
        set_(case, "category_code", intern(case.category_code))
        set_(case, "category_zh", intern(case.category_zh))
        set_(case, "category_en", intern(case.category_en))
        set_(case, "street_code", intern(case.street_code))
        set_(case, "street_name", intern(case.street_name))
        for name in _OPTIONAL_NAMES:
            value = getattr(case, name)
            if value is not None:
                set_(case, name, intern(value))
        if not case.co_unit_ids:
            set_(case, "co_unit_ids", EMPTY)
        else:
            set_(case, "co_unit_ids", [intern(unit_id) for unit_id in case.co_unit_ids])
        if updated == received:
            set_(case, "updated_at", updated := received)
        _timer(case.overall, received)
        _timer(step, updated, received)
        if case.routing is not None:
            set_(case, "routing", _routing(case.routing))
        set_(case, "flags", _flags(flags))  # last: it marks the case as done
    if step is None:
        for trace in history:
            compact_trace(trace, received, updated)
    else:
        for trace in history:
            compact_trace(trace, received, updated, step.started_at, step.due_at)
    return case


def compact_changes(old: Case, patch: CasePatch, changes: dict[str, Any]) -> dict[str, Any]:
    """The fields a patch changes, holding shared objects (as `compact_case` does for a whole case)."""
    for name in ("unit_id", "unit_name"):
        value = changes.get(name)
        if value is not None:
            changes[name] = _intern(value)
    if "co_unit_ids" in changes:
        units = changes["co_unit_ids"]
        changes["co_unit_ids"] = [_intern(unit_id) for unit_id in units] if units else EMPTY
    if "flags" in changes:
        changes["flags"] = _flags(changes["flags"])
    if "routing" in changes:
        changes["routing"] = _routing(changes["routing"])
    updated = patch.updated_at
    if "step" in changes:
        _timer(changes["step"], updated)
    if "overall" in changes:
        _timer(changes["overall"], old.received_at, updated)
    history = changes.get("history")
    if history:
        old_step = old.step
        compact_trace(history[-1], updated, old_step.started_at if old_step is not None else None,
                      old_step.due_at if old_step is not None else None, old.received_at)
    return changes
