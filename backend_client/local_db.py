"""The workstation's own SQLite files (outbox, snapshot cache): open, check, or move aside.

A local file can be damaged (a disk error, a power cut mid-write on a bad disk, a file from a
newer console). The console must still start: a file that cannot be read is renamed beside
itself (`<name>.bad-<time>`, kept for whoever investigates), a new one is made in its place,
and `LocalDb.problem` says so in words. If even a new file cannot be made (a read-only or
full disk), the data lives in memory for this run and `problem` says that too.

Plain `sqlite3`, not SQLAlchemy: the console's start then never imports SQLAlchemy (~0.12 s of
a cold start). The tables are the ones SQLAlchemy made before (the same `CREATE TABLE` text, the
same `PRAGMA user_version`), so files written by earlier builds open as they are.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

Schema = Sequence[str]
"""A file's tables and indexes: `CREATE … IF NOT EXISTS` statements, run in order."""


class LocalFormatError(Exception):
    """The file is a database, but not one this console can use."""


class LocalDb:
    """One local SQLite file (or an in-memory database): a connection per thread, transactions by hand.

    `read()` gives this thread's connection; `write()` the same inside `BEGIN IMMEDIATE` …
    `COMMIT` (rolled back if the block raises). A file gets one connection per thread that uses
    it (the cache is written by a worker thread while the UI thread may read); the in-memory
    database is one connection, used under a lock.
    """

    def __init__(self, path: Path | None, synchronous: str = "FULL", problem: str | None = None,
                 moved_to: Path | None = None) -> None:
        self.path = path
        """The file in use; None when the data is kept in memory for this run."""
        self.problem = problem
        """What went wrong while opening, in words for a log or a tooltip; None when all went well."""
        self.moved_to = moved_to
        """Where an unreadable file was moved."""
        self._synchronous = synchronous
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._lock = threading.RLock()
        self._shared: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.path is None else str(self.path)
        conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self._synchronous}")
            conn.execute("PRAGMA busy_timeout=2000")
        except BaseException:
            conn.close()
            raise
        with self._lock:
            self._opened.append(conn)
        return conn

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, outside any transaction (each statement its own)."""
        if self.path is None:
            with self._lock:
                if self._shared is None:
                    self._shared = self._connect()
                yield self._shared
            return
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection in one write transaction: committed at the end, rolled back on an error."""
        with self.read() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection; a later use opens new ones (as SQLAlchemy's `dispose` did)."""
        with self._lock:
            opened, self._opened = self._opened, []
            self._local = threading.local()
            self._shared = None
        for conn in opened:
            with contextlib.suppress(sqlite3.Error):
                conn.close()


def _prepare(db: LocalDb, schema: Schema, version: int, check: bool) -> None:
    with db.write() as conn:
        if check:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise LocalFormatError(f"integrity check failed: {verdict}")
        found = int(conn.execute("PRAGMA user_version").fetchone()[0] or 0)
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                              ).fetchall()
        if found == 0 and not tables:
            for statement in schema:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={int(version)}")
        elif found != version:
            raise LocalFormatError(f"format {found}, this console reads format {version}")
        else:
            for statement in schema:  # tables a newer build of the same format added
                conn.execute(statement)


def _open(path: Path | None, schema: Schema, version: int, synchronous: str, check: bool) -> LocalDb:
    db = LocalDb(path, synchronous)
    try:
        _prepare(db, schema, version, check)
    except BaseException:
        db.close()
        raise
    return db


def move_aside(path: Path) -> Path:
    """Rename `path` (and its -wal/-shm companions) to `<name>.bad-<time>`; return the new path."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.bad-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.bad-{stamp}-{n}")
    for suffix in ("", "-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    return target


def open_local(
    path: Path, schema: Schema, version: int, *, what: str, synchronous: str = "FULL", check: bool = True
) -> LocalDb:
    """Open (or create) a local SQLite file holding `schema`'s tables; never raises for a bad file.

    `what` names the file in messages ("outbox", "snapshot cache"). `check` runs SQLite's
    quick integrity check first (cheap for a small file; a large cache skips it and finds
    damage when it reads).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return _open(path, schema, version, synchronous, check)
    except (sqlite3.Error, LocalFormatError, OSError) as exc:
        reason = describe_error(exc)
    problem = f"the {what} file {path} could not be used ({reason})"
    moved: Path | None = None
    try:
        if path.exists():
            moved = move_aside(path)
            problem += f"; it was moved to {moved.name} and a new one started"
        db = _open(path, schema, version, synchronous, check)
        db.problem, db.moved_to = problem, moved
        log.error("%s", problem)
        return db
    except (sqlite3.Error, LocalFormatError, OSError) as exc:
        problem += f"; a new file could not be made either ({describe_error(exc)}): kept in memory for this run only"
    log.error("%s", problem)
    memory = _open(None, schema, version, "OFF", check=False)
    memory.problem, memory.moved_to = problem, moved
    return memory


def open_file(path: Path, schema: Schema, version: int, *, synchronous: str = "FULL") -> LocalDb:
    """Open (or create) the file itself, or raise: for trying again a file that could not be used.

    Raises `sqlite3.Error`, `LocalFormatError` or `OSError`; never moves anything aside.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    return _open(path, schema, version, synchronous, check=True)


def describe_error(exc: BaseException) -> str:
    """The driver's own message of a database error when there is one."""
    original = getattr(exc, "orig", None)
    return str(original or exc) or type(exc).__name__
