"""A sorted sequence of unique string keys, each with its case id, in chunks.

A flat list of 100,000 keys pays a `memmove` of the whole tail on every insert and delete
(about 12 µs each here); a feed of 20,000 events a second, nearly all of which move a case
(a new step is a new deadline), would spend half a core on it. Chunks of at most
`2 * LOAD` keys keep each move small; a row number is the chunk's first row (a running sum,
rebuilt only when a row is asked for after a change) plus the place in the chunk.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, chain

LOAD = 512
"""Chunk size: a chunk splits above twice this, and merges with a neighbour below a quarter."""


class SortedRows:
    """Keys in ascending order with their ids: insert, remove, row of a key, key and id at a row.

    >>> rows = SortedRows()
    >>> for key, case_id in [("b", "id-b"), ("a", "id-a"), ("c", "id-c")]:
    ...     rows.insert(key, case_id)
    >>> rows.index("b"), rows.id_at(0), len(rows)
    (1, 'id-a', 3)
    >>> rows.remove("a"); ids = []; rows.ids_into(ids); ids
    ['id-b', 'id-c']
    """

    __slots__ = ("_ids", "_keys", "_len", "_maxes", "_starts")

    def __init__(self, keys: Iterable[str] = (), ids: Iterable[str] = ()) -> None:
        """From `keys` already sorted and unique, with their `ids` in the same order."""
        key_list, id_list = list(keys), list(ids)
        if len(key_list) != len(id_list):
            raise ValueError(f"{len(key_list)} keys for {len(id_list)} ids")
        self._keys = [key_list[i : i + LOAD] for i in range(0, len(key_list), LOAD)]
        self._ids = [id_list[i : i + LOAD] for i in range(0, len(id_list), LOAD)]
        self._maxes = [chunk[-1] for chunk in self._keys]
        self._starts: list[int] | None = None
        self._len = len(key_list)

    def __len__(self) -> int:
        return self._len

    def insert(self, key: str, case_id: str) -> None:
        """Add a key that is not there yet."""
        self._len += 1
        self._starts = None
        if not self._keys:
            self._keys.append([key])
            self._ids.append([case_id])
            self._maxes.append(key)
            return
        chunk_no = bisect_left(self._maxes, key)
        if chunk_no == len(self._keys):
            chunk_no -= 1
        keys, ids = self._keys[chunk_no], self._ids[chunk_no]
        at = bisect_left(keys, key)
        keys.insert(at, key)
        ids.insert(at, case_id)
        self._maxes[chunk_no] = keys[-1]
        if len(keys) > 2 * LOAD:
            self._keys[chunk_no : chunk_no + 1] = [keys[:LOAD], keys[LOAD:]]
            self._ids[chunk_no : chunk_no + 1] = [ids[:LOAD], ids[LOAD:]]
            self._maxes[chunk_no : chunk_no + 1] = [keys[LOAD - 1], keys[-1]]

    def remove(self, key: str) -> None:
        """Remove a key that is there (a KeyError names one that is not)."""
        chunk_no = bisect_left(self._maxes, key)
        keys = self._keys[chunk_no] if chunk_no < len(self._keys) else []
        at = bisect_left(keys, key)
        if at == len(keys) or keys[at] != key:
            raise KeyError(key)
        del keys[at]
        del self._ids[chunk_no][at]
        self._len -= 1
        self._starts = None
        if not keys:
            del self._keys[chunk_no], self._ids[chunk_no], self._maxes[chunk_no]
            return
        self._maxes[chunk_no] = keys[-1]
        if len(keys) < LOAD // 4 and len(self._keys) > 1:  # merge into a neighbour (which may split again)
            left = chunk_no - 1 if chunk_no > 0 else chunk_no
            merged_keys = self._keys[left] + self._keys[left + 1]
            merged_ids = self._ids[left] + self._ids[left + 1]
            parts = [(0, len(merged_keys))] if len(merged_keys) <= 2 * LOAD else [(0, LOAD), (LOAD, len(merged_keys))]
            self._keys[left : left + 2] = [merged_keys[a:b] for a, b in parts]
            self._ids[left : left + 2] = [merged_ids[a:b] for a, b in parts]
            self._maxes[left : left + 2] = [merged_keys[b - 1] for _, b in parts]

    def successor(self, key: str) -> str | None:
        """The first key greater than `key` (which need not be there), or None."""
        chunk_no = bisect_right(self._maxes, key)
        if chunk_no == len(self._keys):
            return None
        keys = self._keys[chunk_no]
        return keys[bisect_right(keys, key)]

    def _chunk_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(len(chunk) for chunk in self._keys)]
        return self._starts

    def index(self, key: str) -> int:
        """Row of a key that is there; -1 when it is not."""
        chunk_no = bisect_left(self._maxes, key)
        if chunk_no == len(self._keys):
            return -1
        keys = self._keys[chunk_no]
        at = bisect_left(keys, key)
        if keys[at] != key:
            return -1
        return self._chunk_starts()[chunk_no] + at

    def _locate(self, row: int) -> tuple[int, int]:
        if not 0 <= row < self._len:
            raise IndexError(f"row {row} out of range 0..{self._len - 1}")
        starts = self._chunk_starts()
        chunk_no = bisect_right(starts, row) - 1
        return chunk_no, row - starts[chunk_no]

    def key_at(self, row: int) -> str:
        chunk_no, at = self._locate(row)
        return self._keys[chunk_no][at]

    def id_at(self, row: int) -> str:
        chunk_no, at = self._locate(row)
        return self._ids[chunk_no][at]

    def ids_into(self, ids: list[str]) -> None:
        """Refill `ids` with every id in key order, in place (the list keeps its collector generation;
        C speed: chunks are concatenated, not walked in Python)."""
        ids.clear()
        ids.extend(chain.from_iterable(self._ids))

    def keys(self) -> list[str]:
        return list(chain.from_iterable(self._keys))
