"""The hub's map on the feed: sent once after the welcome, not again to a client that holds it."""

from __future__ import annotations

import random
from pathlib import Path

from hub.embedded import EmbeddedHub
from hub.org.geography import build
from protocol import Geography, decode_server
from tests.hub.conftest import greet, run_hub


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_a_client_gets_the_map_after_the_welcome_and_not_again_once_it_holds_it(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, _welcome = await greet(hub, with_map=True)
        first = await client.recv()
        assert first["type"] == "geography"
        assert (await client.recv())["type"] == "snapshot.begin", "the map comes before the catch-up"
        version = first["version"]

        again, _ = await greet(hub, with_map=True, geography=version)
        assert (await again.recv())["type"] == "snapshot.begin", "a client holding this map is not sent it"

        stale, _ = await greet(hub, with_map=True, geography="an-old-version")
        assert (await stale.recv())["type"] == "geography"

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)


def test_the_map_is_the_hubs_organisation_its_grids_and_the_streets_it_places_cases_in(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        client, _ = await greet(hub, with_map=True)
        message = decode_server(await client.ws.recv())
        assert isinstance(message, Geography)
        org, directory = hub.hub.org, hub.hub.directory
        assert {g.id for g in message.grids} == set(org.grids), "every grid the figures can name"
        assert all(g.committee_code == org.grids[g.id].committee_code for g in message.grids)
        assert {s.code for s in message.streets} == set(directory.streets)
        assert message.district_code == directory.district.code and message.approximate
        rng = random.Random(5)
        agree = total = 0
        for _ in range(400):  # points of the district: the street drawn around each is the hub's own
            point = directory.random_point(rng)
            drawn = [s.code for s in message.streets if _inside(point, list(s.area))]
            total += 1
            agree += drawn == [directory.street_of(*point).code]
        assert agree / total >= 0.99, f"{total - agree} of {total} points drawn in another street"

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)


def test_the_version_names_the_content() -> None:
    from hub.directory import Directory
    from hub.org.grids import generate

    directory = Directory.load()
    grids = generate(directory)
    one = build(directory, grids.values())
    assert build(directory, grids.values()).version == one.version
    fewer = build(directory, list(grids.values())[1:])
    assert fewer.version != one.version, "another organisation's map is another version"
