"""The wall's tiles: each a `TileFrame` whose body is refreshed from the hub's `figures`.

Every tile has `refresh(figures, store)`; the page calls it once a second at most, and only
when the figures (or, for the map, the store) changed. Texts are translated here, in the
wall's language; the widgets only paint.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QVBoxLayout, QWidget

from backend_client.store import CaseStore
from protocol import Channel, SlaLevel
from protocol.enums import OPEN_STATUSES, CaseStatus
from protocol.messages import Figures
from views.models.labels import channel_text, level_text, status_text
from views.wall import figures_text as ft
from views.wall.geography import MapGeography, map_geography
from views.wall.layout import Tile
from widgets.theme import SLA_LEVELS
from widgets.wall_map import WallMap
from widgets.wall_tiles import Bar, BarList, Figure, FigureGrid, Rank, RankTable, Series, TileFrame, TrendChart

translate = QCoreApplication.translate


LEVEL_INDEX = {level: n for n, level in enumerate(SLA_LEVELS)}


class WallTile(TileFrame):
    """A tile of a page; subclasses fill `body` and implement `refresh`."""

    def __init__(self, spec: Tile, title: str, body: QWidget, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(spec.title or title, body, cap_px, parent)
        self.spec = spec

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        """Stop what the tile runs on its own (the hot-spot tile's question to the hub)."""


def _stack(*widgets: QWidget, stretch: tuple[int, ...] = ()) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for n, widget in enumerate(widgets):
        layout.addWidget(widget, stretch[n] if n < len(stretch) else 0)
    return box


class IntakeTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float) -> None:
        self.headline = FigureGrid(cap_px, columns=1)
        self.channels = BarList(cap_px)
        super().__init__(
            spec, translate("WallTiles", "Intake today"), _stack(self.headline, self.channels, stretch=(2, 3)), cap_px
        )

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if figures is None:
            return
        got = ft.intake(figures)
        reference = "\n".join(
            (
                ft.change_text(got.today, got.same_hour_yesterday, translate("WallTiles", "vs same hour yesterday")),
                ft.change_text(got.today, got.same_hour_last_week, translate("WallTiles", "vs same weekday last week")),
            )
        )
        self.headline.set_figures(
            [Figure(translate("WallTiles", "cases received since 00:00"), f"{got.today:,}", reference)]
        )
        self.channels.set_bars([Bar(channel_text(Channel(c)), got.by_channel.get(c, 0)) for c in Channel])


class BacklogTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float) -> None:
        self.levels = BarList(cap_px)
        self.statuses = BarList(cap_px)
        super().__init__(
            spec, translate("WallTiles", "Open cases"), _stack(self.levels, self.statuses, stretch=(1, 1)), cap_px
        )

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if figures is None:
            return
        total = sum(figures.open_by_level.values())
        self.levels.set_bars(
            [Bar(level_text(level), figures.open_by_level.get(level, 0), level) for level in reversed(SLA_LEVELS)],
            translate("WallTiles", "{total} open · {overdue} overdue now").format(
                total=f"{total:,}", overdue=f"{figures.overdue_now:,}"
            ),
        )
        statuses = [s for s in CaseStatus if s in OPEN_STATUSES]
        self.statuses.set_bars([Bar(status_text(s), figures.open_by_status.get(s.value, 0)) for s in statuses])


class RatesTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float) -> None:
        self.grid = FigureGrid(cap_px, columns=2)
        super().__init__(spec, translate("WallTiles", "Results"), self.grid, cap_px)

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if figures is None:
            return
        today, month = figures.today, figures.month
        self.grid.set_figures(
            [
                Figure(
                    translate("WallTiles", "closure rate today"),
                    ft.percent(ft.rate(today.closed, today.received)),
                    translate("WallTiles", "{closed} closed of {received} received").format(
                        closed=today.closed, received=today.received
                    ),
                ),
                Figure(
                    translate("WallTiles", "on-time closure, month"),
                    ft.percent(ft.rate(month.closed_on_time, month.closed)),
                    translate("WallTiles", "today: {rate}").format(
                        rate=ft.percent(ft.rate(today.closed_on_time, today.closed))
                    ),
                ),
                Figure(
                    translate("WallTiles", "satisfaction, month"),
                    ft.percent(ft.rate(month.satisfied, month.rated)),
                    translate("WallTiles", "{rated} call-backs rated").format(rated=month.rated),
                ),
                Figure(
                    translate("WallTiles", "returns today"),
                    f"{today.returned:,}",
                    translate("WallTiles", "this month: {n}").format(n=month.returned),
                ),
            ]
        )


def rule_text(metric: str) -> str:
    """How a ranking is made, written on its tile (the public ranking must say its rule)."""
    if metric == "on_time":
        return translate(
            "WallTiles",
            "Ranked by on-time closure rate this month: closed within the overall limit ÷ closed; only those with at least {n} closed cases; ties: more cases first.",  # noqa: E501
        ).format(n=ft.MIN_CLOSED_TO_RANK)
    if metric == "satisfaction":
        return translate(
            "WallTiles",
            "Ranked by satisfaction this month: satisfied ÷ rated call-backs; only those with at least {n} rated; ties: more rated first.",  # noqa: E501
        ).format(n=ft.MIN_RATED_TO_RANK)
    if metric == "overdue":
        return translate("WallTiles", "Ranked by open cases overdue now, most first; ties: more open cases first.")
    return translate("WallTiles", "Ranked by cases returned this month, most first; ties: more cases received first.")


def ranking_title(of: str, metric: str) -> str:
    titles = {
        ("units", "on_time"): translate("WallTiles", "Units: on-time closure"),
        ("streets", "on_time"): translate("WallTiles", "Streets: on-time closure"),
        ("units", "satisfaction"): translate("WallTiles", "Units: satisfaction"),
        ("streets", "satisfaction"): translate("WallTiles", "Streets: satisfaction"),
        ("units", "overdue"): translate("WallTiles", "Units: most overdue now"),
        ("streets", "overdue"): translate("WallTiles", "Streets: most overdue now"),
        ("units", "returns"): translate("WallTiles", "Units: most returns"),
        ("streets", "returns"): translate("WallTiles", "Streets: most returns"),
    }
    return titles[(of, metric)]


class RankingTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float) -> None:
        self.table = RankTable(cap_px)
        super().__init__(spec, ranking_title(spec.of, spec.metric), self.table, cap_px)

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if figures is None:
            return
        areas = figures.units_month if self.spec.of == "units" else figures.streets_month
        ranked = ft.ranking(areas, self.spec.metric)
        overdue = self.spec.metric == "overdue"
        rows = [
            Rank(place=r.place, name=r.area.name, value=r.shown, share=r.share, abnormal="red" if overdue else None)
            for r in ranked
        ]
        self.table.set_rows(rows, rule_text(self.spec.metric))


class TrendTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float) -> None:
        self.chart = TrendChart(cap_px)
        title = (
            translate("WallTiles", "Last 24 hours: intake and closures")
            if spec.metric == "intake_closures"
            else translate("WallTiles", "Last 24 hours: overdue cases")
        )
        super().__init__(spec, title, self.chart, cap_px)
        # pyqtgraph caches a view's background in a pixmap of the view's size (8.7 MB for a 4K tile
        # two columns wide), and Qt allocated a new one on some later showings of the page, without
        # a resize: the wall's RSS rose by 8.7 MB every second or third showing of the trend page
        # (freed buffers left in the heap). The background is one plain colour: filling it costs
        # no more than copying the cache, and nothing is kept.
        self.chart.plot.setCacheMode(self.chart.plot.CacheModeFlag.CacheNone)

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if figures is None:
            return
        hours = ft.last_24(figures)
        before = ft.day_before(figures)
        labels = [f"{t:%H}" for t, _ in hours]
        if self.spec.metric == "intake_closures":
            series = [
                Series(translate("WallTiles", "received"), [ft.received(h) for _, h in hours], "text"),
                Series(translate("WallTiles", "closed"), [h.closed for _, h in hours], "accent"),
                Series(
                    translate("WallTiles", "received, day before"),
                    [ft.received(h) for _, h in before],
                    "text.muted",
                    dashed=True,
                ),
            ]
        else:
            series = [
                Series(translate("WallTiles", "overdue"), [h.overdue for _, h in hours], "sla.red"),
                Series(
                    translate("WallTiles", "overdue, day before"),
                    [h.overdue for _, h in before],
                    "text.muted",
                    dashed=True,
                ),
            ]
        self.chart.set_series(series, labels)


