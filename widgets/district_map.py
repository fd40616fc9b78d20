"""A small map of the district: its boundary, areas, grid cells, level glyphs and markers, drawn with QPainter.

Takes plain values ((lon, lat) rings and texts already translated), so it knows nothing of
cases or emergencies. Areas are drawn dashed because areas here are approximate, and the
caption (which the caller words, e.g. "Approximate areas · boundary: Apache ECharts") and the
legend are always painted inside the map, so a grab or a screenshot never loses them.
Longitude is shrunk by cos(latitude) so that the district keeps its shape.

    m = DistrictMap()
    m.set_shapes(boundary, area=street_ring, cell=grid_ring, point=(lon, lat), caption="Boundary: …")
    m.set_shapes(boundary, areas=[ring, …], cells=[ring, …], outlines=[ring, …],
                 points=[MapPoint(121.40, 31.10, "red", "MH2026-000123")],
                 markers=[MapMarker(121.41, 31.12, "Pump ×4")],
                 legend=[LegendEntry("area", "Emergency area"), LegendEntry("red", "Red: overdue")],
                 caption="Boundary: …")

Several areas and cells (an emergency over three streets, its forty grids) draw as one
path each. Points are drawn in their timer level's colour and shape (`sla_glyph.py`), red on
top, so colour is never the only signal; markers are named plates, labelled on the thing
itself. What is drawn reads back through `points`, `markers` and `legend` (tests assert on
those, not on pixels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import SLA_LEVELS, color

Point = tuple[float, float]
Ring = Sequence[Point]

GLYPH_PX = {"blue": 7.0, "yellow": 10.0, "orange": 11.0, "red": 13.0}
"""Side of each level's glyph: in-time points small (calm), the rarer, urgent ones larger; the red
square's "!" needs 13 pixels to read as one mark (as on the wall's map)."""
LEGEND_SYMBOLS = ("area", "cell", "marker", *SLA_LEVELS)
"""What a legend entry may show: the area's dashed fill, a grid cell's outline, a marker's plate, a level's glyph."""


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One glyph: a place in a timer level's colour and shape (e.g. an open case)."""

    lon: float
    lat: float
    level: str
    """"blue", "yellow", "orange" or "red"."""
    label: str = ""
    """Not drawn; names the point for tests and the accessible description."""


@dataclass(frozen=True, slots=True)
class MapMarker:
    """A named plate at a place (e.g. a resource): the text is drawn on the map beside a small pin."""

    lon: float
    lat: float
    text: str


@dataclass(frozen=True, slots=True)
class LegendEntry:
    symbol: str
    """One of `LEGEND_SYMBOLS`."""
    text: str


