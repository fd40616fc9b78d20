"""The audit log is a hash chain: `python -m hub audit --verify` finds an altered or removed row."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from hub.db import audit_chain, database, schema
from hub.embedded import EmbeddedHub
from tests.hub.conftest import case_args, greet, run_hub
from tests.hub.test_cli import hub_cli


async def _commands(hub: EmbeddedHub, count: int = 4) -> None:
    """`count` audited commands, the last one refused."""
    client, _ = await greet(hub)
    for n in range(count - 1):
        assert (await client.command("case.create", case_args(hub), f"c{n}"))["ok"]
    refused = await client.command("case.sign", {"id": "no-such-case", "version": 1}, "bad")
    assert not refused["ok"]
    await client.ws.close()


def test_every_audit_row_is_chained_to_the_one_before(db_url: str) -> None:
    run_hub(db_url, _commands)
    engine = database.open_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(schema.audit).order_by(schema.audit.c.id)).mappings().all()
        assert [r["id"] for r in rows] == [1, 2, 3, 4]
        assert rows[0]["prev_hash"] == audit_chain.GENESIS
        for before, row in itertools.pairwise(rows):
            assert row["prev_hash"] == before["hash"]
        verdict = audit_chain.verify(engine)
        assert (verdict.intact, verdict.rows, verdict.head) == (True, 4, rows[-1]["hash"])
    finally:
        engine.dispose()


def _audited_db(tmp_path: Path) -> Path:
    path = tmp_path / "hub.db"
    run_hub(f"sqlite:///{path}", _commands)
    done = hub_cli("audit", "--verify", "--db", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("audit chain intact: 4 rows, head hash "), done.stdout
    return path


def test_verify_names_the_row_altered_in_the_sqlite_file(tmp_path: Path) -> None:
    path = _audited_db(tmp_path)
    with sqlite3.connect(path) as db:  # what someone with the file could do: make a refusal look accepted
        db.execute("UPDATE audit SET ok = 1, error_code = NULL WHERE id = 4")
    done = hub_cli("audit", "--verify", "--db", str(path))
    assert done.returncode == 1
    assert done.stdout.strip() == ("audit row 4 was altered: its content does not match its hash "
                                   "(the 3 rows before it hold)")


def test_verify_names_the_row_after_one_removed_or_rehashed(tmp_path: Path) -> None:
    path = _audited_db(tmp_path)
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM audit WHERE id = 2")
    done = hub_cli("audit", "--verify", "--db", str(path))
    assert done.returncode == 1
    assert done.stdout.startswith("audit row 3 does not follow the row before it (id 1)"), done.stdout

    (tmp_path / "again").mkdir()
    path = _audited_db(tmp_path / "again")
    engine = database.open_engine(str(path))
    with engine.begin() as conn:  # alter row 2 and give it a hash that fits its new content
        row = dict(conn.execute(sa.select(schema.audit).where(schema.audit.c.id == 2)).mappings().one())
        row["user"] = "someone-else"
        conn.execute(sa.update(schema.audit).where(schema.audit.c.id == 2).values(
            user="someone-else", hash=audit_chain.row_hash(row["prev_hash"], row)))
    engine.dispose()
    done = hub_cli("audit", "--verify", "--db", str(path))
    assert done.returncode == 1
    assert done.stdout.startswith("audit row 3 does not follow the row before it (id 2)"), done.stdout


def test_audit_rows_written_before_the_chain_are_chained_by_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = database.open_engine(url)
    database.migrate(engine, "0008")
    old = sa.table("audit", *(sa.column(c.name) for c in schema.audit.c if c.name not in ("prev_hash", "hash")))
    with engine.begin() as conn:
        conn.execute(old.insert(), [
            {"id": n, "ts": datetime(2026, 3, n, 8, 30, tzinfo=UTC), "user": "alice", "role": "duty",
             "command_id": f"c{n}", "name": "case.create", "args": b'{"description":"\xe4\xba\x95"}', "ok": True,
             "error_code": None} for n in (1, 2, 3)
        ])
    database.prepare(engine)
    assert audit_chain.verify(engine).rows == 3 and audit_chain.verify(engine).intact
    engine.dispose()
    run_hub(url, _commands)  # the hub goes on from the migrated chain
    done = hub_cli("audit", "--verify", "--db", str(tmp_path / "hub.db"))
    assert done.returncode == 0 and "7 rows" in done.stdout, done.stdout


def test_a_rows_hash_is_the_formula_chains_were_written_with() -> None:
    """Chains already stored (and migration 0009's) are verified with `row_hash`: its text and hash must not
    drift (non-ASCII kept as is, the separators without spaces, a quote and a newline escaped)."""
    row = {"id": 7, "ts": datetime(2026, 9, 15, 2, 0, 0, 123456, tzinfo=UTC), "user": "张三", "role": "dispatcher",
           "command_id": 'c-1\n"q"', "name": "case.register", "args": '{"id":"x","note":"雨"}'.encode(), "ok": True,
           "error_code": None}
    assert audit_chain.row_hash(audit_chain.GENESIS, row) == (
        "29aead39afd2613d859e961df6738c830adad1039130d8a1a1ea3023257be79f")


@settings(max_examples=300, deadline=None)
@given(user=st.text(max_size=12), role=st.text(max_size=12), command_id=st.text(max_size=20),
       name=st.text(max_size=12), args=st.binary(max_size=24), ok=st.booleans(),
       error_code=st.none() | st.text(max_size=12), row_id=st.integers(1, 10**12),
       ts=st.datetimes(timezones=st.just(UTC)))
def test_the_writers_chain_hashes_a_row_as_row_hash_does(user: str, role: str, command_id: str, name: str,
                                                         args: bytes, ok: bool, error_code: str | None,
                                                         row_id: int, ts: datetime) -> None:
    """The writer puts a row's text together itself (its time written once a commit); `verify` reads rows back
    with `row_hash`: any text (quotes, back-slashes, control characters, non-ASCII) must hash the same."""
    try:
        "".join((user, role, command_id, name, error_code or "")).encode()
    except UnicodeEncodeError:  # a lone surrogate: no row of the log can hold one
        return
    row = {"id": row_id, "ts": ts, "user": user, "role": role, "command_id": command_id, "name": name,
           "args": args, "ok": ok, "error_code": error_code}
    stamp = ts.isoformat(timespec="microseconds")
    assert audit_chain._chained_hash("f" * 64, row_id, stamp, row) == audit_chain.row_hash("f" * 64, row)
