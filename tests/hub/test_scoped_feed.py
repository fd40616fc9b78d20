"""A unit's desk gets its own cases from the hub and nothing of the others', with a gapless `seq`.

Read as a third party would: raw frames on a real hub. What a frame may not carry is checked
on the frame's text, so no field of any message can leak another unit's case.
"""

from __future__ import annotations

import json
from typing import Any

from hub import auth
from hub.embedded import EmbeddedHub
from hub.feed_scope import CommitFrames
from protocol import Role
from tests.hub.conftest import RawClient, case_args, greet, run_hub
from tests.hub.test_closed_loop import Desk, desk

OURS, THEIRS = "B-SW", "B-CG"
SECRET = "OTHER-UNIT-SECRET 别家的案情"


class Recording(RawClient):
    """Keeps every frame it reads, those a command's wait passed over too."""

    def __init__(self, client: RawClient) -> None:
        super().__init__(client.ws)
        self.skipped = client.skipped
        self.seen: list[dict[str, Any]] = []

    async def recv(self) -> dict[str, Any]:
        frame = await super().recv()
        self.seen.append(frame)
        return frame


async def scoped(hub: EmbeddedHub, resume_from: int | None = None,
                 log_id: str | None = None) -> tuple[RawClient, dict[str, Any], list[dict[str, Any]]]:
    token = auth.add_user(hub.hub.engine, f"water-desk-{resume_from}", Role.DUTY, unit_id=OURS)
    client, welcome = await greet(hub, token=token, resume_from=resume_from, log_id=log_id)
    snapshot = await client.recv_until(lambda f: f["type"] == "snapshot.end")
    return client, welcome, snapshot


async def two_cases(hub: EmbeddedHub, centre: Desk) -> tuple[str, str]:
    ours = str((await centre.ok("case.create", **case_args(hub, description="井盖缺失 ours")))["id"])
    theirs = str((await centre.ok("case.create", **case_args(hub, street_code="310112006",
                                                               description=SECRET)))["id"])
    for case_id in (ours, theirs):
        await centre.ok("case.register", id=case_id)
    return ours, theirs


def assert_gapless(frames: list[dict[str, Any]], after: int) -> int:
    seqs = [f["seq"] for f in frames if "seq" in f]
    assert seqs == list(range(after + 1, after + 1 + len(seqs))), seqs
    return seqs[-1] if seqs else after


