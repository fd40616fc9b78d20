"""Drives a hub with simulated requests: in-process for the demo, or over the feed.

In-process, the driver first back-fills the last hours (cases received earlier, moved along
their loop up to now) so a new console opens on a believable queue, then follows the clock:
new requests arrive on the simulator's daily curve and open cases move on as planned. Its
`Responders` play the units of a joint response: they acknowledge directives, report on their
cadence, work their plan tasks, send the lead unit to sit in at the centre and register their
resources (hub/simulator/responders.py decides when and what).
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta

import msgspec

from hub.clock_loop import ClockLoop
from hub.core import Hub
from hub.emergency.book import receipt_key
from hub.engine.commands import Caller
from hub.sim_paths import commands_for
from hub.simulator import Simulator
from hub.simulator import responders as policy
from protocol import (
    COMMAND_ARGS,
    OPEN_STATUSES,
    Case,
    CaseCreateArgs,
    CaseStatus,
    Directive,
    DirectiveChanged,
    Emergency,
    EmergencyChanged,
    EmergencyStatus,
    EmergencyTask,
    Receipt,
    ReceiptChanged,
    Role,
    TaskChanged,
    TaskStatus,
    decode_server,
)
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
        self._recent: dict[tuple[str, str], list[str]] = {}
        """Latest case ids per (street, category): where a duplicate gets merged."""
        self.caller = Caller("simulator", Role.DUTY)
        self.settled = asyncio.Event()
        """Set once the back-fill is in and every step due by now has been taken."""
        self._backfilled = False
        self.arrivals = _Arrivals(self)
        """New requests on the simulator's curve, on the hub's clock (a virtual clock too)."""
        self.steps = _Steps(self)
        """The planned steps of open cases, on the hub's clock."""
        self.responders = Responders(hub, seed)
        """The units of a joint response, played on the hub's clock."""

    @property
    def loops(self) -> tuple[ClockLoop, ...]:
        """The driver's tasks that sleep on the hub's clock (a virtual clock pokes them all)."""
        return self.arrivals, self.steps, self.responders

    def start(self) -> None:
        self.arrivals.start()
        self.steps.start()
        self.responders.start()

    def poke(self) -> None:
        """Look at the hub's clock again now (a virtual clock moved)."""
        for loop in self.loops:
            loop.poke()

    async def stop(self) -> None:
        for loop in self.loops:
            await loop.stop()

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
        self.steps.poke()

    async def _backfill(self, now: datetime) -> None:
        backlog = list(self.history.arrivals(now - self.backfill, now))
        await asyncio.gather(*(self._create(at, args) for at, args in backlog))
        self._backfilled = True
        self.steps.poke()

    async def _take_steps(self, now: datetime) -> None:
        due = []
        while self._steps and self._steps[0][0] <= now:
            due.append(heapq.heappop(self._steps))
        # One case's steps in order (each may be several commands); cases side by side.
        by_case: dict[str, list[CaseStatus]] = {}
        for _, _, case_id, status in due:
            by_case.setdefault(case_id, []).append(status)
        await asyncio.gather(*(self._steps_of(case_id, statuses) for case_id, statuses in by_case.items()))

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


class _Arrivals(ClockLoop):
    """Back-fills the last hours once, then creates each new request when the hub's clock reaches it.

    It sleeps on the hub's clock like the timekeeper: in real time for the demo, and under a
    virtual clock (hub/virtual_clock.py) as fast as the clock is moved and the loop poked.
    """

    name = "sim-arrivals"

    def __init__(self, driver: SimulationDriver) -> None:
        super().__init__(driver.hub.clock)
        self.driver = driver
        self._stream: Iterator[tuple[datetime, CaseCreateArgs]] | None = None
        self._next: tuple[datetime, CaseCreateArgs] | None = None

    def next_due(self) -> datetime | None:
        if self._stream is None:
            return self.clock()  # the back-fill, at once
        return self._next[0] if self._next is not None else None

    async def work(self, now: datetime) -> None:
        if self._stream is None:
            await self.driver._backfill(now)
            self._stream = iter(self.driver.simulator.arrivals(now, now + ONE_YEAR))
            self._next = next(self._stream, None)
            return
        while self._next is not None and self._next[0] <= now:
            at, args = self._next
            await self.driver._create(at, args, live=True)
            self._next = next(self._stream, None)


