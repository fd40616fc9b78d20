"""Sort keys of the case store: one tuple per case, compared in C by `bisect`.

Every key ends with the case id, so keys are unique and a case's position is found by
bisecting its key (no id → row map to keep up to date on every insert).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from protocol.enums import OPEN_STATUSES, CaseStatus, Channel
from protocol.events import Case

SortKey = tuple[Any, ...]
KeyFunc = Callable[[Case], SortKey]

_STATUS_RANK = {status: rank for rank, status in enumerate(CaseStatus)}
_CHANNEL_RANK = {channel: rank for rank, channel in enumerate(Channel)}


def _urgency(case: Case) -> SortKey:
    """Open before closed/rejected/merged, then the overall deadline (none last), then serial."""
    due = case.overall.due_at.timestamp() if case.overall is not None else math.inf
    return (0 if case.status in OPEN_STATUSES else 1, due, case.serial, case.id)


def _serial(case: Case) -> SortKey:
    return (case.serial, case.id)


def _received(case: Case) -> SortKey:
    return (case.received_at.timestamp(), case.serial, case.id)


def _category(case: Case) -> SortKey:
    return (case.category_code, case.serial, case.id)


def _street(case: Case) -> SortKey:
    return (case.street_code, case.serial, case.id)


def _channel(case: Case) -> SortKey:
    return (_CHANNEL_RANK.get(case.channel, len(_CHANNEL_RANK)), case.serial, case.id)


def _status(case: Case) -> SortKey:
    return (_STATUS_RANK.get(case.status, len(_STATUS_RANK)), case.serial, case.id)


DEFAULT_SORT = "urgency"

SORT_KEYS: dict[str, KeyFunc] = {
    "urgency": _urgency,
    "serial": _serial,
    "received_at": _received,
    "category": _category,
    "street": _street,
    "channel": _channel,
    "status": _status,
}
"""Sortable columns by key. Category and street sort by code: the same order in every language."""
