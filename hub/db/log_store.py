"""Synchronous reads and writes of the log, run on the hub's database thread only."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hub.db import audit_chain, raw, schema
from protocol import Case, CaseCreated, CaseUpdated, SupervisionRecorded, TimerLevelChanged, UnitStats
from protocol.codec import event_frame
from protocol.events import KnownEvent

_case_encoder = msgspec.json.Encoder()
_case_decoder = msgspec.json.Decoder(Case)
_stats_decoder = msgspec.json.Decoder(UnitStats)


@dataclass
class LoadedState:
    head_seq: int
    cases: dict[str, Case]
    counters: dict[str, int]
    stats: dict[str, UnitStats]


def load_state(engine: Engine) -> LoadedState:
    """Everything the hub keeps in memory, read in one transaction."""
    with engine.connect() as conn:
        head = conn.execute(sa.select(sa.func.max(schema.events.c.seq))).scalar_one_or_none() or 0
        cases = {
            row.id: _case_decoder.decode(row.data)
            for row in conn.execute(sa.select(schema.cases.c.id, schema.cases.c.data))
        }
        counters = {row.name: int(row.value) for row in conn.execute(sa.select(schema.counters))}
        stats = load_stats(conn)
    return LoadedState(head_seq=int(head), cases=cases, counters=counters, stats=stats)


def load_stats(conn: Connection) -> dict[str, UnitStats]:
    return {row.unit_id: _stats_decoder.decode(row.data) for row in conn.execute(sa.select(schema.unit_stats))}


_UPDATE_STATS = (sa.update(schema.unit_stats).where(schema.unit_stats.c.unit_id == sa.bindparam("b_unit_id"))
                 .values(data=sa.bindparam("data")))
_INSERT_STATS = schema.unit_stats.insert()


def write_stats(conn: Connection, before: dict[str, UnitStats], changed: dict[str, UnitStats]) -> None:
    new = [{"unit_id": unit_id, "data": _case_encoder.encode(st)} for unit_id, st in changed.items()
           if unit_id not in before]
    old = [{"b_unit_id": unit_id, "data": _case_encoder.encode(st)} for unit_id, st in changed.items()
           if unit_id in before]
    if new:
        conn.execute(_INSERT_STATS, new)
    if old:
        conn.execute(_UPDATE_STATS, old)


def write_audit(conn: Connection, rows: list[dict[str, object]]) -> None:
    audit_chain.append(conn, rows)


def read_audit(engine: Engine, limit: int, before_id: int | None) -> list[dict[str, object]]:
    with engine.connect() as conn:
        return read_audit_rows(conn, limit, before_id)


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; the hub writes only UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read_audit_rows(conn: Connection, limit: int, before_id: int | None) -> list[dict[str, object]]:
    """The newest audit rows (below `before_id` when paging back), newest first."""
    query = sa.select(schema.audit).order_by(schema.audit.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(schema.audit.c.id < before_id)
    return [
        {"id": r.id, "ts": _utc(r.ts).isoformat(), "user": r.user, "role": r.role, "command_id": r.command_id,
         # Audited args are cut at a byte limit, which can split a character: never fail a page on it.
         "name": r.name, "args": bytes(r.args).decode(errors="replace"), "ok": r.ok, "error_code": r.error_code}
        for r in conn.execute(query)
    ]


# The statements of every commit, built once: building an SQLAlchemy statement costs more than
# running it (~65 us of the ~90 us of `set_head` on this machine), and a commit ran six of them.
_INSERT_EVENTS = schema.events.insert()
_INSERT_CASES = schema.cases.insert()
_UPDATE_CASES = (sa.update(schema.cases).where(schema.cases.c.id == sa.bindparam("b_id"))
                 .values(status=sa.bindparam("status"), version=sa.bindparam("version"),
                         last_seq=sa.bindparam("last_seq"), data=sa.bindparam("data")))
_UPDATE_COUNTER = (sa.update(schema.counters).where(schema.counters.c.name == sa.bindparam("b_name"))
                   .values(value=sa.bindparam("value")))
_INSERT_COUNTER = schema.counters.insert()


_EVENT_COLUMNS = ("seq", "ts", "type", "case_id", "exercise_id", "frame")


def write_events(conn: Connection, events: Sequence[KnownEvent], frames: Sequence[bytes]) -> None:
    st = raw.statements(conn)
    ts = st.ts if st.usable else _same
    rows = [
        (event.seq, ts(event.ts), event_type(event), _case_of(event),
         event.data.exercise_id if isinstance(event, CaseCreated) else None, frame)
        for event, frame in zip(events, frames, strict=True)
    ]
    if st.usable:
        raw.insert(conn, st.insert_events, rows)
    else:
        conn.execute(_INSERT_EVENTS, [dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in rows])


def _same(value: datetime) -> datetime:
    return value


def _case_of(event: KnownEvent) -> str | None:
    if isinstance(event, CaseCreated | CaseUpdated):
        return event.data.id
    if isinstance(event, TimerLevelChanged | SupervisionRecorded):
        return event.data.case_id
    return None


def write_cases(conn: Connection, created: Iterable[Case], updated: Iterable[Case], seq: int) -> None:
    st = raw.statements(conn)
    encode = _case_encoder.encode
    rows_new = [(c.id, c.serial, c.status.value, c.version, seq, encode(c)) for c in created]
    rows_old = [(c.status.value, c.version, seq, encode(c), c.id) for c in updated]
    if st.usable:
        if rows_new:
            raw.insert(conn, st.insert_cases, rows_new)
        if rows_old:
            raw.executemany(conn, st.update_cases, rows_old)
        return
    if rows_new:
        conn.execute(_INSERT_CASES, [dict(zip(("id", "serial", "status", "version", "last_seq", "data"), row,
                                              strict=True)) for row in rows_new])
    if rows_old:
        conn.execute(_UPDATE_CASES, [dict(zip(("status", "version", "last_seq", "data", "b_id"), row, strict=True))
                                     for row in rows_old])


def write_counters(conn: Connection, before: dict[str, int], changed: dict[str, int]) -> None:
    if not changed:
        return
    st = raw.statements(conn)
    if st.usable:
        raw.insert(conn, st.insert_counters, [(name, value) for name, value in changed.items() if name not in before])
        raw.executemany(conn, st.update_counters,
                        [(value, name) for name, value in changed.items() if name in before])
        return
    new = [{"name": name, "value": value} for name, value in changed.items() if name not in before]
    old = [{"b_name": name, "value": value} for name, value in changed.items() if name in before]
    if new:
        conn.execute(_INSERT_COUNTER, new)
    if old:
        conn.execute(_UPDATE_COUNTER, old)


LOOKUP_CHUNK = 500
"""Ids per `IN (...)` of `find_commands`: well under SQLite's and PostgreSQL's limits on parameters."""


def find_commands(conn: Connection, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The stored answers of the commands among `keys` (user, id) already run: one query (on SQLite, one per user
    and 500 ids).

    A transaction of 2,000 commands asked one query each, which was half of the writer's time. On SQLite the
    query names the user as well as the ids, so it searches the table's primary key (user, id): by the ids
    alone it read every row of `commands`, a scan per commit that grew with the log (the plan was
    `SCAN commands`; tests/hub/test_command_lookup.py checks it). PostgreSQL takes the pairs as two arrays and
    looks each up by the key (`raw.Statements.find_commands_by_pairs` says why)."""
    wanted = set(keys)
    st = raw.statements(conn)
    c = schema.commands.c
    found: dict[tuple[str, str], bytes] = {}
    if st.usable and st.find_commands_by_pairs is not None:  # PostgreSQL: every pair at once, each by the key
        pairs = sorted(wanted)
        if pairs:
            users, command_ids = [user for user, _ in pairs], [command_id for _, command_id in pairs]
            for user, command_id, response in raw.query(conn, st.find_commands_by_pairs, (users, command_ids)):
                found[user, command_id] = bytes(response)
        return found
    by_user: dict[str, set[str]] = {}
    for user, command_id in wanted:
        by_user.setdefault(user, set()).add(command_id)
    for user, ids in by_user.items():
        for chunk in raw.chunks(sorted(ids), LOOKUP_CHUNK):
            if st.usable:
                rows = raw.query(conn, st.find_commands(len(chunk)), (user, *chunk))
            else:
                rows = list(conn.execute(sa.select(c.user, c.id, c.response).where(c.user == user, c.id.in_(chunk))))
            for row_user, command_id, response in rows:
                found[row_user, command_id] = bytes(response)
    return found


