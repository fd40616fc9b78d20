"""A load's queue masks and sort keys made ahead of it (the snapshot cache saves them with its cases).

A cold start from the cache spent ~0.45 s of CPU making 100,000 cases' queue masks and urgency keys
(bench/console_cache.py). Saved beside the cases, they are read in a few ms; the store takes them only
when they are sure to be what it would make itself (`CaseStore.load(..., prepared)`):

* made by the same code: `code_tag()` fingerprints the sources that make masks and keys (a console
  whose queues or sort keys changed makes them again);
* for the same scope (`scope_tag`) and the store's current sort;
* one mask and one key per case, each key ending with its case's id (none shifted to another case),
  and every `SAMPLE_EVERY`-th case's mask and key made again and found equal.

Anything else and the store makes them from the cases, as for any load: a queue shown is never one
computed from other data. The order of the rows is never taken on trust: it is sorted from the keys.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import NamedTuple

from backend_client.store.queues import QUEUES, UnitScope, queue_mask
from backend_client.store.sort_keys import SORT_KEYS, SortKey
from protocol import enums
from protocol.events import Case

SAMPLE_EVERY = 50
"""One case in this many has its mask and key made again at a load and compared (2,000 of 100,000: ~5 ms)."""
MASK_TYPE = "H"
"""`array` type of saved masks (`queues.QUEUES` has ten bits)."""


class Prepared(NamedTuple):
    """Queue masks and keys under one sort, one of each per case, in the order of the cases loaded."""

    code: str
    """`code_tag()` of the console that made them."""
    scope: str
    """`scope_tag()` of the scope they were made for."""
    sort: str
    masks: Sequence[int]
    keys: list[SortKey]
    ids: list[str] | None = None
    """The cases' ids, same order (saved since a start paints before decoding): None where not saved."""


@cache
def code_tag() -> str:
    """A fingerprint of the code that makes masks and keys (and of the byte order saved masks are in).

    Empty when a source cannot be read: then nothing prepared is ever taken."""
    digest = hashlib.sha256(sys.byteorder.encode())
    store = Path(__file__).parent  # the sources, also where the store runs compiled (`native.py`)
    protocol = Path(enums.__file__ or "").parent
    for source in (store / "queues.py", store / "sort_keys.py", protocol / "enums.py", protocol / "events.py"):
        try:
            digest.update(source.read_bytes())
        except OSError:
            return ""
    return digest.hexdigest()[:32]


def scope_tag(scope: UnitScope | None) -> str:
    """A scope in words, the same for equal scopes (its owners sorted)."""
    if scope is None:
        return ""
    return "\x1f".join((scope.unit_id, ",".join(sorted(scope.owners)), scope.street_code or "",
                        scope.committee_code or "", scope.grid_id or ""))


def prepare(cases: Sequence[Case], scope: UnitScope | None, sort: str, masks: array[int], keys: list[SortKey]) -> None:
    """Append the cases' masks (under `scope`) and keys (under `sort`) to `masks` and `keys`."""
    masks.extend([queue_mask(case, scope) for case in cases])
    keys.extend(map(SORT_KEYS[sort], cases))


def fits(prepared: Prepared, cases: Sequence[Case], ids: Sequence[str], scope: UnitScope | None, sort: str) -> bool:
    """Whether `prepared` is what this console would make for `cases` (their `ids`, same order) now."""
    return (fits_shape(prepared, ids, scope, sort)
            and matches(prepared, cases, range(0, len(cases), SAMPLE_EVERY), scope, sort))


def fits_shape(prepared: Prepared, ids: Sequence[str], scope: UnitScope | None, sort: str) -> bool:
    """`fits` without reading a case: the same code, scope and sort, one mask and key per id, masks of known
    queues, every key ending with its case's id. A load that shows rows before its cases are decoded takes
    the masks and keys on this, checks the shown rows' cases with `matches`, and samples the rest once they
    are decoded (a failed sample makes the queue again from the cases)."""
    count = len(ids)
    if (not prepared.code or prepared.code != code_tag() or prepared.scope != scope_tag(scope)
            or prepared.sort != sort or sort not in SORT_KEYS
            or len(prepared.masks) != count or len(prepared.keys) != count):
        return False
    masks, keys = prepared.masks, prepared.keys
    if count and not 0 <= min(masks) <= max(masks) < 1 << len(QUEUES):
        return False
    return all(map(str.endswith, keys, ids))  # else a key of another case: shifted, or of other data


def matches(prepared: Prepared, cases: Sequence[Case] | Mapping[int, Case], slots: Iterable[int],
            scope: UnitScope | None, sort: str) -> bool:
    """Whether the masks and keys at `slots` are the ones made again from those cases."""
    masks, keys, key_func = prepared.masks, prepared.keys, SORT_KEYS[sort]
    return all(queue_mask(cases[n], scope) == masks[n] and key_func(cases[n]) == keys[n] for n in slots)
