"""Paints a plain text cell of a big table with two questions to the model instead of a dozen.

`QStyledItemDelegate` fills a style option from every role a cell may have (icon, check state,
alignment, background …) and draws it through the style, which with a style sheet costs about
100 µs a cell; a 1600 × 900 queue repaints ~200 cells ten times a second while the feed runs.
This delegate asks for the text, its colour and its font, fills the selection or the alternate
row, and draws the text elided. Cells that need more keep the standard delegate.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

ModelIndex = QModelIndex | QPersistentModelIndex
_SELECTED = QStyle.StateFlag.State_Selected.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value
_LEFT_CENTRED = int((Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft).value)
_PAD = 4


class TextDelegate(QStyledItemDelegate):
    """Display text, `ForegroundRole` brush and `FontRole` font: all a queue's plain cell shows."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        rect = option.rect
        selected = bool(option.state.value & _SELECTED)
        if selected:
            painter.fillRect(rect, option.palette.highlight())
        elif option.features.value & _ALTERNATE:
            painter.fillRect(rect, option.palette.alternateBase())
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        brush = index.data(Qt.ItemDataRole.ForegroundRole)
        font = index.data(Qt.ItemDataRole.FontRole)
        painter.save()
        if isinstance(brush, QBrush):
            painter.setPen(brush.color())
        else:
            painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        painter.setFont(font if isinstance(font, QFont) else option.font)
        text_rect = rect.adjusted(_PAD, 0, -_PAD, 0)
        metrics = painter.fontMetrics()
        text = str(text)
        if metrics.horizontalAdvance(text) > text_rect.width():
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, _LEFT_CENTRED, text)
        painter.restore()
