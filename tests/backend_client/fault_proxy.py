"""A TCP fault proxy for tests: between a client and a real hub, it breaks the link on cue.

    async with FaultProxy(hub.port) as proxy:
        conn = FeedConnection(proxy.url(FEED_PATH), token, store)
        trigger = proxy.arm(DOWN, lambda chunk: b'"command.result"' in chunk, Fault.DROP)
        ...
        await trigger.wait()

It knows nothing of WebSocket or of the feed: it moves bytes, and the faults are what a network
does to bytes.

- **latency** (`latency_s`): every chunk, both ways, arrives this much later (a delay line: the
  order and the throughput are kept).
- **drops** (`cut()`, or `Fault.DROP` / `Fault.AFTER` / `Fault.PREFIX` on a trigger): every link,
  or the link a chunk is on, is closed at once on both sides, with or without that chunk, or after
  only its first bytes (a frame cut in the middle).
- **a peer gone silent** (`stall()`, `Fault.STALL`): nothing is forwarded either way and nothing is
  closed; both ends believe the link is up.
- **half-open** (`half_open()`, `Fault.HALF_OPEN`): the hub's side is closed, the client's side
  stays open and hears nothing, as when the far end of a TCP connection vanished.
- **a peer that stops reading** (`stop_reading(direction)`): the proxy stops reading one side;
  what that side sends backs up in the kernel until its writes block, while the other way flows.

A trigger fires on the first chunk read in its direction that matches, on a link open at the
moment; `on_fire` runs at that instant (before anything else on the loop), for a test that wants
to know the state of its client when the fault struck.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType

CHUNK = 65536


class Direction(enum.Enum):
    UP = "client → hub"
    DOWN = "hub → client"


UP = Direction.UP
DOWN = Direction.DOWN


class Fault(enum.Enum):
    DROP = "drop"
    """Close the link on both sides; the chunk is not forwarded."""
    AFTER = "after"
    """Forward the chunk, then close the link on both sides."""
    PREFIX = "prefix"
    """Forward the chunk's first `prefix` bytes, then close the link on both sides."""
    STALL = "stall"
    """Forward nothing more either way and close nothing (the chunk is held back)."""
    HALF_OPEN = "half_open"
    """Close the hub's side only; the client's stays open and silent (the chunk is held back)."""


@dataclass
class Trigger:
    direction: Direction
    match: Callable[[bytes], bool]
    fault: Fault
    prefix: int = 0
    on_fire: Callable[[], None] | None = None
    fired: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait(self, timeout_s: float) -> None:
        """Until the fault has struck (TimeoutError after `timeout_s`)."""
        await asyncio.wait_for(self.fired.wait(), timeout_s)


_CLOSE = object()
"""In a delay line: close the receiving side once everything before it has been written."""


@dataclass(frozen=True)
class _Cut:
    """In a delay line: the trigger's cut, once everything before it has been written."""

    trigger: Trigger