class _Steps(ClockLoop):
    """Takes the planned steps of open cases as the hub's clock reaches them."""

    name = "sim-steps"

    def __init__(self, driver: SimulationDriver) -> None:
        super().__init__(driver.hub.clock)
        self.driver = driver

    def next_due(self) -> datetime | None:
        steps = self.driver._steps
        return steps[0][0] if steps else None

    async def work(self, now: datetime) -> None:
        await self.driver._take_steps(now)

    def on_caught_up(self) -> None:
        if self.driver._backfilled:
            self.driver.settled.set()


_WATCHED = tuple(f'{{"type":"{t}"'.encode() for t in ("directive.changed", "receipt.changed", "task.changed",
                                                        "emergency.changed"))
"""Frames start with their type: the responders decode only these."""
_TASK_ORDER = (TaskStatus.ASSIGNED, TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)

Action = Callable[[], Awaitable[None]]


def desk_name(unit_id: str) -> str:
    """The account name a simulated unit acts under (its duty desk)."""
    return f"{unit_id.lower()}-desk"


class Responders(ClockLoop):
    """Plays the units of a joint response inside a running hub, on the hub's clock.

    It learns of directives, reminders and plan tasks as they are committed (it is one more
    subscriber of the hub's fan-out), plans each unit's answer with a generator seeded by the
    seed and the record, and sends the unit's commands when they fall due, acting as the unit's
    desk. Nothing is polled: it sleeps until its next answer or until `poke()` (a test's clock
    moved). A directive or task the hub had before the start is planned as if it had just
    arrived; what fell due while no one answered is sent at once.
    """

    name = "sim-responders"

    def __init__(self, hub: Hub, seed: int) -> None:
        super().__init__(hub.clock)
        self.hub = hub
        self.seed = seed
        self._heap: list[tuple[datetime, int, str, int, Action]] = []
        """(when, order, group, generation, action): a group is a receipt or a task, whose steps run in order."""
        self._order = 0
        self._generation: dict[str, int] = {}
        """Raising a group's generation cancels what it had planned (a reminder, a new deadline)."""
        self._directives: set[str] = set()
        self._acks: dict[str, policy.AckPlan] = {}
        self._ack_at: dict[str, datetime] = {}
        self._reminded: dict[str, int] = {}
        self._task_due: dict[str, datetime] = {}
        self._emergencies: set[str] = set()

    # --- life ----------------------------------------------------------------------------

    def start(self) -> None:
        book = self.hub.emergencies
        for directive in list(book.directives.values()):
            self._on_directive(directive)
        for task in list(book.tasks.values()):
            self._on_task(task)
        for emergency in list(book.emergencies.values()):
            self._on_emergency(emergency)
        self.hub.live.add(self)
        super().start()

    async def stop(self) -> None:
        self.hub.live.discard(self)
        await super().stop()

    def next_due(self) -> datetime | None:
        """When the next answer falls due (None: nothing planned)."""
        while self._heap and self._cancelled(self._heap[0]):
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    # --- what the hub committed ----------------------------------------------------------

    whole_feed = False
    """It reads the emergency book the commit's observers fold: it takes the frames after them."""

    def push(self, frames: list[bytes]) -> None:
        """The fan-out's call after each commit (see `hub.core.Subscriber`)."""
        for frame in frames:
            if not frame.startswith(_WATCHED):
                continue
            match decode_server(frame):
                case DirectiveChanged(data=directive):
                    self._on_directive(directive)
                case ReceiptChanged(data=receipt, ts=ts):
                    self._on_receipt(receipt, ts)
                case TaskChanged(data=task):
                    self._on_task(task)
                case EmergencyChanged(data=emergency):
                    self._on_emergency(emergency)
                case _:
                    pass

    def _on_directive(self, directive: Directive) -> None:
        if directive.id in self._directives:
            return  # a reminder: its receipts say who was reminded
        self._directives.add(directive.id)
        if (self.hub.clock() - directive.issued_at > timedelta(hours=policy.REPORT_HORIZON_H)
                or not self._active(directive.emergency_id)):
            return
        window_s = (directive.ack_due_at - directive.issued_at).total_seconds()
        for unit_id in directive.recipients:
            key = receipt_key(directive.id, unit_id)
            receipt = self.hub.emergencies.receipts.get(key)
            if receipt is not None and receipt.acknowledged_at is not None:
                if receipt.acknowledged_by == desk_name(unit_id):  # ours, before a restart
                    self._next_report(directive, unit_id, self.hub.clock())
                continue
            plan = policy.plan_ack(self._rng("ack", key), window_s)
            self._acks[key] = plan
            if plan.latency_s is not None:
                self._plan_ack(directive, unit_id, directive.issued_at + timedelta(seconds=plan.latency_s))

    def _on_receipt(self, receipt: Receipt, at: datetime) -> None:
        key = receipt_key(receipt.directive_id, receipt.unit_id)
        plan = self._acks.get(key)
        if plan is None or receipt.acknowledged_at is not None or receipt.reminded <= self._reminded.get(key, 0):
            return
        self._reminded[key] = receipt.reminded
        latency = policy.reminded_latency(self._rng("remind", key, receipt.reminded), plan.outcome)
        directive = self.hub.emergencies.directives.get(receipt.directive_id)
        if latency is None or directive is None:
            return
        when = at + timedelta(seconds=latency)
        planned = self._ack_at.get(key)
        if planned is None or when < planned:
            self._bump(key)
            self._plan_ack(directive, receipt.unit_id, when)

    def _on_task(self, task: EmergencyTask) -> None:
        if task.status is TaskStatus.DONE or not self._active(task.emergency_id):
            self._task_due.pop(task.id, None)
            self._bump(task.id)
            return
        if self._task_due.get(task.id) == task.timer.due_at:
            return  # its own update, or another field changed: the plan stands
        self._task_due[task.id] = task.timer.due_at
        self._bump(task.id)
        window_s = (task.timer.due_at - task.timer.started_at).total_seconds()
        done = _TASK_ORDER.index(task.status)
        for step in policy.plan_task(self._rng("task", task.id, task.timer.due_at.isoformat()), window_s):
            if _TASK_ORDER.index(step.status) > done:
                self._schedule(task.timer.started_at + timedelta(seconds=step.at_s), task.id,
                               functools.partial(self._task_step, task.id, step))

    def _on_emergency(self, emergency: Emergency) -> None:
        """A response just declared: the lead unit will sit in, the units will register resources."""
        if emergency.id in self._emergencies or emergency.status is not EmergencyStatus.ACTIVE:
            return
        self._emergencies.add(emergency.id)
        if self.hub.clock() - emergency.declared_at > timedelta(hours=policy.REPORT_HORIZON_H):
            return
        delay_s, person = policy.check_in(self._rng("check_in", emergency.id))
        self._schedule(emergency.declared_at + timedelta(seconds=delay_s), f"{emergency.id}/sit-in",
                       functools.partial(self._check_in, emergency.id, person))
        for n, step in enumerate(policy.resources(self._rng("resources", emergency.id))):
            self._schedule(emergency.declared_at + timedelta(seconds=step.at_s), f"{emergency.id}/resource/{n}",
                           functools.partial(self._register, emergency.id, step))

    # --- planning ------------------------------------------------------------------------

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def _bump(self, group: str) -> None:
        self._generation[group] = self._generation.get(group, 0) + 1

    def _cancelled(self, entry: tuple[datetime, int, str, int, Action]) -> bool:
        return entry[3] != self._generation.get(entry[2], 0)

    def _schedule(self, when: datetime, group: str, action: Action) -> None:
        self._order += 1
        heapq.heappush(self._heap, (when, self._order, group, self._generation.get(group, 0), action))
        self._wake.set()

    def _plan_ack(self, directive: Directive, unit_id: str, when: datetime) -> None:
        key = receipt_key(directive.id, unit_id)
        self._ack_at[key] = when
        self._schedule(when, key, functools.partial(self._ack, directive, unit_id))

    def _next_report(self, directive: Directive, unit_id: str, after: datetime, k: int = 1) -> None:
        """Plan the unit's first report on `directive` (the `k`-th or later) that falls after `after`."""
        if directive.report_every_h is None:
            return
        key = receipt_key(directive.id, unit_id)
        every_s = directive.report_every_h * 3600
        while k * directive.report_every_h <= policy.REPORT_HORIZON_H:
            offset = policy.report_offset_s(self._rng("report", key, k), k, every_s)
            when = directive.issued_at + timedelta(seconds=offset) if offset is not None else None
            if when is not None and when > after:
                self._schedule(when, key, functools.partial(self._report, directive, unit_id, k, when))
                return
            k += 1

    # --- answering -----------------------------------------------------------------------

    async def work(self, now: datetime) -> None:
        due: dict[str, list[Action]] = {}
        while self._heap and self._heap[0][0] <= now:
            entry = heapq.heappop(self._heap)
            if not self._cancelled(entry):
                due.setdefault(entry[2], []).append(entry[4])
        # one receipt's or task's steps in order; receipts and tasks side by side
        await asyncio.gather(*(self._in_order(actions) for actions in due.values()))

    @staticmethod
    async def _in_order(actions: list[Action]) -> None:
        for action in actions:
            try:
                await action()
            except Exception:  # one unit's trouble must not silence the others
                log.exception("a simulated unit failed to answer")

    def _active(self, emergency_id: str | None) -> bool:
        if emergency_id is None:
            return True
        emergency = self.hub.emergencies.emergencies.get(emergency_id)
        return emergency is not None and emergency.status is EmergencyStatus.ACTIVE

    async def _send(self, name: str, raw: dict[str, object], unit_id: str) -> bool:
        """Send one command as the unit's desk, through the same validation as any client."""
        args = convert_args(raw, COMMAND_ARGS[name])
        caller = Caller(desk_name(unit_id), Role.DUTY, unit_id)
        outcome = await self.hub.run_internal(name, self.hub.commands.job(name, args, caller))
        if not outcome.ok:  # e.g. the emergency was closed meanwhile
            log.debug("simulated %s for %s refused: %s", name, unit_id, outcome.error)
        return outcome.ok

    async def _ack(self, directive: Directive, unit_id: str) -> None:
        receipt = self.hub.emergencies.receipts.get(receipt_key(directive.id, unit_id))
        if receipt is None or not self._active(directive.emergency_id):
            return
        if receipt.acknowledged_at is None and not await self._send("directive.ack", {"id": directive.id}, unit_id):
            return
        self._next_report(directive, unit_id, self.hub.clock())

    async def _report(self, directive: Directive, unit_id: str, k: int, planned: datetime) -> None:
        if not self._active(directive.emergency_id):
            return
        key = receipt_key(directive.id, unit_id)
        numbers = policy.figures(f"{self.seed}:{key}", directive.report_fields, policy.growth(k))
        text = policy.report_text(k, numbers, self._rng("text", key, k))
        if await self._send("directive.report", {"id": directive.id, "numbers": numbers, "text": text}, unit_id):
            self._next_report(directive, unit_id, planned, k + 1)

    def _lead(self, emergency: Emergency) -> str | None:
        """The lead unit, else the unit that opens the command post in the plan, else the water bureau."""
        if emergency.lead_unit_id is not None:
            return emergency.lead_unit_id
        post = next((t.unit_id for t in self.hub.emergencies.tasks_of(emergency.id)
                     if t.task_key == "open-command-post"), None)
        return post or ("B-SW" if "B-SW" in self.hub.org.units else None)

    def _street(self, emergency: Emergency) -> tuple[str, str] | None:
        """A street of the area (its centre unit, its code); a seeded one for an area of no street."""
        codes = emergency.area.street_codes or sorted(self.hub.directory.streets)
        code = codes[0] if emergency.area.street_codes else self._rng("street", emergency.id).choice(codes)
        unit = f"S{code}"
        return (unit, code) if unit in self.hub.org.units else None

    async def _check_in(self, emergency_id: str, person: str) -> None:
        emergency = self.hub.emergencies.emergencies.get(emergency_id)
        if emergency is None or not self._active(emergency_id):
            return
        lead = self._lead(emergency)
        if lead is None or any(s.unit_id == lead for s in emergency.sitting_in):
            return  # checked in already (by hand, or by us before a restart)
        await self._send("emergency.check_in", {"id": emergency_id, "person": person}, lead)

    async def _register(self, emergency_id: str, step: policy.ResourceStep) -> None:
        emergency = self.hub.emergencies.emergencies.get(emergency_id)
        street = self._street(emergency) if emergency is not None else None
        if emergency is None or street is None or not self._active(emergency_id):
            return
        unit = self._lead(emergency) if step.owner == "lead" else street[0]
        if unit is None or any(r.emergency_id == emergency_id and r.unit_id == unit and r.name == step.name
                               for r in self.hub.emergencies.resources.values()):
            return  # registered before a restart
        place = self.hub.directory.streets[street[1]]
        await self._send("resource.set", {
            "emergency_id": emergency_id, "kind": step.kind.value, "name": step.name, "quantity": step.quantity,
            "status": step.status.value, "place": place.name, "lon": place.seed[0], "lat": place.seed[1]}, unit)

    async def _task_step(self, task_id: str, step: policy.TaskStep) -> None:
        task = self.hub.emergencies.tasks.get(task_id)
        if task is None or not self._active(task.emergency_id):
            return
        if _TASK_ORDER.index(step.status) <= _TASK_ORDER.index(task.status):
            return  # someone moved it on already
        numbers = policy.figures(f"{self.seed}:{task.id}", task.report_fields, step.progress) if step.progress else {}
        await self._send("task.update", {"id": task.id, "status": step.status.value, "numbers": numbers}, task.unit_id)


