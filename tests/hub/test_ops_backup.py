"""`python -m hub backup` copies a running hub's SQLite log; a hub started on the copy serves the same log."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from hub.__main__ import main as hub_main
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import case_args, greet
from tests.hub.test_cli import assert_one_clear_line, hub_cli


def test_a_backup_taken_while_the_hub_writes_restores_to_the_same_log(tmp_path: Path, capsys: object) -> None:
    live, copy = tmp_path / "hub.db", tmp_path / "backup" / "hub-copy.db"
    copy.parent.mkdir()
    at_backup: dict[str, object] = {}

    async def before() -> None:
        async with EmbeddedHub(f"sqlite:///{live}", simulate=False) as hub:
            client, _ = await greet(hub)
            for n in range(20):
                assert (await client.command("case.create", case_args(hub, description=f"第{n}号"), f"c{n}"))["ok"]
            at_backup.update(seq=hub.hub.head_seq, log_id=hub.hub.log_id,
                             cases={cid: case.version for cid, case in hub.hub.writer.cases.items()})
            # the hub is running (its connection open, WAL in use) while the copy is taken
            status = await asyncio.to_thread(hub_main, ["backup", "--db", str(live), str(copy)])
            assert status == 0
            assert (await client.command("case.create", case_args(hub), "after"))["ok"], "the hub writes on"
            assert hub.hub.head_seq > at_backup["seq"]  # type: ignore[operator]
            await client.ws.close()

    asyncio.run(before())
    said = capsys.readouterr().out  # type: ignore[attr-defined]
    assert re.fullmatch(rf"backed up {re.escape(str(live))} to {re.escape(str(copy))}: log {at_backup['log_id']} "
                        rf"at seq {at_backup['seq']}, 20 cases, 20 audit rows, \d+ bytes\n", said), said
    assert not copy.with_name(copy.name + ".partial").exists()
    assert not list(copy.parent.glob("*-wal")), "the copy is one self-contained file"

    async def restored() -> None:
        async with EmbeddedHub(f"sqlite:///{copy}", simulate=False, user="restorer") as hub:
            assert (hub.hub.log_id, hub.hub.head_seq) == (at_backup["log_id"], at_backup["seq"])
            assert {cid: case.version for cid, case in hub.hub.writer.cases.items()} == at_backup["cases"]
            # a console that had seen the log up to the backup resumes on the restored hub with a replay
            client, welcome = await greet(hub, resume_from=at_backup["seq"], log_id=at_backup["log_id"])
            assert (welcome["mode"], welcome["head_seq"]) == ("replay", at_backup["seq"])
            assert (await client.command("case.create", case_args(hub), "restored"))["ok"]
            await client.ws.close()

    asyncio.run(restored())
    verified = hub_cli("audit", "--verify", "--db", str(copy))
    assert verified.returncode == 0 and "21 rows" in verified.stdout, verified.stdout


def test_backup_refuses_what_it_cannot_copy(tmp_path: Path) -> None:
    assert_one_clear_line(hub_cli("backup", "--db", "postgresql+psycopg://hub@db/hub", str(tmp_path / "x.db")),
                          "pg_dump")
    assert_one_clear_line(hub_cli("backup", "--db", str(tmp_path / "none.db"), str(tmp_path / "x.db")),
                          "does not exist")
    taken = tmp_path / "taken.db"
    sqlite3.connect(taken).close()
    hub_db = tmp_path / "hub.db"
    assert hub_cli("users", "add", "alice", "--role", "duty", "--db", str(hub_db)).returncode == 0
    assert_one_clear_line(hub_cli("backup", "--db", str(hub_db), str(taken)), "already exists")
    assert_one_clear_line(hub_cli("backup", "--db", str(taken), str(tmp_path / "y.db")), "not a hub's database")
    assert not (tmp_path / "y.db").exists()


def test_users_survive_a_restore(tmp_path: Path) -> None:
    """The accounts are in the copy too: a restored hub lets the same tokens in."""
    db, copy = tmp_path / "hub.db", tmp_path / "copy.db"
    token = hub_cli("users", "add", "wall-1", "--role", "wall", "--db", str(db)).stdout.strip()
    assert hub_cli("backup", "--db", str(db), str(copy)).returncode == 0

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{copy}", simulate=False, make_account=False) as hub:
            client, welcome = await greet(hub, token)
            assert (welcome["user"], welcome["role"]) == ("wall-1", Role.WALL.value)
            await client.ws.close()

    asyncio.run(main())
