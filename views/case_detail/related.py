"""Cases related to the one shown: possible duplicates (same address) and neighbours (same grid or
committee) received within 30 days of it, from the client's store. Pure Python.

Address comparison ignores spaces and case, because intake types the same place many ways.

>>> normal_address(" 江川路 100号 "), normal_address("")
('江川路100号', '')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum

from protocol.events import Case

WINDOW = timedelta(days=30)
"""Cases received this long before or after the shown one count as related."""
MAX_RELATED = 200
"""The list stops here: beyond it a busy grid's neighbours drown the duplicates."""


class Relation(IntEnum):
    """Why a case is listed, strongest first (the list's order)."""

    MERGED = 0          # merged into the shown case, or the shown case was merged into it
    SAME_ADDRESS = 1    # a likely duplicate
    SAME_GRID = 2
    SAME_COMMITTEE = 3


@dataclass(frozen=True, slots=True)
class Related:
    case: Case
    relation: Relation


def normal_address(address: str) -> str:
    return "".join(address.split()).casefold()


def relation_of(shown: Case, other: Case) -> Relation | None:
    """How `other` relates to `shown`, or None (the window is checked by the caller)."""
    if other.id == shown.id:
        return None
    if other.duplicate_of == shown.id or shown.duplicate_of == other.id:
        return Relation.MERGED
    address = normal_address(shown.address)
    if address and normal_address(other.address) == address:
        return Relation.SAME_ADDRESS
    if shown.grid_id and other.grid_id == shown.grid_id:
        return Relation.SAME_GRID
    if shown.committee_code and other.committee_code == shown.committee_code:
        return Relation.SAME_COMMITTEE
    return None


def related_cases(shown: Case, cases: Iterable[Case]) -> list[Related]:
    """Related cases, strongest relation first, then newest first; at most `MAX_RELATED`."""
    found: list[Related] = []
    start, end = shown.received_at - WINDOW, shown.received_at + WINDOW
    for other in cases:
        relation = relation_of(shown, other)
        if relation is None:
            continue
        if relation is not Relation.MERGED and not start <= other.received_at <= end:
            continue
        found.append(Related(other, relation))
    found.sort(key=lambda r: (r.relation, -r.case.received_at.timestamp()))
    return found[:MAX_RELATED]
