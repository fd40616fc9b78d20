"""Sort keys of the case store: one string per case, compared in C by `bisect` and `sort`.

A key is the sort fields joined by NUL, ending with the case id, so keys are unique and a
case's position is found by bisecting its key. Strings, not tuples: CPython compares a list
of ASCII strings with a specialised `memcmp` compare, which sorts 100,000 keys about three
times faster than tuples (a tuple compare first asks `==` of every leading field). NUL is the
smallest character, so "ab" + NUL sorts before "abc" + NUL as ("ab",) < ("abc",) would;
numbers are written at a fixed width so that their text order is their numeric order.

Most columns also have a *value* (`SORT_VALUES`): what the key starts with, as a float, a small
int or the case's own (interned) string, ordered as that leading part of the key is. Slots put in
tail order (serial, then id: how every key ends) and then sorted stably by value come out in key
order, so a first sort on such a column needs no key strings: `CaseStore` makes a key only when a
row has to be found by bisection (a chunk of rows at a time, `SortedRows.keyed_later`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from typing import NamedTuple

from protocol.enums import OPEN_STATUSES, CaseStatus, Channel, SlaLevel
from protocol.events import Case

SortKey = str
KeyFunc = Callable[[Case], SortKey]

SEP = "\x00"
NO_DEADLINE = "~"
"""Sorts after every digit: a case without a limit comes after every case with one."""

_STATUS_NUMBER = {status: rank for rank, status in enumerate(CaseStatus)}
_CHANNEL_NUMBER = {channel: rank for rank, channel in enumerate(Channel)}
_STATUS_RANK = {status: f"{rank:02d}" for status, rank in _STATUS_NUMBER.items()}
_CHANNEL_RANK = {channel: f"{rank:02d}" for channel, rank in _CHANNEL_NUMBER.items()}
UNRANKED = 99
"""Rank of a status or channel this client does not know (a newer hub's): after every known one."""
LATEST = 9_999_999_999.0
"""Epoch seconds are clamped to [0, LATEST], where their fixed-width text has ten digits before the point."""
LEVEL_RANK = {SlaLevel.RED: "0", SlaLevel.ORANGE: "1", SlaLevel.YELLOW: "2", SlaLevel.BLUE: "3"}
"""Most urgent first."""


def seconds(moment: datetime) -> float:
    """The number `instant()` writes: in the same order, and equal exactly when the texts are (whole µs
    below 2^33 s are distinct doubles that round back to their own six decimals)."""
    return min(max(moment.timestamp(), 0.0), LATEST)


def instant(moment: datetime) -> str:
    """Epoch seconds at a fixed width, so that text order is time order.

    >>> from datetime import UTC
    >>> instant(datetime(2026, 11, 24, 2, 0, tzinfo=UTC))
    '1795485600.000000'
    """
    return f"{seconds(moment):017.6f}"


def _tail(case: Case) -> str:
    return f"{SEP}{case.serial}{SEP}{case.id}"


def _urgency(case: Case) -> SortKey:
    """Open first: worse level of the two limits first (red … blue), then the nearer deadline
    (time left ascending, none last). Closed, rejected and merged after, by overall deadline."""
    overall, step = case.overall, case.step
    if case.status not in OPEN_STATUSES:
        return f"1{instant(overall.due_at) if overall is not None else NO_DEADLINE}{_tail(case)}"
    level = min(LEVEL_RANK[case.level], LEVEL_RANK[case.step_level])
    if step is not None and (overall is None or step.due_at < overall.due_at):
        due = instant(step.due_at)
    else:
        due = instant(overall.due_at) if overall is not None else NO_DEADLINE
    return f"0{level}{due}{_tail(case)}"


def _step(case: Case) -> SortKey:
    """Open first, then the current step's deadline (none last)."""
    step = case.step
    due = instant(step.due_at) if step is not None else NO_DEADLINE
    return f"{0 if case.status in OPEN_STATUSES else 1}{due}{_tail(case)}"


def _serial(case: Case) -> SortKey:
    return f"{case.serial}{SEP}{case.id}"


def _received(case: Case) -> SortKey:
    return f"{instant(case.received_at)}{_tail(case)}"


def _category(case: Case) -> SortKey:
    return f"{case.category_code}{_tail(case)}"


def _street(case: Case) -> SortKey:
    return f"{case.street_code}{_tail(case)}"


def _channel(case: Case) -> SortKey:
    return f"{_CHANNEL_RANK.get(case.channel, UNRANKED)}{_tail(case)}"


def _status(case: Case) -> SortKey:
    return f"{_STATUS_RANK.get(case.status, UNRANKED)}{_tail(case)}"


DEFAULT_SORT = "urgency"

SORT_KEYS: dict[str, KeyFunc] = {
    "urgency": _urgency,
    "step": _step,
    "serial": _serial,
    "received_at": _received,
    "category": _category,
    "street": _street,
    "channel": _channel,
    "status": _status,
}
"""Sortable columns by key. Category and street sort by code: the same order in every language."""

STATIC_SORTS = frozenset({"serial", "received_at", "category", "street", "channel"})
"""Keys built only from fields no `case.updated` can change: computed once per case and kept."""


SortValue = float | int | str


class ValueOf(NamedTuple):
    """How a column's value is read from a case and held by slot."""

    of: Callable[[Case], SortValue]
    typecode: str | None
    """`array` type code for numbers (8 or 1 bytes a case instead of an object); None: a list of the case's strings."""
    missing: SortValue
    """The value held at the slot of a case that left (never shown, so never compared with a held one)."""


SORT_VALUES: dict[str, ValueOf] = {
    "serial": ValueOf(attrgetter("serial"), None, ""),
    "received_at": ValueOf(lambda case: seconds(case.received_at), "d", 0.0),
    "category": ValueOf(attrgetter("category_code"), None, ""),
    "street": ValueOf(attrgetter("street_code"), None, ""),
    "channel": ValueOf(lambda case: _CHANNEL_NUMBER.get(case.channel, UNRANKED), "B", 0),
    "status": ValueOf(lambda case: _STATUS_NUMBER.get(case.status, UNRANKED), "B", 0),
}
"""Columns whose key is their value followed by the tail (`_tail`): the value orders as the key's leading part
(codes and serials hold no NUL; ranks are two digits). Urgency and step order by several fields: keys only."""

DYNAMIC_VALUES = tuple(column for column in SORT_VALUES if column not in STATIC_SORTS)
"""Values an update can change (kept up to date on every put once made)."""
