"""Keeps the snapshot cache up to date: every `interval_s` while the store changed, and at close.

Capturing the state is cheap and happens on the loop's thread (cases are immutable, so the
list holds references); encoding and writing run on one worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from backend_client.snapshot_cache import SnapshotCache, capture
from backend_client.store import CaseStore

SAVE_INTERVAL_S = 30.0
"""Often enough that a crash loses at most half a minute of catch-up, rarely enough to cost nothing."""


class CacheKeeper:
    """Saves a store to a `SnapshotCache`.

    `as_of()` gives the epoch seconds the store's data was last known current (the console
    passes the feed's view of it), so a cache written while the hub was down is not dated
    later than its data.
    """

    def __init__(
        self, cache: SnapshotCache, store: CaseStore, *, interval_s: float = SAVE_INTERVAL_S,
        as_of: Callable[[], float] = time.time, hub_url: str = "",
    ) -> None:
        self.cache = cache
        self.store = store
        self.interval_s = interval_s
        self.saves = 0
        """How many times the state was written (for tests and logs)."""
        self._as_of = as_of
        self._hub_url = hub_url
        self._saved: tuple[str | None, int] = cache.position()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-cache")
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="snapshot-cache")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            await self.save_if_changed()

    async def save_if_changed(self) -> bool:
        """Write the store if it moved since the last write; True when it wrote."""
        if self.store.log_id is None or (self.store.log_id, self.store.last_seq) == self._saved:
            return False
        state = capture(self.store, as_of=self._as_of(), hub_url=self._hub_url)
        if state is None:
            return False
        await asyncio.get_running_loop().run_in_executor(self._executor, self.cache.save, state)
        self._saved = (state.log_id, state.last_seq)
        self.saves += 1
        return True

    async def close(self) -> None:
        """Stop the timer, save what changed, and release the file."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        try:
            await self.save_if_changed()
        finally:
            self._executor.shutdown(wait=True)
            self.cache.close()
