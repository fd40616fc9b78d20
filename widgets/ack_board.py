"""The wall's acknowledgement board: every recipient of a directive as a name with a state shape.

Plain values in (label, shape, tone) per unit, as `widgets.ack_matrix` takes them; the board
lays them out in as many columns as the width allows at the wall's text size, and when they do
not all fit it says how many more there are (the caller orders them: the missing first).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPaintEvent
from PySide6.QtWidgets import QWidget

from widgets.ack_matrix import paint_shape
from widgets.theme import color
from widgets.wall_tiles import _Painted, font_for

Cell = tuple[str, str, str]
"""(unit name, shape, theme token)."""


class AckBoard(_Painted):
    def __init__(self, cap_px: float, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(cap_px, parent)
        self.scale = scale
        self.cells: list[Cell] = []
        self.more_text = "+{n}"
        self.shown = 0
        """How many cells the last paint fitted (the rest are counted in the last one)."""

    def set_cells(self, cells: Sequence[Cell], more_text: str = "+{n}") -> None:
        self.cells = list(cells)
        self.more_text = more_text
        self.update()

    def _fit(self) -> tuple[float, int, int, float, float]:
        """The largest text (down to half `scale`) at which every cell fits: (scale, columns, rows, cell_w, line_h)."""
        scale = self.scale
        while True:
            metrics = QFontMetricsF(font_for(self.cap_px, scale=scale))
            line_h = metrics.height() * 1.35
            widest = max((metrics.horizontalAdvance(label) for label, _s, _t in self.cells), default=0.0)
            cell_w = min(widest, metrics.horizontalAdvance("M") * 12) + line_h * 1.6
            columns = max(1, int(self.width() // max(cell_w, 1.0)))
            rows = max(1, int(self.height() // line_h))
            if columns * rows >= len(self.cells) or scale <= self.scale / 2:
                return scale, columns, rows, cell_w, line_h
            scale *= 0.9

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._painter()
        scale, columns, rows, cell_w, line_h = self._fit()
        font = font_for(self.cap_px, scale=scale)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        capacity = columns * rows
        shown = self.cells if len(self.cells) <= capacity else self.cells[:capacity - 1]
        self.shown = len(shown)
        used_columns = max(1, -(-(len(shown) + (len(shown) < len(self.cells))) // rows))
        left = max(0.0, (self.width() - used_columns * cell_w) / 2)
        for n, (label, shape, tone) in enumerate(shown):
            x, y = left + (n // rows) * cell_w, (n % rows) * line_h
            paint_shape(painter, QRectF(x + line_h * 0.1, y + line_h * 0.18, line_h * 0.62, line_h * 0.62), shape, tone)
            painter.setPen(color(tone if tone != "text.muted" else "text"))
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, cell_w - line_h * 1.3)
            painter.drawText(QRectF(x + line_h * 0.9, y, cell_w - line_h, line_h),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        if len(shown) < len(self.cells):
            n = len(shown)
            x, y = left + (n // rows) * cell_w, (n % rows) * line_h
            painter.setPen(color("text.muted"))
            painter.drawText(QRectF(x + line_h * 0.9, y, cell_w, line_h),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                             self.more_text.replace("{n}", str(len(self.cells) - len(shown))))
        painter.end()
