"""Paints a timer cell in an item view: the level's shape, then the countdown text.

It reads plain values from the model through roles it is given (it knows nothing of cases
or of the feed): the display text from `Qt.DisplayRole` and the level ("blue" … "red", or
None) from `level_role`. Painting does no formatting and no lookups beyond two `data()`
calls, so a full viewport repaints every second at no noticeable cost.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import sla_color

ModelIndex = QModelIndex | QPersistentModelIndex


class SlaDelegate(QStyledItemDelegate):
    """Item delegate for a column whose cells carry a timer level and a countdown text."""

    def __init__(self, level_role: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level_role = level_role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:  # background, selection and focus as the style draws them
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        level = index.data(self._level_role)
        rect: QRect = opt.rect
        side = min(rect.height() - 8, opt.fontMetrics.height())
        glyph = QRectF(rect.left() + 6, rect.center().y() - side / 2 + 0.5, side, side)
        paint_sla_glyph(painter, glyph, level)
        if not text:
            return
        painter.save()
        font = opt.font
        if level == "red":
            font.setBold(True)
            painter.setPen(sla_color("red"))
        else:
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            group = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
            painter.setPen(opt.palette.color(group))
        painter.setFont(font)
        text_rect = rect.adjusted(int(side) + 12, 0, -4, 0)
        elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        extra = option.fontMetrics.height() + 12
        return QSize(size.width() + extra, size.height())
