"""Paints a plain text cell of a big table with two questions to the model instead of a dozen.

`QStyledItemDelegate` fills a style option from every role a cell may have (icon, check state,
alignment, background …) and draws it through the style, which with a style sheet costs about
100 µs a cell; a 1600 × 900 queue repaints ~200 cells ten times a second while the feed runs.
This delegate asks for the text, its colour and its font, fills the selection or the alternate
row, and draws the text elided. Cells that need more keep the standard delegate.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QBrush, QFont, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

ModelIndex = QModelIndex | QPersistentModelIndex
_SELECTED = QStyle.StateFlag.State_Selected.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value
_LEFT_CENTRED = int((Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft).value)
_PAD = 4


def fill_background(painter: QPainter, option: QStyleOptionViewItem) -> bool:
    """The selection or the alternate row's colour (the view painted the base); True when selected."""
    selected = bool(option.state.value & _SELECTED)  # ints: a Python enum `&` costs several µs a cell
    if selected:
        painter.fillRect(option.rect, option.palette.highlight())
    elif option.features.value & _ALTERNATE:
        painter.fillRect(option.rect, option.palette.alternateBase())
    return selected


def draw_elided(painter: QPainter, rect: QRect, text: str) -> None:
    """`text` left-aligned and vertically centred in `rect`, elided only when it does not fit."""
    metrics = painter.fontMetrics()
    if metrics.horizontalAdvance(text) > rect.width():
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, _LEFT_CENTRED, text)


class TextDelegate(QStyledItemDelegate):
    """Display text, `ForegroundRole` brush and `FontRole` font: all a queue's plain cell shows."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        selected = fill_background(painter, option)
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
        draw_elided(painter, option.rect.adjusted(_PAD, 0, -_PAD, 0), str(text))
        painter.restore()
