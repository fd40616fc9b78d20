"""The audit log as a hash chain: each row carries the hash of the row before it and its own.

`hash = sha256(prev_hash + "\\n" + content)`, where `content` is the row's id, time (UTC, to the
microsecond), user, role, command id, command name, arguments (hex), outcome and error code as one
JSON array. Altering a row makes its own hash wrong; removing or inserting one breaks the next
row's link; `python -m hub audit --verify` finds the first such row. Rewriting the whole chain
from some row on is not detectable from the database alone: keep the head hash that `--verify`
prints somewhere else (docs/operations.md).

The writer numbers the rows itself (not the database's autoincrement) inside the transaction that
holds the log's head lock, so rows are chained in id order even with several hubs on PostgreSQL.
Migration 0009 chains the rows written before it with this same formula.
"""

from __future__ import annotations

import hashlib
import json
import json.encoder
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hub.db import raw, schema

GENESIS = "0" * 64
"""The `prev_hash` of the first row."""


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


_CONTENT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""`json.dumps(value, ensure_ascii=False, separators=(",", ":"))`, the same text, without a new encoder per row
(the writer hashes one row per command)."""


_STR = json.encoder.encode_basestring
"""A `str` as the encoder above writes it inside the array (the C function it calls for each string)."""


def _chained_hash(prev_hash: str, row_id: int, stamp: str, row: dict[str, Any]) -> str:
    """`row_hash(prev_hash, row)` for a row the writer has just made (`stamp`: its time as `row_hash` writes it),
    the same text put together from the encoder's own pieces: the writer hashes one row per command, and the
    encoder's array (~3 us) and the time's `isoformat` (~3 us, once per commit here) were most of a row's hash."""
    texts = (row["user"], row["role"], row["command_id"], row["name"])
    error_code = row["error_code"]
    if any(type(text) is not str for text in texts) or not (error_code is None or type(error_code) is str):
        return row_hash(prev_hash, row)
    user, role, command_id, name = map(_STR, texts)
    error = "null" if error_code is None else _STR(error_code)
    content = (f'[{row_id},"{stamp}",{user},{role},{command_id},{name},"{bytes(row["args"]).hex()}",'
               f'{"true" if row["ok"] else "false"},{error}]')
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def row_hash(prev_hash: str, row: Any) -> str:
    """The hash of one audit row (a mapping or a Row with the audit table's columns) after `prev_hash`."""
    content = _CONTENT(
        [int(row["id"]), _utc(row["ts"]).isoformat(timespec="microseconds"), row["user"], row["role"],
         row["command_id"], row["name"], bytes(row["args"]).hex(), bool(row["ok"]), row["error_code"]],
    )
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def append(conn: Connection, rows: list[dict[str, object]]) -> None:
    """Number, chain and insert `rows` after the last audit row (inside the writer's transaction)."""
    if not rows:
        return
    st = raw.statements(conn)
    if st.usable:
        found = raw.query(conn, st.last_audit)
        last = (found[0][0], found[0][1]) if found else None
    else:
        audit = schema.audit.c
        head = conn.execute(sa.select(audit.id, audit.hash).order_by(audit.id.desc()).limit(1)).first()
        last = (head.id, head.hash) if head is not None else None
    next_id = int(last[0]) + 1 if last is not None else 1
    prev = str(last[1]) if last is not None else GENESIS
    given: object = None
    utc, stamp = datetime.min, ""
    for row in rows:
        if row["ts"] is not given:  # a commit's rows share its time: made UTC and written once
            given = row["ts"]
            utc = _utc(given)  # type: ignore[arg-type]
            stamp = utc.isoformat(timespec="microseconds")
        row["ts"] = utc
        row["id"] = next_id
        row["prev_hash"] = prev
        row["hash"] = prev = _chained_hash(prev, next_id, stamp, row)
        next_id += 1
    if st.usable:
        ts = st.ts
        raw.insert(conn, st.insert_audit, [
            (r["id"], ts(r["ts"]), r["user"], r["role"], r["command_id"], r["name"], r["args"],  # type: ignore[arg-type]
             r["ok"], r["error_code"], r["prev_hash"], r["hash"]) for r in rows])
    else:
        conn.execute(schema.audit.insert(), rows)


@dataclass(frozen=True)
class Verdict:
    rows: int
    head: str
    """The hash of the last row (GENESIS when there is none): keep it elsewhere to detect a rewritten tail."""
    broken_id: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def _rows(engine: Engine, chunk: int = 5000) -> Iterator[Any]:
    after = 0
    while True:
        with engine.connect() as conn:
            page = conn.execute(sa.select(schema.audit).where(schema.audit.c.id > after)
                                .order_by(schema.audit.c.id).limit(chunk)).mappings().all()
        if not page:
            return
        yield from page
        after = int(page[-1]["id"])


def verify(engine: Engine) -> Verdict:
    """Walk the chain from the first row; the first row whose link or content does not hold breaks it."""
    prev, prev_id, count = GENESIS, None, 0
    for row in _rows(engine):
        count += 1
        where = f"the row before it (id {prev_id})" if prev_id is not None else "the start of the log"
        if row["prev_hash"] != prev:
            return Verdict(count, prev, int(row["id"]), f"does not follow {where}: a row was removed, inserted or "
                           "rewritten there")
        if row_hash(prev, row) != row["hash"]:
            return Verdict(count, prev, int(row["id"]), "was altered: its content does not match its hash")
        prev, prev_id = str(row["hash"]), int(row["id"])
    return Verdict(count, prev)
