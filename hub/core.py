"""The hub's heart: database, memory state, writer, and who is subscribed.

`Hub` has no network code: hub/server.py moves frames between sockets and these methods,
and tests drive it through a real server on a loopback port.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import msgspec

from hub import auth
from hub.db import database, log_store, schema
from hub.db.checkpoint import Checkpointer
from hub.db.listener import PostgresListener
from hub.directory import Directory
from hub.emergency.book import EmergencyBook
from hub.emergency.commands import EmergencyCommands
from hub.emergency.inbox import INBOX_ACCOUNT, INTERVAL_S, CapInbox
from hub.emergency.linking import CaseLinker
from hub.emergency.plans import load_plans
from hub.emergency.reminders import AckReminders
from hub.emergency.warnings import WarningCommands
from hub.engine.alerts import SHELF_MAX, ShelfBook
from hub.engine.batch import Batch, Outcome
from hub.engine.cases import CENTRE_ZONE, CaseEngine
from hub.engine.commands import Caller, CommandTable
from hub.engine.figures import FiguresProjection, FiguresPublisher
from hub.engine.loop import CaseLoop, refused
from hub.engine.supervision import AUTOMATIC
from hub.errors import HubError
from hub.feed_scope import CommitFrames, ScopedFeed
from hub.org import follow, geography
from hub.org.chart import OrgChart
from hub.org.commands import OrgCommands
from hub.recent import RecentFrames
from hub.timekeeper import Timekeeper
from hub.writer import NOTIFY_CHANNEL, Job, Writer
from protocol import (
    COMMAND_ARGS,
    LIMITS,
    AlertShelf,
    CapWarning,
    Case,
    Command,
    CommandError,
    Directive,
    Emergency,
    EmergencyTask,
    ErrorCode,
    Handover,
    Hello,
    Limits,
    Receipt,
    ReplayMode,
    Resource,
    RotaDay,
    SlaLevel,
    SupervisionAction,
    UnitStats,
    WarningReceiveArgs,
    encode,
    may_send,
)
from protocol.codec import BadMessage, convert_args
from protocol.events import KnownEvent

log = logging.getLogger(__name__)

HUB_NAME = "cc-hub/0.1.0"
RECENT_BYTES = 16 << 20
"""Bytes of recent frames kept in memory for resuming clients (~15,000 case events)."""


def _refuse(code: ErrorCode, message: str) -> Callable[[Batch], Outcome]:
    return lambda batch: Outcome(ok=False, error=CommandError(code=code, message=message))


def encode_args(args: dict[str, Any]) -> bytes:
    return msgspec.json.encode(args)[:8192]


class Subscriber(Protocol):
    """What the fan-out needs of a live connection (implemented in hub/server.py)."""

    @property
    def whole_feed(self) -> bool:
        """It passes every committed frame on as it is and reads no state of the hub's: it gets a commit's frames
        before the hub's memory and observers take the commit (`Writer.on_frames`); the others after."""
        ...

    def push(self, frames: list[bytes]) -> None: ...


@dataclass
class Choice:
    """How one connection will be brought up to date, fixed at `welcome` time."""

    mode: ReplayMode
    head_seq: int
    snapshot: list[Case] = field(default_factory=list)
    units: list[UnitStats] = field(default_factory=list)
    emergencies: list[Emergency] = field(default_factory=list)
    tasks: list[EmergencyTask] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    warnings: list[CapWarning] = field(default_factory=list)
    rota: list[RotaDay] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    shelves: list[AlertShelf] = field(default_factory=list)


