"""The joint response against a real hub: declare with a plan, escalate, directives and receipts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hub import auth
from hub.embedded import EmbeddedHub
from hub.emergency.plans import expand
from protocol import EmergencyLevel, EmergencyType, Role
from tests.hub.conftest import RawClient, greet, run_hub


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


async def _commander(hub: EmbeddedHub) -> RawClient:
    client, _ = await greet(hub, token=hub.add_user("zhang.commander", Role.COMMANDER))
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    return client


async def _ok(client: RawClient, name: str, args: dict[str, Any], command_id: str) -> dict[str, Any]:
    """The command's result; its events came before it (the hub answers after the commit's fan-out)."""
    answer = await client.command(name, args, command_id)
    assert answer["ok"], answer
    result = answer["result"]
    assert isinstance(result, dict)
    return result


def test_a_level_ii_typhoon_gives_every_unit_its_plan_tasks_and_escalation_tightens_them(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        plan = hub.hub.plans.for_(EmergencyType.TYPHOON, EmergencyLevel.LEVEL_II)
        assert plan is not None
        declared = await _ok(client, "emergency.declare",
                             {"type": "typhoon", "level": "II", "title": "台风“贝碧嘉”", "note": "CAP 橙色预警"}, "d1")
        expected = expand(plan, hub.hub.org.units.values())
        assert declared["serial"].startswith("EM") and declared["plan_id"] == plan.id
        assert declared["tasks"] == len(expected) > 14, "one task per unit: every street checks its low ground"
        book = hub.hub.emergencies
        emergency = book.emergencies[declared["id"]]
        assert [s.action for s in emergency.history] == ["declare", "activate"]
        post = next(t for t in book.tasks.values() if t.task_key == "open-command-post")
        assert post.unit_id == "B-SW" and (post.timer.due_at - post.timer.started_at).total_seconds() == 30 * 60

        streets = [t for t in book.tasks.values() if t.unit_id.startswith("S") and t.timer]
        before = {t.id: t.timer.due_at for t in streets}
        up = await _ok(client, "emergency.set_level", {"id": declared["id"], "level": "I", "reason": "风力加强"}, "d2")
        assert up["plan_id"].endswith("I") and up["tasks"] > 0
        emergency = book.emergencies[declared["id"]]
        assert emergency.level is EmergencyLevel.LEVEL_I and emergency.history[-2].action == "escalate"
        tightened = [t for t in book.tasks.values() if t.id in before and t.timer.due_at < before[t.id]]
        assert tightened, "a higher level gives earlier deadlines to tasks not yet done"

        same = await client.command("emergency.set_level", {"id": declared["id"], "level": "I", "reason": "x"}, "d3")
        assert not same["ok"] and same["error"]["code"] == "invalid_args"
        await _ok(client, "emergency.close", {"id": declared["id"], "reason": "台风远离"}, "d4")
        closed = await client.command("emergency.set_level", {"id": declared["id"], "level": "II", "reason": "x"}, "d5")
        assert closed["error"]["code"] == "illegal_state"

    run_hub(_url(tmp_path), scenario)


def test_a_directive_fills_its_acknowledgement_matrix_unit_by_unit(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        issued = await _ok(client, "directive.issue", {
            "text": "各街镇立即排查低洼地区，每2小时报告转移人数", "unit_kind": "street_centre",
            "ack_within_min": 15, "report_every_h": 2, "report_fields": ["people_evacuated"]}, "i1")
        assert issued["recipients"] == 14

        desk_token = auth.add_user(hub.hub.engine, "jiangchuan-desk", Role.DUTY, unit_id="S310112001")
        desk, welcome = await greet(hub, token=desk_token)
        assert welcome["unit_id"] == "S310112001", "the welcome names the desk's unit"
        await desk.recv_until(lambda f: f["type"] == "snapshot.end")
        acked = await _ok(desk, "directive.ack", {"id": issued["id"]}, "a1")
        assert acked["unit_id"] == "S310112001" and acked["latency_s"] >= 0
        again = await _ok(desk, "directive.ack", {"id": issued["id"]}, "a2")
        assert again.get("already") is True
        other = await desk.command("directive.ack", {"id": issued["id"], "unit_id": "S310112006"}, "a3")
        assert not other["ok"] and other["error"]["code"] == "forbidden", "a desk acts only for its own unit"
        bad = await desk.command("directive.report", {"id": issued["id"], "numbers": {"sandbags": 3}}, "r0")
        assert bad["error"]["code"] == "invalid_args"
        await _ok(desk, "directive.report", {"id": issued["id"], "numbers": {"people_evacuated": 37},
                                            "text": "转移37人至莘庄安置点"}, "r1")

        reminded = await _ok(client, "directive.remind", {"id": issued["id"]}, "m1")
        assert reminded["count"] == 13, "every street that has not acknowledged, and only those"
        on_behalf = await client.command("directive.ack", {"id": issued["id"]}, "a4")
        assert on_behalf["error"]["code"] == "invalid_args", "the centre names the unit it acknowledges for"
        await _ok(client, "directive.ack", {"id": issued["id"], "unit_id": "S310112006"}, "a5")

        book = hub.hub.emergencies
        cells = {r.unit_id: r for r in book.receipts.values() if r.directive_id == issued["id"]}
        assert len(cells) == 14
        assert cells["S310112001"].reports[-1].numbers == {"people_evacuated": 37}
        assert cells["S310112001"].reminded == 0 and cells["S310112009"].reminded == 1
        assert sum(1 for r in cells.values() if r.acknowledged_at is not None) == 2
        assert len(book.directives[issued["id"]].reminders) == 1

    run_hub(_url(tmp_path), scenario)


def test_roles_a_duty_officer_cannot_declare_and_a_wall_cannot_acknowledge(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        duty, _ = await greet(hub)
        refused = await duty.command("emergency.declare", {"type": "rainstorm", "level": "III", "title": "暴雨"}, "x1")
        assert refused["error"]["code"] == "forbidden"
        wall, _ = await greet(hub, token=hub.add_user("wall-1", Role.WALL))
        refused = await wall.command("directive.ack", {"id": "ZL2026-0001", "unit_id": "B-SW"}, "x2")
        assert refused["error"]["code"] == "forbidden"

    run_hub(_url(tmp_path), scenario)


def test_a_restarted_hub_and_a_new_client_see_the_same_response(tmp_path: Path) -> None:
    url = _url(tmp_path)
    seen: dict[str, Any] = {}

    async def first(hub: EmbeddedHub) -> None:
        client = await _commander(hub)
        declared = await _ok(client, "emergency.declare", {"type": "rainstorm", "level": "III", "title": "暴雨"}, "e1")
        issued = await _ok(client, "directive.issue", {"text": "全员到岗", "unit_ids": ["B-SW", "B-CG"]}, "e2")
        await _ok(client, "directive.ack", {"id": issued["id"], "unit_id": "B-SW"}, "e3")
        seen.update(emergency=declared["id"], tasks=declared["tasks"], directive=issued["id"])

    async def second(hub: EmbeddedHub) -> None:
        book = hub.hub.emergencies
        assert seen["emergency"] in book.emergencies and len(book.tasks) == seen["tasks"]
        assert book.receipts[f"{seen['directive']}/B-SW"].acknowledged_at is not None
        client, _ = await greet(hub)
        end = (await client.recv_until(lambda f: f["type"] == "snapshot.end"))[-1]
        assert [e["id"] for e in end["emergencies"]] == [seen["emergency"]]
        assert len(end["tasks"]) == seen["tasks"] and len(end["receipts"]) == 2

    run_hub(url, first)
    run_hub(url, second)
