"""The idempotency lookup of a commit: the stored answers of commands run before, by (user, id)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from hub.db import log_store, raw
from hub.db.database import open_engine, prepare
from tests.hub.conftest import fresh_postgres

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


def test_postgres_looks_each_pair_up_by_the_key_on_a_new_database(monkeypatch: Any) -> None:
    """On a new database (no statistics yet) PostgreSQL's plan for the lookup, as psycopg prepares it after a few
    commits (a generic plan), reads `commands` by its primary key only: `id IN (...)` alone read every stored
    command on each commit (10.8 ms a commit with 100,000 stored, against 0.8 by the key)."""
    with fresh_postgres() as url:
        engine = open_engine(url)
        asked: list[tuple[str, tuple[Any, ...]]] = []
        real_query = raw.query

        def query(conn: Any, sql: str, params: Any = ()) -> list[Any]:
            asked.append((sql, tuple(params)))
            return real_query(conn, sql, params)

        try:
            prepare(engine)
            _stored(engine, [(f"u{i % 3}", f"c{i}") for i in range(3000)])
            monkeypatch.setattr(raw, "query", query)
            with engine.begin() as conn:
                found = log_store.find_commands(conn, [("u0", "c0"), ("u1", "c0"), ("u1", "c1"), ("u2", "new")])
            lookups = [(sql, params) for sql, params in asked if "FROM commands" in sql]
            assert lookups
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
                plans = []
                for sql, params in lookups:
                    cursor = conn.connection.cursor()
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
                    plans.append(cursor.fetchall()[0][0][0]["Plan"])
                    cursor.close()
        finally:
            engine.dispose()
    assert found == {("u0", "c0"): b"u0/c0", ("u1", "c1"): b"u1/c1"}
    scans = [_scans_of_commands(plan) for plan in plans]
    assert all(kinds and set(kinds) <= {"Index Scan", "Index Only Scan"} for kinds in scans), plans


def _scans_of_commands(plan: dict[str, Any]) -> list[str]:
    """The node types of a plan (EXPLAIN's JSON) that read the `commands` table."""
    own = [plan["Node Type"]] if plan.get("Relation Name") == "commands" else []
    return own + [kind for child in plan.get("Plans", []) for kind in _scans_of_commands(child)]
