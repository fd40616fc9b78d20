"""`supervision.read`: what the ladder did, from the hub's log, so a desk opened later shows it too."""

from __future__ import annotations

from hub import auth
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import case_args, run_hub
from tests.hub.test_closed_loop import desk


def test_the_record_comes_from_the_log_newest_first_paged_and_scoped(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        ids = []
        for unit in ("B-SW", "B-CG"):
            case_id = str((await centre.ok("case.create", **case_args(hub)))["id"])
            await centre.ok("case.register", id=case_id)
            await centre.ok("case.dispatch", id=case_id, unit_id=unit)
            ids.append(case_id)
        chief = await desk(hub, token=hub.add_user("du.ban", Role.SUPERVISOR), name="s")
        await chief.ok("case.supervise", action="urge", ids=[ids[0]], note="请加快处置")
        await chief.ok("case.supervise", action="supervise", ids=[ids[1]])

        # A desk started after the ladder acted (a fresh console) reads it from the hub.
        later = await desk(hub, token=hub.add_user("du.later", Role.SUPERVISOR), name="l")
        record = await later.ok("supervision.read")
        assert [(r["case_id"], r["action"], r["actor"]) for r in record["records"]] == [
            (ids[1], "supervise", "du.ban"), (ids[0], "urge", "du.ban")]
        first = record["records"][1]
        assert first["serial"] == hub.hub.writer.cases[ids[0]].serial and first["note"] == "请加快处置"
        assert first["unit_id"] == "B-SW" and first["at"].endswith("Z") and record["next_before_seq"] is None

        page = await later.ok("supervision.read", limit=1)
        assert [r["case_id"] for r in page["records"]] == [ids[1]] and page["next_before_seq"] is not None
        rest = await later.ok("supervision.read", limit=1, before_seq=page["next_before_seq"])
        assert [r["case_id"] for r in rest["records"]] == [ids[0]]

        water = await desk(hub, token=auth.add_user(hub.hub.engine, "water-desk", Role.DUTY, unit_id="B-SW"), name="w")
        assert [r["case_id"] for r in (await water.ok("supervision.read"))["records"]] == [ids[0]]
        wall = await desk(hub, token=hub.add_user("wall", Role.WALL), name="x")
        assert (await wall.do("supervision.read"))["error"]["code"] == "forbidden"

    run_hub(db_url, scenario)
