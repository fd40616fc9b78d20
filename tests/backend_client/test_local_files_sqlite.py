"""The local files on plain `sqlite3`: files of the SQLAlchemy builds open as they are, and the console's
start writes its outbox without importing SQLAlchemy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import sqlalchemy as sa

from backend_client.outbox import Outbox
from backend_client.snapshot_cache import CachedState, SnapshotCache, schema_tag
from backend_client.store import CaseStore
from tests.store.store_helpers import case

ROOT = Path(__file__).resolve().parents[2]


def _old_outbox_tables() -> sa.MetaData:
    """The outbox's tables as the SQLAlchemy build declared them (format 1)."""
    metadata = sa.MetaData()
    sa.Table("outbox", metadata,
             sa.Column("position", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("command_id", sa.String(128), nullable=False, unique=True),
             sa.Column("name", sa.String(32), nullable=False),
             sa.Column("args", sa.LargeBinary, nullable=False),
             sa.Column("case_id", sa.String(64), nullable=True, index=True),
             sa.Column("user", sa.String(100), nullable=True),
             sa.Column("created_at", sa.Float, nullable=False))
    sa.Table("outbox_unreadable", metadata,
             sa.Column("position", sa.Integer, primary_key=True), sa.Column("command_id", sa.String(128)),
             sa.Column("name", sa.String(32)), sa.Column("args", sa.LargeBinary), sa.Column("reason", sa.Text),
             sa.Column("moved_at", sa.Float))
    return metadata


def test_an_outbox_written_by_the_sqlalchemy_build_opens_and_keeps_its_commands(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    metadata = _old_outbox_tables()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql("PRAGMA user_version=1")
        conn.execute(metadata.tables["outbox"].insert(), [
            {"command_id": "old-1", "name": "case.register", "args": b"\x81\xa2id\xa2x1", "case_id": "x1",
             "user": "wang.li", "created_at": 1795485600.5},
            {"command_id": "old-2", "name": "case.sign", "args": b"\x81\xa2id\xa2x2", "case_id": "x2",
             "user": None, "created_at": 1795485601.0}])
    engine.dispose()
    outbox = Outbox(path)
    try:
        assert outbox.problem is None and outbox.moved_to is None
        outbox.add("new-1", "case.close", {"id": "x3"}, case_id="x3", created_at=1795485602.0)
        outbox.add("old-1", "case.register", {"id": "x1"}, case_id="x1")  # a repeat keeps the first row
        rows = outbox.rows()
        assert [(r.command_id, r.args, r.case_id, r.user, r.created_at) for r in rows] == [
            ("old-1", {"id": "x1"}, "x1", "wang.li", 1795485600.5), ("old-2", {"id": "x2"}, "x2", None, 1795485601.0),
            ("new-1", {"id": "x3"}, "x3", None, 1795485602.0)]
        outbox.remove("old-2")
        assert len(outbox) == 2
    finally:
        outbox.close()
    with sqlite3.connect(path) as db:  # still format 1, as the older build reads it
        assert db.execute("PRAGMA user_version").fetchone() == (1,)
        assert [r[0] for r in db.execute("SELECT command_id FROM outbox ORDER BY position")] == ["old-1", "new-1"]


def test_a_cache_written_by_the_sqlalchemy_build_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.sqlite"
    cache = SnapshotCache(path)
    cache.save(CachedState("log-a", 7, 1795485600.0, [case(1), case(2)], hub_url="ws://hub/feed"))
    cache.close()
    with sqlite3.connect(path) as db:  # the same rows in tables made as SQLAlchemy made them
        rows = db.execute("SELECT chunk, cases, histories FROM snapshot_cases").fetchall()
        meta = db.execute("SELECT * FROM snapshot").fetchone()
    path.unlink()
    metadata = sa.MetaData()
    sa.Table("snapshot", metadata, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("schema_tag", sa.String(64), nullable=False), sa.Column("log_id", sa.String(64), nullable=False),
             sa.Column("last_seq", sa.Integer, nullable=False), sa.Column("as_of", sa.Float, nullable=False),
             sa.Column("written_at", sa.Float, nullable=False), sa.Column("hub_url", sa.Text, nullable=False),
             sa.Column("case_count", sa.Integer, nullable=False), sa.Column("extras", sa.LargeBinary, nullable=False))
    sa.Table("snapshot_cases", metadata, sa.Column("chunk", sa.Integer, primary_key=True),
             sa.Column("cases", sa.LargeBinary, nullable=False), sa.Column("histories", sa.LargeBinary, nullable=False))
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql("PRAGMA user_version=1")
        conn.exec_driver_sql("INSERT INTO snapshot VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", meta)
        conn.exec_driver_sql("INSERT INTO snapshot_cases VALUES (?, ?, ?)", rows[0])
    engine.dispose()
    assert meta[1] == schema_tag()
    reopened = SnapshotCache(path)
    try:
        store = CaseStore()
        info = reopened.load_into(store)
        assert reopened.problem is None and info is not None
        assert (info.log_id, info.last_seq, info.cases, info.hub_url) == ("log-a", 7, 2, "ws://hub/feed")
        assert sorted(c.id for c in store.cases()) == ["id00001", "id00002"] and reopened.position() == ("log-a", 7)
    finally:
        reopened.close()


def test_the_cache_is_written_on_a_worker_thread_while_the_ui_thread_reads_its_position(tmp_path: Path) -> None:
    cache = SnapshotCache(tmp_path / "snapshot.sqlite")
    try:
        cache.save(CachedState("log-a", 1, 0.0, [case(1)]))
        worker = threading.Thread(target=cache.save, args=(CachedState("log-a", 2, 0.0, [case(1), case(2)]),))
        worker.start()
        assert cache.position() in {("log-a", 1), ("log-a", 2)}  # one or the other, never half a state
        worker.join()
        assert cache.position() == ("log-a", 2) and cache.problem is None
    finally:
        cache.close()
    assert len(SnapshotCache(tmp_path / "snapshot.sqlite").load().cases) == 2  # type: ignore[union-attr]


START = """
import sys
from pathlib import Path
import console.app
from console.local_state import LocalState
local = LocalState.open(Path(sys.argv[1]))
local.outbox.add("c1", "case.register", {"id": "x1"}, case_id="x1")
assert local.cache.load_into(console.app.CaseStore(), defer_history=True) is None
local.close()
print("sqlalchemy" in sys.modules)
"""


def test_a_console_start_writes_its_outbox_without_importing_sqlalchemy(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", START, str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                          env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
                          check=True)
    assert done.stdout.split() == ["False"], done.stderr
    with sqlite3.connect(tmp_path / "outbox.sqlite") as db:
        assert db.execute("SELECT command_id, case_id FROM outbox").fetchall() == [("c1", "x1")]
