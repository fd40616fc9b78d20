"""A case timer badge: shape + colour + word, e.g. a red square reading "Overdue 12 min"."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import SLA_LEVELS, color, sla_color

LEFT_CENTRED = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft


class SlaBadge(QWidget):
    """Shows one timer level with its shape, its colour and a text given by the caller.

    Takes plain values: `level` is "blue", "yellow", "orange", "red" or None (no timer), and
    `text` is already translated (the caller words it, e.g. "Overdue 12 min").
    """

    def __init__(self, level: str | None = None, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._level: str | None = None
        self._text = ""
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.set_state(level, text)

    @property
    def level(self) -> str | None:
        return self._level

    @property
    def text(self) -> str:
        return self._text

    def set_state(self, level: str | None, text: str) -> None:
        if level is not None and level not in SLA_LEVELS:
            raise ValueError(f"unknown timer level {level!r}; expected one of {SLA_LEVELS}")
        if (level, text) == (self._level, self._text):
            return
        self._level, self._text = level, text
        self.setAccessibleName(text)
        self.updateGeometry()
        self.update()

    def _text_font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(self._level == "red")
        return font

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        height = metrics.height() + 8
        text_width = self.fontMetrics().horizontalAdvance(self._text) if self._text else 0
        bold_extra = text_width // 10 if self._level == "red" else 0
        return QSize(height + text_width + bold_extra + 12, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.sizeHint().height(), self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(sla_color(self._level) if self._level == "red" else color("border"), 1))
        painter.setBrush(color("surface.raised"))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        glyph_side = rect.height() - 8
        paint_sla_glyph(painter, QRectF(rect.left() + 5, rect.top() + 4, glyph_side, glyph_side), self._level)
        if self._text:
            painter.setFont(self._text_font())
            painter.setPen(sla_color("red") if self._level == "red" else color("text"))
            text_rect = rect.adjusted(glyph_side + 10, 0, -6, 0)
            width = int(text_rect.width())
            elided = painter.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight, width)
            painter.drawText(text_rect, int(LEFT_CENTRED), elided)
        painter.end()
