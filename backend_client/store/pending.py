"""A load's cases while most of them are still to be decoded (a cold start from the snapshot cache).

The store knows every id (saved with the queue masks and keys) and holds decoded only the cases of the
chunks its opening rows come from: enough for the first paint. Whatever asks for more (a case not yet
decoded, every case, a change) makes the store finish the load first (`CaseStore.finish_load`), so no
reader ever sees fewer cases than the store holds; the console finishes it itself right after the paint.
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from protocol.events import Case


class PendingCases(dict[str, Case]):
    """A store's cases by id until its load is finished: every id, some cases; any read past those
    decoded, and any change, goes to what `finish()` returns (every case, decoded).

    The decoded cases are the dict's own items (filled with `dict.update`); the ids, their count and
    membership come from `slot_of`. Reading through the plain `dict` methods (not overridden) would
    see only the decoded part: the store reads it through the methods below alone, and holds it typed as a
    `MutableMapping` so that its compiled build (`native.py`) calls them too."""

    def __init__(self, slot_of: dict[str, int], finish: Callable[[], dict[str, Case]]) -> None:
        super().__init__()
        self._slot_of = slot_of
        self._finish = finish

    def __len__(self) -> int:
        return len(self._slot_of)

    def __iter__(self) -> Iterator[str]:
        return iter(self._slot_of)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def __repr__(self) -> str:
        return f"<PendingCases: {dict.__len__(self)} of {len(self._slot_of)} decoded>"

    def keys(self) -> KeysView[str]:  # type: ignore[override]
        return self._slot_of.keys()

    def get(self, key: str, default: Any = None) -> Any:
        found = dict.get(self, key)
        return found if found is not None else self._finish().get(key, default)

    def __getitem__(self, key: str) -> Case:
        found = dict.get(self, key)
        return found if found is not None else self._finish()[key]

    def values(self) -> ValuesView[Case]:  # type: ignore[override]
        return self._finish().values()

    def items(self) -> ItemsView[str, Case]:  # type: ignore[override]
        return self._finish().items()

    def copy(self) -> dict[str, Case]:
        return self._finish().copy()

    def __setitem__(self, key: str, value: Case) -> None:
        self._finish()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._finish()[key]

    def setdefault(self, key: str, default: Case) -> Case:
        return self._finish().setdefault(key, default)

    def update(self, other: Mapping[str, Case] | Iterable[tuple[str, Case]] = (), /, **more: Case) -> None:  # type: ignore[override]
        self._finish().update(other, **more)

    def pop(self, key: str, *default: Any) -> Any:
        return self._finish().pop(key, *default)

    def popitem(self) -> tuple[str, Case]:
        return self._finish().popitem()

    def clear(self) -> None:
        self._finish().clear()
