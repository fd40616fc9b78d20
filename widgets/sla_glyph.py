"""The shape of each timer level, so colour is never the only signal.

blue = circle (in time), yellow = diamond (past 50 %), orange = triangle (past 80 %),
red = square (overdue). The shapes differ in outline, so they read in grey scale, to a
colour-blind officer, and on a wall seen from across the room.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPen, QPolygonF

from widgets.theme import SLA_LEVELS, color, sla_fill

SHAPES: dict[str, str] = {"blue": "circle", "yellow": "diamond", "orange": "triangle", "red": "square"}
"""Level → shape name (for tests, tooltips and documentation)."""


def paint_sla_glyph(painter: QPainter, rect: QRectF, level: str | None) -> None:
    """Paint the level's shape, centred in `rect` (a square fits best). Nothing for no level."""
    if level not in SLA_LEVELS:
        return
    side = min(rect.width(), rect.height())
    box = QRectF(0, 0, side, side)
    box.moveCenter(rect.center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(sla_fill(level))
    painter.setPen(QPen(color("glyph.outline"), max(1.0, side / 12)))
    shape = SHAPES[level]
    if shape == "circle":
        painter.drawEllipse(box.adjusted(1, 1, -1, -1))
    elif shape == "square":
        painter.drawRect(box.adjusted(1.5, 1.5, -1.5, -1.5))
    elif shape == "diamond":
        c = box.center()
        h = side / 2
        painter.drawPolygon(QPolygonF([QPointF(c.x(), c.y() - h), QPointF(c.x() + h, c.y()),
                                       QPointF(c.x(), c.y() + h), QPointF(c.x() - h, c.y())]))
    else:  # triangle, point up
        painter.drawPolygon(QPolygonF([QPointF(box.center().x(), box.top()),
                                       QPointF(box.right(), box.bottom() - side * 0.08),
                                       QPointF(box.left(), box.bottom() - side * 0.08)]))
    if shape == "square":  # overdue also carries an exclamation mark inside
        mark = QPen(color("glyph.outline"), max(1.5, side / 7))
        mark.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(mark)
        x = box.center().x()
        painter.drawLine(QPointF(x, box.top() + side * 0.25), QPointF(x, box.top() + side * 0.55))
        painter.drawPoint(QPointF(x, box.top() + side * 0.74))
    painter.restore()