async def run_remote(url: str, token: str, *, rate: float, seed: int, count: int, burst: bool = False) -> int:
    """`python -m hub simulate`: send simulated requests to a running hub as `case.create`.

    Arrivals follow the simulator's clock; a lost connection ends the run with status 1
    (the commands already sent were answered or will be found by their ids).
    """
    from hub.directory import Directory
    from hub.feed_client import feed_session

    simulator = Simulator(Directory.load(), seed=seed, rate=rate)
    sent = 0
    async with feed_session(url, token, "cc-simulator/0.1") as session:
        print(f"simulating into {url} as {session.welcome.user} (rate x{rate:g}, seed {seed})", flush=True)
        answers = []
        now = datetime.now(tz=UTC)
        for at, args in simulator.arrivals(now, now + ONE_YEAR):
            delay = (at - datetime.now(tz=UTC)).total_seconds()
            if delay > 0 and not burst:
                await asyncio.sleep(delay)
            answers.append(await session.send("case.create", msgspec.to_builtins(args)))
            sent += 1
            if sent % 1000 == 0:  # a run without --count goes on for days: keep only the unanswered
                answers = [a for a in answers if not a.done()]
            if count and sent >= count:
                break
        # Leave only once the hub has answered every command sent (each is committed).
        await asyncio.wait_for(asyncio.gather(*answers), 60)
    print(f"sent {sent} requests", flush=True)
    return 0
