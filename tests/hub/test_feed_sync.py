"""Replay, snapshot, live fan-out, commands and durability against a real hub."""

from __future__ import annotations

import asyncio
from typing import Any

from hub.embedded import EmbeddedHub
from protocol import Role
from protocol.limits import Limits
from tests.hub.conftest import case_args, greet, run_hub


async def create_cases(hub: EmbeddedHub, count: int, prefix: str = "c") -> list[dict[str, Any]]:
    client, _ = await greet(hub)
    await client.recv_until(lambda f: f["type"] == "snapshot.end")
    results = [await client.command("case.create", case_args(hub), f"{prefix}{i}") for i in range(count)]
    await client.ws.close()
    return results


def test_new_client_gets_snapshot_then_live_events(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        made = await create_cases(hub, 3)
        client, welcome = await greet(hub)
        assert welcome["mode"] == "snapshot"
        assert welcome["head_seq"] == 3
        frames = await client.recv_until(lambda f: f["type"] == "snapshot.end")
        begin, *chunks, end = frames
        assert begin == {"type": "snapshot.begin", "as_of_seq": 3, "total": 3}
        items = [item for chunk in chunks for item in chunk["items"]]
        assert sorted(i["serial"] for i in items) == sorted(m["result"]["serial"] for m in made)
        assert end["as_of_seq"] == 3
        other, _ = await greet(hub)
        await other.command("case.create", case_args(hub, description="路灯不亮"), "live-1")
        event = await client.recv()
        assert event["type"] == "case.created"
        assert event["seq"] == 4
        assert event["data"]["description"] == "路灯不亮"
        assert event["data"]["status"] == "received"

    run_hub(db_url, scenario)


def test_snapshot_is_chunked(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        await create_cases(hub, 5)
        client, _ = await greet(hub)
        frames = await client.recv_until(lambda f: f["type"] == "snapshot.end")
        assert [len(f["items"]) for f in frames if f["type"] == "snapshot.chunk"] == [2, 2, 1]

    run_hub(db_url, scenario, limits=Limits(snapshot_chunk_items=2))


def test_resume_replays_exactly_the_missed_events_in_order(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        await create_cases(hub, 2, "a")
        await create_cases(hub, 3, "b")
        client, welcome = await greet(hub, resume_from=2, log_id=hub.hub.log_id)
        assert welcome["mode"] == "replay"
        frames = [await client.recv() for _ in range(3)]
        assert [f["seq"] for f in frames] == [3, 4, 5]
        assert all(f["type"] == "case.created" for f in frames)

    run_hub(db_url, scenario)


def test_resume_at_head_replays_nothing_then_goes_live(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        await create_cases(hub, 2)
        client, welcome = await greet(hub, resume_from=2)
        assert welcome["mode"] == "replay"
        other, _ = await greet(hub)
        await other.command("case.create", case_args(hub), "next")
        assert (await client.recv())["seq"] == 3

    run_hub(db_url, scenario)


def test_too_far_behind_or_other_log_gets_a_snapshot(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        await create_cases(hub, 4)
        _, far = await greet(hub, resume_from=1)
        assert far["mode"] == "snapshot"
        _, other_log = await greet(hub, resume_from=3, log_id="another-log")
        assert other_log["mode"] == "snapshot"
        _, ahead = await greet(hub, resume_from=99)
        assert ahead["mode"] == "snapshot"

    run_hub(db_url, scenario, limits=Limits(replay_window=2))


def test_repeated_command_id_acts_once_and_returns_the_first_result(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        first = await client.command("case.create", case_args(hub), "same-id")
        again = await client.command("case.create", case_args(hub, description="不同"), "same-id")
        assert again == first
        assert hub.hub.head_seq == 1

    run_hub(db_url, scenario)


async def pipelined(client: Any, hub: EmbeddedHub, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Send a `case.create` for each id without waiting (one group commit takes many); the answers by id."""
    for n, command_id in enumerate(ids):
        await client.send({"type": "command", "id": command_id, "name": "case.create",
                           "args": case_args(hub, description=f"第 {n} 件")})
    answers: dict[str, dict[str, Any]] = {}
    while len(answers) < len(ids):
        frame = await client.recv()
        if frame["type"] == "command.result":
            answers[frame["id"]] = frame
    return answers


def test_a_thousand_repeats_in_flight_act_once_each_and_ids_are_per_user(db_url: str) -> None:
    """Commands sent again all at once, as an outbox does after a reconnect (more ids than one lookup
    takes), each get their first answer and act no more; another user's same ids are its own."""
    async def scenario(hub: EmbeddedHub) -> None:
        ids = [f"batch-{n}" for n in range(1200)]
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        first = await pipelined(client, hub, ids)
        assert all(a["ok"] for a in first.values()) and hub.hub.head_seq == 1200
        again = await pipelined(client, hub, ids[::-1])
        assert again == first
        assert hub.hub.head_seq == 1200, "nothing acted twice"
        other, _ = await greet(hub, token=hub.add_user("night-desk", Role.DUTY))
        theirs = await pipelined(other, hub, ids[:3])
        assert all(a["ok"] for a in theirs.values()) and hub.hub.head_seq == 1203
        assert {a["result"]["id"] for a in theirs.values()}.isdisjoint(a["result"]["id"] for a in first.values())

    run_hub(db_url, scenario)


def test_pipelined_commands_are_answered_after_their_events_in_seq_order(db_url: str) -> None:
    """The answers of a commit go out together, after that commit's events: a client that sees an
    answer already holds the case it made, and the events it sees have no gap."""
    async def scenario(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub)
        await client.recv_until(lambda f: f["type"] == "snapshot.end")
        for n in range(600):
            await client.send({"type": "command", "id": f"p-{n}", "name": "case.create",
                               "args": case_args(hub, description=f"第 {n} 件")})
        seen: set[str] = set()
        seqs: list[int] = []
        answered = 0
        while answered < 600:
            frame = await client.recv()
            if frame["type"] == "case.created":
                seen.add(frame["data"]["id"])
                seqs.append(frame["seq"])
            elif frame["type"] == "command.result":
                assert frame["ok"] and frame["result"]["id"] in seen, frame
                answered += 1
        assert seqs == list(range(1, 601))

    run_hub(db_url, scenario)


def test_commands_are_checked_for_role_name_and_args(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        wall, _ = await greet(hub, token=hub.add_user("wall-1", Role.WALL))
        refused = await wall.command("case.create", case_args(hub), "w1")
        assert refused["ok"] is False
        assert refused["error"]["code"] == "forbidden"
        duty, _ = await greet(hub)
        unknown = await duty.command("case.teleport", {}, "d1")
        assert unknown["error"]["code"] == "unknown_command"
        bad = await duty.command("case.create", case_args(hub, channel="carrier pigeon"), "d2")
        assert bad["error"]["code"] == "invalid_args"
        assert "args.channel" in bad["error"]["message"]
        street = await duty.command("case.create", case_args(hub, street_code="999"), "d3")
        assert street["error"]["code"] == "invalid_args"
        assert "street" in street["error"]["message"]
        assert hub.hub.head_seq == 0

    run_hub(db_url, scenario)


def test_log_cases_and_command_results_survive_a_restart(db_url: str) -> None:
    first: dict[str, Any] = {}
    log_ids: list[str] = []

    async def before(hub: EmbeddedHub) -> None:
        made = await create_cases(hub, 3)
        first.update(made[0])
        log_ids.append(hub.hub.log_id)

    async def after(hub: EmbeddedHub) -> None:
        assert hub.hub.log_id == log_ids[0]
        assert hub.hub.head_seq == 3
        client, welcome = await greet(hub, resume_from=1, log_id=log_ids[0])
        assert welcome["mode"] == "replay"
        assert [(await client.recv())["seq"] for _ in range(2)] == [2, 3]
        repeat = await client.command("case.create", case_args(hub), "c0")
        assert repeat == first
        fresh = await client.command("case.create", case_args(hub), "new-after-restart")
        assert fresh["result"]["seq"] == 4
        assert fresh["result"]["serial"].endswith("-000004")

    run_hub(db_url, before, user="duty-a")
    run_hub(db_url, after, user="duty-a")


def test_many_clients_see_the_same_gapless_stream(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        watchers = [(await greet(hub))[0] for _ in range(5)]
        for w in watchers:
            await w.recv_until(lambda f: f["type"] == "snapshot.end")
        writers = [(await greet(hub))[0] for _ in range(3)]
        async def write_ten(index: int) -> None:
            for n in range(10):
                await writers[index].command("case.create", case_args(hub), f"w{index}-{n}")

        await asyncio.gather(*(write_ten(i) for i in range(3)))
        for w in watchers:
            seqs = [(await w.recv())["seq"] for _ in range(30)]
            assert seqs == list(range(1, 31))

    run_hub(db_url, scenario)
