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
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from backend_client.local_db import LocalDb, LocalFormatError, describe_error, open_file, open_local

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
"""`PRAGMA user_version` of an outbox file; another number is moved aside, not guessed at."""

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS outbox (position INTEGER NOT NULL, command_id VARCHAR(128) NOT NULL,"
    " name VARCHAR(32) NOT NULL, args BLOB NOT NULL, case_id VARCHAR(64), user VARCHAR(100),"
    " created_at FLOAT NOT NULL, PRIMARY KEY (position), UNIQUE (command_id))",
    "CREATE INDEX IF NOT EXISTS ix_outbox_case_id ON outbox (case_id)",
    "CREATE TABLE IF NOT EXISTS outbox_unreadable (position INTEGER NOT NULL, command_id VARCHAR(128),"
    " name VARCHAR(32), args BLOB, reason TEXT, moved_at FLOAT, PRIMARY KEY (position))",
)
"""Format 1's tables, as SQLAlchemy made them before (files of earlier builds open as they are):
`outbox` holds a command's id, name, args (msgpack of its args object), case, the account it was
given under (when known) and when (epoch seconds); `outbox_unreadable` keeps rows whose args could
not be decoded, for whoever investigates, never sent."""
_COLUMNS = "command_id, name, args, case_id, user, created_at"

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
        self._db: LocalDb = open_local(path, SCHEMA, FORMAT_VERSION, what="outbox")
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
            db = open_file(self._wanted, SCHEMA, FORMAT_VERSION)
        except (sqlite3.Error, LocalFormatError, OSError) as exc:
            log.debug("the outbox file %s still cannot be used: %s", self._wanted, describe_error(exc))
            return False
        try:
            with self._db.read() as source:
                held = source.execute(f"SELECT {_COLUMNS} FROM outbox ORDER BY position").fetchall()
            with db.write() as target:
                known = {command_id for (command_id,) in target.execute("SELECT command_id FROM outbox")}
                target.executemany(f"INSERT INTO outbox ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
                                   [values for values in held if values[0] not in known])
        except sqlite3.Error as exc:
            db.close()
            log.warning("the outbox file %s opened but could not take the commands: %s", self._wanted,
                        describe_error(exc))
            return False
        memory, self._db = self._db, db
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
        try:
            with self._db.write() as conn:
                conn.execute(f"INSERT INTO outbox ({_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?"
                             " WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE command_id = ?)",
                             (command_id, name, _encode(args), case_id, user, row.created_at, command_id))
        except sqlite3.Error as exc:
            self.problem = f"a command could not be written to the outbox ({describe_error(exc)})"
            self._unsaved.add(command_id)
            log.error("%s", self.problem)
            raise OutboxWriteError(self.problem) from exc
        return row

    def remove(self, command_id: str) -> None:
        """The hub answered: forget the command (an unknown id is ignored)."""
        self._unsaved.discard(command_id)
        try:
            with self._db.write() as conn:
                conn.execute("DELETE FROM outbox WHERE command_id = ?", (command_id,))
        except sqlite3.Error as exc:  # it would be sent again and answered from the hub's record
            self.problem = f"an answered command could not be removed from the outbox ({describe_error(exc)})"
            log.error("%s", self.problem)

    def rows(self) -> list[OutboxRow]:
        """Every command not yet answered, oldest first; rows that cannot be decoded are set aside."""
        found: list[OutboxRow] = []
        bad: list[tuple[int, str, str, bytes, str]] = []
        try:
            with self._db.write() as conn:
                for position, command_id, name, blob, case_id, user, created_at in conn.execute(
                        f"SELECT position, {_COLUMNS} FROM outbox ORDER BY position"):
                    try:
                        args = _decode(blob)
                    except (msgspec.DecodeError, TypeError) as exc:
                        bad.append((position, command_id, name, blob, str(exc)))
                        continue
                    found.append(OutboxRow(command_id, name, args, case_id, user, created_at))
                for position, command_id, name, blob, reason in bad:
                    conn.execute("INSERT INTO outbox_unreadable (position, command_id, name, args, reason, moved_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?)", (position, command_id, name, blob, reason, time.time()))
                    conn.execute("DELETE FROM outbox WHERE position = ?", (position,))
        except sqlite3.Error as exc:
            self.problem = f"the outbox could not be read ({describe_error(exc)}); unsent commands may be missing"
            log.error("%s", self.problem)
            return found
        if bad:
            self.problem = f"{len(bad)} command(s) in the outbox could not be read and were set aside"
            log.error("%s: %s", self.problem, [command_id for _, command_id, *_ in bad])
        return found

    def __len__(self) -> int:
        with self._db.read() as conn:
            return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])
    def close(self) -> None:
        self._db.close()


class OutboxWriteError(RuntimeError):
    """A command could not be made durable; the caller still holds it in memory."""
