"""CAP warnings into a real hub: received, confirmed into an emergency or dismissed; the CLI, the
watched folder, and the automatic reminder of late units on a virtual clock."""

from __future__ import annotations

import asyncio
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub import auth
from hub.embedded import EmbeddedHub
from hub.emergency.cap import CapError, parse_cap
from hub.emergency.plans import expand
from protocol import EmergencyLevel, EmergencyType, Role, WarningStatus
from tests.hub.conftest import WAIT_S, RawClient, greet, run_hub

ROOT = Path(__file__).resolve().parents[2]
GOOD = sorted((ROOT / "tests" / "data" / "cap").glob("*.xml")) + sorted((ROOT / "resources" / "cap").glob("*.xml"))
BAD = sorted((ROOT / "tests" / "data" / "cap" / "bad").glob("*.xml"))
TYPHOON_ORANGE = ROOT / "resources" / "cap" / "shanghai_minhang_typhoon_orange.cap.xml"


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


def _args(path: Path) -> dict[str, str]:
    return {"xml": path.read_bytes().decode("utf-8-sig"), "file_name": path.name}


def _reason(path: Path) -> str:
    try:
        parse_cap(path.read_bytes(), path.name)
    except CapError as exc:
        return str(exc)
    raise AssertionError(f"{path.name} parses")


async def _commander(hub: EmbeddedHub, name: str = "zhang.commander") -> RawClient:
    client, _ = await greet(hub, token=hub.add_user(name, Role.COMMANDER))
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    return client


async def _ok(client: RawClient, name: str, args: dict[str, Any], command_id: str) -> dict[str, Any]:
    answer = await client.command(name, args, command_id)
    assert answer["ok"], answer
    result = answer["result"]
    assert isinstance(result, dict)
    return result


