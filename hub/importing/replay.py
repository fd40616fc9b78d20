"""`python -m hub replay FILE --mapping MAP.toml --speed 60`: a real city's day into a running hub.

The rows of FILE, checked as the import checks them, become the loop's steps at their original
times, `--speed` times faster, sent to a running hub as a duty officer's commands (like
`python -m hub simulate`): at a request's received time `case.create` and `case.register`; at its
dispatch time (the received time when the source has none) `case.dispatch` to its agency's unit;
at its close time `case.sign`, `case.start`, `case.feedback` and `case.verify`; a duplicate at the
source is rejected as one. So queues, timers, the map and the wall move as they did that day.
The hub must serve the file's centre: import it first (`python -m hub import … --centre-only`
sets up the centre without its cases).

Pause and resume: type `p` and Enter (pause), `r` and Enter (resume), `q` and Enter (stop); or
send the process SIGUSR1, or press Ctrl+Z (SIGTSTP), each of which toggles. Time spent paused is
not made up afterwards: the replay goes on from where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hub.errors import HubError
from hub.importing.rows import Record

STEPS_AT_CLOSE = ("sign", "start", "feedback", "verify")


class Pacer:
    """Maps data time to wall time at `speed`, with pauses that shift everything after them.

    `clock` is a monotonic clock in seconds (injected in tests)."""

    def __init__(self, origin: datetime, speed: float, clock: Callable[[], float] = time.monotonic) -> None:
        if speed <= 0:
            raise ValueError("speed must be above 0")
        self.origin = origin
        self.speed = speed
        self.clock = clock
        self.start = clock()
        self.paused_for = 0.0
        self.paused_since: float | None = None
        self._changed = asyncio.Event()

    @property
    def paused(self) -> bool:
        return self.paused_since is not None

    def wall_time(self, at: datetime) -> float:
        """The monotonic instant at which data time `at` is due (pauses so far included)."""
        return self.start + self.paused_for + (at - self.origin).total_seconds() / self.speed

    def delay(self, at: datetime) -> float | None:
        """Seconds until `at` is due; None while paused."""
        if self.paused:
            return None
        return max(0.0, self.wall_time(at) - self.clock())

    def data_time(self) -> float:
        """Seconds of data time played so far."""
        now = self.paused_since if self.paused_since is not None else self.clock()
        return (now - self.start - self.paused_for) * self.speed

    def pause(self) -> None:
        if self.paused_since is None:
            self.paused_since = self.clock()
            self._wake()

    def resume(self) -> None:
        if self.paused_since is not None:
            self.paused_for += self.clock() - self.paused_since
            self.paused_since = None
            self._wake()

    def toggle(self) -> None:
        if self.paused:
            self.resume()
        else:
            self.pause()

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, at: datetime) -> None:
        """Return when `at` is due, waiting through any pause."""
        while True:
            changed = self._changed
            delay = self.delay(at)
            if delay == 0.0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), delay)


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    name: str
    record: Record
    """The row the step belongs to."""


def timeline(records: list[Record]) -> list[Step]:
    """Every step of every record, in time order (a record's own steps in loop order)."""
    steps: list[Step] = []
    for n, r in enumerate(records):
        base = n * 10
        steps.append(Step(r.received, base, "create", r))
        if r.status != "received":
            steps.append(Step(max(r.dispatched or r.received, r.received), base + 1, "dispatch", r))
        if r.closed is not None:
            steps.append(Step(r.closed, base + 2, "close" if r.status == "closed" else "duplicate", r))
    heapq.heapify(steps)
    return [heapq.heappop(steps) for _ in range(len(steps))]


class Sender:
    """The commands of each step, to a hub session (`send(name, args)` → the command's result)."""

    def __init__(self, send: Callable[[str, dict[str, Any]], Any], street_of: Callable[[Record], str],
                 unit_of: Callable[[Record], str]) -> None:
        self.send = send
        self.street_of = street_of
        self.unit_of = unit_of
        self.ids: dict[str, str] = {}
        """Source id → the hub's case id."""
        self.sent = 0
        self.refused: list[str] = []

    async def _command(self, name: str, args: dict[str, Any]) -> Any:
        self.sent += 1
        result = await self.send(name, args)
        if not result.ok:
            self.refused.append(f"{name}: {result.error.message if result.error else 'refused'}")
        return result

    async def step(self, step: Step) -> None:
        r = step.record
        if step.name == "create":
            result = await self._command("case.create", {
                "channel": r.channel.value, "category_code": r.category_code, "street_code": self.street_of(r),
                "description": r.description, "address": r.address, "lon": r.lon, "lat": r.lat})
            if result.ok and result.result:
                self.ids[r.source_id] = str(result.result["id"])
                await self._command("case.register", {"id": self.ids[r.source_id], "note": "replayed"})
            return
        case_id = self.ids.get(r.source_id)
        if case_id is None:
            return  # its creation was refused: nothing to move on
        if step.name == "dispatch":
            await self._command("case.dispatch", {"id": case_id, "unit_id": self.unit_of(r)})
        elif step.name == "duplicate":
            if r.status == "merged":
                await self._command("case.reject", {"id": case_id, "reason": "duplicate at the source"})
        else:
            for name in STEPS_AT_CLOSE:
                args: dict[str, Any] = {"id": case_id}
                if name == "feedback":
                    args["result"] = "closed at the source"
                elif name == "verify":
                    args["passed"] = True
                await self._command(f"case.{name}", args)


async def play(steps: list[Step], pacer: Pacer, sender: Sender, stop: asyncio.Event,
               report: Callable[[str], None] = print) -> int:
    """Send every step when it is due; returns how many steps were played."""
    played = 0
    for step in steps:
        waiting = asyncio.ensure_future(pacer.wait_until(step.at))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({waiting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        waiting.cancel()
        stopping.cancel()
        if stop.is_set():
            break
        await sender.step(step)
        played += 1
        if played % 500 == 0:
            report(f"{played}/{len(steps)} steps, data time {step.at.isoformat()}")
    return played


def controls(pacer: Pacer, stop: asyncio.Event, report: Callable[[str], None] = print) -> Callable[[], None]:
    """Pause/resume by stdin lines (p, r, q), SIGUSR1 and SIGTSTP; returns a function that removes them."""
    loop = asyncio.get_running_loop()

    def say_toggle() -> None:
        pacer.toggle()
        report("paused (r or Ctrl+Z to resume)" if pacer.paused else "resumed")

    def line(text: str) -> None:
        word = text.strip().lower()
        if (word in ("p", "pause") and not pacer.paused) or (word in ("r", "resume") and pacer.paused):
            say_toggle()
        elif word in ("q", "quit"):
            stop.set()

    def read_stdin() -> None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # no usable stdin, or the loop has ended
            for text in sys.stdin:
                loop.call_soon_threadsafe(line, text)

    installed = []
    for sig in (getattr(signal, "SIGUSR1", None), getattr(signal, "SIGTSTP", None)):
        if sig is None:
            continue
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, say_toggle)
            installed.append(sig)
    if sys.stdin is not None and not sys.stdin.closed:
        threading.Thread(target=read_stdin, daemon=True, name="replay-keys").start()

    def remove() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return remove


def check_speed(speed: float) -> float:
    if not speed > 0:
        raise HubError("--speed must be above 0 (60: an hour of the data in a minute)")
    return speed


async def run_replay(file: Path, mapping_file: Path, url: str, token: str, speed: float,
                     since: str | None = None, until: str | None = None, limit: int = 0) -> int:
    """The command: check the rows, ask the hub for its units, play the steps; 1 if the hub refused any."""
    from hub.directory import Directory
    from hub.feed_client import feed_session
    from hub.importing.centre import street_code
    from hub.importing.mapping import MappingError, load_mapping
    from hub.importing.rows import Checker, SourceError, read_raw

    check_speed(speed)
    directory = Directory.load()
    try:
        mapping = load_mapping(mapping_file, set(directory.categories))
    except MappingError as exc:
        raise HubError(str(exc)) from None
    async with feed_session(url, token, "cc-replay/0.1") as session:
        answer = await session.command("org.units", {})
        if not answer.ok or answer.result is None:
            raise HubError(f"the hub did not list its units: {answer.error.message if answer.error else '?'}")
        units = answer.result["units"]
        bureaus = {u["name"]: u["id"] for u in units if u["kind"] in ("bureau", "member", "police")}
        checker = Checker(mapping, datetime.now(UTC), agencies=None if mapping.own_centre else {u["id"] for u in units},
                          inside=None if mapping.own_centre else directory.contains)
        try:
            records = [r for line, raw in read_raw(file, mapping)
                       if isinstance(r := checker.check(line, raw), Record) and _within(r, mapping.zone, since, until)]
        except SourceError as exc:
            raise HubError(str(exc)) from None
        records.sort(key=lambda r: r.received)
        if limit:
            records = records[:limit]
        if not records:
            raise HubError(f"{file.name}: no rows to replay (check --since/--until)")
        if mapping.own_centre:
            streets = {u["street_code"] for u in units if u["kind"] == "street_centre"}
            missing = {r.agency_name[:60] for r in records} - set(bureaus)
            if missing or not {street_code(mapping.centre_code, r.street[:60]) for r in records} <= streets:
                raise HubError(f"the hub at {url} does not serve the centre {mapping.centre_code} of this mapping "
                               f"(set it up first: python -m hub import FILE --mapping MAP --centre-only --db DB)")

            def street_of(r: Record) -> str:
                return street_code(mapping.centre_code, r.street[:60])

            def unit_of(r: Record) -> str:
                return str(bureaus[r.agency_name[:60]])
        else:
            def street_of(r: Record) -> str:
                return directory.street_of(r.lon, r.lat).code

            def unit_of(r: Record) -> str:
                return r.agency

        steps = timeline(records)
        pacer = Pacer(steps[0].at, speed)
        stop = asyncio.Event()
        remove = controls(pacer, stop)
        span = (steps[-1].at - steps[0].at).total_seconds()
        print(f"replaying {len(records)} requests ({len(steps)} steps, {steps[0].at.isoformat()} to "
              f"{steps[-1].at.isoformat()}) into {url} at x{speed:g}: about {span / speed / 60:.1f} min; "
              "p/r + Enter, Ctrl+Z or SIGUSR1 pause and resume, q + Enter stops", flush=True)
        sender = Sender(session.command, street_of, unit_of)
        try:
            played = await play(steps, pacer, sender, stop, lambda text: print(text, flush=True))
        finally:
            remove()
    print(f"replayed {played} of {len(steps)} steps ({sender.sent} commands, {len(sender.refused)} refused)")
    for refusal in sender.refused[:10]:
        print(f"  refused: {refusal}")
    return 1 if sender.refused else 0


def _within(r: Record, zone: Any, since: str | None, until: str | None) -> bool:
    day = r.received.astimezone(zone).date().isoformat()
    return (since is None or day >= since) and (until is None or day <= until)
