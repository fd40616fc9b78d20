"""The intake map: the district, the call's point with its street and grid, similar cases; a click places the call.

A click emits `clicked(lon, lat)`; the desk asks the hub where that is (`geo.locate`). The
frame the map is drawn in is found as `DistrictMap.paintEvent` finds it (a margin of 6 px
and the caption's line below; the intake map shows no legend), so a click lands where the
operator sees it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QMouseEvent
from PySide6.QtWidgets import QWidget

from widgets.district_map import DistrictMap, MapPoint, Ring


class IntakeMap(DistrictMap):
    """Signals: `clicked(float, float)`, the (lon, lat) clicked inside the district's frame."""

    clicked = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake.map")
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setMinimumSize(220, 180)
        self._rings: list[Ring] = []

    def show_place(self, boundary: Sequence[Ring], *, area: Ring | None, cell: Ring | None,
                   point: tuple[float, float] | None, label: str, caption: str,
                   similar: Sequence[MapPoint] = ()) -> None:
        self._rings = list(boundary)
        self.set_shapes(boundary, area=area, cell=cell, point=point, area_label=label, caption=caption,
                        points=similar)

    def lon_lat_at(self, x: float, y: float) -> tuple[float, float] | None:
        """The (lon, lat) under a pixel of the map, or None where no map is drawn."""
        if not self._rings:
            return None
        metrics = QFontMetricsF(self.font())
        caption = (metrics.height() + 4) if self.caption else 0.0
        frame = QRectF(self.rect()).adjusted(6, 6, -6, -6 - caption)
        if not frame.contains(x, y) or frame.width() <= 10 or frame.height() <= 10:
            return None
        scale, _shrink, x0, y0, xs = self._transform(frame)
        return (x - x0) / xs, (y0 - y) / scale

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            at = self.lon_lat_at(event.position().x(), event.position().y())
            if at is not None:
                self.clicked.emit(at[0], at[1])
                event.accept()
                return
        super().mousePressEvent(event)