def test_every_good_file_is_received_once_and_every_bad_file_is_refused_with_its_reason(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        book = hub.hub.emergencies
        ids = []
        for i, path in enumerate(GOOD):
            result = await _ok(client, "warning.receive", _args(path), f"g{i}")
            assert result["id"].startswith("WN") and result["duplicate"] is False
            ids.append(result["id"])
        assert len(set(ids)) == len(GOOD) == 16
        orange = book.warnings[ids[GOOD.index(TYPHOON_ORANGE)]]
        plan = hub.hub.plans.for_(EmergencyType.TYPHOON, EmergencyLevel.LEVEL_II)
        assert plan is not None and orange.suggested_plan_id == plan.id
        assert orange.signal is not None and orange.signal.level is EmergencyLevel.LEVEL_II
        assert orange.status is WarningStatus.RECEIVED and orange.composed and orange.source == TYPHOON_ORANGE.name
        assert len(orange.area.polygon) >= 4 and orange.area_desc
        assert orange.received_by == "zhang.commander"

        for i, path in enumerate(BAD):
            answer = await client.command("warning.receive", _args(path), f"b{i}")
            assert not answer["ok"] and answer["error"]["code"] == "invalid_args", answer
            assert answer["error"]["message"] == _reason(path)
        assert len(book.warnings) == len(GOOD), "a refused file leaves nothing behind"

        again = await _ok(client, "warning.receive", _args(TYPHOON_ORANGE), "again")
        assert again["duplicate"] is True and again["id"] == orange.id
        assert len(book.warnings) == len(GOOD)

        late, _ = await greet(hub)
        end = (await late.recv_until(lambda f: f["type"] == "snapshot.end"))[-1]
        assert sorted(w["id"] for w in end["warnings"]) == sorted(ids), "the snapshot carries every warning"

    run_hub(_url(tmp_path), scenario)


def test_confirming_declares_a_level_ii_typhoon_with_the_suggested_plan(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        received = await _ok(client, "warning.receive", _args(TYPHOON_ORANGE), "r1")
        await client.send({"type": "command", "id": "c1", "name": "warning.confirm",
                           "args": {"id": received["id"], "note": "按预案启动"}})
        frames = await client.recv_until(lambda f: f["type"] == "command.result" and f["id"] == "c1")
        confirmed = frames[-1]["result"]
        book = hub.hub.emergencies
        emergency = book.emergencies[confirmed["emergency_id"]]
        warning = book.warnings[received["id"]]
        plan = hub.hub.plans.for_(EmergencyType.TYPHOON, EmergencyLevel.LEVEL_II)
        assert plan is not None
        assert (emergency.type, emergency.level, emergency.plan_ids) == (EmergencyType.TYPHOON,
                                                                         EmergencyLevel.LEVEL_II, [plan.id])
        assert emergency.area == warning.area and emergency.title == warning.headline
        assert confirmed["tasks"] == len(expand(plan, hub.hub.org.units.values())) == len(
            book.tasks_of(emergency.id))
        assert warning.status is WarningStatus.CONFIRMED and warning.emergency_id == emergency.id
        assert (warning.decided_by, warning.note) == ("zhang.commander", "按预案启动")

        kinds = [f["type"] for f in frames[:-1]]
        assert kinds == ["emergency.changed", *["task.changed"] * confirmed["tasks"], "warning.changed"], kinds
        assert frames[-2]["data"]["status"] == "confirmed" and frames[-2]["data"]["emergency_id"] == emergency.id
        twice = await client.command("warning.confirm", {"id": received["id"]}, "c2")
        assert twice["error"]["code"] == "illegal_state"

    run_hub(_url(tmp_path), scenario)


def test_dismissing_is_recorded_and_only_commanders_decide(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        received = await _ok(client, "warning.receive", _args(GOOD[0]), "r1")
        no_reason = await client.command("warning.dismiss", {"id": received["id"]}, "d0")
        assert no_reason["error"]["code"] == "invalid_args"

        duty, _ = await greet(hub)
        for name, args in (("warning.receive", _args(GOOD[1])), ("warning.confirm", {"id": received["id"]}),
                           ("warning.dismiss", {"id": received["id"], "reason": "x"})):
            assert (await duty.command(name, args, name))["error"]["code"] == "forbidden"
        wall, _ = await greet(hub, token=hub.add_user("wall-1", Role.WALL))
        assert (await wall.command("warning.receive", _args(GOOD[1]), "w1"))["error"]["code"] == "forbidden"

        done = await _ok(client, "warning.dismiss", {"id": received["id"], "reason": "境外预警，与本区无关"}, "d1")
        assert done == {"id": received["id"], "status": "dismissed"}
        warning = hub.hub.emergencies.warnings[received["id"]]
        assert (warning.status, warning.note, warning.decided_by) == (WarningStatus.DISMISSED, "境外预警，与本区无关",
                                                                      "zhang.commander")
        assert warning.decided_at is not None
        late = await client.command("warning.confirm", {"id": received["id"]}, "c1")
        assert late["error"]["code"] == "illegal_state"
        unknown = await client.command("warning.dismiss", {"id": "WN1999-0001", "reason": "x"}, "d2")
        assert unknown["error"]["code"] == "not_found"
        assert len(hub.hub.emergencies.emergencies) == 0, "a dismissed warning declares nothing"

    run_hub(_url(tmp_path), scenario)


def test_a_cancel_dismisses_the_warning_it_references(tmp_path: Path) -> None:
    original = parse_cap(TYPHOON_ORANGE.read_bytes())
    text = TYPHOON_ORANGE.read_text(encoding="utf-8")
    cancel = text.replace(f"<identifier>{original.identifier}</identifier>",
                          "<identifier>composed.cancel.1</identifier>")
    cancel = cancel.replace("<msgType>Update</msgType>", "<msgType>Cancel</msgType>")
    start, end = cancel.index("<references>"), cancel.index("</references>")
    sent = original.sent.isoformat()
    cancel = cancel[:start] + f"<references>{original.sender},{original.identifier},{sent}" + cancel[end:]

    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        received = await _ok(client, "warning.receive", _args(TYPHOON_ORANGE), "r1")
        cancelled = await _ok(client, "warning.receive", {"xml": cancel, "file_name": "cancel.xml"}, "r2")
        assert cancelled["cancelled"] == [received["id"]] and cancelled["suggested_plan_id"] is None
        warning = hub.hub.emergencies.warnings[received["id"]]
        assert warning.status is WarningStatus.DISMISSED and cancelled["id"] in warning.note

    run_hub(_url(tmp_path), scenario)


def test_cap_import_sends_each_file_to_a_running_hub_and_says_what_became_of_it(tmp_path: Path) -> None:
    bad = BAD[0]

    async def run_cli(hub: EmbeddedHub, token: str, *files: Path) -> tuple[int, list[str]]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "hub", "cap", "import", *map(str, files), "--hub", hub.url, "--token", token,
            cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert not err, err.decode()
        assert process.returncode is not None
        return process.returncode, out.decode().splitlines()

    async def scenario(hub: EmbeddedHub) -> None:
        token = hub.add_user("cap-import", Role.COMMANDER)
        code, lines = await run_cli(hub, token, TYPHOON_ORANGE, GOOD[0])
        assert code == 0, lines
        assert lines[0].startswith(f"{TYPHOON_ORANGE.name}: accepted as WN") and "suggests plan typhoon-II" in lines[0]
        assert lines[1].startswith(f"{GOOD[0].name}: accepted as WN")
        code, lines = await run_cli(hub, token, TYPHOON_ORANGE, bad)
        assert code == 1
        assert lines[0].endswith("(already received)")
        assert lines[1] == f"{bad.name}: rejected: {_reason(bad).removeprefix(bad.name + ': ')}"
        assert len(hub.hub.emergencies.warnings) == 2

        duty = hub.add_user("duty-2", Role.DUTY)
        code, lines = await run_cli(hub, duty, GOOD[1])
        assert code == 1 and "rejected" in lines[0] and "may not send 'warning.receive'" in lines[0]

    run_hub(_url(tmp_path), scenario)


def test_the_watched_folder_moves_each_file_to_done_or_to_rejected_with_its_reason(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = [p for p in BAD if p.stat().st_size > 0][:3]
    for path in [TYPHOON_ORANGE, GOOD[0], *bad]:
        shutil.copy(path, inbox / path.name)
    (inbox / "notes.txt").write_text("not a CAP file: left alone")

    async def main() -> None:
        async with EmbeddedHub(_url(tmp_path), simulate=False, cap_inbox=inbox, cap_inbox_interval_s=0.02) as hub:
            async with asyncio.timeout(WAIT_S):
                while list(inbox.glob("*.xml")):
                    await asyncio.sleep(0.01)
            assert sorted(p.name for p in (inbox / "done").iterdir()) == sorted([TYPHOON_ORANGE.name, GOOD[0].name])
            for path in bad:
                assert (inbox / "rejected" / path.name).read_bytes() == path.read_bytes()
                reason = (inbox / "rejected" / f"{path.name}.reason.txt").read_text(encoding="utf-8")
                assert reason == _reason(path) + "\n"
            assert (inbox / "notes.txt").exists()
            warnings = hub.hub.emergencies.warnings.values()
            assert sorted(w.source for w in warnings) == sorted([TYPHOON_ORANGE.name, GOOD[0].name])
            assert {w.received_by for w in warnings} == {"cap-inbox"}

            shutil.copy(TYPHOON_ORANGE, inbox / TYPHOON_ORANGE.name)  # the same warning again
            async with asyncio.timeout(WAIT_S):
                while not (inbox / "done" / "shanghai_minhang_typhoon_orange.cap.1.xml").exists():
                    await asyncio.sleep(0.01)
            assert len(hub.hub.emergencies.warnings) == 2

    asyncio.run(main())


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def test_units_that_have_not_acknowledged_at_the_deadline_are_reminded_once(tmp_path: Path) -> None:
    start = datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
    clock = Clock(start)

    async def main() -> None:
        async with EmbeddedHub(_url(tmp_path), simulate=False, clock=clock) as hub:
            client = await _commander(hub)
            directive = {"text": "各街镇立即排查低洼地区", "unit_kind": "street_centre", "ack_within_min": 15}
            issued = await _ok(client, "directive.issue", directive, "i1")
            desk, _ = await greet(hub, token=auth.add_user(hub.hub.engine, "desk", Role.DUTY, unit_id="S310112001"))
            await _ok(desk, "directive.ack", {"id": issued["id"]}, "a1")
            reminders = hub.hub.reminders
            book = hub.hub.emergencies

            async def at(moment: datetime) -> None:
                clock.now = moment
                reminders.poke()
                async with asyncio.timeout(WAIT_S):
                    while reminders.checked_up_to != moment:
                        await asyncio.sleep(0.001)

            await at(start + timedelta(minutes=14, seconds=59))
            assert book.directives[issued["id"]].reminders == []
            due = start + timedelta(minutes=15)
            await at(due)
            assert book.directives[issued["id"]].reminders == [due]
            cells = {r.unit_id: r.reminded for r in book.receipts.values() if r.directive_id == issued["id"]}
            assert cells.pop("S310112001") == 0 and set(cells.values()) == {1} and len(cells) == 13
            frames = await client.recv_until(lambda f: f["type"] == "directive.changed" and f["data"].get("reminders"))
            assert frames[-1]["data"]["reminders"] == [due.isoformat().replace("+00:00", "Z")]

            await at(due + timedelta(hours=2))
            assert book.directives[issued["id"]].reminders == [due], "once"

    asyncio.run(main())
