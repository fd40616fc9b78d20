"""Wakes this hub when another hub process appends to a shared PostgreSQL log.

A notification only says "the log moved" (it carries the new head, never events, and at
most 8000 bytes): the woken hub runs an empty transaction, which reads what it missed from
the log itself (`Writer.request_sync`). A dropped listening connection loses notifications,
so the hub also syncs every `SAFETY_SYNC_S` seconds whatever it heard.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

SAFETY_SYNC_S = 5.0


class PostgresListener:
    def __init__(self, engine: Engine, channel: str, wake: Callable[[], None]) -> None:
        self.engine = engine
        self.channel = channel
        self._wake = wake
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._safety: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.engine.dialect.name != "postgresql":
            return
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._listen, args=(loop,), name="pg-listen", daemon=True)
        self._thread.start()
        self._safety = loop.create_task(self._safety_sync(), name="pg-safety-sync")

    def _listen(self, loop: asyncio.AbstractEventLoop) -> None:
        import psycopg

        dsn = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(dsn, autocommit=True) as conn:
                    conn.execute(f"LISTEN {self.channel}")
                    loop.call_soon_threadsafe(self._wake)  # whatever came before LISTEN
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5):
                            loop.call_soon_threadsafe(self._wake)
            except Exception as exc:
                log.warning("listening for other hubs failed (%s); retrying", exc)
                self._stop.wait(1.0)

    async def _safety_sync(self) -> None:
        while True:
            await asyncio.sleep(SAFETY_SYNC_S)
            self._wake()

    async def stop(self) -> None:
        self._stop.set()
        if self._safety is not None:
            self._safety.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._safety
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 2.0)
