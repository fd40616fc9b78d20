"""The supervisor (监督), apart from command: the whole ladder, alerts and the organisation; no step of the loop.

The account is made with the hub's command line, as a centre makes it, and used on a real hub.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hub.embedded import EmbeddedHub
from protocol import COMMAND_ARGS, PERMISSIONS, Role, SupervisionAction
from tests.hub.conftest import run_hub
from tests.hub.test_closed_loop import case_of, desk, new_case

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR_COMMANDS = {"case.supervise", "alert.ack", "org.units"}
"""What a supervisor must be able to send (read queries may be added to it); every step is refused."""
ALLOWED = {name for name, roles in PERMISSIONS.items() if Role.SUPERVISOR in roles}


def add_supervisor(db: Path, name: str = "li.jiandu") -> str:
    done = subprocess.run([sys.executable, "-m", "hub", "users", "--db", str(db), "add", name, "--role", "supervisor"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_permission_table_gives_a_supervisor_the_ladder_and_no_step() -> None:
    assert SUPERVISOR_COMMANDS <= ALLOWED
    steps = {name for name in COMMAND_ARGS if name.split(".")[0] in ("case", "emergency", "directive", "warning",
                                                                     "unit", "rota", "task")}
    assert ALLOWED & steps == {"case.supervise"}, "a supervisor works no step of the loop or of a response"


def test_a_supervisor_climbs_the_ladder_on_a_case_and_a_pool_and_may_not_dispatch(tmp_path: Path) -> None:
    db = tmp_path / "hub.db"
    token = add_supervisor(db)

    async def scenario(hub: EmbeddedHub) -> None:
        duty = await desk(hub)
        cids = [await new_case(hub, duty) for _ in range(3)]
        for cid in cids:
            await duty.ok("case.register", id=cid)
            await duty.ok("case.dispatch", id=cid, unit_id="S310112001")
        watcher = await desk(hub, token=token, name="s")
        for action in SupervisionAction:
            result = await watcher.ok("case.supervise", action=action.value, ids=cids[:1], note=f"{action.value} 测试")
            assert result["count"] == 1
        pooled = await watcher.ok("case.supervise", action="account", unit_id="S310112001", note="整体问效")
        assert pooled["count"] == 3
        assert hub.hub.writer.stats["S310112001"].supervised == 4 + 3
        ack = await watcher.ok("alert.ack", case_ids=cids[:1], kind="supervision", key="urge", comment="已阅")
        assert ack["count"] == 1
        units = await watcher.ok("org.units")
        assert any(u["id"] == "S310112001" for u in units["units"])

        refused = await watcher.do("case.dispatch", id=cids[0], unit_id="S310112001")
        assert refused["error"]["code"] == "forbidden"
        assert "supervisor" in refused["error"]["message"]
        for name in sorted(set(COMMAND_ARGS) - ALLOWED):
            answer = await watcher.do(name)
            assert answer["error"]["code"] == "forbidden", (name, answer)
        assert case_of(hub, cids[0]).version == 3, "nothing the supervisor sent changed the case"

    run_hub(f"sqlite:///{db}", scenario)


@pytest.mark.parametrize("action", list(SupervisionAction))
def test_the_console_offers_every_rung_to_a_supervisor(action: SupervisionAction) -> None:
    from protocol import SUPERVISION_ROLES

    assert Role.SUPERVISOR in SUPERVISION_ROLES[action]
