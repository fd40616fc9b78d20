"""`python -m hub backup --db hub.db OUT`: a consistent copy of a SQLite log, while the hub runs.

SQLite's online backup API copies the database page by page inside one read transaction, so the
copy is the log as of one commit even while the hub writes (WAL lets the writer go on meanwhile).
The copy is written beside OUT and renamed onto it only once it is whole and passes SQLite's
integrity check. A hub started on the copy (`serve --db OUT`) serves that log: same `log_id`, same
head `seq`, same cases, so consoles resume from it. PostgreSQL is backed up with its own tool,
`pg_dump` (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from hub.db.database import normalise_url
from hub.errors import HubError


@dataclass(frozen=True)
class Copied:
    log_id: str
    head_seq: int
    cases: int
    audit_rows: int
    size: int


def backup(db: str, out: Path) -> Copied:
    try:
        url = sa.make_url(normalise_url(db))
    except sa.exc.ArgumentError:
        raise HubError(f"--db: {db!r} is not a database URL") from None
    if url.get_backend_name() != "sqlite":
        raise HubError(f"--db: {url.get_backend_name()} is backed up with its own tool: "
                       "pg_dump --format=custom --file=hub.dump DBNAME (docs/operations.md)")
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise HubError(f"--db: {source} does not exist")
    if out.exists():
        raise HubError(f"{out} already exists: back up to a new file")
    if not out.parent.is_dir():
        raise HubError(f"{out.parent} does not exist")
    partial = out.with_name(out.name + ".partial")
    try:
        with contextlib.closing(sqlite3.connect(source, timeout=30)) as src, \
                contextlib.closing(sqlite3.connect(partial)) as dst:
            src.backup(dst)
            problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if problem != "ok":
                raise HubError(f"the copy of {source} fails SQLite's integrity check: {problem}")
            copied = _describe(dst)
        os.replace(partial, out)
    except sqlite3.Error as exc:
        raise HubError(f"cannot back up {source} to {out}: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return Copied(copied.log_id, copied.head_seq, copied.cases, copied.audit_rows, out.stat().st_size)


def _describe(db: sqlite3.Connection) -> Copied:
    try:
        log_id = db.execute("SELECT value FROM hub_meta WHERE key = 'log_id'").fetchone()
        head = db.execute("SELECT max(seq) FROM events").fetchone()[0] or 0
        cases = db.execute("SELECT count(*) FROM cases").fetchone()[0]
        audit = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise HubError(f"not a hub's database ({exc})") from None
    return Copied(log_id[0] if log_id else "", int(head), int(cases), int(audit), 0)
