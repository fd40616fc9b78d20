"""The intake desk's queries: what they answer is what `case.create` and `case.register` then do."""

from __future__ import annotations

from hub.embedded import EmbeddedHub
from protocol import Role
from tests.hub.conftest import run_hub
from tests.hub.test_closed_loop import case_of, desk
from tests.hub.test_org import FUMES, LOOSE_ITEMS, SORTING

POINT = {"lon": 121.4132, "lat": 31.0181}
"""Inside the district, in 江川路街道."""


def test_categories_list_the_directory_in_code_order(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        listed = (await d.ok("case.categories"))["categories"]
        assert [c["code"] for c in listed] == sorted(hub.hub.directory.categories)
        litter = next(c for c in listed if c["code"] == "03005")
        assert litter["name_zh"] == "垃圾箱异常" and litter["class_en"] == "Sanitation facility problems"
        assert set(litter) == {"code", "kind", "class_zh", "class_en", "name_zh", "name_en", "overall_limit_hours",
                               "working_time"}

    run_hub(db_url, scenario)


def test_a_located_point_is_placed_where_case_create_then_places_it(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        place = await d.ok("geo.locate", **POINT)
        assert place["street_code"] == "310112001" and place["street_name"]
        assert place["grid_id"] == "G12141-3101" and place["committee_code"]
        created = await d.ok("case.create", channel="hotline_12345", category_code=LOOSE_ITEMS,
                             street_code=place["street_code"], description="楼道乱堆杂物", **POINT)
        case = case_of(hub, created["id"])
        assert (case.street_code, case.grid_id) == (place["street_code"], place["grid_id"])
        refused = await d.do("geo.locate", lon=120.0, lat=30.0)
        assert not refused["ok"] and refused["error"]["code"] == "invalid_args"
        assert "outside" in refused["error"]["message"]

    run_hub(db_url, scenario)


def test_the_suggestion_before_creating_is_the_routing_register_attaches(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        place = await d.ok("geo.locate", **POINT)
        for category in (FUMES, SORTING, LOOSE_ITEMS):
            suggested = (await d.ok("route.suggest", category_code=category, street_code=place["street_code"],
                                    committee_code=place["committee_code"], grid_id=place["grid_id"], **POINT))
            created = await d.ok("case.create", channel="hotline_12345", category_code=category,
                                 street_code=place["street_code"], committee_code=place["committee_code"],
                                 description="来电反映", **POINT)
            await d.ok("case.register", id=created["id"])
            routing = case_of(hub, created["id"]).routing
            assert routing is not None and suggested["routing"] is not None
            assert suggested["routing"]["unit_id"] == routing.unit_id, category
            assert suggested["routing"]["explanation_zh"] == routing.explanation_zh
            assert suggested["routing"]["basis"] == routing.basis.value
        head = hub.hub.head_seq
        bad = await d.do("route.suggest", category_code="99999", street_code=place["street_code"])
        assert bad["error"]["code"] == "invalid_args" and "99999" in bad["error"]["message"]
        half = await d.do("route.suggest", category_code=FUMES, street_code=place["street_code"], lon=121.4)
        assert half["error"]["code"] == "invalid_args"
        assert hub.hub.head_seq == head, "queries publish nothing"

    run_hub(db_url, scenario)


def test_the_wall_may_not_ask(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        wall = await desk(hub, hub.add_user("wall-1", Role.WALL), "w")
        for name, args in (("case.categories", {}), ("geo.locate", POINT),
                           ("route.suggest", {"category_code": FUMES, "street_code": "310112001"})):
            refused = await wall.do(name, **args)
            assert refused["error"]["code"] == "forbidden", name

    run_hub(db_url, scenario)
