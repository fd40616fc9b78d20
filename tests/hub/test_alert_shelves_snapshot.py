"""Shelves in force come in `snapshot.end`: a console that connects after a shelf was made learns of
it, an expired shelf is left out, and a hub restarted on the same log still knows its shelves."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hub import auth
from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import greet
from tests.hub.test_closed_loop import desk

START = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)


async def shelves_at_connect(hub: EmbeddedHub, token: str | None = None) -> list[dict[str, Any]]:
    """What a client that connects now (a snapshot) is told of shelves: (by, kind, key, until) each."""
    client, _ = await greet(hub, token=token)
    end = (await client.recv_until(lambda f: f["type"] == "snapshot.end"))[-1]
    await client.ws.close()
    return [{k: s.get(k) for k in ("by", "kind", "key", "unit_id", "reason", "until")} for s in end["shelves"]]


def test_a_console_connecting_later_learns_the_shelves_still_in_force(tmp_path: Path) -> None:
    now = [START]
    url = f"sqlite:///{tmp_path / 'hub.db'}"

    async def main() -> None:
        async with EmbeddedHub(url, simulate=False, clock=lambda: now[0]) as hub:
            street_token = auth.add_user(hub.hub.engine, "street-desk", Role.DUTY, "S310112001")
            street, centre = await desk(hub, token=street_token, name="s"), await desk(hub)
            assert await shelves_at_connect(hub) == []
            await street.ok("alert.shelve", kind="timer", key="step.red", minutes=60, reason="暴雨积水，人员在现场")
            await centre.ok("alert.shelve", kind="supervision", minutes=5, reason="演练")
            await street.ok("alert.shelve", kind="timer", key="step.red", minutes=90, reason="雨还在下")  # replaces
            street_shelf = {"by": "street-desk", "kind": "timer", "key": "step.red", "unit_id": "S310112001",
                            "reason": "雨还在下", "until": "2026-11-24T02:30:00Z"}
            centre_shelf = {"by": "duty-demo", "kind": "supervision", "key": None, "unit_id": None,
                            "reason": "演练", "until": "2026-11-24T01:05:00Z"}
            assert await shelves_at_connect(hub) == [centre_shelf, street_shelf]
            assert await shelves_at_connect(hub, street_token) == [centre_shelf, street_shelf], \
                "as the live feed: every desk's (each console keeps its own desk's)"
            now[0] = START + timedelta(minutes=5)
            assert await shelves_at_connect(hub) == [street_shelf], "the centre's expired by itself"
            await street.client.ws.close()
            await centre.client.ws.close()
        now[0] = START + timedelta(minutes=80)
        async with EmbeddedHub(url, simulate=False, clock=lambda: now[0], make_account=False) as hub:
            hub.token = auth.add_user(hub.hub.engine, "late", Role.DUTY)
            assert await shelves_at_connect(hub) == [street_shelf], "read back from the log at start"
        now[0] = START + timedelta(minutes=91)
        async with EmbeddedHub(url, simulate=False, clock=lambda: now[0], make_account=False) as hub:
            hub.token = auth.add_user(hub.hub.engine, "later", Role.DUTY)
            assert await shelves_at_connect(hub) == []

    asyncio.run(main())
