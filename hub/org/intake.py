"""What an intake desk asks the hub while a call is taken: categories, the place of a point, the routing.

Three queries that change nothing and publish nothing (`case.categories`, `geo.locate`,
`route.suggest`). They answer from the same directory, grids and rule table that
`case.create` and `case.register` use, so what the call-taker sees before creating is what
the hub will do after: the point lands in the same street, committee and grid, and the
suggested unit is the one `case.register` will attach.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hub.engine.batch import Outcome
from hub.org import grids as grid_cells
from hub.org.chart import OrgChart
from protocol import Case, CaseCategoriesArgs, CaseStatus, Channel, ErrorCode, GeoLocateArgs, RouteSuggestArgs

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
"""Times of the draft case `route.suggest` asks the rules about: the rules read no time."""


class IntakeQueries:
    def __init__(self, chart: OrgChart) -> None:
        self.chart = chart

    def categories(self, _args: CaseCategoriesArgs) -> Outcome:
        items: list[dict[str, Any]] = [
            {"code": c.code, "kind": c.kind, "class_zh": c.class_zh, "class_en": c.class_en, "name_zh": c.name_zh,
             "name_en": c.name_en, "overall_limit_hours": c.overall_limit_hours, "working_time": c.working_time}
            for c in sorted(self.chart.directory.categories.values(), key=lambda c: c.code)
        ]
        return Outcome(result={"categories": items})

    def locate(self, args: GeoLocateArgs) -> Outcome:
        directory = self.chart.directory
        if not directory.contains(args.lon, args.lat):
            return Outcome.refuse(ErrorCode.INVALID_ARGS,
                                  f"({args.lon:.5f}, {args.lat:.5f}) is outside {directory.district.name}")
        street = directory.street_of(args.lon, args.lat)
        committee = directory.committee_of(args.lon, args.lat)
        grid = self.chart.grids.get(grid_cells.grid_id(args.lon, args.lat))
        return Outcome(result={
            "street_code": street.code, "street_name": street.name,
            "committee_code": committee.code if committee else None,
            "committee_name": committee.name if committee else None,
            "grid_id": grid.id if grid else None,
        })

    def suggest(self, args: RouteSuggestArgs) -> Outcome:
        directory = self.chart.directory
        street = directory.streets.get(args.street_code)
        if street is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown street code {args.street_code!r}")
        category = directory.categories.get(args.category_code)
        if category is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown category code {args.category_code!r}")
        if (args.lon is None) != (args.lat is None):
            return Outcome.refuse(ErrorCode.INVALID_ARGS, "give both lon and lat, or neither")
        committee = directory.committees.get(args.committee_code or "")
        lon, lat = (args.lon, args.lat) if args.lon is not None and args.lat is not None else street.seed
        draft = Case(
            id="", serial="", version=0, status=CaseStatus.RECEIVED, received_at=_EPOCH, updated_at=_EPOCH,
            channel=Channel.HOTLINE_12345, category_code=category.code, category_zh=category.name_zh,
            category_en=category.name_en, street_code=street.code, street_name=street.name, address="",
            description="", lon=lon, lat=lat, committee_code=committee.code if committee else None,
            committee_name=committee.name if committee else None,
            grid_id=args.grid_id or grid_cells.grid_id(lon, lat),
        )
        routing = self.chart.suggest(draft)
        return Outcome(result={"routing": routing})
