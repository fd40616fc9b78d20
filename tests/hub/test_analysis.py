"""Analysis on a real hub: a planted surge is found as a hot spot, a uniform field gives none;
recurring problems and trends rank what was planted; the wall may ask for hot spots only."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.analysis_seed import Field, seed
from tests.hub.conftest import greet, run_hub


def _until(field: Field) -> str:
    return field.end.isoformat().replace("+00:00", "Z")


async def ask(hub: EmbeddedHub, name: str, args: dict[str, Any], token: str | None = None) -> dict[str, Any]:
    client, _ = await greet(hub, token=token)
    try:
        return await client.command(name, args, uuid.uuid4().hex)
    finally:
        await client.ws.close()


def test_a_planted_surge_is_the_one_hot_spot_recurs_and_trends_up(tmp_path: Path) -> None:
    """One seeded hub (seeding takes a while) and the analyst's three views of it."""

    async def scenario(hub: EmbeddedHub) -> None:
        field = await seed(hub, surge=25, drills_in_surge_grid=40)
        answer = await ask(hub, "analysis.hotspots", {"until": _until(field)})
        assert answer["ok"], answer
        result = answer["result"]
        assert result["area"] == "grids" and result["cells"] == len(hub.hub.org.grids)
        spots = result["hotspots"]
        assert field.surge_grid is not None
        assert [s["cell"] for s in spots] == [field.surge_grid.id]
        spot = spots[0]
        assert spot["count"] >= 25  # the surge and the background; the 40 drill cases are not counted
        assert spot["count"] < 40
        assert set(field.surge_ids) <= set(spot["case_ids"])
        assert spot["confidence"] in (95, 99) and spot["z"] > 3
        assert spot["top_categories"][0]["code"] == field.surge
        assert f"{spot['count']} cases in the last 7 days" in spot["reason_en"]
        assert f"{spot['count']}件" in spot["reason_zh"]
        # Only the surge's category: the same grid; only the background's: nothing.
        only_surge = await ask(hub, "analysis.hotspots", {"until": _until(field), "category_code": field.surge})
        assert [s["cell"] for s in only_surge["result"]["hotspots"]] == [field.surge_grid.id]
        only_background = await ask(hub, "analysis.hotspots",
                                    {"until": _until(field), "category_code": field.background})
        assert only_background["result"]["hotspots"] == []
        await recurring_problems_rank_the_surge_grid_and_the_repeated_address(hub, field)
        await trends_say_which_category_and_street_rose_this_week(hub, field)

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)


async def recurring_problems_rank_the_surge_grid_and_the_repeated_address(hub: EmbeddedHub, field: Field) -> None:
    by_grid = (await ask(hub, "analysis.recurring", {"until": _until(field), "category_code": field.surge}))["result"]
    assert field.surge_grid is not None
    first = by_grid["items"][0]
    assert (first["place"], first["category_code"], first["count"]) == (field.surge_grid.id, field.surge, 25)
    assert first["days"] >= 2 and first["open"] == 25 and set(first["case_ids"]) == set(field.surge_ids)
    by_address = (await ask(hub, "analysis.recurring", {"until": _until(field), "by_address": True}))["result"]
    repeated = [i for i in by_address["items"] if i["place"] == field.repeated_address]
    assert len(repeated) == 1 and repeated[0]["count"] == 4 and repeated[0]["days"] == 4
    assert set(repeated[0]["case_ids"]) == set(field.repeated_ids)


async def trends_say_which_category_and_street_rose_this_week(hub: EmbeddedHub, field: Field) -> None:
    result = (await ask(hub, "analysis.trends", {"until": _until(field), "weeks": 4}))["result"]
    rows = {r["code"]: r for r in result["categories"]}
    surge = rows[field.surge]
    assert surge["direction"] == "up" and surge["significant"] and surge["this_week"] >= 25
    assert surge["weeks"][-1] == surge["this_week"] and len(surge["weeks"]) == 5
    assert result["categories"][0]["code"] == field.surge  # most significant first
    assert field.surge_grid is not None
    street = next(r for r in result["areas"] if r["code"] == field.surge_grid.street_code)
    assert street["direction"] == "up"


def test_a_uniform_field_has_no_hot_spot(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        field = await seed(hub, surge=0)
        answer = await ask(hub, "analysis.hotspots", {"until": _until(field)})
        assert answer["ok"], answer
        assert answer["result"]["window_cases"] > 100
        assert answer["result"]["hotspots"] == []
        # A whole district twice as busy this week is no hot spot either: each grid is compared with
        # the whole area, not only with its past.
        longer = await ask(hub, "analysis.hotspots", {"until": _until(field), "window_days": 14, "history_days": 49})
        assert longer["result"]["hotspots"] == []

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)


def test_the_wall_may_ask_for_hot_spots_and_nothing_else(tmp_path: Path) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        wall = hub.add_user("wall-1", Role.WALL)
        hot = await ask(hub, "analysis.hotspots", {}, token=wall)
        assert hot["ok"] and hot["result"]["hotspots"] == []
        for name in ("analysis.trends", "analysis.recurring"):
            refused = await ask(hub, name, {}, token=wall)
            assert refused["error"]["code"] == "forbidden", refused
        bad = await ask(hub, "analysis.hotspots", {"window_days": 0})
        assert bad["error"]["code"] == "invalid_args"

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)