_COMMAND_COLUMNS = ("user", "id", "name", "ok", "ts", "response")


def write_commands(conn: Connection, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    st = raw.statements(conn)
    if st.usable:
        ts = st.ts
        raw.insert(conn, st.insert_commands, [(r["user"], r["id"], r["name"], r["ok"], ts(r["ts"]),  # type: ignore[arg-type]
                                                    r["response"]) for r in rows])
    else:
        conn.execute(schema.commands.insert(), rows)


def read_frames(engine: Engine, after: int, limit: int) -> list[bytes]:
    """Frames of the events with `seq > after`, in order, at most `limit`."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(schema.events.c.frame)
            .where(schema.events.c.seq > after)
            .order_by(schema.events.c.seq)
            .limit(limit)
        ).all()
    return [bytes(r.frame) for r in rows]


def read_org_frames(engine: Engine) -> list[bytes]:
    """Frames of every organisation event (units, rota, handovers), in order: what the chart folds at start."""
    return read_frames_of(engine, schema.ORG_EVENT_TYPES)


def read_frames_of(engine: Engine, types: tuple[str, ...]) -> list[bytes]:
    """Frames of every event of these types, in order (each set has its partial index)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(schema.events.c.frame).where(schema.events.c.type.in_(types)).order_by(schema.events.c.seq)
        ).all()
    return [bytes(r.frame) for r in rows]


