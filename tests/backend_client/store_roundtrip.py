"""Two ways a console's store is filled again: a fresh snapshot from the hub, and the local cache."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from backend_client.connection import FeedConnection
from backend_client.snapshot_cache import SnapshotCache, capture
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from tests.backend_client.test_snapshot_cache import until


async def from_snapshot(hub: EmbeddedHub, ready: Callable[[CaseStore], bool]) -> CaseStore:
    """A new console's store once its snapshot has caught up with the hub and `ready` holds."""
    fresh = CaseStore()
    conn = FeedConnection(hub.url, hub.token, fresh)
    await conn.start()
    try:
        await until(lambda: fresh.last_seq == hub.hub.head_seq and ready(fresh), "a snapshot")
    finally:
        await conn.close()
    return fresh


async def through_cache(store: CaseStore, folder: Path) -> CaseStore:
    """`store` saved to the snapshot cache in `folder`, then loaded into a new store (a restart)."""
    state = capture(store)
    assert state is not None
    cache = SnapshotCache(folder / "snapshot.sqlite")
    try:
        await asyncio.get_running_loop().run_in_executor(None, cache.save, state)
        restarted = CaseStore()
        assert cache.load_into(restarted) is not None
    finally:
        cache.close()
    return restarted
