"""A replayable feed for the console benchmarks and screenshots: open cases, then events.

The requests' contents (category, street, committee, address, description, channel, phone)
come from the hub's simulator (`hub.simulator.Simulator`), so texts and proportions are the
demo's; ids, serials, timers, levels and the steps of the loop are synthesised here with the
shapes the hub gives them (a step limit per status, thresholds at 50 % and 80 %, levels that
only rise, returns that lead to arbitration), seeded, so two runs replay the same frames.

    maker = StreamMaker(now=time.time())
    cases = maker.open_cases(100_000)          # the snapshot
    events = maker.events(first_seq=1, count=200_000)
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hub.directory import Directory
from hub.org.grids import grid_id
from hub.simulator.generator import Simulator
from protocol import (
    Basis,
    Case,
    CaseCreated,
    CaseFlag,
    CasePatch,
    CaseStatus,
    CaseUpdated,
    SlaLevel,
    SupervisionAction,
    SupervisionRecorded,
    TimerLevelChanged,
    Trace,
    UnitStats,
    UnitStatsChanged,
)
from protocol.commands import CaseCreateArgs
from protocol.events import KnownEvent, LevelChange, Supervision, Timer

S = CaseStatus
STEP_HOURS = {S.RECEIVED: 0.5, S.REGISTERED: 0.5, S.DISPATCHED: 0.5, S.FEEDBACK: 4.0, S.CLOSED: 8.0}
NEXT = {S.RECEIVED: S.REGISTERED, S.REGISTERED: S.DISPATCHED, S.DISPATCHED: S.SIGNED, S.SIGNED: S.HANDLING,
        S.HANDLING: S.FEEDBACK, S.FEEDBACK: S.CLOSED}
ACTION = {S.REGISTERED: "register", S.DISPATCHED: "dispatch", S.SIGNED: "sign", S.HANDLING: "start",
          S.FEEDBACK: "feedback", S.CLOSED: "verify", S.CALLED_BACK: "callback"}
OPEN_MIX = [(S.RECEIVED, 6), (S.REGISTERED, 8), (S.DISPATCHED, 10), (S.SIGNED, 10), (S.HANDLING, 46),
            (S.FEEDBACK, 14), (S.VERIFIED, 0)]
LEVELS = [SlaLevel.BLUE, SlaLevel.YELLOW, SlaLevel.ORANGE, SlaLevel.RED]
EVENT_MIX = [("create", 12), ("step", 55), ("level", 25), ("supervise", 5), ("stats", 3)]
"""Shares of the replayed stream: about what a busy day's feed carries."""


def _timer(start: datetime, hours: float) -> Timer:
    span = timedelta(hours=hours)
    return Timer(started_at=start, due_at=start + span, yellow_at=start + span / 2, orange_at=start + span * 0.8)


def level_at(timer: Timer | None, now: datetime) -> SlaLevel:
    if timer is None or now < timer.yellow_at:
        return SlaLevel.BLUE
    if now < timer.orange_at:
        return SlaLevel.YELLOW
    return SlaLevel.ORANGE if now < timer.due_at else SlaLevel.RED


@dataclass
class _State:
    """What the maker remembers of a case to write its next patch."""

    case_id: str
    status: CaseStatus
    version: int
    level: SlaLevel
    step_level: SlaLevel
    returns: int = 0
    flags: list[CaseFlag] = field(default_factory=list)


