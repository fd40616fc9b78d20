"""The video wall's tiles, painted with QPainter from plain values (already worded and translated).

Every size derives from one number, the wall's `cap_px`: the height of a capital letter that
the farthest seat can read (ISO 11064: ~20 minutes of arc, about 29 mm at 5 m). Labels use it
as is; titles 1.25×; headline figures 3×. The base is the dark theme's muted grey; colour is for
what is abnormal only, and a level's colour always comes with its shape and its word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from widgets.sla_glyph import paint_sla_glyph
from widgets.theme import SLA_LEVELS, color, sla_color

CAP_HEIGHT_RATIO = 0.72
"""Capital height / pixel size of the shipped font (Noto Sans CJK SC: 733/1000 em)."""


def font_for(cap_px: float, *, scale: float = 1.0, bold: bool = False) -> QFont:
    """The application's family at the pixel size whose capitals are `cap_px × scale` tall."""
    font = QFont()
    font.setPixelSize(max(6, round(cap_px * scale / CAP_HEIGHT_RATIO)))
    font.setBold(bold)
    return font


class TileFrame(QFrame):
    """A tile: its title on top, one body widget below, on the raised surface."""

    def __init__(self, title: str, body: QWidget, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wallTile")
        self.setStyleSheet(f"QFrame#wallTile {{ background: {color('surface.alt').name()}; "
                           f"border: 1px solid {color('border').name()}; border-radius: 4px; }}")
        layout = QVBoxLayout(self)
        pad = round(cap_px * 0.6)
        layout.setContentsMargins(pad, pad // 2, pad, pad // 2)
        layout.setSpacing(pad // 2)
        self.title = QLabel(title, self)
        self.title.setFont(font_for(cap_px, scale=1.25, bold=True))
        self.title.setStyleSheet(f"color: {color('text').name()}; border: none; background: transparent;")
        layout.addWidget(self.title)
        self.body = body
        layout.addWidget(body, 1)


class _Painted(QWidget):
    """Base of the painted bodies: transparent, expanding, text sized from `cap_px`."""

    def __init__(self, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cap_px = cap_px
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    def _painter(self) -> QPainter:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        return painter


@dataclass(frozen=True)
class Figure:
    """One headline figure: `value` as shown ("87.5 %"), its label, and reference lines ("▲ 12 vs …").

    `abnormal` colours the value (with the word in `reference` saying why); None keeps it calm."""

    label: str
    value: str
    reference: str = ""
    abnormal: str | None = None
    """A timer level's name ("red", "orange") when the figure is out of bounds, else None."""


class FigureGrid(_Painted):
    """Headline figures in a grid of `columns`: big value, label under it, reference in muted text."""

    def __init__(self, cap_px: float, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(cap_px, parent)
        self.columns = columns
        self.figures: list[Figure] = []

    def set_figures(self, figures: Sequence[Figure]) -> None:
        if list(figures) != self.figures:
            self.figures = list(figures)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.figures:
            return
        painter = self._painter()
        rows = (len(self.figures) + self.columns - 1) // self.columns
        cell_w = self.width() / self.columns
        cell_h = self.height() / rows
        big = font_for(self.cap_px, scale=2.4, bold=True)
        small = font_for(self.cap_px)
        big_h = QFontMetricsF(big).height()
        small_h = QFontMetricsF(small).height()
        for n, fig in enumerate(self.figures):
            x = (n % self.columns) * cell_w
            y = (n // self.columns) * cell_h
            references = fig.reference.splitlines()
            top = y + max(0.0, (cell_h - big_h - (1 + len(references)) * small_h) / 2)
            painter.setFont(big)
            painter.setPen(sla_color(fig.abnormal) if fig.abnormal else color("text"))
            value_rect = QRectF(x, top, cell_w, big_h)
            if fig.abnormal in SLA_LEVELS:
                glyph = QRectF(x + self.cap_px * 0.2, top + big_h * 0.25, big_h * 0.5, big_h * 0.5)
                paint_sla_glyph(painter, glyph, fig.abnormal)
                value_rect.adjust(big_h * 0.6, 0, 0, 0)
            painter.drawText(value_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, fig.value)
            painter.setFont(small)
            painter.setPen(color("text"))
            painter.drawText(QRectF(x, top + big_h, cell_w, small_h), Qt.AlignmentFlag.AlignLeft, fig.label)
            painter.setPen(color("text.muted"))
            for line, reference in enumerate(references, 1):
                painter.drawText(QRectF(x, top + big_h + line * small_h, cell_w, small_h), Qt.AlignmentFlag.AlignLeft,
                                 reference)
        painter.end()


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its count, and the timer level it stands for (None: a neutral bar)."""

    label: str
    count: int
    level: str | None = None


class BarList(_Painted):
    """Horizontal bars with label and count; a level's bar carries its shape and colour."""

    def __init__(self, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(cap_px, parent)
        self.bars: list[Bar] = []
        self.caption = ""

    def set_bars(self, bars: Sequence[Bar], caption: str = "") -> None:
        if list(bars) != self.bars or caption != self.caption:
            self.bars, self.caption = list(bars), caption
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.bars:
            return
        painter = self._painter()
        font = font_for(self.cap_px)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        lines = len(self.bars) + (1 if self.caption else 0)
        line_h = min(metrics.height() * 1.35, self.height() / max(1, lines))  # all rows, even in a short tile
        label_w = max(metrics.horizontalAdvance(b.label) for b in self.bars) + self.cap_px * 2.2
        count_w = max(metrics.horizontalAdvance(f"{b.count:,}") for b in self.bars) + self.cap_px
        top_count = max(1, max(b.count for b in self.bars))
        track_w = max(1.0, self.width() - label_w - count_w)
        for n, bar in enumerate(self.bars):
            y = n * line_h
            glyph = QRectF(0, y + (line_h - metrics.height()) / 2, metrics.height() * 0.8, metrics.height() * 0.8)
            if bar.level in SLA_LEVELS and bar.count:
                paint_sla_glyph(painter, glyph, bar.level)
            painter.setPen(color("text"))
            painter.drawText(QRectF(self.cap_px * 2.0, y, label_w, line_h), Qt.AlignmentFlag.AlignVCenter, bar.label)
            length = track_w * bar.count / top_count
            fill = sla_color(bar.level) if bar.level in SLA_LEVELS and bar.count else color("text.muted")
            fill = QColor(fill)
            if bar.level is None:
                fill.setAlpha(140)
            painter.fillRect(QRectF(label_w, y + line_h * 0.22, length, line_h * 0.56), fill)
            painter.setPen(color("text"))
            painter.drawText(QRectF(label_w + length + self.cap_px * 0.4, y, count_w, line_h),
                             Qt.AlignmentFlag.AlignVCenter, f"{bar.count:,}")
        if self.caption:
            painter.setPen(color("text.muted"))
            painter.drawText(QRectF(0, len(self.bars) * line_h + self.cap_px * 0.3, self.width(), line_h),
                             Qt.AlignmentFlag.AlignLeft, self.caption)
        painter.end()


@dataclass(frozen=True)
class Rank:
    """One row of a ranking: place, name, the value as shown, a 0..1 share for the bar, and an abnormal level."""

    place: int
    name: str
    value: str
    share: float
    detail: str = ""
    abnormal: str | None = None


class RankTable(_Painted):
    """The public ranking (排名): place, name, value with a bar, detail in muted text; the rule underneath."""

    def __init__(self, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(cap_px, parent)
        self.rows: list[Rank] = []
        self.rule = ""

    def set_rows(self, rows: Sequence[Rank], rule: str) -> None:
        if list(rows) != self.rows or rule != self.rule:
            self.rows, self.rule = list(rows), rule
            self.update()

    def capacity(self) -> int:
        """How many rows fit (the caller ranks that many; the rest would be cut)."""
        line_h = QFontMetricsF(font_for(self.cap_px)).height() * 1.3
        return max(1, int((self.height() - 2.6 * line_h) // line_h))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._painter()
        font = font_for(self.cap_px)
        metrics = QFontMetricsF(font)
        line_h = metrics.height() * 1.3
        painter.setFont(font)
        place_w = metrics.horizontalAdvance("00") + self.cap_px
        value_w = metrics.horizontalAdvance("100.0 %") + self.cap_px
        name_w = max(self.width() * 0.42, self.width() - place_w - value_w * 2.6)
        bar_x = place_w + name_w + value_w
        bar_w = max(1.0, self.width() - bar_x - self.cap_px * 0.5)
        for n, row in enumerate(self.rows[: self.capacity()]):
            y = n * line_h
            painter.setPen(color("text.muted"))
            painter.drawText(QRectF(0, y, place_w, line_h), Qt.AlignmentFlag.AlignVCenter, str(row.place))
            painter.setPen(color("text"))
            name = metrics.elidedText(row.name, Qt.TextElideMode.ElideRight, name_w - self.cap_px * 0.5)
            painter.drawText(QRectF(place_w, y, name_w, line_h), Qt.AlignmentFlag.AlignVCenter, name)
            value_colour = sla_color(row.abnormal) if row.abnormal else color("text")
            painter.setPen(value_colour)
            painter.drawText(QRectF(place_w + name_w, y, value_w, line_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, row.value)
            bar = QColor(color("accent"))
            bar.setAlpha(170)
            painter.fillRect(QRectF(bar_x + self.cap_px * 0.4, y + line_h * 0.3,
                                    max(0.0, bar_w - self.cap_px * 0.4) * max(0.0, min(1.0, row.share)),
                                    line_h * 0.4), bar)
            if row.abnormal in SLA_LEVELS:
                glyph = QRectF(bar_x - self.cap_px * 0.2, y + line_h * 0.25, line_h * 0.5, line_h * 0.5)
                paint_sla_glyph(painter, glyph, row.abnormal)
        if self.rule:
            painter.setPen(color("text.muted"))
            small = font_for(self.cap_px, scale=0.85)
            painter.setFont(small)
            rule_h = QFontMetricsF(small).height() * 2.2
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom) | int(Qt.TextFlag.TextWordWrap)
            painter.drawText(QRectF(0, self.height() - rule_h, self.width(), rule_h), flags, self.rule)
        painter.end()


@dataclass(frozen=True)
class Series:
    """One line of a trend chart: its name (for the legend), values per hour, and a colour token."""

    name: str
    values: Sequence[float]
    token: str = "text"
    dashed: bool = False


class TrendChart(QWidget):
    """Hourly series over a day with pyqtgraph: hour labels under, values on the left, legend on the chart."""

    def __init__(self, cap_px: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cap_px = cap_px
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plot = pg.PlotWidget(background=color("surface.alt"))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        font = font_for(cap_px, scale=0.85)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setStyle(tickFont=font, tickTextOffset=round(cap_px * 0.3))
            axis.setPen(pg.mkPen(color("border")))
            axis.setTextPen(pg.mkPen(color("text.muted")))
        self.plot.getAxis("left").setWidth(round(cap_px * 3.2))
        self.plot.getAxis("bottom").setHeight(round(cap_px * 2.2))
        self.legend = self.plot.addLegend(offset=(round(cap_px), round(cap_px * 0.4)),
                                          labelTextColor=color("text"), labelTextSize=f"{font.pixelSize()}px")
        layout.addWidget(self.plot)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self.series: list[Series] = []

    def set_series(self, series: Sequence[Series], hour_labels: Sequence[str]) -> None:
        """`hour_labels[i]` names the hour of `values[i]` of every series (every 3rd one is shown)."""
        series = list(series)
        if series == self.series:
            return
        self.series = series
        names = {s.name for s in series}
        for name in [n for n in self._curves if n not in names]:
            self.plot.removeItem(self._curves.pop(name))
            self.legend.removeItem(name)
        for s in series:
            pen = pg.mkPen(color(s.token), width=max(2, round(self.cap_px / 6)),
                           style=Qt.PenStyle.DashLine if s.dashed else Qt.PenStyle.SolidLine)
            curve = self._curves.get(s.name)
            if curve is None:
                curve = self.plot.plot(name=s.name)
                self._curves[s.name] = curve
            curve.setPen(pen)
            curve.setData(list(range(len(s.values))), list(s.values))
        ticks = [(i, label) for i, label in enumerate(hour_labels) if i % 3 == 0]
        self.plot.getAxis("bottom").setTicks([ticks])
        self.plot.setXRange(0, max(1, len(hour_labels) - 1), padding=0.02)
        top = max((max(s.values, default=0) for s in series), default=0)
        self.plot.setYRange(0, max(1.0, top * 1.15), padding=0)


class Message(_Painted):
    """Large centred text (the takeover's detail, an empty tile's note)."""

    def __init__(self, cap_px: float, scale: float = 1.0, parent: QWidget | None = None) -> None:
        super().__init__(cap_px, parent)
        self.scale = scale
        self.lines: list[tuple[str, str | None]] = []

    def set_lines(self, lines: Sequence[tuple[str, str | None]]) -> None:
        """(text, level or None) per line; a level colours its line and puts its shape before it."""
        self.lines = list(lines)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = self._painter()
        font = font_for(self.cap_px, scale=self.scale)
        metrics = QFontMetricsF(font)
        painter.setFont(font)
        line_h = metrics.height() * 1.3
        y = max(0.0, (self.height() - line_h * len(self.lines)) / 2)
        for text, level in self.lines:
            width = metrics.horizontalAdvance(text) + (line_h if level else 0)
            x = max(0.0, (self.width() - width) / 2)
            if level in SLA_LEVELS:
                paint_sla_glyph(painter, QRectF(x, y + line_h * 0.15, line_h * 0.7, line_h * 0.7), level)
                x += line_h
            painter.setPen(sla_color(level) if level else color("text"))
            painter.drawText(QPointF(x, y + metrics.ascent() + (line_h - metrics.height()) / 2), text)
            y += line_h
        painter.end()
