"""What screens run on the feed in the background: command tasks on the qasync loop, the organisation.

    tasks = TaskSet()
    tasks.start(feed.send_command(...))   # False (and nothing sent) when no loop runs
    tasks.cancel_all()                    # when the screen stops

Shared by the case drill-down and the emergency room.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, Protocol

import msgspec

from backend_client.store import CaseStore
from protocol import CommandResult
from protocol.events import Unit

log = logging.getLogger(__name__)


class CommandFeed(Protocol):
    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


class TaskSet:
    """Coroutines run as tasks on the running loop, kept until they end (or are cancelled)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Future[None]] = set()

    def start(self, coroutine: Coroutine[Any, Any, None]) -> bool:
        """Run a coroutine as a task on the running (qasync) loop; False when no loop runs (nothing sent)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            coroutine.close()
            return False
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()


async def fetch_org_units(feed: CommandFeed, store: CaseStore) -> bool:
    """Ask the hub for the organisation (`org.units`) and add it to the store; False when it could not."""
    try:
        result = await feed.send_command("org.units", {})
    except Exception as exc:  # the connection closed for good: pickers offer what they have
        log.warning("org.units failed: %s", exc)
        return False
    if not result.ok or result.result is None:
        return False
    for unit in msgspec.convert(result.result.get("units", []), list[Unit]):
        store.org_units.setdefault(unit.id, unit)  # a unit.changed applied meanwhile wins
    return True
