"""The hub's command line: setup mistakes give one clear line and exit 2, no traceback."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hub.auth import new_token

ROOT = Path(__file__).resolve().parents[2]


def hub_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )


def assert_one_clear_line(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert words in lines[0]


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("nosuchdialect://x/y", "no database driver"),
        ("sqlite:///no/such/folder/hub.db", "does not exist"),
        ("postgresql+nodriver://localhost/x", "no database driver"),
    ],
)
def test_bad_db_url(db: str, words: str) -> None:
    assert_one_clear_line(hub_cli("serve", "--db", db, "--port", "0"), words)


def test_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = hub_cli("serve", "--db", str(tmp_path / "hub.db"), "--port", str(port))
    assert_one_clear_line(done, "already in use")


def test_missing_and_malformed_token_file(tmp_path: Path) -> None:
    missing = hub_cli("serve", "--db", str(tmp_path / "hub.db"), "--token-file", str(tmp_path / "none.txt"))
    assert_one_clear_line(missing, "does not exist")
    bad = tmp_path / "tokens.txt"
    bad.write_text("alice duty not-a-hash\n", encoding="utf-8")
    done = hub_cli("serve", "--db", str(tmp_path / "hub.db"), "--token-file", str(bad))
    assert_one_clear_line(done, "tokens.txt:1")


def test_users_add_prints_a_token_stored_hashed(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    done = hub_cli("users", "--db", str(db), "add", "alice", "--role", "duty")
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert len(token) >= 40
    assert token.encode() not in db.read_bytes()
    listed = hub_cli("users", "--db", str(db), "list")
    assert "alice\tduty\tactive" in listed.stdout
    assert_one_clear_line(hub_cli("users", "--db", str(db), "add", "bob", "--role", "pilot"), "not one of")


def test_users_add_to_token_file(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    done = hub_cli("users", "add", "wall-1", "--role", "wall", "--token-file", str(tokens))
    assert done.returncode == 0, done.stderr
    line = tokens.read_text(encoding="utf-8").split()
    assert line[:2] == ["wall-1", "wall"]
    assert done.stdout.strip() not in tokens.read_text(encoding="utf-8")


def test_the_audit_log_lists_commands_and_refusals(tmp_path: Path) -> None:
    import asyncio

    from hub.embedded import EmbeddedHub
    from tests.hub.conftest import case_args, greet

    db = f"sqlite:///{tmp_path / 'hub.db'}"

    async def main() -> None:
        async with EmbeddedHub(db, simulate=False) as hub:
            client, _ = await greet(hub)
            await client.command("case.create", case_args(hub), "made-1")
            await client.command("case.sign", {"id": "nope"}, "refused-1")

    asyncio.run(main())
    done = hub_cli("audit", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "case.sign" in lines[0] and "refused:not_found" in lines[0]
    assert "case.create" in lines[1] and "\tok\t" in lines[1] and "duty-demo(duty)" in lines[1]


def test_units_import_adds_units_all_or_nothing_and_export_writes_them_back(tmp_path: Path) -> None:
    db = str(tmp_path / "hub.db")
    good = tmp_path / "units.csv"
    good.write_text("id,name,kind,parent_id,street_code,committee_code,workers\n"
                    "B-WJ,区卫生健康委员会,bureau,MH,,,\n"
                    "B-WJ-1,区疾控中心,bureau,B-WJ,,,\n"
                    "B-CG,区城管执法局,bureau,MH,,,\n", encoding="utf-8")
    done = hub_cli("units", "--db", db, "import", str(good))
    assert done.returncode == 0, done.stderr
    assert "2 units added or changed, 1 already as in the file" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,kind,parent_id\nB-XX,某局,bureau,MH\nB-YY,某某局,bureau,NOPE\n", encoding="utf-8")
    assert_one_clear_line(hub_cli("units", "--db", db, "import", str(bad)), "unknown parent unit 'NOPE'")
    wrong_kind = tmp_path / "kind.csv"
    wrong_kind.write_text("id,name,kind,parent_id\nB-ZZ,某局,ministry,MH\n", encoding="utf-8")
    assert_one_clear_line(hub_cli("units", "--db", db, "import", str(wrong_kind)), "kind.csv line 2")
    assert_one_clear_line(hub_cli("units", "--db", db, "import", str(tmp_path / "none.csv")), "cannot read")
    out = tmp_path / "export.csv"
    assert hub_cli("units", "--db", db, "export", str(out)).returncode == 0
    exported = out.read_text(encoding="utf-8")
    assert "B-WJ-1,区疾控中心,bureau,B-WJ" in exported
    assert "B-XX" not in exported, "the refused file stored nothing, not even its good first row"
    audit = hub_cli("audit", "--db", db)
    assert "cli(admin)\tunits.import\tok" in audit.stdout


def test_a_bad_auto_supervise_rule_is_one_clear_line(tmp_path: Path) -> None:
    done = hub_cli("serve", "--db", str(tmp_path / "hub.db"), "--port", "0", "--auto-supervise", "red=shout")
    assert_one_clear_line(done, "--auto-supervise: 'red=shout': expected LEVEL=ACTION")


def test_a_new_token_can_be_given_on_a_command_line() -> None:
    """`main.py --token TOKEN` reads a token starting with "-" as an option: the hub never makes one."""
    tokens = {new_token() for _ in range(3000)}  # one in 64 would start with "-" by chance
    assert len(tokens) == 3000 and not any(t.startswith("-") for t in tokens)
    assert all(len(t) >= 43 for t in tokens), "still 32 random bytes"