def test_a_unit_desk_gets_its_cases_whole_and_of_the_others_only_seq(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        ours, theirs = await two_cases(hub, centre)
        client, welcome, snapshot = await scoped(hub)
        assert welcome["unit_id"] == OURS
        assert [f for f in snapshot if f["type"] == "snapshot.chunk"] == [] or all(
            not f["items"] for f in snapshot if f["type"] == "snapshot.chunk")
        as_of = snapshot[-1]["as_of_seq"]

        await centre.ok("case.dispatch", id=theirs, unit_id=THEIRS)
        await centre.ok("case.supervise", action="urge", ids=[theirs])
        dispatched = await centre.ok("case.dispatch", id=ours, unit_id=OURS)
        recording = Recording(client)
        await Desk(recording, "w").ok("case.sign", id=ours)
        returned = await centre.ok("case.escalate", id=ours, reason="需区中心协调")
        await recording.recv_until(lambda f: f.get("seq") == returned["seq"])
        frames = recording.seen

        texts = [json.dumps(f, ensure_ascii=False) for f in frames]
        assert not [t for t in texts if theirs in t or SECRET in t], "another unit's case reached the desk"
        assert_gapless(frames, as_of)
        by_seq = {f["seq"]: f for f in frames if "seq" in f}
        entered = by_seq[dispatched["seq"]]
        assert entered["type"] == "case.entered_scope"
        assert entered["data"]["id"] == ours and entered["data"]["description"] == "井盖缺失 ours"
        assert entered["data"]["unit_id"] == OURS and entered["data"]["status"] == "dispatched"
        assert [f["type"] for f in frames if f.get("data", {}).get("id") == ours][1:] == [
            "case.updated", "case.left_scope"]
        assert by_seq[returned["seq"]] == {"type": "case.left_scope", "seq": returned["seq"],
                                           "ts": by_seq[returned["seq"]]["ts"], "data": {"id": ours}}
        withheld = [f for f in frames if f["type"] == "event.withheld"]
        assert withheld and all(f["data"] == {"reason": "out_of_scope"} for f in withheld)

        # Resuming from where it stood gives a snapshot of its scope, never a replay of the others'.
        again, welcome, snapshot = await scoped(hub, resume_from=returned["seq"], log_id=welcome["log_id"])
        assert welcome["mode"] == "snapshot"
        text = json.dumps(snapshot, ensure_ascii=False)
        assert theirs not in text and SECRET not in text and ours not in text
        await again.ws.close()
        await client.ws.close()

    run_hub(db_url, scenario)


def test_a_case_dispatched_to_the_unit_comes_whole_and_one_taken_away_goes(db_url: str) -> None:
    """The catch-up after a snapshot reads the log with the same filter as live frames."""

    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        ours, theirs = await two_cases(hub, centre)
        flip = str((await centre.ok("case.create", **case_args(hub, description="派错又退回")))["id"])
        await centre.ok("case.register", id=flip)
        feed = hub.hub.scoped_feed(OURS)
        assert feed.snapshot(hub.hub.writer.cases.values()) == []
        as_of = hub.hub.head_seq

        await centre.ok("case.dispatch", id=theirs, unit_id=THEIRS)
        await centre.ok("case.dispatch", id=ours, unit_id=OURS)
        await centre.ok("case.supervise", action="remind", ids=[ours])
        await centre.ok("case.dispatch", id=flip, unit_id=OURS)
        await centre.ok("case.return", id=flip, reason="派错")
        frames = [json.loads(f) for f in feed.frames(CommitFrames(await hub.hub.frames_after(as_of)))]

        assert_gapless(frames, as_of)
        text = json.dumps(frames, ensure_ascii=False)
        assert theirs not in text and SECRET not in text
        assert flip not in text, "a case that came and went before the desk read it is not shown"
        entered = [f for f in frames if f["type"] == "case.entered_scope"]
        assert [f["data"]["id"] for f in entered] == [ours]
        assert entered[0]["data"]["version"] == hub.hub.writer.cases[ours].version
        assert [f["data"]["action"] for f in frames if f["type"] == "supervision.recorded"] == ["remind"]

    run_hub(db_url, scenario)


def test_a_street_desk_sees_its_street_and_only_its_own_handover(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        centre = await desk(hub)
        ours, theirs = await two_cases(hub, centre)  # ours lies on street 310112001
        await centre.ok("shift.handover", note="中心交班")
        token = auth.add_user(hub.hub.engine, "jiangchuan-desk", Role.DUTY, unit_id="S310112001")
        client, _ = await greet(hub, token=token)
        snapshot = await client.recv_until(lambda f: f["type"] == "snapshot.end")
        items = [c["id"] for f in snapshot if f["type"] == "snapshot.chunk" for c in f["items"]]
        assert items == [ours]
        assert snapshot[-1]["handovers"] == []
        recording = Recording(client)
        mine = await Desk(recording, "s").ok("shift.handover", note="街道交班")
        handed = await centre.ok("shift.handover", note="中心再交班")
        await recording.recv_until(lambda f: f.get("seq") == handed["seq"])
        frames = recording.seen
        by_seq = {f["seq"]: f for f in frames if "seq" in f}
        assert by_seq[handed["seq"]]["type"] == "event.withheld"
        own = [f for f in frames if f["type"] == "shift.handed_over"]
        assert [f["data"]["note"] for f in own] == ["街道交班"] and mine
        assert theirs not in json.dumps(frames, ensure_ascii=False)
        await client.ws.close()

    run_hub(db_url, scenario)
