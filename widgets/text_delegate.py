"""Paints a plain text cell of a big table with two questions to the model instead of a dozen.

`QStyledItemDelegate` fills a style option from every role a cell may have (icon, check state,
alignment, background …) and draws it through the style, which with a style sheet costs about
100 µs a cell; a 1600 × 900 queue repaints ~200 cells ten times a second while the feed runs.
This delegate asks for the text, its colour and its font, fills the selection or the alternate
row, and draws the text elided. Cells that need more keep the standard delegate.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QFont, QFontMetrics, QPainter, QStaticText, QTransform
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

ModelIndex = QModelIndex | QPersistentModelIndex
_SELECTED = QStyle.StateFlag.State_Selected.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate.value
_PAD = 4


def fill_background(painter: QPainter, option: QStyleOptionViewItem) -> bool:
    """The selection or the alternate row's colour (the view painted the base); True when selected."""
    selected = bool(option.state.value & _SELECTED)  # ints: a Python enum `&` costs several µs a cell
    if selected:
        painter.fillRect(option.rect, option.palette.highlight())
    elif option.features.value & _ALTERNATE:
        painter.fillRect(option.rect, option.palette.alternateBase())
    return selected


_LAID_OUT: dict[tuple[str, int, str], tuple[QStaticText, float]] = {}
"""Texts laid out once, by (text, width, font): a queue repaints the same few hundred texts (category,
street, status, countdown …) ten times a second while the feed runs, and `drawText` lays each
out again every time (its glyph shaping was half of a repaint's time)."""
_LAID_OUT_MAX = 4096
"""Far more than a screen of cells; the cache starts afresh when full (cheaper than an LRU's bookkeeping)."""
_NO_TRANSFORM = QTransform()


def laid_out(painter: QPainter, width: int, text: str) -> tuple[QStaticText, float]:
    """`text` in the painter's font, elided to `width` only when it does not fit, laid out once; with its height."""
    font = painter.font()
    return laid_out_in(font, font.key(), painter.fontMetrics(), width, text)


def laid_out_in(font: QFont, font_key: str, metrics: QFontMetrics, width: int, text: str) -> tuple[QStaticText, float]:
    """`laid_out()` for a painter whose font is `font` (`font_key` its `key()`, `metrics` its metrics), for a
    caller that paints many cells in a few fonts: `QFont.key()` builds a string each time it is asked."""
    key = (text, width, font_key)
    found = _LAID_OUT.get(key)
    if found is None:
        if metrics.horizontalAdvance(text) > width:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        static = QStaticText(text)
        static.setTextFormat(Qt.TextFormat.PlainText)
        static.prepare(_NO_TRANSFORM, font)
        if len(_LAID_OUT) >= _LAID_OUT_MAX:
            _LAID_OUT.clear()
        found = _LAID_OUT[key] = (static, static.size().height())
    return found


def draw_elided(painter: QPainter, rect: QRect, text: str) -> None:
    """`text` left-aligned and vertically centred in `rect`, elided only when it does not fit."""
    static, height = laid_out(painter, rect.width(), text)
    painter.drawStaticText(QPointF(rect.left(), rect.top() + (rect.height() - height) / 2), static)


class TextDelegate(QStyledItemDelegate):
    """Display text, `ForegroundRole` brush and `FontRole` font: all a queue's plain cell shows.

    `cell_role`: a role whose value is those three at once, `(text, brush or None, font or None)`,
    for a model that can answer them in one call instead of three.
    """

    def __init__(self, parent: QObject | None = None, *, cell_role: int | None = None) -> None:
        super().__init__(parent)
        self._cell_role = cell_role

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        selected = fill_background(painter, option)
        if self._cell_role is not None:
            text, brush, font = index.data(self._cell_role)
        else:
            text = index.data(Qt.ItemDataRole.DisplayRole)
            brush = index.data(Qt.ItemDataRole.ForegroundRole) if text else None
            font = index.data(Qt.ItemDataRole.FontRole) if text else None
        if not text:
            return
        painter.save()
        if isinstance(brush, QBrush):
            painter.setPen(brush.color())
        else:
            painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        painter.setFont(font if isinstance(font, QFont) else option.font)
        draw_elided(painter, option.rect.adjusted(_PAD, 0, -_PAD, 0), str(text))
        painter.restore()
