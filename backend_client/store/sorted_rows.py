"""A sorted sequence of unique string keys, each with its case's slot number, in chunks.

A flat list of 100,000 keys pays a `memmove` of the whole tail on every insert and delete
(about 12 µs each here); a feed of 20,000 events a second, nearly all of which move a case
(a new step is a new deadline), would spend half a core on it. Chunks of at most
`2 * LOAD` keys keep each move small; a row number is the chunk's first row (a running sum,
rebuilt only when a row is asked for after a change) plus the place in the chunk.

Each key carries an int (the store numbers its cases: `CaseStore.case_id_of_slot`), kept in
`array('I')` chunks beside the keys: the whole order is copied for a model with `memcpy`
(`values_into`), where a list of 120,000 id strings cost ~4 ms a drain in reference counts
(every string's memory touched twice) and gave the collector 120,000 more references to walk.

Rows made by `keyed_later` come in order without their keys: a chunk's keys are asked of a
function (by value) the first time a bisection enters that chunk, and each chunk's last key at
once. A first sort on a column then makes ~240 keys instead of 120,000; the function must give
each value the key it is ordered by when asked (the store's current state of that case).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from itertools import accumulate, chain

SLOT_TYPE = "I"
"""`array` type code of the values: unsigned, at least 32 bits."""

LOAD = 512
"""Chunk size: a chunk splits above twice this, and merges with a neighbour below a quarter."""


class SortedRows:
    """Keys in ascending order with their values: insert, remove, row of a key, key and value at a row.

    >>> rows = SortedRows()
    >>> for key, slot in [("b", 11), ("a", 10), ("c", 12)]:
    ...     rows.insert(key, slot)
    >>> rows.index("b"), rows.value_at(0), len(rows)
    (1, 10, 3)
    >>> rows.remove("a"); values = array("I"); rows.values_into(values); values.tolist()
    [11, 12]
    """

    __slots__ = ("_key_of", "_keys", "_len", "_maxes", "_starts", "_unkeyed", "_values")

    def __init__(self, keys: Iterable[str] = (), values: Iterable[int] = ()) -> None:
        """From `keys` already sorted and unique, with their `values` in the same order."""
        key_list, value_list = list(keys), array(SLOT_TYPE, values)
        if len(key_list) != len(value_list):
            raise ValueError(f"{len(key_list)} keys for {len(value_list)} values")
        self._keys: list[list[str] | None] = [key_list[i : i + LOAD] for i in range(0, len(key_list), LOAD)]
        self._values = [value_list[i : i + LOAD] for i in range(0, len(value_list), LOAD)]
        self._maxes = [key_list[min(i + LOAD, len(key_list)) - 1] for i in range(0, len(key_list), LOAD)]
        self._starts: list[int] | None = None
        self._len = len(key_list)
        self._key_of: Callable[[int], str] | None = None
        self._unkeyed = 0
        """Chunks whose keys were not asked for yet."""

    @classmethod
    def keyed_later(cls, values: Iterable[int], key_of: Callable[[int], str]) -> SortedRows:
        """Rows from `values` already in the order of their keys, which `key_of(value)` gives when needed."""
        rows = cls()
        value_list = array(SLOT_TYPE, values)
        rows._values = [value_list[i : i + LOAD] for i in range(0, len(value_list), LOAD)]
        rows._keys = [None] * len(rows._values)
        rows._maxes = [key_of(chunk[-1]) for chunk in rows._values]
        rows._len = len(value_list)
        rows._key_of = key_of
        rows._unkeyed = len(rows._values)
        return rows

    @property
    def fully_keyed(self) -> bool:
        """Every key is held (rows that will be searched later, when the key function means another sort)."""
        return self._unkeyed == 0

    def _chunk(self, chunk_no: int) -> list[str]:
        """A chunk's keys, asked for now if they were not."""
        keys = self._keys[chunk_no]
        if keys is None:
            assert self._key_of is not None  # only rows made by keyed_later have unkeyed chunks
            keys = self._keys[chunk_no] = list(map(self._key_of, self._values[chunk_no]))
            self._unkeyed -= 1
        return keys

    def __len__(self) -> int:
        return self._len

    def insert(self, key: str, value: int) -> None:
        """Add a key that is not there yet."""
        self._len += 1
        self._starts = None
        if not self._keys:
            self._keys.append([key])
            self._values.append(array(SLOT_TYPE, (value,)))
            self._maxes.append(key)
            return
        chunk_no = bisect_left(self._maxes, key)
        if chunk_no == len(self._keys):
            chunk_no -= 1
        keys, values = self._keys[chunk_no] or self._chunk(chunk_no), self._values[chunk_no]
        at = bisect_left(keys, key)
        keys.insert(at, key)
        values.insert(at, value)
        self._maxes[chunk_no] = keys[-1]
        if len(keys) > 2 * LOAD:
            self._keys[chunk_no : chunk_no + 1] = [keys[:LOAD], keys[LOAD:]]
            self._values[chunk_no : chunk_no + 1] = [values[:LOAD], values[LOAD:]]
            self._maxes[chunk_no : chunk_no + 1] = [keys[LOAD - 1], keys[-1]]

    def remove(self, key: str) -> None:
        """Remove a key that is there (a KeyError names one that is not)."""
        chunk_no = bisect_left(self._maxes, key)
        keys = (self._keys[chunk_no] or self._chunk(chunk_no)) if chunk_no < len(self._keys) else []
        at = bisect_left(keys, key)
        if at == len(keys) or keys[at] != key:
            raise KeyError(key)
        del keys[at]
        del self._values[chunk_no][at]
        self._len -= 1
        self._starts = None
        if not keys:
            del self._keys[chunk_no], self._values[chunk_no], self._maxes[chunk_no]
            return
        self._maxes[chunk_no] = keys[-1]
        if len(keys) < LOAD // 4 and len(self._keys) > 1:  # merge into a neighbour (which may split again)
            left = chunk_no - 1 if chunk_no > 0 else chunk_no
            merged_keys = self._chunk(left) + self._chunk(left + 1)
            merged_values = self._values[left] + self._values[left + 1]
            parts = [(0, len(merged_keys))] if len(merged_keys) <= 2 * LOAD else [(0, LOAD), (LOAD, len(merged_keys))]
            self._keys[left : left + 2] = [merged_keys[a:b] for a, b in parts]
            self._values[left : left + 2] = [merged_values[a:b] for a, b in parts]
            self._maxes[left : left + 2] = [merged_keys[b - 1] for _, b in parts]

    def successor(self, key: str) -> str | None:
        """The first key greater than `key` (which need not be there), or None."""
        chunk_no = bisect_right(self._maxes, key)
        if chunk_no == len(self._keys):
            return None
        keys = self._keys[chunk_no] or self._chunk(chunk_no)
        return keys[bisect_right(keys, key)]

    def _chunk_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *accumulate(map(len, self._values))]
        return self._starts

    def index(self, key: str) -> int:
        """Row of a key that is there; -1 when it is not."""
        chunk_no = bisect_left(self._maxes, key)
        if chunk_no == len(self._keys):
            return -1
        keys = self._keys[chunk_no] or self._chunk(chunk_no)
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
        return self._chunk(chunk_no)[at]

    def value_at(self, row: int) -> int:
        chunk_no, at = self._locate(row)
        return self._values[chunk_no][at]

    def values_into(self, values: array[int]) -> None:
        """Refill `values` with every value in key order, in place (one `memcpy` a chunk)."""
        del values[:]
        extend = values.extend
        for chunk in self._values:
            extend(chunk)

    def keys(self) -> list[str]:
        return list(chain.from_iterable(map(self._chunk, range(len(self._keys)))))
