"""The wall's hot-spot tile (kind `hotspots`): the hub's hot spots of the last 7 days on the map and ranked.

The figures of the other tiles come with the feed; hot spots are a question: the tile asks the hub
`analysis.hotspots` (the one command a `wall` account may send) when it is first shown and then
every `ASK_EVERY_S`, never more often, whatever the rate of the feed. The map fills each hot
grid by its Gi* z; the list beside it names each with its street, its count against what its own
history predicts and the confidence; the rule of the tile is written under the list.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QWidget
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol import CommandResult
from protocol.messages import Figures
from views.analysis import results
from views.analysis.results import HotSpots
from views.analysis.texts import ratio_text
from views.feed_tasks import TaskSet
from views.wall.geography import MapGeography, map_geography
from views.wall.layout import Tile
from views.wall.tiles import WallTile
from widgets.wall_map import WallMap
from widgets.wall_tiles import Rank, RankTable

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
Ask = Callable[[str, dict[str, Any]], Awaitable[CommandResult]]
ASK_EVERY_S = 300.0
"""Hot spots move over days, not seconds: five minutes between questions is plenty."""
WINDOW_DAYS = 7
ZONE = ZoneInfo("Asia/Shanghai")


class HotspotsTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float, px_per_mm: float, ask: Ask | None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.map = WallMap()
        self.map.set_scale(px_per_mm)
        self.map.set_notice(translate("WallTiles", "Waiting for the district's map from the hub"))
        self.list = RankTable(cap_px)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.map, 1)
        row.addWidget(self.list, 1)
        super().__init__(spec, translate("WallTiles", "Hot spots: last 7 days"), body, cap_px)
        self.ask, self._now = ask, now
        self.tasks = TaskSet()
        self.geography: MapGeography | None = None
        self.hot: HotSpots | None = None
        self.asked_at: float | None = None
        self.shown_on_map: dict[str, float] = {}
        """Grid id → the value its fill stands for (Gi* z), as last drawn."""
        self.language = "en"
        self._show_rule(translate("WallTiles", "Asking the hub for hot spots…"))

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if store.geography is not None and (self.geography is None
                                            or self.geography.version != store.geography.version):
            self.geography = map_geography(store.geography)
            self.map.set_geography(
                self.geography.boundary, self.geography.areas,
                credit=translate("WallTiles", "Boundary: %1").replace("%1", self.geography.source),
                approximate_note=translate("WallTiles", "Street and grid areas are approximate")
                if self.geography.approximate else "")
            self._draw()
        now = self._now()
        if self.ask is not None and (self.asked_at is None or now - self.asked_at >= ASK_EVERY_S):
            self.asked_at = now
            self.tasks.start(self._ask())

    async def _ask(self) -> None:
        assert self.ask is not None
        try:
            answer = await self.ask("analysis.hotspots", {"window_days": WINDOW_DAYS})
        except Exception as exc:  # the feed closed for good; the next refresh asks again
            log.warning("analysis.hotspots failed: %s", exc)
            self.asked_at = None
            return
        if not isValid(self):
            return
        if not answer.ok or answer.result is None:
            self._show_rule(translate("WallTiles", "The hub did not answer the hot-spot question."))
            return
        self.show_hot_spots(results.hot_spots(answer.result))

    def show_hot_spots(self, hot: HotSpots) -> None:
        self.hot = hot
        self._draw()

    def _draw(self) -> None:
        hot = self.hot
        if hot is None:
            return
        spots = hot.hotspots
        if self.geography is not None:
            known = {s.cell: max(0.0, s.z) for s in spots if s.cell in self.geography.area_ids}
            self.shown_on_map = known
            self.map.set_choropleth(known, title=translate("WallTiles", "Gi* z of the hot spots"))
        top = max((s.z for s in spots), default=1.0) or 1.0
        rows = [Rank(place=n, name=f"{s.street_name} {s.cell}", value=str(s.count), share=max(0.0, s.z) / top,
                     detail=ratio_text(s)) for n, s in enumerate(spots, 1)]
        until = hot.until.astimezone(ZONE).strftime("%m-%d %H:%M")
        if spots:
            rule = translate("WallTiles", "Cases, 7 days to %1: grids above their own history and neighbours (Gi*, FDR 5 %); bar: z").replace("%1", until)  # noqa: E501
        else:
            rule = translate("WallTiles", "No grid significantly above its own history and its neighbours' in the 7 days to %1.").replace("%1", until)  # noqa: E501
        self.list.set_rows(rows, rule)

    def _show_rule(self, text: str) -> None:
        self.list.set_rows([], text)

    def stop(self) -> None:
        self.tasks.cancel_all()
