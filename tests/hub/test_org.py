"""The organisation: units and grids, routing by the three determinations, the three loops,
admin edits over the feed (kept in the log, followed by a second hub), rota, handover, audit."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

from hub import auth
from hub.directory import Directory
from hub.embedded import EmbeddedHub
from hub.org.chart import OrgChart
from protocol import Basis, Role, UnitKind
from tests.hub.conftest import WAIT_S, case_args, fresh_postgres, greet, run_hub
from tests.hub.test_closed_loop import Desk, case_of, desk

FUMES = "06027"  # 油烟污染: the environment bureau's by law
SORTING = "06041"  # 垃圾未分类: the committee's by agreement
LOOSE_ITEMS = "06036"  # 乱堆杂物: no specific rule, territorial


def on_ground_of(hub: EmbeddedHub, street: str, **overrides: Any) -> dict[str, Any]:
    """Case args at the centre of a grid of `street` (so the point, its grid and street agree)."""
    grid = next(g for g in hub.hub.org.grids.values() if g.street_code == street and hub.hub.directory.contains(
        (g.ring[0][0] + g.ring[2][0]) / 2, (g.ring[0][1] + g.ring[2][1]) / 2))
    lon, lat = (grid.ring[0][0] + grid.ring[2][0]) / 2, (grid.ring[0][1] + grid.ring[2][1]) / 2
    return case_args(hub, street_code=street, lon=lon, lat=lat, **overrides)


def chart() -> OrgChart:
    return OrgChart(Directory.load())


def test_the_seeded_chart_has_centres_committees_bureaus_and_several_hundred_grids() -> None:
    org = chart()
    kinds = Counter(u.kind for u in org.units.values())
    assert kinds[UnitKind.DISTRICT_CENTRE] == 1
    assert kinds[UnitKind.STREET_CENTRE] == 14
    assert kinds[UnitKind.COMMITTEE] == 596
    assert 300 <= kinds[UnitKind.GRID] <= 800
    assert kinds[UnitKind.BUREAU] >= 8
    for grid in (u for u in org.units.values() if u.kind is UnitKind.GRID):
        committee = org.units[grid.parent_id or ""]
        assert committee.kind is UnitKind.COMMITTEE and committee.street_code == grid.street_code
        assert grid.workers, f"grid {grid.id} has no grid worker"
        assert org.ancestry(grid.id)[-2:] == [f"S{grid.street_code}", "MH"]


def test_a_point_in_the_district_lies_in_a_grid_owned_by_a_committee_of_its_street() -> None:
    org = chart()
    directory = org.directory
    hits = 0
    for lon, lat in [(121.38, 31.11), (121.42, 31.02), (121.33, 31.17)]:
        assert directory.contains(lon, lat)
        found = org.locate(lon, lat)
        assert found is not None
        grid_id, committee = found
        assert org.units[grid_id].committee_code == committee
        hits += 1
    assert hits == 3
    assert org.locate(120.0, 30.0) is None


def test_routing_explains_rule_basis_and_grid(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        routed = {}
        for category in (FUMES, SORTING, LOOSE_ITEMS):
            cid = (await d.ok("case.create", **on_ground_of(hub, "310112102", category_code=category)))["id"]
            await d.ok("case.register", id=cid)
            routed[category] = case_of(hub, cid)
        fumes = routed[FUMES].routing
        assert fumes is not None and fumes.unit_id == "B-HB" and fumes.basis is Basis.LAW
        assert fumes.rule_id == "R-HB-1"
        assert "法定" in fumes.explanation_zh and "by law" in fumes.explanation_en
        assert routed[FUMES].grid_id and routed[FUMES].grid_id in fumes.explanation_en
        sorting = routed[SORTING]
        assert sorting.routing is not None and sorting.routing.basis is Basis.AGREEMENT
        assert sorting.routing.unit_id == f"C{sorting.committee_code}", "the committee of the point's grid"
        loose = routed[LOOSE_ITEMS].routing
        assert loose is not None and loose.unit_id == "S310112102" and loose.rule_id == "R-SD"

    run_hub(db_url, scenario)


def test_escalation_goes_one_loop_up_from_committee_to_street_to_district(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = (await d.ok("case.create", **on_ground_of(hub, "310112102", category_code=SORTING)))["id"]
        await d.ok("case.register", id=cid)
        committee = case_of(hub, cid).routing.unit_id
        await d.ok("case.dispatch", id=cid, unit_id=committee)
        owners = [committee]
        for _ in range(2):
            await d.ok("case.escalate", id=cid, reason="本级无法解决")
            owners.append(case_of(hub, cid).unit_id)
        assert owners == [committee, "S310112102", "MH"]
        refused = await d.do("case.escalate", id=cid, reason="再上报")
        assert not refused["ok"] and refused["error"]["code"] == "illegal_state"

    run_hub(db_url, scenario)


async def admin_desk(hub: EmbeddedHub) -> Desk:
    return await desk(hub, hub.add_user("admin-1", Role.ADMIN), "admin")


BUREAU = {"id": "B-WJ", "name": "区卫生健康委员会", "kind": "bureau", "parent_id": "MH"}


def test_an_admin_adds_a_unit_on_the_feed_and_cases_can_be_dispatched_to_it(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        admin = await admin_desk(hub)
        duty = await desk(hub)
        refused = await duty.do("unit.upsert", **BUREAU)
        assert refused["error"]["code"] == "forbidden"
        assert (await admin.ok("unit.upsert", **BUREAU)) == {"changed": 1, "unchanged": 0}
        frames = await duty.client.recv_until(lambda f: f["type"] == "unit.changed")
        assert frames[-1]["data"]["id"] == "B-WJ" and frames[-1]["data"]["name"] == "区卫生健康委员会"
        assert (await admin.ok("unit.upsert", **BUREAU)) == {"changed": 0, "unchanged": 1}, "same data: no event"
        cid = (await duty.ok("case.create", **case_args(hub)))["id"]
        await duty.ok("case.register", id=cid)
        await duty.ok("case.dispatch", id=cid, unit_id="B-WJ", basis="designation")
        assert case_of(hub, cid).unit_name == "区卫生健康委员会"
        listed = await duty.ok("org.units")
        assert any(u["id"] == "B-WJ" for u in listed["units"])

    run_hub(db_url, scenario)


def test_bad_unit_edits_are_refused_and_store_nothing(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        admin = await admin_desk(hub)
        head = hub.hub.head_seq
        cases: list[tuple[dict[str, Any], str, str]] = [
            ({**BUREAU, "parent_id": "NOPE"}, "invalid_args", "unknown parent unit 'NOPE'"),
            ({**BUREAU, "parent_id": None}, "invalid_args", "needs a parent"),
            ({"id": "MH", "name": "中心", "kind": "district_centre", "parent_id": "B-CG"}, "invalid_args",
             "no parent"),
            ({"id": "B-CG", "name": "区城管执法局", "kind": "bureau", "parent_id": "B-CG"}, "invalid_args",
             "its own ancestor"),
            ({**BUREAU, "kind": "ministry"}, "invalid_args", "kind"),
            ({"id": "G-NEW", "name": "新网格", "kind": "grid", "parent_id": "MH"}, "invalid_args",
             "a grid belongs under a committee"),
            ({**BUREAU, "id": "bad id!"}, "invalid_args", "id"),
        ]
        for args, code, words in cases:
            result = await admin.do("unit.upsert", **args)
            assert not result["ok"] and result["error"]["code"] == code, (args, result)
            assert words in result["error"]["message"], (words, result["error"]["message"])
        assert hub.hub.head_seq == head, "a refused edit appends nothing to the log"
        retire_centre = await admin.do("unit.retire", id="S310112001", reason="撤并")
        assert retire_centre["error"]["code"] == "illegal_state" and "active units under it" in \
            retire_centre["error"]["message"]

    run_hub(db_url, scenario)


def test_a_unit_owning_open_cases_cannot_be_retired_and_a_retired_unit_is_not_dispatchable(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        admin = await admin_desk(hub)
        duty = await desk(hub)
        await admin.ok("unit.upsert", **BUREAU)
        cid = (await duty.ok("case.create", **case_args(hub)))["id"]
        await duty.ok("case.register", id=cid)
        await duty.ok("case.dispatch", id=cid, unit_id="B-WJ", basis="designation")
        busy = await admin.do("unit.retire", id="B-WJ", reason="机构改革")
        assert busy["error"]["code"] == "illegal_state" and "owns 1 open cases" in busy["error"]["message"]
        await duty.ok("case.return", id=cid, reason="非本单位职责")
        await admin.ok("unit.retire", id="B-WJ", reason="机构改革")
        again = await duty.do("case.dispatch", id=cid, unit_id="B-WJ", basis="designation")
        assert again["error"]["code"] == "invalid_args" and "B-WJ" in again["error"]["message"]

    run_hub(db_url, scenario)


def test_unit_edits_survive_a_restart_of_the_hub(tmp_path: Any) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"

    async def main() -> None:
        async with EmbeddedHub(db, simulate=False) as hub:
            admin = await admin_desk(hub)
            await admin.ok("unit.upsert", **BUREAU)
            await admin.ok("unit.upsert", id="B-CG", name="区城市管理行政执法局", kind="bureau", parent_id="MH")
        async with EmbeddedHub(db, simulate=False, make_account=False) as again:
            assert again.hub.org.unit_name("B-WJ") == "区卫生健康委员会"
            assert again.hub.org.unit_name("B-CG") == "区城市管理行政执法局"

    asyncio.run(main())


def test_a_unit_added_on_one_hub_is_known_to_the_other_hub_on_the_same_postgres() -> None:
    with fresh_postgres() as url:

        async def main() -> None:
            async with EmbeddedHub(url, simulate=False, user="duty-a") as hub_a, EmbeddedHub(
                url, simulate=False, user="duty-b"
            ) as hub_b:
                admin = await admin_desk(hub_a)
                watch_b, _ = await greet(hub_b)
                await watch_b.recv_until(lambda f: f["type"] == "snapshot.end")
                await admin.ok("unit.upsert", **BUREAU)
                await watch_b.recv_until(lambda f: f["type"] == "unit.changed")
                assert hub_b.hub.org.unit_name("B-WJ") == "区卫生健康委员会"
                duty_b = await desk(hub_b)
                cid = (await duty_b.ok("case.create", **case_args(hub_b)))["id"]
                await duty_b.ok("case.register", id=cid)
                await duty_b.ok("case.dispatch", id=cid, unit_id="B-WJ", basis="designation")

        asyncio.run(asyncio.wait_for(main(), 6 * WAIT_S))


def test_a_street_desk_acts_on_its_ground_and_its_committees_cases_only(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        duty = await desk(hub)
        street_token = auth.add_user(hub.hub.engine, "desk-102", Role.DUTY, "S310112102")
        street = await desk(hub, street_token, "street")
        here = (await duty.ok("case.create", **on_ground_of(hub, "310112102", category_code=SORTING)))["id"]
        elsewhere = (await duty.ok("case.create", **case_args(hub, street_code="310112001")))["id"]
        await street.ok("case.register", id=here)
        await street.ok("case.dispatch", id=here, unit_id=case_of(hub, here).routing.unit_id)
        await street.ok("case.sign", id=here)
        refused = await street.do("case.register", id=elsewhere)
        assert refused["error"]["code"] == "forbidden"

    run_hub(db_url, scenario)


def test_the_rota_and_a_shift_handover_are_events_with_the_open_items(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        commander = await desk(hub, hub.add_user("chief", Role.COMMANDER), "chief")
        duty = await desk(hub)
        refused = await duty.do("rota.assign", date="2026-11-25", front_desk_unit_id="M-GD")
        assert refused["error"]["code"] == "forbidden", "the rota is the commanders'"
        bad = await commander.do("rota.assign", date="2026-02-30", front_desk_unit_id="M-GD")
        assert bad["error"]["code"] == "invalid_args"
        await commander.ok("rota.assign", date="2026-11-25", front_desk_unit_id="M-GD", staff=["王伟", "李娜"])
        rota = await duty.client.recv_until(lambda f: f["type"] == "rota.changed")
        assert rota[-1]["data"] == {"date": "2026-11-25", "front_desk_unit_id": "M-GD", "staff": ["王伟", "李娜"]}
        for _ in range(3):
            await duty.ok("case.create", **case_args(hub))
        result = await duty.ok("shift.handover", to="夜班 张强", note="台风预警已发布，注意积水点")
        assert result["open"] == 3
        frames = await commander.client.recv_until(lambda f: f["type"] == "shift.handed_over")
        data = frames[-1]["data"]
        assert data["by"] == "duty-demo" and data["to"] == "夜班 张强"
        assert data["open_by_status"] == {"received": 3}
        assert hub.hub.org.rota["2026-11-25"].front_desk_unit_id == "M-GD"

    run_hub(db_url, scenario)


def test_admins_read_the_audit_log_on_the_feed(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        admin = await admin_desk(hub)
        duty = await desk(hub)
        await duty.ok("case.create", **case_args(hub))
        await duty.do("case.register", id="no-such-case")
        assert (await duty.do("audit.read"))["error"]["code"] == "forbidden"
        rows = (await admin.ok("audit.read", limit=10))["rows"]
        names = [(r["user"], r["name"], r["ok"]) for r in rows]
        assert ("duty-demo", "case.register", False) in names and ("duty-demo", "case.create", True) in names
        assert rows == sorted(rows, key=lambda r: -r["id"]), "newest first"
        await duty.do("case.no_such_step", note="值" * 5000)  # audited args are cut mid-character
        newest = (await admin.ok("audit.read", limit=1))["rows"][0]
        assert newest["name"] == "case.no_such_step" and newest["ts"].endswith("+00:00")
        older = (await admin.ok("audit.read", limit=10, before_id=rows[0]["id"]))["rows"]
        assert older == rows[1:] or older[: len(rows) - 1] == rows[1:]

    run_hub(db_url, scenario)
