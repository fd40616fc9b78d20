"""Drives a hub with simulated requests: in-process for the demo, or over the feed.

In-process, the driver first back-fills the last hours (cases received earlier, moved along
their loop up to now) so a new console opens on a believable queue, then follows the clock:
new requests arrive on the simulator's daily curve and open cases move on as planned.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
import random
import uuid
from datetime import UTC, datetime, timedelta

import msgspec

from hub.core import Hub
from hub.engine.commands import Caller
from hub.sim_paths import commands_for
from hub.simulator import Simulator
from protocol import COMMAND_ARGS, OPEN_STATUSES, Case, CaseCreateArgs, CaseStatus, Role
from protocol.codec import convert_args

log = logging.getLogger(__name__)

ONE_YEAR = timedelta(days=365)


class SimulationDriver:
    """Feeds simulated arrivals and their later steps into a running hub."""

    def __init__(self, hub: Hub, *, seed: int = 1, rate: float = 1.0, backfill_hours: float = 8.0) -> None:
        self.hub = hub
        self.simulator = Simulator(hub.directory, seed=seed, rate=rate)
        # The back-fill is the centre's real pace (rate 1): a believable backlog, not a flood.
        self.history = Simulator(hub.directory, seed=seed, rate=1.0)
        self.seed = seed
        self.backfill = timedelta(hours=backfill_hours)
        self._steps: list[tuple[datetime, int, str, CaseStatus]] = []
        self._counter = 0
        self._tasks: list[asyncio.Task[None]] = []
        self._wake = asyncio.Event()
        self._recent: dict[tuple[str, str], list[str]] = {}
        """Latest case ids per (street, category): where a duplicate gets merged."""
        self.caller = Caller("simulator", Role.DUTY)
        self.settled = asyncio.Event()
        """Set once the back-fill is in and every step due by now has been taken."""
        self._backfilled = False

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._arrive(), name="sim-arrivals"),
                       loop.create_task(self._advance(), name="sim-steps")]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _create(self, at: datetime, args: CaseCreateArgs, *, live: bool = False) -> None:
        # A live arrival is stamped by the hub (its clock may read a hair before `at`);
        # a back-filled one carries its past arrival time.
        args = msgspec.structs.replace(args, received_at=None if live else at)
        outcome = await self.hub.run_internal(
            "case.create", lambda batch: self.hub.cases.create(batch, args, "simulator")
        )
        if not outcome.ok or outcome.result is None:
            log.warning("simulated request refused: %s", outcome.error)
            return
        case_id = str(outcome.result["id"])
        recent = self._recent.setdefault((args.street_code, args.category_code), [])
        recent.append(case_id)
        del recent[:-5]
        when = at
        plan = self.simulator.next_steps(at, str(outcome.result["serial"]), args.category_code, args.urgent)
        for delay_s, status in plan:
            when = when + timedelta(seconds=delay_s)
            self._counter += 1
            heapq.heappush(self._steps, (when, self._counter, case_id, status))
        self._wake.set()

    async def _arrive(self) -> None:
        now = self.hub.clock()
        backlog = list(self.history.arrivals(now - self.backfill, now))
        await asyncio.gather(*(self._create(at, args) for at, args in backlog))
        self._backfilled = True
        self._wake.set()
        for at, args in self.simulator.arrivals(now, now + ONE_YEAR):
            delay = (at - self.hub.clock()).total_seconds()
            if delay > 0:
                await asyncio.sleep(delay)
            await self._create(at, args, live=True)

    async def _advance(self) -> None:
        while True:
            now = self.hub.clock()
            due = []
            while self._steps and self._steps[0][0] <= now:
                due.append(heapq.heappop(self._steps))
            if due:
                # One case's steps in order (each may be several commands); cases side by side.
                by_case: dict[str, list[CaseStatus]] = {}
                for _, _, case_id, status in due:
                    by_case.setdefault(case_id, []).append(status)
                await asyncio.gather(*(self._steps_of(case_id, statuses) for case_id, statuses in by_case.items()))
                continue
            if self._backfilled:
                self.settled.set()
            self._wake.clear()
            timeout = (self._steps[0][0] - now).total_seconds() if self._steps else None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    async def _steps_of(self, case_id: str, statuses: list[CaseStatus]) -> None:
        for status in statuses:
            await self._step(case_id, status)

    async def _step(self, case_id: str, status: CaseStatus) -> None:
        """Send the commands a duty desk would, through the same validation as any client."""
        case = self.hub.writer.cases.get(case_id)
        if case is None:
            return
        rng = random.Random(f"{self.seed}:{case.serial}:{status.value}")
        for name, raw in commands_for(case, status, rng, self._duplicate_target(case)):
            args = convert_args(raw, COMMAND_ARGS[name])
            outcome = await self.hub.run_internal(name, self.hub.commands.job(name, args, self.caller))
            if not outcome.ok:  # e.g. the case moved on meanwhile: the rest of this step is moot
                log.debug("simulated %s refused: %s", name, outcome.error)
                return

    def _duplicate_target(self, case: Case) -> str | None:
        for other in self._recent.get((case.street_code, case.category_code), ()):
            current = self.hub.writer.cases.get(other)
            if other != case.id and current is not None and current.status in OPEN_STATUSES:
                return other
        return None


async def run_remote(url: str, token: str, *, rate: float, seed: int, count: int, burst: bool = False) -> int:
    """`python -m hub simulate`: send simulated requests to a running hub as `case.create`.

    Arrivals follow the simulator's clock; a lost connection ends the run with status 1
    (the commands already sent were answered or will be found by their ids).
    """
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    from hub.directory import Directory
    from hub.errors import HubError
    from protocol import PROTOCOL_VERSION, Command, Hello, Welcome, decode_server, encode

    simulator = Simulator(Directory.load(), seed=seed, rate=rate)
    sent = 0
    try:
        async with connect(url, subprotocols=[PROTOCOL_VERSION]) as ws:  # type: ignore[list-item]
            await ws.send(encode(Hello(token=token, client="cc-simulator/0.1")), text=True)
            try:
                welcome = decode_server(await ws.recv())
            except ConnectionClosed as exc:
                reason = exc.rcvd.reason if exc.rcvd else "no reason given"
                raise HubError(f"the hub refused the simulator: {reason}") from None
            if not isinstance(welcome, Welcome):
                raise HubError(f"the hub answered {type(welcome).__name__}, not welcome")
            print(f"simulating into {url} as {welcome.user} (rate x{rate:g}, seed {seed})", flush=True)

            answered = 0
            all_answered = asyncio.Event()

            async def drain() -> None:
                nonlocal answered
                async for frame in ws:
                    if b'"type":"command.result"' in (frame if isinstance(frame, bytes) else frame.encode()):
                        answered += 1
                        if count and answered >= count:
                            all_answered.set()

            reader = asyncio.ensure_future(drain())
            try:
                now = datetime.now(tz=UTC)
                for at, args in simulator.arrivals(now, now + ONE_YEAR):
                    delay = (at - datetime.now(tz=UTC)).total_seconds()
                    if delay > 0 and not burst:
                        await asyncio.sleep(delay)
                    command = Command(id=uuid.uuid4().hex, name="case.create", args=msgspec.to_builtins(args))
                    await ws.send(encode(command), text=True)
                    sent += 1
                    if count and sent >= count:
                        break
                # Leave only once the hub has answered every command sent (each is committed).
                await asyncio.wait_for(all_answered.wait(), 60)
            finally:  # also on Ctrl+C: the reader's end (a closed connection) is ours to collect, not a stray error
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await reader
    except OSError as exc:
        raise HubError(f"--hub: cannot reach {url}: {exc.strerror or exc}") from None
    print(f"sent {sent} requests", flush=True)
    return 0
