"""The joint response against a real hub: lead and co-units, units sitting in, resources, and the
cases received inside an active emergency's area linked to it."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from hub import auth
from hub.embedded import EmbeddedHub
from hub.simulation import desk_name
from protocol import CaseCreateArgs, EmergencyStatus, ResourceKind, ResourceStatus, Role
from tests.hub.conftest import RawClient, case_args, greet, run_hub
from tests.hub.test_simulated_response import NOW, Clock, _command, _play_until

JIANGCHUAN = {"street_code": "310112001", "lon": 121.38, "lat": 31.02}
GUMEI = {"street_code": "310112006", "lon": 121.3862, "lat": 31.1473}


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


async def _client(hub: EmbeddedHub, name: str, role: Role, unit_id: str | None = None) -> RawClient:
    token = auth.add_user(hub.hub.engine, name, role, unit_id=unit_id)
    client, _ = await greet(hub, token=token)
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    return client


async def _ok(client: RawClient, name: str, args: dict[str, Any], command_id: str) -> dict[str, Any]:
    answer = await client.command(name, args, command_id)
    assert answer["ok"], answer
    result = answer["result"]
    assert isinstance(result, dict)
    return result


async def _refused(client: RawClient, name: str, args: dict[str, Any], command_id: str) -> str:
    answer = await client.command(name, args, command_id)
    assert not answer["ok"], answer
    code = answer["error"]["code"]
    assert isinstance(code, str)
    return code


async def _declare(client: RawClient, command_id: str, **args: Any) -> str:
    body = {"type": "rainstorm", "level": "III", "title": "暴雨", "activate_plan": False, **args}
    declared = await _ok(client, "emergency.declare", body, command_id)
    assert isinstance(declared["id"], str)
    return declared["id"]


def test_lead_co_units_check_in_and_out_with_their_refusals_and_roles(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        commander = await _client(hub, "zhang.commander", Role.COMMANDER)
        duty = await _client(hub, "li.duty", Role.DUTY)
        wall = await _client(hub, "wall-1", Role.WALL)
        desk = await _client(hub, "jiangchuan-desk", Role.DUTY, unit_id="S310112001")
        emergency_id = await _declare(commander, "d1", type="typhoon", level="II", title="台风")
        book = hub.hub.emergencies

        assigned = await _ok(commander, "emergency.assign", {"id": emergency_id, "lead_unit_id": "B-SW",
                                                             "co_unit_ids": ["S310112001", "B-CG", "B-CG"]}, "a1")
        assert assigned == {"id": emergency_id, "lead_unit_id": "B-SW", "co_unit_ids": ["B-CG", "S310112001"]}
        emergency = book.emergencies[emergency_id]
        assert (emergency.lead_unit_id, emergency.co_unit_ids) == ("B-SW", ["B-CG", "S310112001"])
        assert emergency.history[-1].action == "assign" and emergency.history[-1].actor == "zhang.commander"
        assert await _refused(commander, "emergency.assign", {"id": emergency_id, "lead_unit_id": "B-XX"},
                              "a2") == "not_found"
        assert await _refused(commander, "emergency.assign", {"id": emergency_id, "lead_unit_id": "B-SW",
                                                              "co_unit_ids": ["B-SW"]}, "a3") == "invalid_args"
        assert await _refused(commander, "emergency.assign", {"id": "EM1999-0001"}, "a4") == "not_found"
        assert await _refused(duty, "emergency.assign", {"id": emergency_id, "lead_unit_id": "B-CG"},
                              "a5") == "forbidden", "a duty officer cannot assign"
        assert book.emergencies[emergency_id].lead_unit_id == "B-SW", "nothing refused changed the emergency"

        await _ok(commander, "emergency.check_in", {"id": emergency_id, "unit_id": "B-SW", "person": "王强 副局长"},
                  "c1")
        assert await _refused(commander, "emergency.check_in", {"id": emergency_id, "unit_id": "B-SW"},
                              "c2") == "illegal_state", "a unit sitting in does not check in twice"
        assert await _refused(commander, "emergency.check_out", {"id": emergency_id, "unit_id": "B-CG"},
                              "c3") == "illegal_state", "a unit that is not sitting in cannot check out"
        assert await _refused(duty, "emergency.check_in", {"id": emergency_id}, "c4") == "invalid_args"
        assert await _refused(wall, "emergency.check_in", {"id": emergency_id, "unit_id": "B-CG"},
                              "c5") == "forbidden", "a wall cannot act"
        checked = await _ok(desk, "emergency.check_in", {"id": emergency_id}, "c6")
        assert checked == {"id": emergency_id, "unit_id": "S310112001"}, "a desk checks in its own unit"
        assert await _refused(desk, "emergency.check_in", {"id": emergency_id, "unit_id": "S310112006"},
                              "c7") == "forbidden", "a desk acts only for its own unit"
        await _ok(duty, "emergency.check_out", {"id": emergency_id, "unit_id": "B-SW"}, "c8")
        await _ok(duty, "emergency.check_in", {"id": emergency_id, "unit_id": "B-SW"}, "c9")

        emergency = book.emergencies[emergency_id]
        sitting = [(s.unit_id, s.person, s.checked_out_at is None) for s in emergency.sitting_in]
        assert sitting == [("B-SW", "王强 副局长", False), ("S310112001", "", True), ("B-SW", "", True)]
        assert [s.action for s in emergency.history][-4:] == ["check_in", "check_in", "check_out", "check_in"]
        assert emergency.sitting_in[0].unit_name == "区水务局"
        assert emergency.sitting_in[1].checked_in_by == "jiangchuan-desk"

        await _ok(commander, "emergency.close", {"id": emergency_id, "reason": "台风远离"}, "x1")
        emergency = book.emergencies[emergency_id]
        assert emergency.status is EmergencyStatus.CLOSED
        assert all(s.checked_out_at is not None for s in emergency.sitting_in), "closing checks everyone out"
        assert await _refused(commander, "emergency.check_in", {"id": emergency_id, "unit_id": "B-CG"},
                              "x2") == "illegal_state"
        assert await _refused(commander, "emergency.assign", {"id": emergency_id}, "x3") == "illegal_state"

    run_hub(_url(tmp_path), scenario)


def test_resources_are_set_by_commanders_and_by_a_unit_desk_for_its_own_unit(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        commander = await _client(hub, "zhang.commander", Role.COMMANDER)
        duty = await _client(hub, "li.duty", Role.DUTY)
        wall = await _client(hub, "wall-1", Role.WALL)
        desk = await _client(hub, "jiangchuan-desk", Role.DUTY, unit_id="S310112001")
        emergency_id = await _declare(commander, "d1")
        other_id = await _declare(commander, "d2", title="另一场暴雨")
        book = hub.hub.emergencies
        pumps = {"emergency_id": emergency_id, "kind": "pump", "name": "大型移动泵车", "quantity": 3, "unit_id": "B-SW",
                 "status": "deployed", "place": "莘庄立交下穿通道", "lon": 121.385, "lat": 31.111, "note": "3000 m³/h"}

        created = await _ok(commander, "resource.set", pumps, "r1")
        assert created["created"] is True and created["id"].startswith("RS") and created["id"].endswith("-0001")
        pump = book.resources[created["id"]]
        assert (pump.kind, pump.status, pump.quantity, pump.location) == (
            ResourceKind.PUMP, ResourceStatus.DEPLOYED, 3, [121.385, 31.111])
        assert (pump.unit_name, pump.by, pump.place) == ("区水务局", "zhang.commander", "莘庄立交下穿通道")
        again = await _ok(commander, "resource.set", {**pumps, "id": created["id"], "quantity": 5,
                                                      "status": "returned", "lon": None, "lat": None}, "r2")
        assert again == {"id": created["id"], "created": False}
        pump = book.resources[created["id"]]
        assert (pump.quantity, pump.status, pump.location) == (5, ResourceStatus.RETURNED, None)

        sandbags = await _ok(desk, "resource.set", {"emergency_id": emergency_id, "kind": "sandbags", "name": "沙袋",
                                                    "quantity": 2000, "place": "江川路 近 鹤庆路"}, "r3")
        assert book.resources[sandbags["id"]].unit_id == "S310112001", "a desk's resource is its own unit's"
        assert sandbags["id"].endswith("-0002"), "numbered per year"
        assert await _refused(desk, "resource.set", {**pumps, "id": created["id"], "unit_id": "S310112001"},
                              "r4") == "forbidden", "a unit desk cannot set another unit's resource"
        assert await _refused(desk, "resource.set", {**pumps, "unit_id": "S310112006"}, "r5") == "forbidden"
        assert await _refused(duty, "resource.set", pumps, "r6") == "forbidden", "the centre's duty officer keeps none"
        assert await _refused(wall, "resource.set", pumps, "r7") == "forbidden", "a wall cannot act"
        assert await _refused(commander, "resource.set", {**pumps, "quantity": -1}, "r8") == "invalid_args"
        assert await _refused(commander, "resource.set", {**pumps, "lat": None}, "r9") == "invalid_args"
        assert await _refused(commander, "resource.set", {**pumps, "unit_id": "B-XX"}, "r10") == "not_found"
        assert await _refused(commander, "resource.set", {**pumps, "id": "RS1999-0001"}, "r11") == "not_found"
        assert await _refused(commander, "resource.set", {**pumps, "id": created["id"], "emergency_id": other_id},
                              "r12") == "invalid_args", "a resource stays with its emergency"
        assert len(book.resources) == 2 and book.resources[created["id"]].quantity == 5

        await _ok(commander, "emergency.close", {"id": emergency_id, "reason": "雨停"}, "x1")
        assert await _refused(commander, "resource.set", pumps, "x2") == "illegal_state"

    run_hub(_url(tmp_path), scenario)


def test_cases_received_inside_an_active_emergency_are_linked_to_it(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        commander = await _client(hub, "zhang.commander", Role.COMMANDER)
        book = hub.hub.emergencies
        cases = hub.hub.writer.cases

        async def create(command_id: str, **where: Any) -> str | None:
            created = await _ok(commander, "case.create", case_args(hub, **where), command_id)
            linked = cases[created["id"]].emergency_id
            return linked

        assert await create("k0", **JIANGCHUAN) is None, "no emergency: no link"
        streets = await _declare(commander, "d1", area={"street_codes": ["310112001"]})
        await commander.send({"type": "command", "id": "k1", "name": "case.create",
                              "args": case_args(hub, **JIANGCHUAN)})
        frames = await commander.recv_until(lambda f: f["type"] == "command.result" and f["id"] == "k1")
        assert frames[-1]["ok"], frames[-1]
        created, changed = frames[-3:-1]
        assert created["type"] == "case.created" and created["data"]["emergency_id"] == streets
        assert changed["type"] == "emergency.changed" and changed["seq"] == created["seq"] + 1, "in the same commit"
        assert changed["data"]["case_count"] == 1
        assert await create("k2", **GUMEI) is None, "outside the area"
        assert await create("k3", exercise_id="drill-1", **JIANGCHUAN) is None, "a real emergency takes no drill case"

        drill = await _declare(commander, "d2", level="IV", exercise=True)  # the whole district
        assert await create("k4", exercise_id="drill-1", **GUMEI) == drill
        assert await create("k5", **GUMEI) is None, "a drill takes no real case"

        square = [[121.37, 31.01], [121.39, 31.01], [121.39, 31.03], [121.37, 31.03]]
        polygon = await _declare(commander, "d3", level="I", area={"polygon": square})
        assert await create("k6", **JIANGCHUAN) == polygon, "in both areas: the most severe level wins"
        gumei_grid = cases[next(c.id for c in cases.values() if c.street_code == "310112006")].grid_id
        assert gumei_grid is not None
        grids = await _declare(commander, "d4", level="II", area={"grid_ids": [gumei_grid]})
        assert await create("k7", **GUMEI) == grids

        args = CaseCreateArgs(**case_args(hub, **GUMEI))  # the simulator's path: the same engine, no client
        outcome = await hub.hub.run_internal("case.create",
                                             lambda batch: hub.hub.cases.create(batch, args, "simulator"))
        assert outcome.ok and outcome.result is not None and cases[outcome.result["id"]].emergency_id == grids

        counts = {e: book.emergencies[e].case_count for e in (streets, drill, polygon, grids)}
        assert counts == {streets: 1, drill: 1, polygon: 1, grids: 2}
        for n, emergency_id in enumerate((streets, polygon, grids)):
            await _ok(commander, "emergency.close", {"id": emergency_id, "reason": "结束"}, f"x{n}")
        assert await create("k8", **JIANGCHUAN) is None, "after the close: no link"
        assert book.emergencies[streets].case_count == 1

    run_hub(_url(tmp_path), scenario)


def test_a_new_client_and_a_restarted_hub_see_the_joint_response(tmp_path: Path) -> None:
    url = _url(tmp_path)
    seen: dict[str, Any] = {}

    async def first(hub: EmbeddedHub) -> None:
        commander = await _client(hub, "zhang.commander", Role.COMMANDER)
        emergency_id = await _declare(commander, "d1", area={"street_codes": ["310112001"]})
        await _ok(commander, "emergency.assign", {"id": emergency_id, "lead_unit_id": "B-SW", "co_unit_ids": ["B-CG"]},
                  "a1")
        await _ok(commander, "emergency.check_in", {"id": emergency_id, "unit_id": "B-SW", "person": "王强"}, "c1")
        team = {"emergency_id": emergency_id, "kind": "team", "name": "区排水抢险队", "quantity": 24, "unit_id": "B-SW"}
        resource = await _ok(commander, "resource.set", team, "r1")
        case = await _ok(commander, "case.create", case_args(hub, **JIANGCHUAN), "k1")
        seen.update(emergency=emergency_id, resource=resource["id"], case=case["id"],
                    record=hub.hub.emergencies.emergencies[emergency_id])

        late, _ = await greet(hub)  # a new client: everything in its snapshot
        frames = await late.recv_until(lambda f: f["type"] == "snapshot.end")
        end = frames[-1]
        assert [r["id"] for r in end["resources"]] == [resource["id"]]
        (emergency,) = end["emergencies"]
        assert emergency["lead_unit_id"] == "B-SW" and emergency["co_unit_ids"] == ["B-CG"]
        assert emergency["sitting_in"][0]["person"] == "王强" and emergency["case_count"] == 1
        items = [c for f in frames if f["type"] == "snapshot.chunk" for c in f["items"]]
        assert next(c for c in items if c["id"] == case["id"])["emergency_id"] == emergency_id

    async def second(hub: EmbeddedHub) -> None:
        book = hub.hub.emergencies
        assert book.emergencies[seen["emergency"]] == seen["record"], "the restarted hub folds the same emergency"
        assert book.resources[seen["resource"]].name == "区排水抢险队"
        assert hub.hub.writer.cases[seen["case"]].emergency_id == seen["emergency"]
        assert book.active_ids == {seen["emergency"]}
        commander = await _client(hub, "wang.commander", Role.COMMANDER)
        again = await _ok(commander, "case.create", case_args(hub, **JIANGCHUAN), "k2")
        assert hub.hub.writer.cases[again["id"]].emergency_id == seen["emergency"], "still linking after a restart"
        assert book.emergencies[seen["emergency"]].case_count == 2
        more = await _ok(commander, "resource.set", {"emergency_id": seen["emergency"], "kind": "vehicle",
                                                     "name": "抢险车", "quantity": 2, "unit_id": "B-CG"}, "r2")
        assert more["id"].endswith("-0002"), "the numbering goes on after a restart"

    run_hub(url, first)
    run_hub(url, second)


def test_in_the_demo_the_lead_unit_sits_in_and_the_units_register_their_resources(tmp_path: Path) -> None:
    clock = Clock(NOW)

    async def main() -> None:
        async with EmbeddedHub(_url(tmp_path), simulate=True, backfill_hours=0, rate=0.01, seed=4,
                               clock=clock) as hub:
            declared = await _command(hub, "emergency.declare", {"type": "typhoon", "level": "II", "title": "台风",
                                                                 "area": {"street_codes": ["310112006"]}})
            await _play_until(hub, clock, NOW + timedelta(hours=2))
            emergency = hub.hub.emergencies.emergencies[declared["id"]]
            (sitting,) = emergency.sitting_in
            assert sitting.unit_id == "B-SW" and sitting.person and sitting.checked_in_by == desk_name("B-SW")
            assert NOW < sitting.checked_in_at < NOW + timedelta(hours=1)
            registered = sorted((r.unit_id, r.kind.value) for r in hub.hub.emergencies.resources.values())
            assert registered == [("B-SW", "pump"), ("B-SW", "team"), ("S310112006", "sandbags"),
                                  ("S310112006", "vehicle")]
            assert all(r.place == "古美街道" and r.location is not None and r.quantity > 0
                       for r in hub.hub.emergencies.resources.values())

    asyncio.run(main())
