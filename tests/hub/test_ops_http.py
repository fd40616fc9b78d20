"""`/healthz` and `/metrics` on the feed's own port: what a load balancer and Prometheus read."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from hub.embedded import EmbeddedHub
from protocol import CaseCreateArgs, CloseCode, Role
from protocol.codec import convert_args
from protocol.limits import Limits
from tests.hub.conftest import WAIT_S, case_args, greet, open_raw, run_hub


def _get(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a plain HTTP GET (as curl or Prometheus would send it)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


async def get(hub: EmbeddedHub, path: str) -> tuple[int, str, str]:
    return await asyncio.to_thread(_get, f"http://127.0.0.1:{hub.port}{path}")


def samples(text: str) -> dict[str, float]:
    """`name{label="v"}` → value, from the Prometheus text format (parsed by the client library's parser)."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def test_healthz_says_ok_with_the_log_it_serves(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        status, content_type, body = await get(hub, "/healthz")
        assert status == 200 and content_type == "application/json"
        health = json.loads(body)
        assert health == {"status": "ok", "log_id": hub.hub.log_id, "head_seq": 0, "writer": "running",
                          "queued_jobs": 0, "connections": 0}
        client, _ = await greet(hub)
        await client.command("case.create", case_args(hub), "c1")
        health = json.loads((await get(hub, "/healthz"))[2])
        assert (health["head_seq"], health["connections"]) == (hub.hub.head_seq, 1)
        await client.ws.close()
        assert (await get(hub, "/nowhere"))[0] == 404, "other paths still answer 404"

    run_hub(db_url, scenario)


def test_healthz_fails_once_the_writer_has_stopped(tmp_path: Path) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            await hub.hub.writer.stop()
            status, _, body = await get(hub, "/healthz")
            assert status == 503
            assert json.loads(body)["writer"] == "stopped"

    asyncio.run(main())


def test_metrics_count_connections_events_commits_and_refusals(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        status, content_type, text = await get(hub, "/metrics")
        assert status == 200 and content_type.startswith("text/plain; version=")
        before = samples(text)
        assert before["hub_events_total"] == 0
        assert before["hub_log_head_seq"] == 0
        duty, _ = await greet(hub)
        wall, _ = await greet(hub, hub.add_user("wall-1", Role.WALL))
        for n in range(3):
            result = await duty.command("case.create", case_args(hub), f"c{n}")
            assert result["ok"], result
        refused = await greet_refused(hub, "no-such-token")
        assert refused == CloseCode.UNAUTHORIZED
        now = samples((await get(hub, "/metrics"))[2])
        assert now['hub_connections{role="duty"}'] == 1
        assert now['hub_connections{role="wall"}'] == 1
        assert now["hub_events_total"] == hub.hub.head_seq >= 3
        assert now["hub_log_head_seq"] == hub.hub.head_seq
        assert now["hub_commit_seconds_count"] >= 1
        assert now['hub_commit_seconds_bucket{le="+Inf"}'] == now["hub_commit_seconds_count"]
        assert now['hub_connections_refused_total{reason="unauthorized"}'] == 1
        assert now["hub_writer_queue_jobs"] == 0
        assert now['hub_send_queue_bytes{of="max"}'] >= 0
        assert now["hub_slow_subscriber_closes_total"] == 0
        await wall.ws.close()
        await wall.closed()
        after = samples((await get(hub, "/metrics"))[2])
        assert after['hub_connections{role="wall"}'] == 0
        await duty.ws.close()

    run_hub(db_url, scenario)


async def greet_refused(hub: EmbeddedHub, token: str) -> int | None:
    client = await open_raw(hub.url)
    await client.send({"type": "hello", "token": token, "resume_from": None, "client": "tests/1"})
    return (await client.closed())[0]


def test_a_slow_subscriber_close_is_counted(tmp_path: Path) -> None:
    """A subscriber that stops reading is closed with 4503, and `hub_slow_subscriber_closes_total` says so."""

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False,
                               limits=Limits(send_queue_bytes=64 * 1024)) as hub:
            slow = await open_raw(hub.url, max_queue=1)  # stops reading from its socket early
            await slow.send({"type": "hello", "token": hub.token})
            async with asyncio.timeout(WAIT_S):
                while not hub.hub.live:
                    await asyncio.sleep(0.01)
            args = convert_args(case_args(hub, description="排水不畅" * 500), CaseCreateArgs)
            async with asyncio.timeout(WAIT_S * 3):
                while hub.hub.live:
                    await asyncio.gather(*(
                        hub.hub.run_internal("case.create", lambda b: hub.hub.cases.create(b, args, "test"))
                        for _ in range(200)
                    ))
            assert (await slow.closed())[0] == CloseCode.TOO_SLOW
            assert samples((await get(hub, "/metrics"))[2])["hub_slow_subscriber_closes_total"] == 1

    asyncio.run(main())
