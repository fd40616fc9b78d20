"""A small map of the district: its boundary, an area, a grid cell and a point, drawn with QPainter.

Takes plain values ((lon, lat) rings and texts already translated), so it knows nothing of
cases. The area is drawn dashed because areas here are approximate, and the caption (which
the caller words, e.g. "Approximate areas · boundary: Apache ECharts") is always painted
inside the map, so a grab or a screenshot never loses it. Longitude is shrunk by cos(latitude)
so that the district keeps its shape.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.theme import color

Point = tuple[float, float]
Ring = Sequence[Point]


class DistrictMap(QWidget):
    """`set_shapes(boundary, area=…, cell=…, point=…, area_label=…, caption=…)`; all optional but the boundary."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._boundary: list[Ring] = []
        self._area: Ring | None = None
        self._cell: Ring | None = None
        self._point: Point | None = None
        self._area_label = ""
        self._caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(160, 140)

    def set_shapes(self, boundary: Sequence[Ring], *, area: Ring | None = None, cell: Ring | None = None,
                   point: Point | None = None, area_label: str = "", caption: str = "") -> None:
        self._boundary = list(boundary)
        self._area, self._cell, self._point = area, cell, point
        self._area_label, self._caption = area_label, caption
        self.setAccessibleDescription(" · ".join(t for t in (area_label, caption) if t))
        self.update()

    @property
    def caption(self) -> str:
        return self._caption

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

    def _path(self, rings: Sequence[Ring], t: tuple[float, float, float, float, float]) -> QPainterPath:
        scale, _shrink, x0, y0, xs = t
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for ring in rings:
            path.addPolygon(QPolygonF([QPointF(x0 + lon * xs, y0 - lat * scale) for lon, lat in ring]))
            path.closeSubpath()
        return path

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(self.rect(), color("surface.sunken"))
        metrics = painter.fontMetrics()
        caption_height = metrics.height() + 4 if self._caption else 0
        frame = QRectF(self.rect()).adjusted(6, 6, -6, -6 - caption_height)
        if self._boundary and frame.width() > 10 and frame.height() > 10:
            t = self._transform(frame)
            district = self._path(self._boundary, t)
            painter.setPen(QPen(color("text.muted"), 1.2))
            painter.setBrush(color("surface.alt"))
            painter.drawPath(district)
            painter.save()
            painter.setClipPath(district)
            accent = color("accent")
            if self._area:
                fill = QColor(accent)
                fill.setAlpha(60)
                painter.setBrush(QBrush(fill))
                painter.setPen(QPen(accent, 1.2, Qt.PenStyle.DashLine))
                painter.drawPath(self._path([self._area], t))
            painter.restore()
            if self._cell:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(color("text"), 1))
                painter.drawPath(self._path([self._cell], t))
            if self._point:
                scale, _shrink, x0, y0, xs = t
                centre = QPointF(x0 + self._point[0] * xs, y0 - self._point[1] * scale)
                painter.setPen(QPen(color("surface.sunken"), 2))
                painter.setBrush(color("text"))
                painter.drawEllipse(centre, 5, 5)
                painter.setPen(QPen(accent, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, 9, 9)
                if self._area_label:
                    self._draw_label(painter, centre, self._area_label)
        if self._caption:
            painter.setPen(color("text.muted"))
            caption_rect = QRectF(6, self.height() - caption_height - 2, self.width() - 12, caption_height)
            elided = metrics.elidedText(self._caption, Qt.TextElideMode.ElideRight, int(caption_rect.width()))
            painter.drawText(caption_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), elided)
        painter.end()

    def _draw_label(self, painter: QPainter, centre: QPointF, text: str) -> None:
        """The area's name beside the point, on a plate so it reads over any line."""
        metrics = painter.fontMetrics()
        width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
        x = centre.x() + 12 if centre.x() + 12 + width < self.width() - 4 else centre.x() - 12 - width
        y = min(max(centre.y() - height / 2, 4), self.height() - height - 4)
        plate = QRectF(x, y, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color("surface.raised"))
        painter.drawRoundedRect(plate, 3, 3)
        painter.setPen(color("text"))
        painter.drawText(plate, int(Qt.AlignmentFlag.AlignCenter), text)