class MapTile(WallTile):
    def __init__(self, spec: Tile, cap_px: float, px_per_mm: float) -> None:
        self.map = WallMap()
        title = (
            translate("WallTiles", "Open cases by grid")
            if spec.metric == "open"
            else translate("WallTiles", "Overdue cases by grid")
        )
        super().__init__(spec, title, self.map, cap_px)
        self.geography: MapGeography | None = None
        """The hub's map as drawn; None until the hub sent one."""
        self.map.set_notice(translate("WallTiles", "Waiting for the district's map from the hub"))
        self.map.set_scale(px_per_mm)
        self._store_version = -1

    def refresh(self, figures: Figures | None, store: CaseStore) -> None:
        if store.geography is not None and (self.geography is None or self.geography.version
                                            != store.geography.version):
            self.geography = map_geography(store.geography)
            self.map.set_geography(
                self.geography.boundary,
                self.geography.areas,
                credit=translate("WallTiles", "Boundary: %1").replace("%1", self.geography.source),
                approximate_note=translate("WallTiles", "Street and grid areas are approximate")
                if self.geography.approximate else "",
            )
        if figures is not None and self.geography is not None:
            values = {g.grid_id: float(g.open if self.spec.metric == "open" else g.overdue) for g in figures.grids}
            known = {k: v for k, v in values.items() if k in self.geography.area_ids}
            self.map.set_choropleth(
                known,
                title=translate("WallTiles", "open cases")
                if self.spec.metric == "open"
                else translate("WallTiles", "overdue"),
            )
        self.set_points(store)

    def set_points(self, store: CaseStore) -> None:
        lon, lat, level = [], [], []
        for case in store.cases():
            if case.status in OPEN_STATUSES:
                lon.append(case.lon)
                lat.append(case.lat)
                level.append(LEVEL_INDEX.get(case.level.value, 0))
        self.map.set_points(
            np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), np.asarray(level, dtype=np.int8)
        )

    def pulse(self, lon: float, lat: float, level: SlaLevel) -> None:
        self.map.pulse(lon, lat, LEVEL_INDEX.get(level.value, 3))


def make_tile(spec: Tile, cap_px: float, px_per_mm: float, ask: Any = None) -> WallTile:
    """The tile of `spec`; `ask(name, args)` sends a question to the hub (the hot-spot tile's only)."""
    if spec.kind == "intake":
        return IntakeTile(spec, cap_px)
    if spec.kind == "backlog":
        return BacklogTile(spec, cap_px)
    if spec.kind == "rates":
        return RatesTile(spec, cap_px)
    if spec.kind == "ranking":
        return RankingTile(spec, cap_px)
    if spec.kind == "trend":
        return TrendTile(spec, cap_px)
    if spec.kind == "map":
        return MapTile(spec, cap_px, px_per_mm)
    if spec.kind == "hotspots":
        from views.wall.hotspots_tile import HotspotsTile  # it builds on WallTile, defined here

        return HotspotsTile(spec, cap_px, px_per_mm, ask)
    raise ValueError(f"unknown tile kind {spec.kind!r}")