class DistrictMap(QWidget):
    """`set_shapes(boundary, …)`: everything but the boundary is optional; see the module's docstring."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boundary: list[Ring] = []
        self._areas: list[Ring] = []
        self._cells: list[Ring] = []
        self._outlines: list[Ring] = []
        self._point: Point | None = None
        self._points: list[MapPoint] = []
        self._markers: list[MapMarker] = []
        self._legend: list[LegendEntry] = []
        self._area_label = ""
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(160, 140)

    def set_shapes(self, boundary: Sequence[Ring], *, area: Ring | None = None, cell: Ring | None = None,
                   point: Point | None = None, area_label: str = "", caption: str = "",
                   areas: Sequence[Ring] = (), cells: Sequence[Ring] = (), outlines: Sequence[Ring] = (),
                   points: Sequence[MapPoint] = (), markers: Sequence[MapMarker] = (),
                   legend: Sequence[LegendEntry] = ()) -> None:
        """Replace what is drawn. `area`/`cell` are one ring each, `areas`/`cells` several (drawn alike);
        `outlines` are faint context lines (e.g. the streets); a level outside `SLA_LEVELS` or a legend
        symbol outside `LEGEND_SYMBOLS` is a ValueError."""
        for p in points:
            if p.level not in SLA_LEVELS:
                raise ValueError(f"point {p.label!r} has level {p.level!r}; expected one of {SLA_LEVELS}")
        for entry in legend:
            if entry.symbol not in LEGEND_SYMBOLS:
                raise ValueError(f"legend symbol {entry.symbol!r}; expected one of {LEGEND_SYMBOLS}")
        self._boundary = list(boundary)
        self._areas = [r for r in ([area] if area else []) + list(areas) if len(r) >= 3]
        self._cells = [r for r in ([cell] if cell else []) + list(cells) if len(r) >= 3]
        self._outlines = [r for r in outlines if len(r) >= 2]
        order = {level: n for n, level in enumerate(SLA_LEVELS)}
        self._points = sorted((p for p in points if math.isfinite(p.lon) and math.isfinite(p.lat)),
                              key=lambda p: order[p.level])  # red last, so on top
        self._markers = [m for m in markers if math.isfinite(m.lon) and math.isfinite(m.lat)]
        self._point = point
        self._legend = list(legend)
        self._area_label, self._caption = area_label, caption
        self.setAccessibleDescription(" · ".join(t for t in (area_label, *(e.text for e in legend), caption) if t))
        self.update()

    # --- reading back ----------------------------------------------------------------

    @property
    def caption(self) -> str:
        return self._caption

    @property
    def points(self) -> list[MapPoint]:
        """The glyphs drawn, lowest level first."""
        return list(self._points)

    @property
    def markers(self) -> list[MapMarker]:
        return list(self._markers)

    @property
    def legend(self) -> list[LegendEntry]:
        return list(self._legend)

    @property
    def area_count(self) -> int:
        return len(self._areas)

    @property
    def cell_count(self) -> int:
        return len(self._cells)

    def sizeHint(self) -> QSize:
        return QSize(260, 220)

    # --- drawing ---------------------------------------------------------------------

    def _transform(self, frame: QRectF) -> tuple[float, float, float, float, float]:
        """Scale and offsets that fit the boundary into `frame`, keeping its shape."""
        lons = [p[0] for ring in self._boundary for p in ring]
        lats = [p[1] for ring in self._boundary for p in ring]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        shrink = math.cos(math.radians((south + north) / 2))
        width, height = max((east - west) * shrink, 1e-9), max(north - south, 1e-9)
        scale = min(frame.width() / width, frame.height() / height)
        left = frame.left() + (frame.width() - width * scale) / 2
        top = frame.top() + (frame.height() - height * scale) / 2
        return scale, shrink, left - west * shrink * scale, top + north * scale, shrink * scale

    @staticmethod
    def _at(t: tuple[float, float, float, float, float], lon: float, lat: float) -> QPointF:
        scale, _shrink, x0, y0, xs = t
        return QPointF(x0 + lon * xs, y0 - lat * scale)

    def _path(self, rings: Sequence[Ring], t: tuple[float, float, float, float, float], *,
              closed: bool = True, fill_rule: Qt.FillRule = Qt.FillRule.OddEvenFill) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(fill_rule)
        for ring in rings:
            path.addPolygon(QPolygonF([self._at(t, lon, lat) for lon, lat in ring]))
            if closed:
                path.closeSubpath()
        return path

    def _legend_rows(self, metrics: QFontMetricsF, width: float) -> list[list[tuple[LegendEntry, float]]]:
        """The legend's entries flowed into rows of `width` pixels: (entry, its width)."""
        rows: list[list[tuple[LegendEntry, float]]] = []
        used = width + 1
        for entry in self._legend:
            w = metrics.height() + 6 + metrics.horizontalAdvance(entry.text) + 14
            if used + w > width and (not rows or rows[-1]):
                rows.append([])
                used = 0.0
            rows[-1].append((entry, w))
            used += w
        return rows

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), color("surface.sunken"))
        metrics = QFontMetricsF(painter.font())
        line = metrics.height() + 4
        caption_height = line if self._caption else 0.0
        legend_rows = self._legend_rows(metrics, self.width() - 12)
        legend_height = line * len(legend_rows)
        frame = QRectF(self.rect()).adjusted(6, 6, -6, -6 - caption_height - legend_height)
        if self._boundary and frame.width() > 10 and frame.height() > 10:
            self._paint_map(painter, self._transform(frame))
        if legend_rows:
            self._paint_legend(painter, legend_rows, self.height() - caption_height - legend_height - 2, line)
        if self._caption:
            painter.setPen(color("text.muted"))
            caption_rect = QRectF(6, self.height() - caption_height - 2, self.width() - 12, caption_height)
            elided = metrics.elidedText(self._caption, Qt.TextElideMode.ElideRight, caption_rect.width())
            painter.drawText(caption_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()

    def _paint_map(self, painter: QPainter, t: tuple[float, float, float, float, float]) -> None:
        district = self._path(self._boundary, t)
        painter.setPen(QPen(color("text.muted"), 1.2))
        painter.setBrush(color("surface.alt"))
        painter.drawPath(district)
        painter.save()
        painter.setClipPath(district)
        if self._outlines:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(color("border"), 1))
            painter.drawPath(self._path(self._outlines, t))
        if self._areas:
            painter.setBrush(QBrush(_area_fill()))
            painter.setPen(QPen(color("accent"), 1.4, Qt.PenStyle.DashLine))
            painter.drawPath(self._path(self._areas, t, fill_rule=Qt.FillRule.WindingFill))
        if self._cells:  # clipped too: grid squares run past the district's edge
            line = QColor(color("text"))
            if len(self._cells) > 1:
                line.setAlpha(110)  # many cells: a fine mesh under the points, not a net over them
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(line, 0.7 if len(self._cells) > 1 else 1.0))
            painter.drawPath(self._path(self._cells, t))
        painter.restore()
        for p in self._points:
            centre, side = self._at(t, p.lon, p.lat), GLYPH_PX[p.level]
            paint_sla_glyph(painter, QRectF(centre.x() - side / 2, centre.y() - side / 2, side, side), p.level)
        for marker in self._markers:  # over the glyphs: a named plate must read whatever lies under it
            self._paint_marker(painter, self._at(t, marker.lon, marker.lat), marker.text)
        if self._point:
            centre = self._at(t, *self._point)
            painter.setPen(QPen(color("surface.sunken"), 2))
            painter.setBrush(color("text"))
            painter.drawEllipse(centre, 5, 5)
            painter.setPen(QPen(color("accent"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, 9, 9)
            if self._area_label:
                self._draw_label(painter, centre, self._area_label)

    def _paint_marker(self, painter: QPainter, at: QPointF, text: str) -> None:
        """A pin (a small hexagon, a shape no timer level uses) and the marker's name on a plate beside it."""
        r = 5.5
        hexagon = QPolygonF([QPointF(at.x() + r * math.cos(math.radians(60 * k + 30)),
                                     at.y() + r * math.sin(math.radians(60 * k + 30))) for k in range(6)])
        painter.setPen(QPen(color("surface.sunken"), 1.5))
        painter.setBrush(color("text"))
        painter.drawPolygon(hexagon)
        if text:
            self._draw_label(painter, at, text, gap=8, framed=True)

    def _paint_legend(self, painter: QPainter, rows: list[list[tuple[LegendEntry, float]]], top: float,
                      line: float) -> None:
        metrics = QFontMetricsF(painter.font())
        side = min(GLYPH_PX["red"], metrics.height() - 2)
        for n, row in enumerate(rows):
            x, y = 6.0, top + n * line
            for entry, width in row:
                box = QRectF(x, y + (line - side) / 2, side, side)
                self._paint_symbol(painter, box, entry.symbol)
                painter.setPen(color("text"))
                painter.drawText(QRectF(box.right() + 6, y, width, line),
                                 int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), entry.text)
                x += width

    def _paint_symbol(self, painter: QPainter, box: QRectF, symbol: str) -> None:
        if symbol in SLA_LEVELS:
            paint_sla_glyph(painter, box, symbol)
        elif symbol == "area":
            painter.setBrush(QBrush(_area_fill()))
            painter.setPen(QPen(color("accent"), 1.4, Qt.PenStyle.DashLine))
            painter.drawRect(box.adjusted(1, 1, -1, -1))
        elif symbol == "cell":
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(color("text"), 1))
            painter.drawRect(box.adjusted(1, 1, -1, -1))
        else:
            self._paint_marker(painter, box.center(), "")

    def _draw_label(self, painter: QPainter, centre: QPointF, text: str, gap: float = 12,
                    framed: bool = False) -> None:
        """A name beside a point, on a plate so it reads over any line (framed: over glyphs too)."""
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
        x = centre.x() + gap if centre.x() + gap + width < self.width() - 4 else centre.x() - gap - width
        y = min(max(centre.y() - height / 2, 4), self.height() - height - 4)
        plate = QRectF(x, y, width, height)
        painter.setPen(QPen(color("border"), 1) if framed else Qt.PenStyle.NoPen)
        painter.setBrush(color("surface.raised"))
        painter.drawRoundedRect(plate, 3, 3)
        painter.setPen(color("text"))
        painter.drawText(plate, int(Qt.AlignmentFlag.AlignCenter), text)


def _area_fill() -> QColor:
    fill = QColor(color("accent"))
    fill.setAlpha(60)
    return fill
