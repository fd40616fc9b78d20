"""The hub's process freezes what it holds once open (hub/collector.py); what comes later is still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from hub.embedded import EmbeddedHub
from tests.hub.conftest import greet, run_hub
from tests.hub.test_crash_recovery import until


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """The test process is not the hub's: give the objects frozen by the test back to the collector."""
    try:
        yield
    finally:
        gc.unfreeze()


def test_garbage_made_after_the_freeze_is_collected(tmp_path: Path, unfrozen: None) -> None:
    before = gc.get_freeze_count()

    async def scenario(hub: EmbeddedHub) -> None:
        assert gc.get_freeze_count() > before  # the hub's process froze its state once open
        cycle = weakref.ref(_Cycle())  # cyclic garbage from the moment it is made
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        await until(lambda: len(hub.hub.live) == 1, "the subscriber is live")
        connection = weakref.ref(next(iter(hub.hub.live)))
        await client.ws.close()
        await until(lambda: not hub.hub.live, "the subscriber has left")

        def collected() -> bool:
            gc.collect()
            return cycle() is None and connection() is None

        await until(collected, "the cycle and the closed connection are collected")

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario, own_process=True)


def test_an_embedded_hub_leaves_the_collector_alone(tmp_path: Path) -> None:
    before = gc.get_freeze_count()

    async def scenario(hub: EmbeddedHub) -> None:
        assert gc.get_freeze_count() == before

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)
