"""The writer's hot statements, run through the DB-API cursor of the transaction's own connection.

A group commit of a few hundred commands writes one row per command into `commands` and
`audit`, one or more into `events`, one into `cases`, and asks once which commands ran before.
Through SQLAlchemy Core each row cost more Python than the database's own work: the execution
context, a parameter dictionary per row, the bind processors and the cache key of every
statement (with 256 commands a commit, SQLAlchemy was ~60 % of the database thread's time in
`bench/engine.py`). Here the SQL text of each statement is made once per dialect from the
tables of `hub/db/schema.py` and the rows go to the driver's `executemany` as tuples, in the
same transaction (the statements run on the connection `engine.begin()` holds: the commit,
the rollback and the lock on the log's head are SQLAlchemy's, as before).

What the driver cannot take as is, is converted as SQLAlchemy would: a `DateTime` column on
SQLite is stored as SQLAlchemy's text (its bind processor, once per distinct value: the rows of
a commit share its time), so SQLAlchemy reads what was written here as before. Booleans, bytes,
integers and text go as they are (SQLite stores True as 1, as SQLAlchemy's processor does).
Drivers whose parameter style is neither `?` nor `%s` (none the hub ships with) take the
SQLAlchemy path (`Statements.usable` is False).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from hub.db import schema

_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


class Statements:
    """The SQL of the writer's hot statements for one dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.placeholder = _PLACEHOLDERS.get(dialect.paramstyle or "")
        self.usable = self.placeholder is not None
        quote = dialect.identifier_preparer.quote
        self._quote = quote
        self._table = dialect.identifier_preparer.format_table
        to_db = schema.events.c.ts.type.dialect_impl(dialect).bind_processor(dialect)
        self._ts_processor: Callable[[Any], Any] | None = to_db
        self._last_ts: tuple[datetime | None, Any] = (None, None)
        self.insert_events = self._insert(schema.events, ["seq", "ts", "type", "case_id", "exercise_id", "frame"])
        self.insert_cases = self._insert(schema.cases, ["id", "serial", "status", "version", "last_seq", "data"])
        self.update_cases = self._update(schema.cases, ["status", "version", "last_seq", "data"], "id")
        self.insert_commands = self._insert(schema.commands, ["user", "id", "name", "ok", "ts", "response"])
        self.insert_audit = self._insert(schema.audit, ["id", "ts", "user", "role", "command_id", "name", "args", "ok",
                                                        "error_code", "prev_hash", "hash"])
        self.insert_counters = self._insert(schema.counters, ["name", "value"])
        self.update_counters = self._update(schema.counters, ["value"], "name")
        n = schema.counters.c
        # BEGIN IMMEDIATE already holds SQLite's write lock (its SQL has no FOR UPDATE, as SQLAlchemy's compiler knows)
        self.lock_counter = (f"SELECT {quote(n.value.name)} FROM {self._table(schema.counters)} "
                             f"WHERE {quote(n.name.name)} = {self.placeholder or '?'}"
                             + ("" if dialect.name == "sqlite" else " FOR UPDATE"))
        c = schema.commands.c
        self.lookup_by_user = dialect.name == "sqlite"
        """Whether `find_commands` names the user with a list of ids (SQLite: a search of the key (user, id) instead
        of a scan of the table). PostgreSQL asks for all the (user, id) pairs at once (`find_commands_by_pairs`)."""
        user_first = f"{quote(c.user.name)} = {self.placeholder or '?'} AND " if self.lookup_by_user else ""
        self._find_commands = (f"SELECT {quote(c.user.name)}, {quote(c.id.name)}, {quote(c.response.name)} "
                               f"FROM {self._table(schema.commands)} WHERE {user_first}{quote(c.id.name)} IN ")
        self.find_commands_by_pairs = (
            f"SELECT k.u, k.i, found.{quote(c.response.name)} "
            f"FROM unnest(CAST({self.placeholder} AS text[]), CAST({self.placeholder} AS text[])) AS k(u, i) "
            f"CROSS JOIN LATERAL (SELECT {quote(c.response.name)} FROM {self._table(schema.commands)} "
            f"WHERE {quote(c.user.name)} = k.u AND {quote(c.id.name)} = k.i LIMIT 1) AS found"
        ) if dialect.name == "postgresql" else None
        """PostgreSQL: every (user, id) of a commit in two arrays, each pair looked up by the primary key. The
        `LIMIT 1` keeps the subquery a nested loop of key lookups whatever the table's statistics: `id IN (...)`
        alone read every stored command each commit (no index starts with the id), and `user = ? AND id IN (...)`
        on a new database with no statistics read every row of the user through psycopg's generic plan
        (docs/architecture.md)."""
        a = schema.audit.c
        self.last_audit = (f"SELECT {quote(a.id.name)}, {quote(a.hash.name)} FROM {self._table(schema.audit)} "
                           f"ORDER BY {quote(a.id.name)} DESC LIMIT 1")

    def _insert(self, table: sa.Table, columns: Sequence[str]) -> Insert:
        assert [c for c in columns if c not in table.c] == [], columns
        names = ", ".join(self._quote(name) for name in columns)
        marks = ", ".join([self.placeholder or "?"] * len(columns))
        return Insert(f"INSERT INTO {self._table(table)} ({names}) VALUES ({marks})",
                      f"COPY {self._table(table)} ({names}) FROM STDIN")

    def _update(self, table: sa.Table, columns: Sequence[str], key: str) -> str:
        mark = self.placeholder or "?"
        sets = ", ".join(f"{self._quote(name)} = {mark}" for name in columns)
        return f"UPDATE {self._table(table)} SET {sets} WHERE {self._quote(key)} = {mark}"

    def find_commands(self, count: int) -> str:
        """`SELECT user, id, response FROM commands WHERE user = ? AND id IN (…)` for one user and `count` ids
        (the user first: the primary key is (user, id), and by the ids alone SQLite scans the table); on
        PostgreSQL `… WHERE id IN (…)` (see `lookup_by_user`)."""
        return self._find_commands + "(" + ", ".join([self.placeholder or "?"] * count) + ")"

    def ts(self, moment: datetime) -> Any:
        """A `DateTime` value as this dialect's driver takes it (SQLAlchemy's bind processor), the last one kept."""
        if self._ts_processor is None:
            return moment
        last, value = self._last_ts
        if last is not moment and not (last == moment and last.utcoffset() == moment.utcoffset()):
            value = self._ts_processor(moment)
            self._last_ts = (moment, value)
        return value