class Hub:
    """State and behaviour of one hub process."""

    def __init__(
        self,
        db: str,
        *,
        directory: Directory | None = None,
        limits: Limits = LIMITS,
        token_file: Path | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        auto_supervision: Mapping[SlaLevel, SupervisionAction] = AUTOMATIC,
        plans_dir: Path | None = None,
        cap_inbox: Path | None = None,
        cap_inbox_interval_s: float = INTERVAL_S,
    ) -> None:
        self.limits = limits
        self.auto_supervision = auto_supervision
        self.clock = clock
        self.engine = database.open_engine(db)
        self.tokens = auth.TokenFile(token_file) if token_file is not None else None
        from hub.importing.centre import open_stored

        stored = open_stored(self.engine) if directory is None else None
        """A centre imported from its data (hub/importing/centre.py) when this database serves one."""
        self.directory = stored.directory if stored else (directory or Directory.load())
        self.org = stored.chart if stored else OrgChart(self.directory)
        self.cases = CaseEngine(self.directory, centre_code=stored.data.code if stored else "MH",
                                locate=self.org.locate)
        self.org_commands = OrgCommands(self.org, log_store.read_audit_rows)
        self.handovers = self.org_commands.handovers.book
        """The latest shift handover of each desk, with its acknowledgements (folded from the log)."""
        self.shelves = ShelfBook()
        """The alert shelves in force (`alert.shelved` not yet expired), for `snapshot.end`."""
        self.emergencies = EmergencyBook()
        """Every emergency, plan task, directive, receipt and resource (folded from the log)."""
        self.cases.link = CaseLinker(self.emergencies).link
        """A case received inside an active emergency's area is linked to it (simulated cases too)."""
        self.plans = load_plans(plans_dir)
        self.emergency_commands = EmergencyCommands(self.emergencies, self.org, self.plans)
        self.warning_commands = WarningCommands(self.emergencies, self.plans, self.emergency_commands)
        self.commands = CommandTable(self.cases, CaseLoop(self.org, self.directory.categories),
                                     self.org_commands, self.emergency_commands, self.warning_commands)
        self.reminders = AckReminders(self.emergencies, self.emergency_commands, self.run_internal, clock)
        """Reminds the recipients of a directive that have not acknowledged it by its deadline, once."""
        self.inbox = (CapInbox(cap_inbox, self.receive_warning, cap_inbox_interval_s) if cap_inbox is not None
                      else None)
        """The watched folder of CAP files, when the hub has one."""
        self.timekeeper: Timekeeper | None = None
        self.live: set[Subscriber] = set()
        self.log_id = ""
        self._writer: Writer | None = None
        self._recent = RecentFrames(RECENT_BYTES, 0)
        self._checkpointer = Checkpointer(self.engine)
        self._listener: PostgresListener | None = None
        self.geography = (geography.build(self.directory, self.org.grids.values(), stored.data.boundary_source)
                          if stored else geography.build(self.directory, self.org.grids.values()))
        """The district's map, sent to clients that do not hold this version (see `geography_frame`)."""
        self._geography_frame = encode(self.geography)
        self._commit_frames: CommitFrames | None = None
        self.figures: FiguresPublisher | None = None
        """The wall's figures (a projection of the log) and their publication; set by `open()`."""

    # --- life ------------------------------------------------------------------------

    async def open(self) -> None:
        if self.inbox is not None:
            try:
                self.inbox.prepare()
            except OSError as exc:
                raise HubError(f"--cap-inbox: cannot use {self.inbox.folder}: {exc.strerror or exc}") from None
        loop = asyncio.get_running_loop()
        self.log_id = await loop.run_in_executor(None, database.prepare, self.engine)
        state = await loop.run_in_executor(None, log_store.load_state, self.engine)
        org_frames = await loop.run_in_executor(None, log_store.read_org_frames, self.engine)
        follow.fold(self.org, org_frames)
        self.handovers.fold(org_frames)
        self.shelves.fold(await loop.run_in_executor(None, log_store.read_recent_frames_of, self.engine,
                                                     ("alert.shelved",), self.clock() - SHELF_MAX))
        self.emergencies.fold(await loop.run_in_executor(None, log_store.read_frames_of, self.engine,
                                                         schema.EMERGENCY_EVENT_TYPES))
        self._recent = RecentFrames(RECENT_BYTES, state.head_seq)
        self._writer = Writer(self.engine, state, self._on_commit, self.clock)
        self._writer.on_frames = self._send_first
        self._writer.on_org = self._follow
        self.timekeeper = Timekeeper(self._writer, self.clock, self.auto_supervision)
        projection = FiguresProjection(CENTRE_ZONE, {code: s.name for code, s in self.directory.streets.items()},
                                       self.org.unit_name, self._grid_street)
        projection.build(state.cases.values(), self.clock())
        self._writer.before_fold = projection.fold
        self.figures = FiguresPublisher(projection, self.clock, lambda: self.writer.head_seq, self._fan_out,
                                        self.limits.figures_interval_s)
        self.figures.start()
        self._writer.start()
        self.timekeeper.start()
        self.reminders.refresh()
        self.reminders.start()
        if self.inbox is not None:
            self.inbox.start()
        self._checkpointer.start()
        self._listener = PostgresListener(self.engine, NOTIFY_CHANNEL, self._writer.request_sync)
        self._listener.start()
        log.info("log %s opened at seq %d with %d cases", self.log_id, state.head_seq, len(state.cases))

    def _follow(self, frames: list[bytes], events: list[KnownEvent]) -> None:
        """After each commit: the organisation and the emergency book take the new events."""
        follow.fold(self.org, frames, events)
        self.handovers.fold(frames, events)
        self.shelves.fold(frames, events)
        self.emergencies.fold(frames, events)
        self.reminders.refresh()

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
        if self.timekeeper is not None:
            await self.timekeeper.stop()
        await self.reminders.stop()
        if self.inbox is not None:
            await self.inbox.stop()
        if self.figures is not None:
            await self.figures.stop()
        if self._writer is not None:
            await self._writer.stop()
        await self._checkpointer.stop()
        self.engine.dispose()

    @property
    def writer(self) -> Writer:
        assert self._writer is not None, "Hub.open() first"
        return self._writer

    @property
    def head_seq(self) -> int:
        return self.writer.head_seq

    # --- opening ---------------------------------------------------------------------

    async def authenticate(self, token: str) -> auth.Account | None:
        if self.tokens is not None and (account := self.tokens.lookup(token)) is not None:
            return account
        result = await self.writer.run_in_db(lambda: auth.lookup(self.engine, token))
        assert result is None or isinstance(result, auth.Account)
        return result

    async def accounts_now(self, token_hashes: set[str]) -> dict[str, auth.Account]:
        """Who holds these token hashes now, by hash (one query); a hash missing was revoked or rotated.

        A token file is read once at start, so its accounts stand for the hub's life.
        """
        known = {h: a for h in token_hashes if self.tokens is not None and (a := self.tokens.by_hash(h)) is not None}
        rest = token_hashes - known.keys()
        found = await self.writer.run_in_db(lambda: auth.accounts_by_hash(self.engine, rest)) if rest else {}
        assert isinstance(found, dict)
        return {**found, **known}

    def choose(self, hello: Hello, scope: ScopedFeed | None = None) -> Choice:
        """Replay or snapshot; must run without an await before the subscriber's catch-up.

        An account scoped to a unit always gets a snapshot of its scope: a replay from an old `seq`
        cannot know which cases the client held then, so it could not tell it which to drop.
        """
        head = self.head_seq
        resume = hello.resume_from
        if (
            scope is None
            and resume is not None
            and (hello.log_id is None or hello.log_id == self.log_id)
            and resume <= head
            and head - resume <= self.limits.replay_window
        ):
            return Choice(ReplayMode.REPLAY, head)
        book = self.emergencies
        rota = sorted(self.org.rota.values(), key=lambda d: d.date)[-31:]
        handovers = sorted(self.handovers.latest.values(), key=lambda h: h.at)
        cases = list(self.writer.cases.values())
        if scope is not None:
            cases, handovers = scope.snapshot(cases), scope.handovers(handovers)
        return Choice(ReplayMode.SNAPSHOT, head, cases, list(self.writer.stats.values()),
                      list(book.emergencies.values()), list(book.tasks.values()), list(book.directives.values()),
                      list(book.receipts.values()), list(book.warnings.values()), rota=rota, handovers=handovers,
                      resources=list(book.resources.values()), shelves=self.shelves.active(self.clock()))

    def scoped_feed(self, unit_id: str) -> ScopedFeed:
        """The filter of a new connection of an account scoped to `unit_id` (hub/feed_scope.py)."""
        return ScopedFeed(unit_id, self.org, self.writer.cases, lambda: self.writer.head_seq)

    def commit_frames(self, frames: list[bytes]) -> CommitFrames:
        """`frames` decoded once for every scoped connection they are pushed to (the same list, the same object)."""
        if self._commit_frames is None or self._commit_frames.frames is not frames:
            self._commit_frames = CommitFrames(frames)
        return self._commit_frames

    async def frames_after(self, seq: int, limit: int = 1000) -> list[bytes]:
        held = self._recent.after(seq, limit)
        if held is not None:
            return held
        frames = await self.writer.run_in_db(lambda: log_store.read_frames(self.engine, seq, limit))
        assert isinstance(frames, list)
        return frames

    # --- commands --------------------------------------------------------------------

    async def execute(self, account: auth.Account, command: Command) -> bytes:
        """Validate and run a client's command; returns the encoded `command.result`."""
        frame, _ = await self.submit_command(account, command)
        return frame

    def submit_command(self, account: auth.Account, command: Command) -> asyncio.Future[tuple[bytes, Outcome]]:
        """Validate a client's command and queue its job; the future holds the encoded `command.result`.

        Every command, refused or not, goes through the writer: answered once per id, audited."""
        args_type = COMMAND_ARGS.get(command.name)
        run: Callable[[Batch], Outcome]
        if args_type is None:
            run = _refuse(ErrorCode.UNKNOWN_COMMAND, f"no command named {command.name!r}")
        elif not may_send(account.role, command.name):
            run = _refuse(ErrorCode.FORBIDDEN, f"role {account.role.value!r} may not send {command.name!r}")
        else:
            try:
                args: Any = convert_args(command.args, args_type)
            except BadMessage as exc:
                run = _refuse(ErrorCode.INVALID_ARGS, str(exc))
            else:
                run = self.commands.job(command.name, args, Caller(account.name, account.role, account.unit_id))
        job = Job(run=run, name=command.name[:64], user=account.name, command_id=command.id, role=account.role.value,
                  args=encode_args(command.args))
        return self.writer.enqueue(job)

    async def run_internal(self, name: str, run: Callable[[Batch], Outcome]) -> Outcome:
        """A job of the hub itself (simulator, timers): no idempotency record."""
        _, outcome = await self.writer.submit(Job(run=run, name=name))
        return outcome

    async def receive_warning(self, xml: str, file_name: str, actor: str = INBOX_ACCOUNT) -> Outcome:
        """`warning.receive` by the hub itself (the watched folder): no idempotency record."""
        args = WarningReceiveArgs(xml=xml, file_name=file_name)
        return await self.run_internal("warning.receive",
                                       lambda batch: refused(lambda: self.warning_commands.receive(batch, args, actor)))

    # --- fan-out ---------------------------------------------------------------------

    def _send_first(self, frames: list[bytes]) -> None:
        """A commit's frames to the whole-feed subscribers, first thing after the commit (see `Subscriber`)."""
        for subscriber in list(self.live):
            if subscriber.whole_feed:
                subscriber.push(frames)

    def _on_commit(self, head_seq: int, frames: list[bytes]) -> None:
        """After memory and the observers took the commit: the frames to the subscribers that read the hub's state
        (scoped desks, the simulator); the whole-feed ones had them from `_send_first`."""
        self._recent.extend(head_seq, frames)
        for subscriber in list(self.live):
            if not subscriber.whole_feed:
                subscriber.push(frames)
        if self.figures is not None:
            self.figures.changed()

    def _fan_out(self, frame: bytes) -> None:
        """One frame that is no event (the figures) to every live subscriber."""
        frames = [frame]
        for subscriber in list(self.live):
            subscriber.push(frames)

    def _grid_street(self, grid_id: str) -> str | None:
        unit = self.org.units.get(grid_id)
        return unit.street_code if unit is not None else None

    def geography_frame(self, held: str | None) -> bytes | None:
        """The encoded `geography` for a client holding version `held`; None when it holds this one."""
        return None if held == self.geography.version else self._geography_frame

    def figures_frame(self) -> bytes:
        """The current `figures`, encoded (a client that has just caught up gets it)."""
        assert self.figures is not None, "Hub.open() first"
        return self.figures.frame()
