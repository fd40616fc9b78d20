"""The idempotency lookup of a commit: the stored answers of commands run before, by (user, id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from hub.db import log_store
from hub.db.database import open_engine, prepare

NOW = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)


def _stored(engine: sa.Engine, rows: list[tuple[str, str]]) -> None:
    with engine.begin() as conn:
        log_store.write_commands(conn, [{"user": user, "id": command_id, "name": "case.register", "ok": True,
                                         "ts": NOW, "response": f"{user}/{command_id}".encode()}
                                        for user, command_id in rows])


def test_answers_are_found_by_user_and_id(db_url: str) -> None:
    engine = open_engine(db_url)
    try:
        prepare(engine)
        _stored(engine, [("ana", "c1"), ("ana", "c2"), ("bo", "c1"), ("bo", "c3")])
        with engine.begin() as conn:
            found = log_store.find_commands(conn, [("ana", "c1"), ("bo", "c1"), ("bo", "c2"), ("cy", "c3"),
                                                   ("ana", "c9")])
    finally:
        engine.dispose()
    # the same id sent by two users is two commands; an id another user sent is no repeat
    assert found == {("ana", "c1"): b"ana/c1", ("bo", "c1"): b"bo/c1"}


def test_a_lookup_of_more_ids_than_one_query_takes(tmp_path: Any) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        prepare(engine)
        ids = [f"c{i}" for i in range(log_store.LOOKUP_CHUNK + 7)]
        _stored(engine, [("ana", i) for i in ids[::2]])
        with engine.begin() as conn:
            found = log_store.find_commands(conn, [("ana", i) for i in ids])
    finally:
        engine.dispose()
    assert sorted(found) == sorted(("ana", i) for i in ids[::2])


def test_the_lookup_searches_the_primary_key_instead_of_reading_every_command(tmp_path: Any) -> None:
    """A commit asks for its commands' earlier answers; by the ids alone SQLite read the whole table
    each commit (`SCAN commands`), a cost that grew with every command the log holds."""
    engine = open_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    statements: list[str] = []
    try:
        prepare(engine)
        _stored(engine, [("ana", f"c{i}") for i in range(50)])
        with engine.begin() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.set_trace_callback(statements.append)
            log_store.find_commands(conn, [("ana", "c1"), ("ana", "c2"), ("bo", "c1")])
            driver.set_trace_callback(None)
            lookups = [sql for sql in statements if "FROM commands" in sql]
            assert lookups
            plans = [" ".join(str(step[-1]) for step in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))
                     for sql in lookups]
    finally:
        engine.dispose()
    assert all("SEARCH commands USING" in plan and "SCAN" not in plan for plan in plans), plans