class _Link:
    """One client connection and its connection to the hub, with a delay line each way."""

    def __init__(self, proxy: FaultProxy, client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 hub: tuple[asyncio.StreamReader, asyncio.StreamWriter]) -> None:
        self.proxy = proxy
        self.readers = {UP: client[0], DOWN: hub[0]}
        self.writers = {UP: hub[1], DOWN: client[1]}
        """Where each direction's bytes are written."""
        self.flowing = {UP: asyncio.Event(), DOWN: asyncio.Event()}
        for event in self.flowing.values():
            event.set()
        self.lines: dict[Direction, asyncio.Queue[tuple[float, bytes | object]]] = {UP: asyncio.Queue(),
                                                                                     DOWN: asyncio.Queue()}
        self.closed: set[Direction] = set()
        self.dead = False
        self.tasks = [asyncio.get_running_loop().create_task(coro) for coro in (
            self._read(UP), self._read(DOWN), self._write(UP), self._write(DOWN))]

    async def _read(self, direction: Direction) -> None:
        reader, line = self.readers[direction], self.lines[direction]
        loop = asyncio.get_running_loop()
        while not self.dead:
            await self.flowing[direction].wait()
            try:
                data = await reader.read(CHUNK)
            except OSError:
                data = b""
            if self.dead:
                return
            if not data:  # that side closed: close the other once what came before has been written
                line.put_nowait((loop.time(), _CLOSE))
                return
            due = loop.time() + self.proxy.latency_s
            trigger = self.proxy._take_trigger(direction, data)
            if trigger is None:
                line.put_nowait((due, data))
            elif trigger.fault in (Fault.AFTER, Fault.PREFIX):  # in order, behind what is on its way
                line.put_nowait((due, data if trigger.fault is Fault.AFTER else data[: trigger.prefix]))
                line.put_nowait((due, _Cut(trigger)))
                return
            else:
                self._strike(trigger)
                return

    def _strike(self, trigger: Trigger) -> None:
        if trigger.on_fire is not None:
            trigger.on_fire()
        if trigger.fault is Fault.STALL:
            self.stall()
        elif trigger.fault is Fault.HALF_OPEN:
            self.half_open()
        else:
            self.abort()
        trigger.fired.set()

    async def _write(self, direction: Direction) -> None:
        line, writer = self.lines[direction], self.writers[direction]
        loop = asyncio.get_running_loop()
        while not self.dead:
            due, item = await line.get()
            if due > loop.time():
                await asyncio.sleep(due - loop.time())  # the latency itself, not a wait in a test
            await self.flowing[direction].wait()
            if self.dead:
                return
            if isinstance(item, _Cut):
                with contextlib.suppress(OSError):
                    await writer.drain()
                self._strike(item.trigger)
                return
            if item is _CLOSE:
                with contextlib.suppress(OSError):
                    await writer.drain()
                writer.close()
                self.closed.add(direction)
                if len(self.closed) == 2:
                    self.proxy._links.discard(self)
                return
            assert isinstance(item, bytes)
            try:
                writer.write(item)
                await writer.drain()
            except OSError:
                self.abort()
                return

    def stop_reading(self, direction: Direction) -> None:
        self.flowing[direction].clear()

    def resume_reading(self, direction: Direction) -> None:
        self.flowing[direction].set()

    def stall(self) -> None:
        for event in self.flowing.values():
            event.clear()

    def half_open(self) -> None:
        self.stall()
        self.writers[UP].transport.abort()  # the hub sees the link go; the client does not

    def abort(self) -> None:
        if self.dead:
            return
        self.dead = True
        for writer in self.writers.values():
            writer.transport.abort()
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()
        self.proxy._links.discard(self)


class FaultProxy:
    """Listens on a loopback port and forwards each connection to `hub_port`, until told otherwise."""

    def __init__(self, hub_port: int, *, hub_host: str = "127.0.0.1", latency_s: float = 0.0) -> None:
        self.hub_host = hub_host
        self.hub_port = hub_port
        self.latency_s = latency_s
        self.port = 0
        self.accepted = 0
        """Client connections accepted so far."""
        self._links: set[_Link] = set()
        self._triggers: list[Trigger] = []
        self._server: asyncio.Server | None = None

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    async def __aenter__(self) -> FaultProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        assert self._server is not None
        self._server.close()
        for link in list(self._links):
            link.abort()
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            hub = await asyncio.open_connection(self.hub_host, self.hub_port)
        except OSError:
            writer.transport.abort()
            return
        self._links.add(_Link(self, (reader, writer), hub))

    def _take_trigger(self, direction: Direction, data: bytes) -> Trigger | None:
        for trigger in self._triggers:
            if trigger.direction is direction and trigger.match(data):
                self._triggers.remove(trigger)
                return trigger
        return None

    # --- faults ----------------------------------------------------------------------

    def arm(self, direction: Direction, match: Callable[[bytes], bool], fault: Fault, *, prefix: int = 0,
            on_fire: Callable[[], None] | None = None) -> Trigger:
        """`fault` strikes the link of the first chunk read in `direction` for which `match` is true."""
        trigger = Trigger(direction, match, fault, prefix, on_fire)
        self._triggers.append(trigger)
        return trigger

    def cut(self) -> int:
        """Close every open link on both sides at once; returns how many there were."""
        links = list(self._links)
        for link in links:
            link.abort()
        return len(links)

    def stall(self) -> None:
        """Every open link stops forwarding both ways; nothing is closed."""
        for link in self._links:
            link.stall()

    def half_open(self) -> None:
        """Every open link loses its hub side; the client side stays open and silent."""
        for link in self._links:
            link.half_open()

    def stop_reading(self, direction: Direction) -> None:
        """Open links stop reading the side that sends in `direction` (the proxy, as that peer, stops reading)."""
        for link in self._links:
            link.stop_reading(direction)

    def resume_reading(self, direction: Direction) -> None:
        for link in self._links:
            link.resume_reading(direction)

    @property
    def open_links(self) -> int:
        return len(self._links)
