"""Paints a timer cell in an item view: the level's shape, then the countdown text.

It reads plain values from the model through roles it is given (it knows nothing of cases
or of the feed): the display text from `Qt.DisplayRole` and the level ("blue" … "red", or
None) from `level_role`. Painting does no formatting and no lookups beyond two `data()`
calls, so a full viewport repaints every second at no noticeable cost.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPixmap
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.text_delegate import draw_elided, fill_background
from widgets.theme import TOKENS, sla_color

ModelIndex = QModelIndex | QPersistentModelIndex


_GLYPHS: dict[tuple[object, ...], QPixmap] = {}


def device_ratio(painter: QPainter) -> float:
    """The screen density `painter` paints at (1.0 on an ordinary screen)."""
    device = painter.device()
    return device.devicePixelRatioF() if device is not None else 1.0


def level_glyph(level: str, side: int, ratio: float) -> QPixmap:
    """The level's shape drawn once per size, theme and screen density, then reused."""
    key = (level, side, ratio, TOKENS.get(f"sla.{level}.fill", TOKENS.get(f"sla.{level}")), TOKENS["glyph.outline"])
    pixmap = _GLYPHS.get(key)
    if pixmap is None:
        pixmap = QPixmap(round(side * ratio), round(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        glyph_painter = QPainter(pixmap)
        paint_sla_glyph(glyph_painter, QRectF(0, 0, side, side), level)
        glyph_painter.end()
        _GLYPHS[key] = pixmap
    return pixmap


class SlaDelegate(QStyledItemDelegate):
    """Item delegate for a column whose cells carry a timer level and a countdown text."""

    def __init__(self, level_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level_role = level_role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        # No initStyleOption(): it asks the model for a dozen roles per cell, and a timer cell
        # needs two (the text and the level). The view's option already carries the state
        # (selected, alternate row) the background follows.
        opt = option
        rect: QRect = opt.rect
        # The background by hand: the style (with the theme's QSS) takes ~100 µs a cell for what is
        # a fill, and these cells repaint every second.
        selected = fill_background(painter, opt)
        level = index.data(self._level_role)
        side = min(rect.height() - 8, opt.fontMetrics.height())
        if level is not None:
            y = rect.center().y() - side / 2 + 0.5
            painter.drawPixmap(QPointF(rect.left() + 6, y), level_glyph(level, side, device_ratio(painter)))
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        painter.save()
        font = QFont(opt.font)
        if level == "red":
            font.setBold(True)
            painter.setPen(sla_color("red"))
        else:
            painter.setPen(opt.palette.highlightedText().color() if selected else opt.palette.text().color())
        painter.setFont(font)
        draw_elided(painter, rect.adjusted(int(side) + 12, 0, -4, 0), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        extra = option.fontMetrics.height() + 12
        return QSize(size.width() + extra, size.height())
