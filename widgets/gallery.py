"""Every widget on made-up values: `python -m widgets.gallery` shows them; tests grab them.

One registry (`SAMPLES`) feeds the gallery window and `tests/widgets/test_gallery.py`, so a
widget that cannot be shown alone, or draws nothing, fails a test before it reaches a screen.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QApplication, QGridLayout, QHeaderView, QLabel, QTableView, QWidget

from widgets.feed_banner import FeedBanner
from widgets.sla_badge import SlaBadge
from widgets.sla_delegate import SlaDelegate
from widgets.theme import apply_theme
from widgets.wall_map import MapArea, WallMap

LEVEL_ROLE = int(Qt.ItemDataRole.UserRole) + 1
DISPLAY = int(Qt.ItemDataRole.DisplayRole)


class _TimerRows(QAbstractTableModel):
    """A tiny fixed model: one timer cell per level, for the delegate sample."""

    ROWS = (("blue", "3 h 12 min"), ("yellow", "1 h 40 min"), ("orange", "25 min"),
            ("red", "Overdue 12 min"), (None, "—"))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ROWS)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> object:
        level, text = self.ROWS[index.row()]
        if role == DISPLAY:
            return text
        if role == LEVEL_ROLE:
            return level
        return None


def _delegate_sample() -> QWidget:
    view = QTableView()
    view.setModel(_TimerRows(view))
    view.setItemDelegateForColumn(0, SlaDelegate(LEVEL_ROLE, view))
    view.horizontalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().hide()
    view.resize(260, 180)
    return view


def _banner(kind: str, **values: object) -> QWidget:
    banner = FeedBanner()
    banner.set_state(kind, **values)  # type: ignore[arg-type]
    banner.resize(640, banner.sizeHint().height())
    return banner


def _wall_map() -> QWidget:
    """A made-up district (an irregular hexagon), four streets, its 0.01° grid cells and 400 cases."""
    import numpy as np

    boundary = [[(121.30, 31.00), (121.42, 30.98), (121.50, 31.06), (121.46, 31.16), (121.34, 31.17),
                 (121.28, 31.08)]]
    mid = (121.39, 31.075)
    corners = [(121.28, 30.97), (121.51, 30.97), (121.51, 31.18), (121.28, 31.18)]
    quarters = [[mid, (mid[0], 30.97), corners[0], (121.28, mid[1])],
                [mid, (121.51, mid[1]), corners[1], (mid[0], 30.97)],
                [mid, (mid[0], 31.18), corners[2], (121.51, mid[1])],
                [mid, (121.28, mid[1]), corners[3], (mid[0], 31.18)]]
    names = ("South-west street", "South-east street", "North-east street", "North-west street")
    areas = [MapArea(f"S{i}", names[i], [ring], "street", True) for i, ring in enumerate(quarters)]
    areas += [MapArea(f"G{x}-{y}", "", [[(x / 100, y / 100), ((x + 1) / 100, y / 100), ((x + 1) / 100, (y + 1) / 100),
                                        (x / 100, (y + 1) / 100)]], "grid", False)
              for x in range(12128, 12150) for y in range(3098, 3117)]
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(121.33, 121.45, 400), rng.uniform(31.01, 31.14, 400)
    levels = rng.choice(4, 400, p=(0.7, 0.15, 0.1, 0.05))
    values = {a.id: float(np.sum((np.floor(lon * 100) == int(a.id[1:6])) & (np.floor(lat * 100) == int(a.id[7:]))))
              for a in areas if a.kind == "grid"}
    wall_map = WallMap()
    wall_map.set_scale(0.5)
    wall_map.set_geography(boundary, areas, credit="Boundary: made-up sample",
                           approximate_note="Street and grid areas are approximate")
    wall_map.set_choropleth(values, title="Open cases per grid")
    wall_map.set_points(lon, lat, levels)
    wall_map.resize(800, 600)
    return wall_map


def _district_map() -> QWidget:
    """An emergency's two streets on a made-up district: their grids, cases by level, two resources, a legend."""
    from widgets.district_map import DistrictMap, LegendEntry, MapMarker, MapPoint

    boundary = [[(121.30, 31.00), (121.42, 30.98), (121.50, 31.06), (121.46, 31.16), (121.34, 31.17),
                 (121.28, 31.08)]]
    area = [(121.39, 31.075), (121.51, 31.075), (121.51, 30.97), (121.39, 30.97)]
    cells = [[(x / 100, y / 100), ((x + 1) / 100, y / 100), ((x + 1) / 100, (y + 1) / 100), (x / 100, (y + 1) / 100)]
             for x in range(12139, 12151) for y in range(3097, 3108)]
    levels = ("blue",) * 14 + ("yellow",) * 4 + ("orange",) * 2 + ("red",)
    points = [MapPoint(121.40 + (n * 37 % 90) / 1000, 30.99 + (n * 53 % 80) / 1000, level, f"C{n}")
              for n, level in enumerate(levels)]
    markers = [MapMarker(121.43, 31.05, "Pump trucks ×4"), MapMarker(121.46, 31.02, "Sandbags ×12,000")]
    legend = [LegendEntry("area", "Emergency area"), LegendEntry("cell", "Grid in the area"),
              *(LegendEntry(level, level.capitalize()) for level in ("blue", "yellow", "orange", "red")),
              LegendEntry("marker", "Resource")]
    district = DistrictMap()
    district.set_shapes(boundary, areas=[area], cells=cells, points=points, markers=markers, legend=legend,
                        caption="Approximate areas · boundary: made-up sample")
    district.resize(640, 480)
    return district


SAMPLES: dict[str, Callable[[], QWidget]] = {
    "sla_badge/blue": lambda: SlaBadge(level="blue", text="3 h 12 min"),
    "sla_badge/yellow": lambda: SlaBadge(level="yellow", text="1 h 40 min"),
    "sla_badge/orange": lambda: SlaBadge(level="orange", text="25 min"),
    "sla_badge/red": lambda: SlaBadge(level="red", text="Overdue 12 min"),
    "sla_badge/empty": lambda: SlaBadge(level=None, text=""),
    "sla_badge/chinese": lambda: SlaBadge(level="red", text="超期 2小时5分"),
    "sla_delegate/levels": _delegate_sample,
    "feed_banner/down": lambda: _banner("down", age_s=133, waiting=2),
    "feed_banner/catching_up": lambda: _banner("catching_up", behind=1234),
    "feed_banner/cached": lambda: _banner("cached", cached_at="14:03"),
    "wall_map/sample": _wall_map,
    "district_map/emergency": _district_map,
}
"""Sample name → a function building the widget on made-up values."""


def gallery() -> QWidget:
    """One window holding every sample, each under its name."""
    window = QWidget()
    window.setWindowTitle("Widget gallery")
    grid = QGridLayout(window)
    for row, (name, build) in enumerate(sorted(SAMPLES.items())):
        grid.addWidget(QLabel(name), row, 0)
        grid.addWidget(build(), row, 1)
    return window


def main() -> int:
    app = QApplication(sys.argv)
    apply_theme(app)
    window = gallery()
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
