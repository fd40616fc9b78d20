"""The outbox: every command is on disk before it is on the wire, until the hub answers it.

    outbox = Outbox(data_dir / "outbox.sqlite")
    FeedConnection(url, token, store, outbox=outbox)

`FeedConnection.send_command` writes a row (id, name, args, case, time) and commits it
*before* it sends the frame; the row goes when `command.result` comes. Rows still there are
sent again, with the same id, after every `welcome`: after a reconnect and after the console
was restarted (they are loaded when the connection is made). The hub keeps the answer of
every (user, command id) in its log and answers a repeat with it, so a command that reached
the hub before the line dropped is applied once, whatever happens here.

A commit costs one `fsync` (`synchronous=FULL`: a command the operator saw accepted survives
a power cut); at human command rates that is far below a frame on the UI thread.

When the file cannot be used at all the outbox lives in memory (`in_memory`): commands are
still sent, but one not yet answered is lost if the console closes. The console says so for
as long as it lasts and calls `retry_file()` now and then: once the folder works again the
commands move into the file and the outbox is durable again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from backend_client.local_db import LocalDb, LocalFormatError, describe_error, open_file, open_local

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
"""`PRAGMA user_version` of an outbox file; another number is moved aside, not guessed at."""

metadata = sa.MetaData()
commands = sa.Table(
    "outbox",
    metadata,
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("command_id", sa.String(128), nullable=False, unique=True),
    sa.Column("name", sa.String(32), nullable=False),
    sa.Column("args", sa.LargeBinary, nullable=False, doc="msgpack of the command's args object"),
    sa.Column("case_id", sa.String(64), nullable=True, index=True),
    sa.Column("user", sa.String(100), nullable=True, doc="account the command was given under, when known"),
    sa.Column("created_at", sa.Float, nullable=False, doc="epoch seconds"),
)
unreadable = sa.Table(
    "outbox_unreadable",
    metadata,
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("command_id", sa.String(128)),
    sa.Column("name", sa.String(32)),
    sa.Column("args", sa.LargeBinary),
    sa.Column("reason", sa.Text),
    sa.Column("moved_at", sa.Float),
)
"""Rows whose args could not be decoded: kept for whoever investigates, never sent."""

_encode = msgspec.msgpack.Encoder().encode
_decode = msgspec.msgpack.Decoder(dict[str, Any]).decode


@dataclass(frozen=True, slots=True)
class OutboxRow:
    command_id: str
    name: str
    args: dict[str, Any]
    case_id: str | None
    user: str | None
    created_at: float


class Outbox:
    """Commands not yet answered, in a local SQLite file (or in memory if the file is unusable)."""

    def __init__(self, path: Path) -> None:
        self._wanted = path
        self._db: LocalDb = open_local(path, metadata, FORMAT_VERSION, what="outbox")
        self.problem: str | None = self._db.problem
        """What went wrong with the file, in words (also logged); None while all is well."""
        self._unsaved: set[str] = set()
        """Ids of commands the disk refused and the hub has not answered yet."""

    @property
    def write_failed(self) -> bool:
        """A command the disk refused is still unanswered: it would not survive a restart."""
        return bool(self._unsaved)

    @property
    def in_memory(self) -> bool:
        """True while the file cannot be used: unanswered commands would be lost on a restart."""
        return self._db.path is None

    def retry_file(self) -> bool:
        """While in memory, try the file again; on success move the commands into it. True when on file."""
        if self._db.path is not None:
            return True
        try:
            engine = open_file(self._wanted, metadata, FORMAT_VERSION)
        except (SQLAlchemyError, LocalFormatError, OSError) as exc:
            log.debug("the outbox file %s still cannot be used: %s", self._wanted, describe_error(exc))
            return False
        try:
            with self._db.engine.connect() as source:
                held = [row._asdict() for row in source.execute(sa.select(commands).order_by(commands.c.position))]
            with engine.begin() as target:
                known = set(target.execute(sa.select(commands.c.command_id)).scalars())
                for values in held:
                    if values["command_id"] not in known:
                        values.pop("position")
                        target.execute(commands.insert().values(values))
        except SQLAlchemyError as exc:
            engine.dispose()
            log.warning("the outbox file %s opened but could not take the commands: %s", self._wanted,
                        describe_error(exc))
            return False
        memory, self._db = self._db, LocalDb(engine, self._wanted)
        memory.close()
        self.problem = None
        log.info("the outbox file %s works again; %d unanswered command(s) moved into it", self._wanted, len(held))
        return True

    @property
    def path(self) -> Path | None:
        """The file in use; None when the outbox is in memory for this run."""
        return self._db.path

    @property
    def moved_to(self) -> Path | None:
        """Where an unreadable outbox file was moved at start."""
        return self._db.moved_to

    def add(
        self, command_id: str, name: str, args: dict[str, Any], *, case_id: str | None = None,
        user: str | None = None, created_at: float | None = None,
    ) -> OutboxRow:
        """Write one command and commit. Raises `OutboxWriteError` when the disk refuses it."""
        row = OutboxRow(command_id, name, args, case_id, user, time.time() if created_at is None else created_at)
        values = {"command_id": command_id, "name": name, "args": _encode(args), "case_id": case_id,
                  "user": user, "created_at": row.created_at}
        try:
            with self._db.engine.begin() as conn:
                existing = conn.execute(
                    sa.select(commands.c.position).where(commands.c.command_id == command_id)
                ).first()
                if existing is None:
                    conn.execute(commands.insert().values(values))
        except SQLAlchemyError as exc:
            self.problem = f"a command could not be written to the outbox ({describe_error(exc)})"
            self._unsaved.add(command_id)
            log.error("%s", self.problem)
            raise OutboxWriteError(self.problem) from exc
        return row

    def remove(self, command_id: str) -> None:
        """The hub answered: forget the command (an unknown id is ignored)."""
        self._unsaved.discard(command_id)
        try:
            with self._db.engine.begin() as conn:
                conn.execute(commands.delete().where(commands.c.command_id == command_id))
        except SQLAlchemyError as exc:  # it would be sent again and answered from the hub's record
            self.problem = f"an answered command could not be removed from the outbox ({describe_error(exc)})"
            log.error("%s", self.problem)

    def rows(self) -> list[OutboxRow]:
        """Every command not yet answered, oldest first; rows that cannot be decoded are set aside."""
        found: list[OutboxRow] = []
        bad: list[tuple[Any, str]] = []
        try:
            with self._db.engine.begin() as conn:
                for raw in conn.execute(sa.select(commands).order_by(commands.c.position)):
                    try:
                        args = _decode(raw.args)
                    except (msgspec.DecodeError, TypeError) as exc:
                        bad.append((raw, str(exc)))
                        continue
                    found.append(OutboxRow(raw.command_id, raw.name, args, raw.case_id, raw.user, raw.created_at))
                for raw, reason in bad:
                    conn.execute(unreadable.insert().values(
                        position=raw.position, command_id=raw.command_id, name=raw.name, args=raw.args,
                        reason=reason, moved_at=time.time()))
                    conn.execute(commands.delete().where(commands.c.position == raw.position))
        except SQLAlchemyError as exc:
            self.problem = f"the outbox could not be read ({describe_error(exc)}); unsent commands may be missing"
            log.error("%s", self.problem)
            return found
        if bad:
            self.problem = f"{len(bad)} command(s) in the outbox could not be read and were set aside"
            log.error("%s: %s", self.problem, [raw.command_id for raw, _ in bad])
        return found

    def __len__(self) -> int:
        with self._db.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(commands)).scalar_one())

    def close(self) -> None:
        self._db.close()


class OutboxWriteError(RuntimeError):
    """A command could not be made durable; the caller still holds it in memory."""