class StreamMaker:
    """Seeded cases and events around `now` (epoch seconds)."""

    def __init__(self, now: float, seed: int = 7) -> None:
        self.now = datetime.fromtimestamp(now, UTC)
        self.rng = random.Random(seed)
        self.directory = Directory.load()
        simulator = Simulator(self.directory, seed=seed, rate=2.0)
        start = datetime(2026, 11, 20, tzinfo=UTC)
        self.requests: list[CaseCreateArgs] = [args for _, args in simulator.arrivals(start, start + timedelta(days=1))]
        bureaus = Path(__file__).resolve().parent.parent / "resources" / "data" / "org_bureaus.csv"
        with bureaus.open(encoding="utf-8") as file:
            self.units = [(row["id"], row["name"]) for row in csv.DictReader(file) if row["kind"] != "police"]
        self.units += [(f"S{code}", f"{street.name}城运分中心") for code, street in self.directory.streets.items()]
        self.states: dict[str, _State] = {}
        self.open_ids: list[str] = []
        self._open_at: dict[str, int] = {}
        self._serial = 0
        self.seq = 0

    # --- cases ------------------------------------------------------------------------

    def _new_id(self) -> str:
        self._serial += 1
        return f"{self.rng.getrandbits(64):016x}"

    def _case(self, status: CaseStatus, received: datetime, step_start: datetime) -> Case:
        args = self.rng.choice(self.requests)
        category = self.directory.categories[args.category_code]
        street = self.directory.streets[args.street_code]
        committee = self.directory.committees.get(args.committee_code or "")
        overall = _timer(received, category.overall_limit_hours * (2.5 if category.working_time else 1.0))
        step_hours = STEP_HOURS.get(status)
        step = _timer(step_start, step_hours) if step_hours is not None else None
        unit = self.rng.choice(self.units) if status not in (S.RECEIVED, S.REGISTERED) else None
        case_id = self._new_id()
        level, step_level = level_at(overall, self.now), level_at(step, self.now)
        history = [Trace(at=received, actor="hotline", action="create", status=S.RECEIVED)]
        if status is not S.RECEIVED:
            history.append(Trace(at=step_start, actor="wang.li", action=ACTION.get(status, "start"), status=status,
                                 unit_id=unit[0] if unit else None))
        self.states[case_id] = _State(case_id, status, len(history), level, step_level)
        self._open_at[case_id] = len(self.open_ids)
        self.open_ids.append(case_id)
        return Case(
            id=case_id, serial=f"MH2026-{self._serial:06d}", version=len(history), status=status,
            received_at=received, updated_at=step_start, channel=args.channel, category_code=category.code,
            category_zh=category.name_zh, category_en=category.name_en, street_code=street.code,
            street_name=street.name, address=args.address, description=args.description, lon=args.lon,
            lat=args.lat, committee_code=args.committee_code, committee_name=committee.name if committee else None,
            grid_id=grid_id(args.lon, args.lat), requester_phone=args.requester_phone, urgent=args.urgent,
            unit_id=unit[0] if unit else None, unit_name=unit[1] if unit else None, level=level,
            overall=overall, step=step, step_level=step_level, basis=Basis.LAW if unit else None,
            history=tuple(history),
        )

    def open_cases(self, count: int) -> list[Case]:
        """`count` open cases received over the last three days, in a typical spread of steps and levels."""
        statuses, weights = zip(*OPEN_MIX, strict=True)
        out = []
        for _ in range(count):
            (status,) = self.rng.choices(statuses, weights=weights)
            received = self.now - timedelta(hours=self.rng.uniform(0.1, 72) ** 1.0)
            step_start = received + (self.now - received) * self.rng.uniform(0.3, 0.95)
            out.append(self._case(status, received, step_start))
        return out

    # --- events -----------------------------------------------------------------------

    def _drop_open(self, case_id: str) -> None:
        at = self._open_at.pop(case_id)
        last = self.open_ids.pop()
        if last != case_id:
            self.open_ids[at] = last
            self._open_at[last] = at

    def events(self, count: int) -> list[KnownEvent]:
        """The next `count` events (seq continues from the last call)."""
        kinds, weights = zip(*EVENT_MIX, strict=True)
        out: list[KnownEvent] = []
        while len(out) < count:
            (kind,) = self.rng.choices(kinds, weights=weights)
            self.now += timedelta(milliseconds=50)
            event = getattr(self, f"_{kind}")()
            if event is not None:
                out.append(event)
        return out

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _create(self) -> KnownEvent:
        case = self._case(S.RECEIVED, self.now, self.now)
        return CaseCreated(seq=self._next_seq(), ts=self.now, data=case)

    def _step(self) -> KnownEvent | None:
        if not self.open_ids:
            return None
        state = self.states[self.rng.choice(self.open_ids)]
        now, fields = self.now, {}
        status = NEXT.get(state.status)
        if status is None:
            return None
        if state.status is S.DISPATCHED and self.rng.random() < 0.08:  # returned (退单)
            status = S.REGISTERED
            state.returns += 1
            if state.returns >= 2 and CaseFlag.ARBITRATION not in state.flags:
                state.flags = [*state.flags, CaseFlag.ARBITRATION]
            fields.update(returns=state.returns, flags=state.flags, unit_id=None, unit_name=None)
        elif status is S.DISPATCHED:
            unit_id, unit_name = self.rng.choice(self.units)
            fields.update(unit_id=unit_id, unit_name=unit_name, basis=Basis.LAW)
            if CaseFlag.ARBITRATION in state.flags:
                state.flags = [f for f in state.flags if f is not CaseFlag.ARBITRATION]
                fields.update(flags=state.flags)
        hours = STEP_HOURS.get(status)
        state.status, state.version, state.step_level = status, state.version + 1, SlaLevel.BLUE
        if status is S.CLOSED:
            self._drop_open(state.case_id)
        action = "return" if status is S.REGISTERED and state.returns else ACTION.get(status, "start")
        patch = CasePatch(
            id=state.case_id, version=state.version, updated_at=now, status=status,
            step=_timer(now, hours) if hours is not None else None, step_level=SlaLevel.BLUE,
            trace=Trace(at=now, actor="wang.li", action=action, status=status), actor="wang.li", **fields,
        )
        return CaseUpdated(seq=self._next_seq(), ts=now, data=patch)

    def _level(self) -> KnownEvent | None:
        if not self.open_ids:
            return None
        state = self.states[self.rng.choice(self.open_ids)]
        kind = "step" if self.rng.random() < 0.5 else "overall"
        previous = state.step_level if kind == "step" else state.level
        if previous is SlaLevel.RED:
            return None
        level = LEVELS[LEVELS.index(previous) + 1]
        if kind == "step":
            state.step_level = level
        else:
            state.level = level
        change = LevelChange(case_id=state.case_id, kind=kind, level=level, previous=previous)
        return TimerLevelChanged(seq=self._next_seq(), ts=self.now, data=change)

    def _supervise(self) -> KnownEvent | None:
        if not self.open_ids:
            return None
        case_id = self.rng.choice(self.open_ids)
        record = Supervision(case_id=case_id, unit_id=None, action=SupervisionAction.URGE, actor="hub", automatic=True)
        return SupervisionRecorded(seq=self._next_seq(), ts=self.now, data=record)

    def _stats(self) -> KnownEvent:
        unit_id, unit_name = self.rng.choice(self.units)
        stats = UnitStats(unit_id=unit_id, unit_name=unit_name, received=self.rng.randint(0, 500))
        return UnitStatsChanged(seq=self._next_seq(), ts=self.now, data=stats)