def read_recent_frames_of(engine: Engine, types: tuple[str, ...], since: datetime) -> list[bytes]:
    """Frames of these types recorded at or after `since`, in order, reading only the recent end of the log.

    The last event older than `since` is found walking the primary key back from the head (no
    index on `ts` is needed), then only the events after it are read.
    """
    events = schema.events
    cutoff = since.astimezone(UTC)
    with engine.connect() as conn:
        before = conn.execute(sa.select(events.c.seq).where(events.c.ts < cutoff)
                              .order_by(events.c.seq.desc()).limit(1)).scalar()
        rows = conn.execute(sa.select(events.c.frame).where(events.c.seq > (before or 0), events.c.type.in_(types))
                            .order_by(events.c.seq)).all()
    return [bytes(r.frame) for r in rows]


def event_type(event: KnownEvent) -> str:
    tag = type(event).__struct_config__.tag
    assert isinstance(tag, str)
    return tag


def encode_events(events: Sequence[KnownEvent]) -> list[bytes]:
    return [event_frame(e) for e in events]




__all__ = [
    "LoadedState",
    "encode_events",
    "find_commands",
    "load_state",
    "read_frames",
    "write_cases",
    "write_commands",
    "write_counters",
    "write_events",
]


HEAD_COUNTER = "log_head"
"""The counter row every writing transaction locks first: it serialises writers across hub
processes (PostgreSQL row lock; SQLite's BEGIN IMMEDIATE already does) and keeps commit
order equal to `seq` order."""


@dataclass
class Foreign:
    """What other hub processes appended since this one last looked."""

    head_seq: int
    frames: list[bytes]
    cases: dict[str, Case]
    counters: dict[str, int]
    stats: dict[str, UnitStats]


_LOCK_HEAD = sa.select(schema.counters.c.value).where(schema.counters.c.name == HEAD_COUNTER).with_for_update()
_SET_HEAD = sa.update(schema.counters).where(schema.counters.c.name == HEAD_COUNTER).values(value=sa.bindparam("head"))


def lock_head(conn: Connection) -> int:
    """The log's true head, locked until this transaction ends.

    Through the DB-API cursor where the dialect allows (hub/db/raw.py): through SQLAlchemy, this
    statement and `set_head` cost ~0.15 ms each of a commit's ~3 ms at 1,000 events/s, each commit."""
    st = raw.statements(conn)
    if st.usable:
        rows = raw.query(conn, st.lock_counter, (HEAD_COUNTER,))
        row = rows[0][0] if rows else None
    else:
        row = conn.execute(_LOCK_HEAD).scalar_one_or_none()
    if row is not None:
        return int(row)
    head = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(schema.events.c.seq), 0))).scalar_one())
    conn.execute(schema.counters.insert().values(name=HEAD_COUNTER, value=head))
    return head


def set_head(conn: Connection, head: int) -> None:
    st = raw.statements(conn)
    if st.usable:
        raw.executemany(conn, st.update_counters, [(head, HEAD_COUNTER)])
    else:
        conn.execute(_SET_HEAD, {"head": head})


def read_foreign(conn: Connection, after: int, head: int) -> Foreign:
    """Events in (after, head] written by another hub, with the cases they touched."""
    rows = conn.execute(
        sa.select(schema.events.c.case_id, schema.events.c.frame)
        .where(schema.events.c.seq > after, schema.events.c.seq <= head)
        .order_by(schema.events.c.seq)
    ).all()
    ids = {r.case_id for r in rows if r.case_id is not None}
    cases: dict[str, Case] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids)[start : start + 500]
        for row in conn.execute(sa.select(schema.cases.c.id, schema.cases.c.data).where(schema.cases.c.id.in_(chunk))):
            cases[row.id] = _case_decoder.decode(row.data)
    counters = {
        row.name: int(row.value)
        for row in conn.execute(sa.select(schema.counters).where(schema.counters.c.name != HEAD_COUNTER))
    }
    return Foreign(head_seq=head, frames=[bytes(r.frame) for r in rows], cases=cases, counters=counters,
                   stats=load_stats(conn))
