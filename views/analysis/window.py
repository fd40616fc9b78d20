"""The analysis view (分析研判): hot spots on the map, recurring problems, trends; the cases behind each;
the KPIs per unit.

    view = AnalysisWindow(store, feed, language="zh_CN")
    view.case_requested.connect(open_in_drill_down)
    view.show(); view.refresh()

A window of its own, never modal. Everything it shows is the hub's answer to the three queries
(`analysis.hotspots`, `analysis.recurring`, `analysis.trends`, see docs/protocol.md): the
console computes no statistic. The Units tab is the exception: the KPIs per unit of the cases
this console holds, with File ▸ Export's functions (views/analysis/units.py). F5 or Refresh asks
again and counts the units again; the window also asks when it opens.
A hot spot's or a recurring problem's cases are listed from the console's store, and Enter or a
double-click on one opens it in the duty window's case drill-down.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol import may_send
from views.analysis import results
from views.analysis.cases_table import CasesTable
from views.analysis.results import HotSpot, HotSpots, Recurrence, Recurring, Trend, Trends
from views.analysis.texts import change_text, confidence_text, direction_text, ratio_text, weeks_text
from views.analysis.units import UnitsTab
from views.feed_tasks import CommandFeed, TaskSet
from widgets.district_map import DistrictMap, LegendEntry, MapMarker

log = logging.getLogger(__name__)
translate = QCoreApplication.translate
ZONE = ZoneInfo("Asia/Shanghai")
WINDOWS = (7, 14, 28)
"""The windows an analyst picks from, in days (history: eight times as long, at least 8 weeks)."""


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], *, right: tuple[int, ...] = ()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)


def _day(when: Any) -> str:
    return f"{when.astimezone(ZONE):%m-%d}"


class AnalysisWindow(QWidget):
    """Signals: `case_requested(str)` (open a case in the drill-down); `answered()` after each refresh."""

    case_requested = Signal(str)
    answered = Signal()

    def __init__(self, store: CaseStore, feed: CommandFeed, *, language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("window.analysis")
        self.store, self.feed, self.language = store, feed, language
        self.setWindowTitle(translate("Analysis", "Analysis: hot spots, recurring problems, trends"))
        self.tasks = TaskSet()
        self.hot: HotSpots | None = None
        self.recurring: Recurring | None = None
        self.trends: Trends | None = None
        self.problem = ""
        self._build()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        self.resize(1400, 860)

    # --- building ----------------------------------------------------------------------

    def _build(self) -> None:
        top = QHBoxLayout()
        self.window_choice = QComboBox()
        self.window_choice.setObjectName("analysis.window")
        for days in WINDOWS:
            self.window_choice.addItem(translate("Analysis", "last %1 days").replace("%1", str(days)), days)
        self.window_choice.currentIndexChanged.connect(lambda _n: self.refresh())
        window_label = QLabel(translate("Analysis", "&Window:"))
        window_label.setBuddy(self.window_choice)
        self.refresh_button = QPushButton(translate("Analysis", "&Refresh"))
        self.refresh_button.setToolTip(translate("Analysis", "Ask the hub again (F5)"))
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel()
        self.summary.setObjectName("analysis.summary")
        self.summary.setWordWrap(True)
        top.addWidget(window_label)
        top.addWidget(self.window_choice)
        top.addWidget(self.refresh_button)
        top.addSpacing(16)
        top.addWidget(self.summary, 1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("analysis.tabs")
        self.tabs.addTab(self._hot_tab(), translate("Analysis", "&Hot spots"))
        self.tabs.addTab(self._recurring_tab(), translate("Analysis", "Re&curring problems"))
        self.tabs.addTab(self._trends_tab(), translate("Analysis", "&Trends"))
        self.units = UnitsTab()
        self.tabs.addTab(self.units, translate("Analysis", "&Units"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _hot_tab(self) -> QWidget:
        self.hot_table = _table([
            "#", translate("Analysis", "Grid"), translate("Analysis", "Street"), translate("Analysis", "Cases"),
            translate("Analysis", "Expected"), translate("Analysis", "vs usual"), translate("Analysis", "Gi* z"),
            translate("Analysis", "Significance"), translate("Analysis", "Mostly"),
        ], "analysis.hotspots")
        self.hot_table.currentCellChanged.connect(lambda row, *_: self._show_hot_spot(row))
        self.reason = QLabel()
        self.reason.setObjectName("analysis.reason")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hot_cases = CasesTable(self.store, self.language)
        self.hot_cases.case_requested.connect(self.case_requested)
        self.hot_cases_label = QLabel()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.hot_table, 3)
        column.addWidget(self.reason)
        column.addWidget(self.hot_cases_label)
        column.addWidget(self.hot_cases, 3)
        self.map = DistrictMap()
        self.map.setObjectName("analysis.map")
        self.map.setMinimumWidth(420)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.map)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        return split

    def _recurring_tab(self) -> QWidget:
        self.place_choice = QComboBox()
        self.place_choice.setObjectName("analysis.place")
        self.place_choice.addItem(translate("Analysis", "by grid"), False)
        self.place_choice.addItem(translate("Analysis", "by address"), True)
        self.place_choice.currentIndexChanged.connect(lambda _n: self._ask_recurring())
        self.recurring_note = QLabel()
        self.recurring_note.setWordWrap(True)
        self.recurring_table = _table([
            "#", translate("Analysis", "Category"), translate("Analysis", "Place"), translate("Analysis", "Street"),
            translate("Analysis", "Cases"), translate("Analysis", "Days"), translate("Analysis", "Open"),
            translate("Analysis", "First"), translate("Analysis", "Latest"),
        ], "analysis.recurring")
        self.recurring_table.currentCellChanged.connect(lambda row, *_: self._show_recurrence(row))
        self.recurring_cases = CasesTable(self.store, self.language)
        self.recurring_cases.case_requested.connect(self.case_requested)
        page = QWidget()
        layout = QVBoxLayout(page)
        head = QHBoxLayout()
        place_label = QLabel(translate("Analysis", "&Place:"))
        place_label.setBuddy(self.place_choice)
        head.addWidget(place_label)
        head.addWidget(self.place_choice)
        head.addWidget(self.recurring_note, 1)
        layout.addLayout(head)
        layout.addWidget(self.recurring_table, 3)
        layout.addWidget(self.recurring_cases, 2)
        return page

    def _trends_tab(self) -> QWidget:
        headers = [translate("Analysis", "This week"), translate("Analysis", "Weekly before"),
                   translate("Analysis", "Change"), translate("Analysis", "Trend"),
                   translate("Analysis", "Weeks (oldest → this)")]
        self.category_trends = _table([translate("Analysis", "Category"), *headers], "analysis.trends.categories")
        self.area_trends = _table([translate("Analysis", "Street / town"), *headers], "analysis.trends.areas")
        for table in (self.category_trends, self.area_trends):  # a long category name must not push the trend out
            table.horizontalHeader().setStretchLastSection(False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.trends_note = QLabel()
        self.trends_note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.trends_note)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.category_trends)
        split.addWidget(self.area_trends)
        layout.addWidget(split, 1)
        return page

    # --- asking the hub ------------------------------------------------------------------

    @property
    def window_days(self) -> int:
        return int(self.window_choice.currentData() or 7)

    def _may(self, name: str) -> bool:
        role = getattr(self.feed, "role", None)
        return role is None or may_send(role, name)

    def refresh(self) -> None:
        """Ask the hub for all three analyses again, and count the units' KPIs over the cases held."""
        self.units.show_cases(self.store.cases())
        days = self.window_days
        self.summary.setText(translate("Analysis", "Asking the hub…"))
        self.tasks.start(self._ask("analysis.hotspots", {"window_days": days, "history_days": max(56, days * 8)}))
        self._ask_recurring()
        self.tasks.start(self._ask("analysis.trends", {"weeks": 4}))

    def _ask_recurring(self) -> None:
        self.tasks.start(self._ask("analysis.recurring", {"by_address": bool(self.place_choice.currentData()),
                                                          "days": 90}))

    async def _ask(self, name: str, args: dict[str, Any]) -> None:
        if not self._may(name):
            self._set_problem(translate("Analysis", "Your role may not ask for this analysis."))
            return
        try:
            answer = await self.feed.send_command(name, args)
        except Exception as exc:  # the feed closed for good
            log.warning("%s failed: %s", name, exc)
            answer = None
        if not isValid(self):
            return
        if answer is None or not answer.ok or answer.result is None:
            why = answer.error.message if answer is not None and answer.error is not None else ""
            self._set_problem(translate("Analysis", "The hub did not answer: %1").replace("%1", why or name))
            return
        if name == "analysis.hotspots":
            self.show_hot_spots(results.hot_spots(answer.result))
        elif name == "analysis.recurring":
            self.show_recurring(results.recurring(answer.result))
        else:
            self.show_trends(results.trends(answer.result))
        self.answered.emit()

    def _set_problem(self, text: str) -> None:
        self.problem = text
        self.summary.setText(text)

    # --- showing -----------------------------------------------------------------------

    def show_hot_spots(self, hot: HotSpots) -> None:
        self.hot = hot
        self.problem = ""
        window = (translate("Analysis", "%1 to %2").replace("%1", f"{hot.window_start.astimezone(ZONE):%Y-%m-%d %H:%M}")
                  .replace("%2", f"{hot.until.astimezone(ZONE):%Y-%m-%d %H:%M}"))
        if hot.baseline == "area":
            text = translate("Analysis", "Window %1: %2 cases in %3 grids, against %4 in the %5 weeks before: too little history, so each grid is compared with the area's average grid. %6 hot spots (Getis-Ord Gi* and a Poisson test against the average, false discovery rate %7 %).")  # noqa: E501
        else:
            text = translate("Analysis", "Window %1: %2 cases in %3 grids, against %4 in the %5 weeks before. %6 hot spots (Getis-Ord Gi* and each grid's own history, false discovery rate %7 %).")  # noqa: E501
        self.summary.setText(
            text.replace("%1", window).replace("%2", f"{hot.window_cases:,}").replace("%3", str(hot.cells))
            .replace("%4", f"{hot.history_cases:,}")
            .replace("%5", f"{(hot.window_start - hot.history_start).days / 7:g}")
            .replace("%6", str(len(hot.hotspots))).replace("%7", f"{hot.alpha * 100:g}"))
        rows = []
        for n, spot in enumerate(hot.hotspots, 1):
            lead = spot.top_categories[0] if spot.top_categories else None
            what = (lead.name_zh if self.language.startswith("zh") else lead.name_en) if lead else ""
            rows.append([str(n), spot.cell, spot.street_name, str(spot.count), f"{spot.expected:.1f}",
                         ratio_text(spot), f"{spot.z:.1f}", confidence_text(spot), what])
        _fill(self.hot_table, rows, right=(0, 3, 4, 5, 6))
        if hot.hotspots:
            self.hot_table.selectRow(0)
            self._show_hot_spot(0)
        else:
            self.reason.setText(translate("Analysis", "No grid is significantly above its own history and its neighbours' in this window."))  # noqa: E501
            self.hot_cases_label.setText("")
            self.hot_cases.show_cases([])
            self._draw_map(None)

    def _show_hot_spot(self, row: int) -> None:
        if self.hot is None or not 0 <= row < len(self.hot.hotspots):
            return
        spot = self.hot.hotspots[row]
        self.reason.setText(spot.reason(self.language))
        shown = len(spot.case_ids)
        self.hot_cases_label.setText(
            translate("Analysis", "The %1 cases behind %2 (Enter opens one in the case drill-down):")
            .replace("%1", str(shown)).replace("%2", spot.cell))
        self.hot_cases.show_cases(spot.case_ids)
        self._draw_map(spot)

    def _draw_map(self, selected: HotSpot | None) -> None:
        spots = self.hot.hotspots if self.hot is not None else []
        geography = self.store.geography
        if geography is not None:
            boundary = [[(x, y) for x, y in ring] for ring in geography.boundary]
            outlines = [[(x, y) for x, y in s.area] for s in geography.streets if s.area]
            caption = translate("Analysis", "Boundary: %1").replace("%1", geography.boundary_source)
        else:
            boundary = [_box(spots)] if spots else []
            outlines, caption = [], ""
        legend = [LegendEntry("cell", translate("Analysis", "Hot spot (numbered by rank)"))]
        if selected is not None:
            legend.append(LegendEntry("area", translate("Analysis", "Selected: %1").replace("%1", selected.cell)))
        self.map.set_shapes(
            boundary, outlines=outlines, cells=[s.ring for s in spots],
            area=selected.ring if selected is not None else None,
            markers=[MapMarker(s.lon, s.lat, str(n)) for n, s in enumerate(spots, 1)],
            legend=legend, caption=caption)

    def show_recurring(self, recurring: Recurring) -> None:
        self.recurring = recurring
        by = translate("Analysis", "address") if recurring.place == "address" else translate("Analysis", "grid")
        self.recurring_note.setText(
            translate("Analysis", "Same category at the same %1, at least 3 cases on 2 days or more, %2 to %3: %4 pairs; most first.")  # noqa: E501
            .replace("%1", by).replace("%2", _day(recurring.since)).replace("%3", _day(recurring.until))
            .replace("%4", str(recurring.pairs)))
        rows = [[str(n), item.category(self.language), item.place, item.street_name, str(item.count), str(item.days),
                 str(item.open), _day(item.first), _day(item.last)] for n, item in enumerate(recurring.items, 1)]
        _fill(self.recurring_table, rows, right=(0, 4, 5, 6))
        if recurring.items:
            self.recurring_table.selectRow(0)
            self._show_recurrence(0)
        else:
            self.recurring_cases.show_cases([])

    def _show_recurrence(self, row: int) -> None:
        if self.recurring is None or not 0 <= row < len(self.recurring.items):
            return
        item: Recurrence = self.recurring.items[row]
        self.recurring_cases.show_cases(item.case_ids)

    def show_trends(self, trends: Trends) -> None:
        self.trends = trends
        self.trends_note.setText(
            translate("Analysis", "This week (%1 to %2): %3 cases, against %4 a week in the %5 weeks before. Significant: a change that week-to-week chance does not explain (Poisson, p < 0.05).")  # noqa: E501
            .replace("%1", _day(trends.week_start)).replace("%2", _day(trends.until))
            .replace("%3", f"{trends.this_week:,}").replace("%4", f"{trends.weekly_before:,.1f}")
            .replace("%5", str(trends.weeks)))
        for table, rows in ((self.category_trends, trends.categories), (self.area_trends, trends.areas)):
            _fill(table, [self._trend_row(t) for t in rows], right=(1, 2, 3))
            for r, trend in enumerate(rows):
                if trend.significant:
                    for c in range(table.columnCount()):
                        item = table.item(r, c)
                        if item is not None:
                            font = item.font()
                            font.setBold(True)
                            item.setFont(font)

    def _trend_row(self, trend: Trend) -> list[str]:
        return [trend.name(self.language), str(trend.this_week), f"{trend.weekly_before:.1f}", change_text(trend),
                direction_text(trend), weeks_text(trend)]

    def stop(self) -> None:
        self.tasks.cancel_all()


def _box(spots: list[HotSpot]) -> list[tuple[float, float]]:
    lons = [p[0] for s in spots for p in s.ring]
    lats = [p[1] for s in spots for p in s.ring]
    w, e, s, n = min(lons) - 0.02, max(lons) + 0.02, min(lats) - 0.02, max(lats) + 0.02
    return [(w, s), (e, s), (e, n), (w, n), (w, s)]
