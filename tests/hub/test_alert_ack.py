"""`alert.ack` against a real hub: recorded on the feed for everyone and in the audit, refused cleanly."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hub import auth
from hub.db import log_store
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import case_args, run_hub
from tests.hub.test_closed_loop import Desk, desk, new_case


async def two_cases(hub: EmbeddedHub, d: Desk) -> list[str]:
    return [await new_case(hub, d) for _ in range(2)]


def test_an_ack_of_a_grouped_alert_reaches_every_console_and_the_audit(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        duty = await desk(hub)
        cids = await two_cases(hub, duty)
        chief = await desk(hub, token=hub.add_user("chief", Role.COMMANDER), name="c")
        result = await duty.ok("alert.ack", case_ids=cids, kind="timer", key="overall.red",
                               comment="已电话催办，单位称半小时内到场")
        assert result["count"] == 2
        frames = await chief.client.recv_until(lambda f: f["type"] == "alert.acknowledged")
        event = frames[-1]
        assert event["seq"] == result["seq"]
        data = event["data"]
        assert data["case_ids"] == cids and data["kind"] == "timer" and data["key"] == "overall.red"
        assert data["by"] == "duty-demo" and data["role"] == "duty" and data["at"] == event["ts"]
        assert data["comment"] == "已电话催办，单位称半小时内到场"
        assert all(hub.hub.writer.cases[c].version == 1 for c in cids), "an ack changes no case"
        chief_ack = await chief.ok("alert.ack", case_ids=cids[:1], kind="supervision", key="supervise")
        assert chief_ack["count"] == 1
        rows = log_store.read_audit(hub.hub.engine, 5, None)
        acks = [r for r in rows if r["name"] == "alert.ack"]
        assert [(r["user"], r["role"], r["ok"]) for r in acks] == [("chief", "commander", True),
                                                                    ("duty-demo", "duty", True)]
        assert json.loads(str(acks[1]["args"]))["comment"].startswith("已电话催办")

    run_hub(db_url, scenario)


BAD_ARGS: list[tuple[dict[str, Any], str]] = [
    ({"case_ids": [], "kind": "timer", "key": "overall.red"}, "case_ids"),
    ({"case_ids": ["X"], "kind": "emergency", "key": "red"}, "kind"),
    ({"case_ids": ["X"], "kind": "timer", "key": "overall.blue"}, "key"),
    ({"case_ids": ["X"], "kind": "timer", "key": "red"}, "key"),
    ({"case_ids": ["X"], "kind": "supervision", "key": "shout"}, "key"),
    ({"case_ids": ["X"], "kind": "returned", "key": "return.0"}, "key"),
    ({"case_ids": ["X"], "kind": "timer", "key": "step.orange", "comment": "x" * 501}, "comment"),
    ({"case_ids": ["X", "X"], "kind": "timer", "key": "step.orange"}, "twice"),
    ({"case_ids": [f"c{i}" for i in range(1001)], "kind": "timer", "key": "step.red"}, "case_ids"),
    ({"case_ids": ["X"], "kind": "timer", "key": "step.red", "level": "red"}, "level"),
]


@pytest.mark.parametrize(("args", "named"), BAD_ARGS, ids=[named for _, named in BAD_ARGS])
def test_bad_arguments_are_refused_saying_which_and_nothing_is_stored(
    tmp_path: Any, args: dict[str, Any], named: str
) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        args["case_ids"] = [cid if c == "X" else c for c in args["case_ids"]]
        head = hub.hub.head_seq
        refused = await d.do("alert.ack", **args)
        assert refused["ok"] is False and refused["error"]["code"] == "invalid_args", refused
        assert named in refused["error"]["message"]
        assert hub.hub.head_seq == head

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)


def test_unknown_cases_roles_and_scope_are_refused_and_nothing_is_stored(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        own = await new_case(hub, d)
        other = str((await d.ok("case.create", **case_args(hub, street_code="310112006")))["id"])
        head = hub.hub.head_seq
        missing = await d.do("alert.ack", case_ids=[own, "no-such-case"], kind="returned", key="return.1")
        assert missing["error"]["code"] == "not_found" and "no-such-case" in missing["error"]["message"]
        wall = await desk(hub, token=hub.add_user("wall-1", Role.WALL), name="w")
        assert (await wall.do("alert.ack", case_ids=[own], kind="timer", key="overall.red"))["error"]["code"] == (
            "forbidden")
        street = await desk(hub, token=auth.add_user(hub.hub.engine, "jiangchuan-desk", Role.DUTY,
                                                     unit_id="S310112001"), name="s")
        foreign = await street.do("alert.ack", case_ids=[own, other], kind="timer", key="overall.red")
        assert foreign["error"]["code"] == "forbidden"
        assert hub.hub.head_seq == head, "a refused ack publishes nothing"
        assert (await street.ok("alert.ack", case_ids=[own], kind="timer", key="overall.red"))["count"] == 1

    run_hub(db_url, scenario)
