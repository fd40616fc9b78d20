"""The shift handover on a real hub: the open items recorded, acknowledged one by one or all at
once by the incoming officer, refused to the wall, kept across a restart and sent in snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import case_args, greet, run_hub
from tests.hub.test_closed_loop import Desk, case_of, desk

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
CONSOLE_ITEMS = [
    {"kind": "alert", "ref": "timer/overall.orange/c-1", "text": "1 case turned orange (overall limit)"},
    {"kind": "refused_command", "ref": "case.dispatch/c-2", "text": "case.dispatch: conflict"},
]


async def night_shift(hub: EmbeddedHub, now: list[datetime]) -> tuple[Desk, Desk, str, str]:
    """The outgoing officer (duty-demo) leaves one red case and one awaiting arbitration."""
    outgoing = await desk(hub, name="out")
    incoming = await desk(hub, hub.add_user("zhang.qiang", Role.DUTY), "in")
    red = (await outgoing.ok("case.create", **case_args(hub)))["id"]
    returned = (await outgoing.ok("case.create", **case_args(hub)))["id"]
    await outgoing.ok("case.register", id=returned)
    unit = case_of(hub, returned).routing.unit_id
    for _ in range(2):
        await outgoing.ok("case.dispatch", id=returned, unit_id=unit)
        await outgoing.ok("case.return", id=returned, reason="非本单位职责")
    now[0] += timedelta(days=30)  # both overall limits pass
    assert hub.hub.timekeeper is not None
    hub.hub.timekeeper.poke()
    await outgoing.client.recv_until(lambda f: f["type"] == "timer.level_changed" and f["data"]["case_id"] == red
                                     and f["data"]["kind"] == "overall" and f["data"]["level"] == "red")
    return outgoing, incoming, red, returned


def items_of(frame: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["kind"], i["ref"]) for i in frame["data"]["items"]]


def test_a_handover_records_the_open_items_and_the_incoming_officer_acknowledges_them(db_url: str) -> None:
    now = [T0]

    async def scenario(hub: EmbeddedHub) -> None:
        outgoing, incoming, red, returned = await night_shift(hub, now)
        refused = await outgoing.do("shift.handover", items=[{"kind": "red_case", "ref": red}])
        assert refused["error"]["code"] == "invalid_args" and "itself" in refused["error"]["message"]
        result = await outgoing.ok("shift.handover", to="zhang.qiang", note="台风预警，注意积水点",
                                   items=[*CONSOLE_ITEMS, CONSOLE_ITEMS[0]])
        assert result["items"] == 5, "two red cases, an arbitration, the console's two items (the repeat once)"
        handed = (await incoming.client.recv_until(lambda f: f["type"] == "shift.handed_over"))[-1]
        assert handed["data"]["id"] == result["id"] == f"H{handed['seq']}"
        assert items_of(handed) == [("red_case", red), ("red_case", returned), ("arbitration", returned),
                                    ("alert", CONSOLE_ITEMS[0]["ref"]), ("refused_command", CONSOLE_ITEMS[1]["ref"])]
        assert handed["data"]["items"][0]["text"].startswith(case_of(hub, red).serial)
        assert handed["data"]["red_case_ids"] == [red, returned], "most overdue first"

        mine = await outgoing.do("shift.handover_ack", id=result["id"], all=True)
        assert mine["error"]["code"] == "illegal_state", "the outgoing officer does not take over their own shift"
        assert (await incoming.do("shift.handover_ack", id=result["id"]))["error"]["code"] == "invalid_args"
        unknown = await incoming.do("shift.handover_ack", id=result["id"], items=[{"kind": "alert", "ref": "nope"}])
        assert unknown["error"]["code"] == "invalid_args" and "nope" in unknown["error"]["message"]
        assert (await incoming.do("shift.handover_ack", id="H1", all=True))["error"]["code"] == "not_found"

        one = await incoming.ok("shift.handover_ack", id=result["id"], items=[{"kind": "red_case", "ref": red}])
        assert (one["acknowledged"], one["remaining"]) == (1, 4)
        ack = (await outgoing.client.recv_until(lambda f: f["type"] == "shift.handover_acknowledged"))[-1]["data"]
        assert ack["by"] == "zhang.qiang" and ack["role"] == "duty" and not ack.get("complete")
        assert ack["items"] == [{"kind": "red_case", "ref": red}]
        again = await incoming.do("shift.handover_ack", id=result["id"], items=[{"kind": "red_case", "ref": red}])
        assert again["error"]["code"] == "illegal_state" and "zhang.qiang" in again["error"]["message"]

        rest = await incoming.ok("shift.handover_ack", id=result["id"], all=True, note="已接班")
        assert (rest["acknowledged"], rest["remaining"]) == (4, 0)
        ack = (await outgoing.client.recv_until(lambda f: f["type"] == "shift.handover_acknowledged"))[-1]["data"]
        assert ack["complete"] is True and len(ack["items"]) == 4 and ack["note"] == "已接班"
        held = hub.hub.handovers.latest[""]
        assert held.acknowledged_by == "zhang.qiang" and all(i.acknowledged_by for i in held.items)
        assert (await incoming.do("shift.handover_ack", id=result["id"], all=True))["error"]["code"] == "illegal_state"

    run_hub(db_url, scenario, clock=lambda: now[0])


def test_the_wall_may_neither_hand_over_nor_acknowledge(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        duty = await desk(hub)
        handed = await duty.ok("shift.handover", note="平稳")
        wall = await desk(hub, hub.add_user("wall-1", Role.WALL), "wall")
        for name, args in (("shift.handover", {}), ("shift.handover_ack", {"id": handed["id"], "all": True})):
            answer = await wall.do(name, **args)
            assert answer["error"]["code"] == "forbidden", answer

    run_hub(db_url, scenario)


def test_a_handover_with_nothing_open_is_acknowledged_as_a_whole_and_kept_across_a_restart(db_url: str) -> None:
    kept: dict[str, Any] = {}

    async def first(hub: EmbeddedHub) -> None:
        duty = await desk(hub)
        await duty.ok("case.create", **case_args(hub))
        handed = await duty.ok("shift.handover", to="夜班", items=CONSOLE_ITEMS[:1])
        incoming = await desk(hub, hub.add_user("li.na", Role.DUTY), "in")
        await incoming.ok("shift.handover_ack", id=handed["id"], items=[{"kind": "alert",
                                                                         "ref": CONSOLE_ITEMS[0]["ref"]}])
        empty = await incoming.ok("shift.handover", note="无遗留")
        assert empty["items"] == 0
        whole = await duty.ok("shift.handover_ack", id=empty["id"], all=True)
        assert (whole["acknowledged"], whole["remaining"]) == (0, 0)
        assert hub.hub.handovers.latest[""].acknowledged_by == "duty-demo"
        kept["id"] = empty["id"]
        kept["first"] = handed["id"]

    async def second(hub: EmbeddedHub) -> None:
        held = hub.hub.handovers.latest[""]
        assert held.id == kept["id"] and held.by == "li.na" and held.acknowledged_by == "duty-demo"
        client, _ = await greet(hub, token=hub.add_user("chief", Role.COMMANDER))
        end = (await client.recv_until(lambda f: f["type"] == "snapshot.end"))[-1]
        assert [h["id"] for h in end["handovers"]] == [kept["id"]], "the latest handover of the centre's desk"
        assert end["handovers"][0]["acknowledged_by"] == "duty-demo"
        stale = await client.command("shift.handover_ack", {"id": kept["first"], "all": True}, "c-1")
        assert stale["error"]["code"] == "not_found", "an earlier handover is no longer the one to take over"
        await client.ws.close()

    run_hub(db_url, first)
    run_hub(db_url, second)


def test_the_snapshot_carries_the_rota_and_the_handover_with_its_acknowledgements(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        chief = await desk(hub, hub.add_user("chief", Role.COMMANDER), "chief")
        await chief.ok("rota.assign", date="2026-11-25", front_desk_unit_id="M-GD", staff=["王伟", "李娜"])
        handed = await chief.ok("shift.handover", items=CONSOLE_ITEMS)
        duty = await desk(hub)
        await duty.ok("shift.handover_ack", id=handed["id"], items=[{"kind": "refused_command",
                                                                     "ref": CONSOLE_ITEMS[1]["ref"]}])
        client, _ = await greet(hub)
        end = (await client.recv_until(lambda f: f["type"] == "snapshot.end"))[-1]
        assert end["rota"] == [{"date": "2026-11-25", "front_desk_unit_id": "M-GD", "staff": ["王伟", "李娜"]}]
        (handover,) = end["handovers"]
        assert handover["id"] == handed["id"] and handover["by"] == "chief"
        assert [i.get("acknowledged_by") for i in handover["items"]] == [None, "duty-demo"]
        assert "acknowledged_by" not in handover
        await client.ws.close()

    run_hub(db_url, scenario)
