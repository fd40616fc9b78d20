"""The workstation's own SQLite files (outbox, snapshot cache): open, check, or move aside.

A local file can be damaged (a disk error, a power cut mid-write on a bad disk, a file from a
newer console). The console must still start: a file that cannot be read is renamed beside
itself (`<name>.bad-<time>`, kept for whoever investigates), a new one is made in its place,
and `LocalDb.problem` says so in words. If even a new file cannot be made (a read-only or
full disk), the data lives in memory for this run and `problem` says that too.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)


class LocalFormatError(Exception):
    """The file is a database, but not one this console can use."""


@dataclass
class LocalDb:
    engine: sa.Engine
    path: Path | None
    """The file in use; None when the data is kept in memory for this run."""
    problem: str | None = None
    """What went wrong while opening, in words for a log or a tooltip; None when all went well."""
    moved_to: Path | None = None
    """Where an unreadable file was moved."""

    def close(self) -> None:
        self.engine.dispose()


def _pragmas(synchronous: str) -> Any:
    def apply(dbapi_connection: Any, _record: Any) -> None:
        # isolation_level=None hands transactions to SQLAlchemy (BEGIN below), as in hub/db.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=2000")
        cursor.close()

    return apply


def _begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _engine(url: str, synchronous: str, **kwargs: Any) -> sa.Engine:
    engine = sa.create_engine(url, **kwargs)
    event.listen(engine, "connect", _pragmas(synchronous))
    event.listen(engine, "begin", _begin)
    return engine


def _prepare(engine: sa.Engine, metadata: sa.MetaData, version: int, check: bool) -> None:
    with engine.begin() as conn:
        if check:
            verdict = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                raise LocalFormatError(f"integrity check failed: {verdict}")
        found = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        tables = sa.inspect(conn).get_table_names()
        if found == 0 and not tables:
            metadata.create_all(conn)
            conn.exec_driver_sql(f"PRAGMA user_version={version}")
        elif found != version:
            raise LocalFormatError(f"format {found}, this console reads format {version}")
        else:
            metadata.create_all(conn)  # tables a newer build of the same format added


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
    path: Path, metadata: sa.MetaData, version: int, *, what: str, synchronous: str = "FULL", check: bool = True
) -> LocalDb:
    """Open (or create) a local SQLite file holding `metadata`'s tables; never raises for a bad file.

    `what` names the file in messages ("outbox", "snapshot cache"). `check` runs SQLite's
    quick integrity check first (cheap for a small file; a large cache skips it and finds
    damage when it reads).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = _engine(f"sqlite:///{path}", synchronous)
        try:
            _prepare(engine, metadata, version, check)
        except BaseException:
            engine.dispose()
            raise
        return LocalDb(engine, path)
    except (SQLAlchemyError, LocalFormatError, OSError) as exc:
        reason = describe_error(exc)
    problem = f"the {what} file {path} could not be used ({reason})"
    moved: Path | None = None
    try:
        if path.exists():
            moved = move_aside(path)
            problem += f"; it was moved to {moved.name} and a new one started"
        engine = _engine(f"sqlite:///{path}", synchronous)
        _prepare(engine, metadata, version, check)
        log.error("%s", problem)
        return LocalDb(engine, path, problem, moved)
    except (SQLAlchemyError, LocalFormatError, OSError) as exc:
        problem += f"; a new file could not be made either ({describe_error(exc)}): kept in memory for this run only"
    log.error("%s", problem)
    memory = _engine("sqlite://", "OFF", poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
    _prepare(memory, metadata, version, check=False)
    return LocalDb(memory, None, problem, moved)


def open_file(path: Path, metadata: sa.MetaData, version: int, *, synchronous: str = "FULL") -> sa.Engine:
    """Open (or create) the file itself, or raise: for trying again a file that could not be used.

    Raises `SQLAlchemyError`, `LocalFormatError` or `OSError`; never moves anything aside.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(f"sqlite:///{path}", synchronous)
    try:
        _prepare(engine, metadata, version, check=True)
    except BaseException:
        engine.dispose()
        raise
    return engine


def describe_error(exc: BaseException) -> str:
    """The driver's own message of a database error when there is one (shorter than SQLAlchemy's)."""
    original = getattr(exc, "orig", None)
    return str(original or exc) or type(exc).__name__
