"""The closed loop through the feed, as a console drives it: every step, refusal and trace."""

from __future__ import annotations

from typing import Any

from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import RawClient, case_args, greet, run_hub


class Desk:
    """A duty officer's client: sends loop commands and returns their results."""

    def __init__(self, client: RawClient, name: str) -> None:
        self.client = client
        self.name = name
        self.n = 0

    async def do(self, command: str, **args: Any) -> dict[str, Any]:
        self.n += 1
        return await self.client.command(command, args, f"{self.name}-{self.n}")

    async def ok(self, command: str, **args: Any) -> dict[str, Any]:
        result = await self.do(command, **args)
        assert result["ok"], result
        return dict(result["result"])


async def desk(hub: EmbeddedHub, token: str | None = None, name: str = "d") -> Desk:
    client, _ = await greet(hub, token=token)
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    return Desk(client, name)


async def new_case(hub: EmbeddedHub, d: Desk) -> str:
    return str((await d.ok("case.create", **case_args(hub)))["id"])


def case_of(hub: EmbeddedHub, case_id: str) -> Any:
    return hub.hub.writer.cases[case_id]


def test_a_case_goes_round_the_whole_loop_leaving_a_trace(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        assert case_of(hub, cid).step is not None, "register-within-30-min limit runs from receipt"
        await d.ok("case.register", id=cid, note="属实")
        routing = case_of(hub, cid).routing
        assert routing is not None and routing.unit_id and routing.explanation_zh and routing.explanation_en
        await d.ok("case.dispatch", id=cid, unit_id=routing.unit_id)
        assert case_of(hub, cid).basis == routing.basis
        for command, args in [("case.sign", {}), ("case.start", {}), ("case.feedback", {"result": "已清理"}),
                              ("case.verify", {"passed": True}), ("case.callback", {"satisfied": True})]:
            await d.ok(command, id=cid, **args)
        case = case_of(hub, cid)
        assert case.status.value == "called_back"
        assert case.satisfied is True
        assert [t.action for t in case.history] == [
            "register", "dispatch", "sign", "start", "feedback", "verify", "callback"]
        assert all(t.actor == "duty-demo" for t in case.history)
        assert case.history[0].note == "属实"
        assert case.version == 8
        stats = hub.hub.writer.stats[routing.unit_id]
        assert (stats.received, stats.signed_in_time, stats.closed, stats.closed_on_time, stats.rated,
                stats.satisfied) == (1, 1, 1, 1, 1, 1)

    run_hub(db_url, scenario)


def test_two_returns_send_a_case_to_arbitration(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        await d.ok("case.register", id=cid)
        unit = case_of(hub, cid).routing.unit_id
        for _ in range(2):
            await d.ok("case.dispatch", id=cid, unit_id=unit)
            await d.ok("case.return", id=cid, reason="非本单位职责")
        case = case_of(hub, cid)
        assert case.returns == 2 and "arbitration" in case.flags and case.unit_id is None
        refused = await d.do("case.dispatch", id=cid, unit_id=unit)
        assert refused["error"]["code"] == "illegal_state" and "arbitrate" in refused["error"]["message"]
        await d.ok("case.arbitrate", id=cid, unit_id="MH", note="中心指定")
        case = case_of(hub, cid)
        assert case.status.value == "dispatched" and case.basis.value == "designation"
        assert "arbitration" not in case.flags
        assert hub.hub.writer.stats[unit].returned == 2

    run_hub(db_url, scenario)


def test_failed_verification_and_dissatisfaction_send_the_case_back_once(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        await d.ok("case.register", id=cid)
        await d.ok("case.dispatch", id=cid, unit_id=case_of(hub, cid).routing.unit_id)
        await d.ok("case.sign", id=cid)
        await d.ok("case.feedback", id=cid, result="已处理")
        await d.ok("case.verify", id=cid, passed=False, note="现场仍有垃圾")
        assert case_of(hub, cid).status.value == "handling"
        assert "verify_failed" in case_of(hub, cid).flags
        await d.ok("case.feedback", id=cid, result="已再次清理")
        await d.ok("case.verify", id=cid, passed=True)
        await d.ok("case.callback", id=cid, satisfied=False)
        assert case_of(hub, cid).status.value == "handling" and "reopened" in case_of(hub, cid).flags
        await d.ok("case.feedback", id=cid, result="第三次")
        await d.ok("case.verify", id=cid, passed=True)
        await d.ok("case.callback", id=cid, satisfied=False)
        assert case_of(hub, cid).status.value == "called_back"
        assert case_of(hub, cid).satisfied is False

    run_hub(db_url, scenario)


def test_two_officers_dispatching_the_same_version_exactly_one_wins(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        a = await desk(hub, name="a")
        b = await desk(hub, token=hub.add_user("duty-b", Role.DUTY), name="b")
        cid = await new_case(hub, a)
        await a.ok("case.register", id=cid)
        version = case_of(hub, cid).version
        head = hub.hub.head_seq
        first = await a.do("case.dispatch", id=cid, version=version, unit_id="MH")
        second = await b.do("case.dispatch", id=cid, version=version, unit_id="S310112001")
        outcomes = sorted([first["ok"], second["ok"]])
        assert outcomes == [False, True]
        loser = first if not first["ok"] else second
        assert loser["error"]["code"] in ("conflict", "illegal_state")
        assert case_of(hub, cid).version == version + 1
        assert hub.hub.head_seq == head + 2  # one case.updated + the unit's stats, nothing for the loser

    run_hub(db_url, scenario)


def test_refusals_say_why_and_store_nothing(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        head = hub.hub.head_seq
        illegal = await d.do("case.sign", id=cid)
        assert illegal["error"]["code"] == "illegal_state"
        assert "received" in illegal["error"]["message"] and "dispatched" in illegal["error"]["message"]
        assert (await d.do("case.register", id="nope"))["error"]["code"] == "not_found"
        stale = await d.do("case.register", id=cid, version=99)
        assert stale["error"]["code"] == "conflict"
        await d.ok("case.register", id=cid)
        head = hub.hub.head_seq
        unknown = await d.do("case.dispatch", id=cid, unit_id="NO-SUCH-UNIT")
        assert unknown["error"]["code"] == "invalid_args" and "unit" in unknown["error"]["message"]
        assert hub.hub.head_seq == head
        assert case_of(hub, cid).status.value == "registered"

    run_hub(db_url, scenario)


def test_pause_resume_and_extension_move_the_deadlines(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        await d.ok("case.register", id=cid)
        await d.ok("case.dispatch", id=cid, unit_id="MH")
        await d.ok("case.sign", id=cid)
        due = case_of(hub, cid).overall.due_at
        await d.ok("case.pause", id=cid, reason="等待市民提供照片")
        assert case_of(hub, cid).paused_at is not None and "paused" in case_of(hub, cid).flags
        assert (await d.do("case.pause", id=cid, reason="again"))["error"]["code"] == "illegal_state"
        await d.ok("case.resume", id=cid)
        assert case_of(hub, cid).overall.due_at >= due and case_of(hub, cid).paused_at is None
        due = case_of(hub, cid).overall.due_at
        await d.ok("case.extension_request", id=cid, hours=8, reason="需协调多部门")
        assert case_of(hub, cid).extension_hours == 8
        await d.ok("case.extension_decide", id=cid, approve=True)
        assert case_of(hub, cid).overall.due_at > due and "extended" in case_of(hub, cid).flags
        await d.ok("case.extension_request", id=cid, hours=4, reason="再延")
        await d.ok("case.extension_decide", id=cid, approve=False)
        assert case_of(hub, cid).extension_hours is None

    run_hub(db_url, scenario)


def test_escalation_climbs_one_loop_at_a_time_and_110_transfers_close(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cid = await new_case(hub, d)
        await d.ok("case.register", id=cid)
        await d.ok("case.dispatch", id=cid, unit_id="S310112001")
        await d.ok("case.escalate", id=cid, reason="街镇无法协调")
        assert case_of(hub, cid).unit_id == "MH" and "escalated" in case_of(hub, cid).flags
        top = await d.do("case.escalate", id=cid, reason="again")
        assert top["error"]["code"] == "illegal_state"
        police = await new_case(hub, d)
        await d.ok("case.transfer", id=police, reason="治安纠纷，转110")
        case = case_of(hub, police)
        assert case.status.value == "closed" and "transferred_110" in case.flags and case.unit_id

    run_hub(db_url, scenario)


def test_supervision_by_role_on_cases_and_pools(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        cids = [await new_case(hub, d) for _ in range(3)]
        for cid in cids:
            await d.ok("case.register", id=cid)
            await d.ok("case.dispatch", id=cid, unit_id="S310112001")
        assert (await d.ok("case.supervise", action="remind", ids=cids[:1], note="请尽快签收"))["count"] == 1
        refused = await d.do("case.supervise", action="supervise", ids=cids)
        assert refused["error"]["code"] == "forbidden"
        chief = await desk(hub, token=hub.add_user("chief", Role.COMMANDER), name="c")
        result = await chief.ok("case.supervise", action="supervise", unit_id="S310112001")
        assert result["count"] == 3
        assert hub.hub.writer.stats["S310112001"].supervised == 4

    run_hub(db_url, scenario)


def test_a_street_desk_acts_only_on_its_own_street(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        own = await new_case(hub, centre)
        other = str((await centre.ok("case.create", **case_args(hub, street_code="310112006")))["id"])
        for cid in (own, other):
            await centre.ok("case.register", id=cid)
        from hub import auth

        token = auth.add_user(hub.hub.engine, "jiangchuan-desk", Role.DUTY, unit_id="S310112001")
        street = await desk(hub, token=token, name="s")
        await street.ok("case.dispatch", id=own, unit_id="S310112001")
        foreign = await street.do("case.dispatch", id=other, unit_id="S310112001")
        assert foreign["error"]["code"] == "forbidden"

    run_hub(db_url, scenario)