class Insert:
    """An INSERT of rows into some columns of a table: `sql` for one row, `copy` for PostgreSQL's COPY."""

    def __init__(self, sql: str, copy: str) -> None:
        self.sql = sql
        self.copy = copy


def insert(conn: Connection, statement: Insert, rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` in the transaction: through `executemany` (SQLite: one prepared statement run in C),
    or with `COPY … FROM STDIN` where the driver has it (psycopg 3 on PostgreSQL). A 256-row commit
    there took ~10 us a row of the hub's thread through `executemany` (one statement a row, each
    parsed, bound and run by the server on its own) and ~20 in multi-row INSERTs (the driver's
    placeholders), ~3 through COPY, whose rows the driver writes in C."""
    if not rows:
        return
    cursor = conn.connection.cursor()
    try:
        copy = getattr(cursor, "copy", None) if conn.dialect.name == "postgresql" else None
        if copy is None:
            cursor.executemany(statement.sql, rows)
            return
        with copy(statement.copy) as stream:
            for row in rows:
                stream.write_row(row)
    finally:
        cursor.close()


_BY_DIALECT: weakref.WeakKeyDictionary[Dialect, Statements] = weakref.WeakKeyDictionary()


def statements(conn: Connection) -> Statements:
    """The statements of `conn`'s dialect (made once per engine's dialect)."""
    dialect = conn.dialect
    found = _BY_DIALECT.get(dialect)
    if found is None:
        found = _BY_DIALECT[dialect] = Statements(dialect)
    return found


def executemany(conn: Connection, sql: str, rows: Sequence[Sequence[Any]]) -> None:
    """Run `sql` once per row on the transaction's own DB-API connection."""
    if not rows:
        return
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


def query(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """The rows of a read on the transaction's own DB-API connection."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
