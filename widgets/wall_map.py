"""The video wall's map: district → streets → grids as a choropleth, open cases as level glyphs, pulses.

Built on pyqtgraph, read-only (no pan, zoom, menu or focus: a wall is looked at, not used).
Takes plain values only: (lon, lat) rings, area ids and names, numbers and texts already
translated by the caller.

    m = WallMap()
    m.set_geography(boundary, areas, credit="Boundary: Apache ECharts", approximate_note="Approximate areas")
    m.set_choropleth({"G12135-3105": 4, ...}, title="Open cases")
    m.set_points(lon, lat, levels)          # numpy arrays, levels 0..3 = blue, yellow, orange, red
    m.pulse(121.40, 31.10, 3)               # an expanding ring for ~3 s, stops by itself
    m.set_scale(px_per_mm=1.6)              # text sized in millimetres on the wall

How it stays cheap at 3840×2160 with ~600 areas and 10,000 points:
* every area's outline is turned into a QPainterPath once (`set_geography`), clipped to the
  district boundary once, and the outlines are merged into one path per line style; a
  choropleth update only regroups the (cached) area paths into one path per colour step;
* points go through one `pg.ScatterPlotItem` per level in pixel mode (a cached glyph atlas),
  refilled with `setData` from the numpy arrays; red is on top;
* pulses live in one item animated by one QTimer, which stops when the last pulse ends;
* the caption (credit, approximate-areas note), the legend and the street names are painted
  over the map in pixels by the view itself, so a grab or a screenshot always carries them.

Colours are the theme's tokens (the wall is always dark): the choropleth ramp runs from the
district's base towards `accent`, muted, and never uses the timer levels' colours, which stay
for the points. Each level keeps its shape from `sla_glyph.py` (blue circle, yellow diamond,
orange triangle, red square with an exclamation mark), so colour is never the only signal.

Bad input: arrays of different lengths, levels outside 0..3, a negative or non-finite
choropleth value, an area of unknown kind: ValueError. Points whose coordinates are not finite
(a case with no location) are skipped. Choropleth ids that name no area are ignored and listed
in `unknown_ids` (the hub's geography may run a moment ahead of the wall's).
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt.internals import PrimitiveArray  # numpy-backed fragment array, as ScatterPlotItem uses
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy, QVBoxLayout, QWidget

from widgets.sla_glyph import SHAPES, paint_sla_glyph
from widgets.theme import SLA_LEVELS, color, sla_fill

Point = tuple[float, float]
Ring = Sequence[Point]

RAMP_STEPS = 6
"""Colour steps of the choropleth above zero (zero keeps the district's base colour)."""
PULSE_S = 3.0
"""How long one pulse runs."""
PULSE_FRAME_MS = 50
"""The pulse animation's frame interval (one timer for all pulses): 20 frames a second is smooth
enough for a ring growing over 3 s, and each frame repaints only the rings' square."""

LABEL_MM = 29.0
"""Capital height of street names: ~20 arcmin at 5 m (ISO 11064), the wall's reading distance."""
LEGEND_MM = 22.0
"""Capital height of the legend's title and range."""
CAPTION_MM = 14.0
"""Capital height of the credit line and the approximate-areas note (read from close by)."""
POINT_MM = (5.5, 8.5, 9.5, 13.0)
"""Glyph size of each level (blue … red): in-time cases small (calm), the rarer, more urgent ones larger."""
POINT_MIN_PX = (5.0, 8.0, 8.0, 11.0)
"""The smallest each glyph is drawn: below 11 pixels the red square's exclamation mark eats its red."""
PULSE_MM = 60.0
"""Radius a pulse grows to."""
DEFAULT_PX_PER_MM = 1.6
"""A 3840-pixel wall about 2.4 m wide (a 2×2 of 55-inch panels); callers give the real figure."""
CAP_HEIGHT = 0.72
"""Capital height of the UI fonts as a share of the pixel size (Noto Sans CJK, most Latin sans)."""


@dataclass(frozen=True)
class MapArea:
    """One area of the map: a street (labelled with its name) or a grid cell (finer, unlabelled)."""

    id: str
    name: str
    rings: Sequence[Ring]
    kind: str = "street"
    """"street" or "grid"."""
    label: bool = True


# --- geometry ---------------------------------------------------------------------------


def _ring_path(rings: Sequence[Ring], shrink: float) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    for ring in rings:
        if len(ring) < 3:
            continue
        path.addPolygon(QPolygonF([QPointF(lon * shrink, lat) for lon, lat in ring]))
        path.closeSubpath()
    return path


Segment = tuple[Point, Point]


def _edges(rings: Sequence[Sequence[Point]], *, join: bool) -> list[Segment]:
    """The rings' edges, each once (an edge shared by two areas, in either direction, counts once).

    With `join`, horizontal and vertical edges on one line are joined where they touch or
    overlap: the cells of a regular grid become ~100 long lines instead of ~1,800 short edges.
    """
    def snap(v: float) -> float:
        return round(v, 7)

    rows: dict[float, list[tuple[float, float]]] = {}
    cols: dict[float, list[tuple[float, float]]] = {}
    other: dict[Segment, Segment] = {}  # snapped key → the edge as given (snapping moves it off the boundary)
    for ring in rings:
        pts = list(ring)
        if pts and pts[0] != pts[-1]:
            pts.append(pts[0])
        for p, q in itertools.pairwise(pts):
            a, b = (snap(p[0]), snap(p[1])), (snap(q[0]), snap(q[1]))
            if a == b:
                continue
            if join and a[1] == b[1]:
                rows.setdefault(a[1], []).append((min(a[0], b[0]), max(a[0], b[0])))
            elif join and a[0] == b[0]:
                cols.setdefault(a[0], []).append((min(a[1], b[1]), max(a[1], b[1])))
            else:
                other.setdefault((a, b) if a <= b else (b, a), (p, q))
    out: list[Segment] = []
    for horizontal, groups in ((True, rows), (False, cols)):
        for at, spans in sorted(groups.items()):
            spans.sort()
            lo, hi = spans[0]
            for next_lo, next_hi in [*spans[1:], (math.inf, math.inf)]:
                if next_lo <= hi:
                    hi = max(hi, next_hi)
                    continue
                out.append(((lo, at), (hi, at)) if horizontal else ((at, lo), (at, hi)))
                lo, hi = next_lo, next_hi
    return out + [other[key] for key in sorted(other)]


def _inner_edges(rings: Sequence[Sequence[Point]], boundary: QPainterPath,
                 bx0: np.ndarray, by0: np.ndarray, bx1: np.ndarray, by1: np.ndarray, *,
                 join: bool = False) -> QPainterPath:
    """The areas' edges inside the district, each once: the street lines, the grid lines.

    An edge shared by two areas is drawn once (so dashes never double up, and no pixel is
    stroked twice), and the parts of an edge outside the district, or along its boundary, are
    left to the boundary's solid line. `rings` are in map units, unclipped; (bx0, by0)–(bx1, by1)
    are the boundary's edges; `join` as in `_edges` (for grids).
    """
    path = QPainterPath()
    for (x0, y0), (x1, y1) in _edges(rings, join=join):
        # where the edge crosses the boundary's edges (parameter t along the edge)
        dx, dy = x1 - x0, y1 - y0
        ex, ey = bx1 - bx0, by1 - by0
        den = dx * ey - dy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((bx0 - x0) * ey - (by0 - y0) * ex) / den
            u = ((bx0 - x0) * dy - (by0 - y0) * dx) / den
        hit = (den != 0) & (t > 0) & (t < 1) & (u >= 0) & (u <= 1)
        cuts = [0.0, *sorted(t[hit].tolist()), 1.0]
        shortest = 1e-7 / math.hypot(dx, dy)  # a piece under ~1 cm is a crossing's rounding, not a line
        for t0, t1 in itertools.pairwise(cuts):
            if t1 - t0 < shortest:
                continue
            mid = QPointF(x0 + dx * (t0 + t1) / 2, y0 + dy * (t0 + t1) / 2)
            if boundary.contains(mid):
                path.moveTo(x0 + dx * t0, y0 + dy * t0)
                path.lineTo(x0 + dx * t1, y0 + dy * t1)
    return path


def _polygon_centroid(polygon: QPolygonF) -> tuple[float, QPointF]:
    """Area and centroid of a polygon (shoelace)."""
    pts = [(p.x(), p.y()) for p in polygon.toList()]
    area2 = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area2 += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area2) < 1e-18:
        rect = polygon.boundingRect()
        return 0.0, rect.center()
    return abs(area2) / 2, QPointF(cx / (3 * area2), cy / (3 * area2))


def _label_anchor(path: QPainterPath) -> QPointF:
    """Where an area's name goes: the centroid of its largest piece, or a point inside it."""
    pieces = [_polygon_centroid(poly) for poly in path.toFillPolygons()]
    if not pieces:
        return path.boundingRect().center()
    _area, centre = max(pieces, key=lambda item: item[0])
    if path.contains(centre):
        return centre
    rect = path.boundingRect()  # a concave piece: scan its middle row for the longest inside run
    y = centre.y()
    xs = [rect.left() + rect.width() * i / 40 for i in range(41)]
    inside = [x for x in xs if path.contains(QPointF(x, y))]
    return QPointF(sum(inside) / len(inside), y) if inside else centre


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def ramp_colours(steps: int = RAMP_STEPS) -> list[QColor]:
    """The choropleth's colours: index 0 is zero (the district's base), then `steps` muted steps to `accent`."""
    base, top = color("surface.alt"), _mix(color("surface.alt"), color("accent"), 0.62)
    return [base] + [_mix(base, top, 0.18 + 0.82 * i / (steps - 1)) for i in range(steps)]


# --- glyphs -----------------------------------------------------------------------------


def _glyph_path(level: str) -> QPainterPath:
    """The outline of a level's shape in a unit box centred on 0 (y down), for the pulses."""
    shape = SHAPES[level]
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QRectF(-0.5, -0.5, 1, 1))
    elif shape == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -0.55), QPointF(0.55, 0), QPointF(0, 0.55), QPointF(-0.55, 0)]))
        path.closeSubpath()
    elif shape == "triangle":  # point up on screen: pyqtgraph's symbols have y pointing down
        path.addPolygon(QPolygonF([QPointF(0, -0.55), QPointF(0.55, 0.45), QPointF(-0.55, 0.45)]))
        path.closeSubpath()
    else:
        path.addRect(QRectF(-0.5, -0.5, 1, 1))
    return path


_GLYPHS: dict[str, QPainterPath] = {}


def glyph(level: str) -> QPainterPath:
    if level not in _GLYPHS:
        _GLYPHS[level] = _glyph_path(level)
    return _GLYPHS[level]


# --- scene items ------------------------------------------------------------------------


class _AreasItem(pg.GraphicsObject):  # type: ignore[misc]
    """The district, its areas (filled per colour step) and their outlines, from cached paths."""

    def __init__(self) -> None:
        super().__init__()
        self.boundary = QPainterPath()
        self.area_paths: dict[str, QPainterPath] = {}
        self.street_lines = QPainterPath()
        self.grid_lines = QPainterPath()
        self.fills: list[tuple[QBrush, QPainterPath]] = []
        self._rect = QRectF()
        self.line_px = 2.0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, False)

    def set_paths(self, boundary: QPainterPath, area_paths: dict[str, QPainterPath],
                  street_lines: QPainterPath, grid_lines: QPainterPath) -> None:
        self.prepareGeometryChange()
        self.boundary, self.area_paths = boundary, area_paths
        self.street_lines, self.grid_lines = street_lines, grid_lines
        self.fills = []
        self._rect = boundary.boundingRect()
        self.update()

    def set_fills(self, fills: list[tuple[QBrush, QPainterPath]]) -> None:
        self.fills = fills
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        if self.boundary.isEmpty():
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color("surface.alt"))
        painter.drawPath(self.boundary)
        for brush, path in self.fills:  # solid fills without antialiasing: no seams between cells
            painter.setBrush(brush)
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # lines without antialiasing: a wide antialiased stroke of the boundary costs ~6 ms a frame
        # at 3840×2160, and on a wall's ~0.6 mm pixels the steps do not show from the room
        if not self.grid_lines.isEmpty():
            painter.setPen(_cosmetic(color("surface.sunken"), max(1.0, round(self.line_px * 0.5))))
            painter.drawPath(self.grid_lines)
        if not self.street_lines.isEmpty():  # approximate areas: dashed
            pen = _cosmetic(color("text.muted"), self.line_px)
            pen.setDashPattern([4.0, 3.0])
            painter.setPen(pen)
            painter.drawPath(self.street_lines)
        pen = _cosmetic(color("text"), round(self.line_px * 1.3))
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)  # ~1 ms a frame less than round joins, the same at 3 px
        painter.setPen(pen)
        painter.drawPath(self.boundary)

class _GlyphsItem(pg.GraphicsObject):  # type: ignore[misc]
    """Every open case as its level's glyph (sla_glyph's own drawing, pre-rendered once per size),
    blitted from numpy arrays with one `drawPixmapFragments` per level; red last, so on top."""

    def __init__(self) -> None:
        super().__init__()
        self.lon: list[np.ndarray] = [np.zeros(0)] * len(SLA_LEVELS)
        self.lat: list[np.ndarray] = [np.zeros(0)] * len(SLA_LEVELS)
        self.shrink = 1.0
        self.sizes_px = [10.0] * len(SLA_LEVELS)
        self._pixmaps: dict[tuple[int, int, float], QPixmap] = {}
        self._fragments = PrimitiveArray(QPainter.PixmapFragment, 10)
        self._rect = QRectF()
        # a pulse repaints a small part of the map 30 times a second: draw only the glyphs there
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_points(self, lon: list[np.ndarray], lat: list[np.ndarray], shrink: float) -> None:
        self.lon, self.lat, self.shrink = lon, lat, shrink
        if any(a.size for a in lon):
            xs = np.concatenate(lon) * shrink
            ys = np.concatenate(lat)
            pad = 0.02  # map units (~2 km): more than a glyph at any size the wall uses
            rect = QRectF(float(xs.min()) - pad, float(ys.min()) - pad,
                          float(xs.max() - xs.min()) + 2 * pad, float(ys.max() - ys.min()) + 2 * pad)
        else:
            rect = QRectF()
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def set_sizes(self, sizes_px: Sequence[float]) -> None:
        self.sizes_px = [float(v) for v in sizes_px]
        self._pixmaps.clear()
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def prepare(self, dpr: float) -> None:
        """Draw every level's glyph at this pixel ratio now, off-screen, so no frame pays for it."""
        for level in range(len(SLA_LEVELS)):
            self._pixmap(level, dpr)

    def _pixmap(self, level: int, dpr: float) -> QPixmap:
        side = max(4, round(self.sizes_px[level]))
        key = (level, side, dpr)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(max(1, math.ceil(side * dpr)), max(1, math.ceil(side * dpr)))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.scale(dpr, dpr)
            paint_sla_glyph(painter, QRectF(0, 0, side, side), SLA_LEVELS[level])
            painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        t = painter.transform()
        dpr = widget.devicePixelRatioF() if widget is not None else painter.device().devicePixelRatioF()
        exposed = option.exposedRect if option is not None else self._rect
        partial = not exposed.contains(self._rect)
        if partial:  # widen by the largest glyph, in map units
            reach = max(self.sizes_px) / max(abs(t.m11()), 1e-9)
            exposed = exposed.adjusted(-reach, -reach, reach, reach)
        painter.resetTransform()
        ax, bx, cx = t.m11() * self.shrink, t.m21(), t.dx()
        ay, by, cy = t.m12() * self.shrink, t.m22(), t.dy()
        for level in range(len(SLA_LEVELS)):
            lon, lat = self.lon[level], self.lat[level]
            if partial and lon.size:
                x = lon * self.shrink
                keep = (x >= exposed.left()) & (x <= exposed.right()) & (lat >= exposed.top()) & \
                    (lat <= exposed.bottom())
                lon, lat = lon[keep], lat[keep]
            if not lon.size:
                continue
            pixmap = self._pixmap(level, dpr)
            self._fragments.resize(lon.size)
            frags = self._fragments.ndarray()
            np.multiply(lon, ax, out=frags[:, 0])  # x, y: the centre of the glyph, in device pixels
            frags[:, 0] += bx * lat + cx
            np.multiply(lat, by, out=frags[:, 1])
            frags[:, 1] += ay * lon + cy
            # on whole pixels: a blit at a fractional place is rounded one way unclipped and another
            # clipped, so a pulse's partial repaint would tear the glyphs along its edge by a pixel
            half = pixmap.width() / (2 * dpr)
            frags[:, 0:2] -= half
            frags[:, 0:2] *= dpr
            np.rint(frags[:, 0:2], out=frags[:, 0:2])
            frags[:, 0:2] /= dpr
            frags[:, 0:2] += half
            frags[:, 2:6] = (0, 0, pixmap.width(), pixmap.height())  # the source rect
            frags[:, 6:10] = (1 / dpr, 1 / dpr, 0.0, 1.0)  # scale x, y, rotation, opacity
            painter.drawPixmapFragments(*self._fragments.drawargs(), pixmap)  # type: ignore[call-arg]


def _cosmetic(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


class _PulseItem(pg.GraphicsObject):  # type: ignore[misc]
    """Expanding outlines of a level's shape around new urgent cases; drawn in pixels."""

    def __init__(self, on_idle: Any) -> None:
        super().__init__()
        self.pulses: list[tuple[float, float, int, float]] = []  # lon, lat, level, started (monotonic s)
        self.shrink = 1.0
        self.radius_px = 60.0
        self.line_px = 3.0
        self._on_idle = on_idle
        self._rect = QRectF()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, False)

    def boundingRect(self) -> QRectF:
        return self._rect

    def refresh(self, now: float) -> None:
        """Drop ended pulses and repaint the area the live ones cover (in scene units)."""
        self.pulses = [p for p in self.pulses if now - p[3] < PULSE_S]
        view = self.getViewBox()
        if not self.pulses or view is None:
            self.prepareGeometryChange()
            self._rect = QRectF()
            self.update()
            self._on_idle()
            return
        # the pixel radius in data units (aspect is locked, so one scale)
        px = view.viewPixelSize()[0] or 1e-6
        # the largest ring: radius + 6 px, a diamond's or triangle's corner 1.1× that, half the pen
        # and a pixel of antialiasing beyond (less left a faint arc of the last ring on the map)
        reach = ((self.radius_px + 6) * 1.1 + self.line_px + 2) * px
        xs = [p[0] * self.shrink for p in self.pulses]
        ys = [p[1] for p in self.pulses]
        rect = QRectF(min(xs) - reach, min(ys) - reach, max(xs) - min(xs) + 2 * reach, max(ys) - min(ys) + 2 * reach)
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = rect
        self.update()

    def paint(self, painter: QPainter, option: Any, widget: Any = None) -> None:
        if not self.pulses:
            return
        now = time.monotonic()
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for x, y, level, started in self.pulses:
            t = min(max((now - started) / PULSE_S, 0.0), 1.0)
            centre = transform.map(QPointF(x * self.shrink, y))
            name = SLA_LEVELS[level]
            ring = QColor(sla_fill(name))
            ring.setAlphaF(1.0 - t)
            painter.setPen(QPen(ring, self.line_px * (1.0 - 0.5 * t)))
            # two waves, half a cycle apart, so the eye catches it at any moment
            for phase in (0.0, 0.5):
                r = self.radius_px * ((t * 2 + phase) % 1.0) + 6
                if phase and t > 0.75:
                    continue
                path = glyph(name)
                painter.save()
                painter.translate(centre)
                painter.scale(2 * r, 2 * r)
                pen = painter.pen()
                pen.setWidthF(pen.widthF() / (2 * r))
                painter.setPen(pen)
                if SHAPES[name] == "square":
                    painter.drawRect(QRectF(-0.5, -0.5, 1, 1))
                else:
                    painter.drawPath(path)
                painter.restore()
        painter.restore()


# --- the view with its overlays -----------------------------------------------------------


class _MapView(pg.GraphicsView):  # type: ignore[misc]
    """The graphics view; paints the names, the legend and the caption over the scene, in pixels."""

    def __init__(self, owner: WallMap) -> None:
        super().__init__(parent=owner, background=color("surface.sunken"))
        self._owner = owner
        self.setInteractive(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setMouseTracking(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(self.Shape.NoFrame)
        # pyqtgraph caches the background in a pixmap the size of the view: at 3840×2160 that is a
        # 33 MB allocation and an extra copy on every first frame; filling a plain colour is cheaper
        self.setCacheMode(self.CacheModeFlag.CacheNone)
        self.setOptimizationFlag(self.OptimizationFlag.DontSavePainterState, False)
        # QGraphicsView fills its viewport with the palette before `drawBackground` fills it again
        # with the background brush: two passes over 3840×2160 (~4 ms a frame); the brush alone
        # covers every exposed pixel, so the viewport is opaque without Qt's fill
        self.viewport().setAutoFillBackground(False)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    # a wall is read-only: swallow every pointer and key event before pyqtgraph sees it
    def mousePressEvent(self, ev: Any) -> None:
        ev.ignore()

    def mouseReleaseEvent(self, ev: Any) -> None:
        ev.ignore()

    def mouseMoveEvent(self, ev: Any) -> None:
        ev.ignore()

    def mouseDoubleClickEvent(self, ev: Any) -> None:
        ev.ignore()

    def wheelEvent(self, ev: Any) -> None:
        ev.ignore()

    def keyPressEvent(self, ev: Any) -> None:
        ev.ignore()

    def contextMenuEvent(self, ev: Any) -> None:
        ev.ignore()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)
        painter.save()
        exposed = painter.transform().mapRect(rect)  # scene → view pixels (the same, with pyqtgraph)
        painter.resetTransform()
        self._owner._paint_overlay(painter, exposed)
        painter.restore()


class WallMap(QWidget):
    """The wall's map; see the module's docstring for the API and its rules."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._px_per_mm = DEFAULT_PX_PER_MM
        self._shrink = 1.0
        self._bounds = QRectF()
        self._areas: dict[str, MapArea] = {}
        self._labels: list[tuple[str, QPointF]] = []  # name, anchor in scene (data) units
        self._credit = ""
        self._note = ""
        self._has_streets = False
        self._title = ""
        self._range: tuple[float, float] | None = None
        self._integers = True
        self.unknown_ids: list[str] = []
        """Choropleth ids of the last `set_choropleth` that name no area (ignored)."""
        self.point_counts: tuple[int, int, int, int] = (0, 0, 0, 0)
        """Points drawn per level (blue … red) after the last `set_points`."""

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._view = _MapView(self)
        layout.addWidget(self._view)
        self._box = pg.ViewBox(lockAspect=True, enableMouse=False, enableMenu=False, defaultPadding=0)
        self._box.setMouseEnabled(x=False, y=False)
        self._box.disableAutoRange()
        self._box.setAcceptHoverEvents(False)
        self._view.setCentralItem(self._box)
        self._box.sigResized.connect(self._fit)

        self._areas_item = _AreasItem()
        self._box.addItem(self._areas_item, ignoreBounds=True)
        self._glyphs = _GlyphsItem()
        self._glyphs.setZValue(10)
        self._box.addItem(self._glyphs, ignoreBounds=True)
        self._pulses = _PulseItem(self._stop_pulses)
        self._pulses.setZValue(20)
        self._box.addItem(self._pulses, ignoreBounds=True)
        self._pulse_timer = QTimer(self)
        self._pulse_timer.setInterval(PULSE_FRAME_MS)
        self._pulse_timer.timeout.connect(self._tick_pulses)
        self._apply_scale()

    # --- the API ---------------------------------------------------------------------

    def set_geography(self, boundary: Sequence[Ring], areas: Sequence[MapArea], *, credit: str,
                      approximate_note: str) -> None:
        """The district (outer rings and holes, even-odd) and its areas; builds every path once.

        Areas are clipped to the boundary. Streets are outlined dashed (approximate) and named at
        their centroid when `label` is set; grids are finer and never named.
        """
        lats = [lat for ring in boundary for _lon, lat in ring]
        if not lats:
            raise ValueError("the district's boundary has no points")
        for area in areas:
            if area.kind not in ("street", "grid"):
                raise ValueError(f"area {area.id!r} has kind {area.kind!r}; expected 'street' or 'grid'")
        self._shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
        boundary_path = _ring_path(boundary, self._shrink)
        self._bounds = boundary_path.boundingRect()
        vx = np.asarray([lon * self._shrink for ring in boundary for lon, _lat in ring])
        vy = np.asarray([lat for ring in boundary for _lon, lat in ring])
        area_paths: dict[str, QPainterPath] = {}
        grid_rings: list[list[Point]] = []
        street_rings: list[list[Point]] = []
        self._labels = []
        for area in areas:
            raw = _ring_path(area.rings, self._shrink)
            if raw.isEmpty():
                continue
            box = raw.boundingRect()
            # a convex area with every corner inside and no boundary vertex within its box needs no clip
            inside = not bool(np.any((vx >= box.left()) & (vx <= box.right()) & (vy >= box.top())
                                     & (vy <= box.bottom()))) and \
                all(boundary_path.contains(QPointF(lon * self._shrink, lat))
                    for ring in area.rings for lon, lat in ring)
            path = raw if inside else raw.intersected(boundary_path)
            if path.isEmpty():
                continue
            path.setFillRule(Qt.FillRule.OddEvenFill)
            area_paths[area.id] = path
            rings = [[(lon * self._shrink, lat) for lon, lat in ring] for ring in area.rings]
            if area.kind == "street":
                street_rings += rings
            else:
                grid_rings += rings
            if area.kind == "street" and area.label and area.name:
                self._labels.append((area.name, _label_anchor(path)))
        self._areas = {area.id: area for area in areas if area.id in area_paths}
        edges = [(x0, y0, x1, y1) for ring in boundary
                 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True)]
        e = np.asarray(edges, dtype=float).reshape(-1, 4)
        cut = (boundary_path, e[:, 0] * self._shrink, e[:, 1], e[:, 2] * self._shrink, e[:, 3])
        street_lines = _inner_edges(street_rings, *cut)
        self._has_streets = not street_lines.isEmpty()
        grid_lines = _inner_edges(grid_rings, *cut, join=True)
        self._credit, self._note = credit, approximate_note
        self._areas_item.set_paths(boundary_path, area_paths, street_lines, grid_lines)
        self._glyphs.shrink = self._pulses.shrink = self._shrink
        self._glyphs.set_points(self._glyphs.lon, self._glyphs.lat, self._shrink)
        self._range = None
        self.setAccessibleDescription(" · ".join(t for t in (approximate_note, credit) if t))
        self._prepare()
        self._fit()

    def set_notice(self, text: str) -> None:
        """A line where the caption goes, e.g. while the district's shapes have not come yet."""
        self._note, self._credit = text, ""
        self.setAccessibleDescription(text)
        self._view.viewport().update()

    def set_choropleth(self, values: Mapping[str, float], *, title: str) -> None:
        """Area id → value (≥ 0): a muted sequential ramp, zero and absent areas in the base colour.

        Streets are filled first, grids over them. Ids that name no area are ignored (see
        `unknown_ids`); a negative or non-finite value is a ValueError.
        """
        ids = list(values)
        numbers = np.asarray([values[i] for i in ids], dtype=float) if ids else np.zeros(0)
        bad = ~np.isfinite(numbers) | (numbers < 0)
        if bad.any():
            which = ids[int(np.flatnonzero(bad)[0])]
            raise ValueError(f"choropleth value of {which!r} is {values[which]!r}; values must be finite and >= 0")
        self.unknown_ids = [i for i in ids if i not in self._areas]
        top = float(numbers.max()) if numbers.size else 0.0
        moved = title != self._title or self._range is None  # the legend's box (and the names around it) move
        self._title = title
        self._range = (0.0, top)
        self._integers = bool(np.all(numbers == np.round(numbers)))
        colours = ramp_colours()
        # step 1..RAMP_STEPS for values in (0, top]; 0 stays the base colour
        steps = np.zeros(len(ids), dtype=int) if top <= 0 else \
            np.where(numbers > 0, np.minimum(np.ceil(numbers / top * RAMP_STEPS), RAMP_STEPS), 0).astype(int)
        buckets: dict[tuple[int, int], QPainterPath] = {}
        for area_id, step in zip(ids, steps.tolist(), strict=True):
            area = self._areas.get(area_id)
            if area is None or step == 0:
                continue
            key = (0 if area.kind == "street" else 1, step)
            bucket = buckets.get(key)
            if bucket is None:
                bucket = buckets[key] = QPainterPath()
                bucket.setFillRule(Qt.FillRule.WindingFill)
            bucket.addPath(self._areas_item.area_paths[area_id])
        fills = [(QBrush(colours[step]), buckets[(kind, step)]) for kind, step in sorted(buckets)]
        self._areas_item.set_fills(fills)  # repaints the district's box, not the whole frame
        self._legend_pixmap(self._dpr())
        if moved:  # the district may move clear of the new legend: fit again (which repaints all)
            self._fit()
            self._view.viewport().update()
        else:  # the legend's range: its box only (the rest of the frame keeps its pixels)
            _swatch, _pad, box_w, box_h = self._legend_geometry(QFontMetricsF(self._legend_font))
            margin = self._margin()
            self._view.viewport().update(QRectF(margin, margin, box_w, box_h).toAlignedRect().adjusted(-2, -2, 2, 2))

    def set_points(self, lon: np.ndarray, lat: np.ndarray, levels: np.ndarray) -> None:
        """Open cases: one glyph each, coloured and shaped by level (0 blue … 3 red), red on top.

        The three arrays must have one length; levels must be 0..3 (ValueError otherwise); rows
        with a non-finite coordinate are skipped.
        """
        lon, lat, levels = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), np.asarray(levels)
        if lon.ndim != 1 or lat.shape != lon.shape or levels.shape != lon.shape:
            raise ValueError(f"lon, lat and levels must be 1-D arrays of one length; got shapes "
                             f"{lon.shape}, {lat.shape}, {levels.shape}")
        if levels.size and (not np.issubdtype(levels.dtype, np.integer) or levels.min() < 0 or levels.max() > 3):
            raise ValueError("levels must be integers 0..3 (blue, yellow, orange, red)")
        keep = np.isfinite(lon) & np.isfinite(lat)
        lons, lats = [], []
        for index in range(len(SLA_LEVELS)):
            mask = keep & (levels == index)
            lons.append(lon[mask])
            lats.append(lat[mask])
        self._glyphs.set_points(lons, lats, self._shrink)
        self.point_counts = (lons[0].size, lons[1].size, lons[2].size, lons[3].size)

    def pulse(self, lon: float, lat: float, level: int) -> None:
        """An expanding outline of the level's shape at (lon, lat) for ~3 s; several may run; stops by itself."""
        if level not in range(len(SLA_LEVELS)):
            raise ValueError(f"level must be 0..3, got {level!r}")
        if not (math.isfinite(lon) and math.isfinite(lat)):
            return
        self._pulses.pulses.append((lon, lat, int(level), time.monotonic()))
        self._pulses.refresh(time.monotonic())
        if not self._pulse_timer.isActive():
            self._pulse_timer.start()

    def set_scale(self, px_per_mm: float, *, label_mm: float | None = None) -> None:
        """Physical size of a millimetre on the screen; texts and glyphs are sized in millimetres.

        `label_mm` overrides the street names' capital height (default `LABEL_MM`, 29 mm: 5 m).
        """
        if not (px_per_mm > 0 and math.isfinite(px_per_mm)):
            raise ValueError(f"px_per_mm must be a positive number, got {px_per_mm!r}")
        self._px_per_mm = float(px_per_mm)
        self._label_mm = LABEL_MM if label_mm is None else float(label_mm)
        self._apply_scale()

    # --- reading back (tests, the page's accessibility text) ---------------------------

    @property
    def pulses_running(self) -> int:
        return len(self._pulses.pulses)

    @property
    def credit(self) -> str:
        return self._credit

    @property
    def approximate_note(self) -> str:
        return self._note

    def map_to_widget(self, lon: float, lat: float) -> QPointF:
        """Where (lon, lat) lands in the widget's pixels."""
        scene = self._box.mapViewToScene(QPointF(lon * self._shrink, lat))
        return QPointF(self._view.mapFromScene(scene)) + QPointF(self._view.pos())

    def sizeHint(self) -> QSize:
        return QSize(960, 720)

    # --- internals ---------------------------------------------------------------------

    def _font(self, cap_mm: float, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(max(9, round(cap_mm * self._px_per_mm / CAP_HEIGHT)))
        font.setBold(bold)
        return font

    def _apply_scale(self) -> None:
        if not hasattr(self, "_label_mm"):
            self._label_mm = LABEL_MM
        mm = self._px_per_mm
        self._glyphs.set_sizes([max(low, size_mm * mm) for low, size_mm in zip(POINT_MIN_PX, POINT_MM, strict=True)])
        self._areas_item.line_px = max(1.5, 1.6 * mm)
        self._pulses.radius_px = PULSE_MM * mm
        self._pulses.line_px = max(2.0, 2.5 * mm)
        self._label_font = self._font(self._label_mm, bold=True)
        self._label_cache: dict[tuple[str, float], QPixmap] = {}
        self._legend_font = self._font(LEGEND_MM)
        self._legend: tuple[tuple[str, str, str, float], QPixmap] | None = None
        self._caption_font = self._font(CAPTION_MM)
        self._prepare()
        self._fit()

    def _dpr(self) -> float:
        """The pixel ratio the map will be drawn at: its screen's (the primary one's before it is shown)."""
        return self.devicePixelRatioF()

    def _prepare(self) -> None:
        """Draw what every frame reuses now, off-screen, ahead of the first frame (a page change):
        the street names' plates and the level glyphs at this size. The first frame of a 4K map
        otherwise pays ~3 ms for the 14 names alone."""
        dpr = self._dpr()
        self._glyphs.prepare(dpr)
        if self._labels:
            metrics = QFontMetricsF(self._label_font)
            pad = metrics.height() * 0.12
            for name, _anchor in self._labels:
                self._label_pixmap(name, metrics, pad, dpr)

    def _caption_height(self) -> float:
        lines = sum(1 for t in (self._credit, self._note) if t)
        return QFontMetricsF(self._caption_font).height() * lines + self._margin() * 1.5 if lines else 0.0

    def _margin(self) -> float:
        return max(6.0, 6.0 * self._px_per_mm)

    def _fit(self, *_args: object) -> None:
        """Fit the district into the box, keeping its shape, above the caption lines, centred in
        the height it does not fill, and clear of the legend in the top left corner: where the
        district's box would run under it, the district goes below it (a little smaller if it
        must, at most by a fifth)."""
        if self._bounds.isEmpty():
            return
        w, h = self._box.width(), self._box.height()
        if w < 10 or h < 10:
            return
        margin = self._margin()
        label_pad = QFontMetricsF(self._label_font).height() * 0.5
        avail_w, avail_h = w - 2 * margin, h - self._caption_height() - margin - label_pad
        avail_h = max(avail_h, h * 0.3)
        b = self._bounds
        scale = min(avail_w / b.width(), avail_h / b.height())  # px per data unit
        below = 0.0  # pixels the district moves down to clear the legend
        if self._range is not None:
            _swatch, _pad, box_w, box_h = self._legend_geometry(QFontMetricsF(self._legend_font))
            if (w - b.width() * scale) / 2 < margin + box_w + margin * 0.5:  # its box reaches under the legend
                need = box_h + margin * 0.5
                if avail_h - b.height() * scale >= need:
                    below = need
                else:
                    smaller = min(avail_w / b.width(), (avail_h - need) / b.height())
                    if smaller >= 0.8 * scale:
                        scale, below = smaller, need
        below += max(0.0, avail_h - below - b.height() * scale) / 2
        cx = b.center().x()
        top = b.bottom() + (margin + label_pad * 0.5 + below) / scale  # data y grows upwards
        self._box.setRange(xRange=(cx - w / 2 / scale, cx + w / 2 / scale), yRange=(top - h / scale, top), padding=0)
        self._view.viewport().update()

    def _tick_pulses(self) -> None:
        self._pulses.refresh(time.monotonic())

    def _stop_pulses(self) -> None:
        self._pulse_timer.stop()

    def _format(self, value: float) -> str:
        return f"{value:,.0f}" if self._integers else f"{value:,.3g}"

    def _paint_overlay(self, painter: QPainter, exposed: QRectF) -> None:
        """Street names, legend and caption, in the view's pixels (those meeting `exposed`)."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        width, height = self._view.width(), self._view.height()
        margin = self._margin()
        caption_top = height - self._caption_height()
        placed: list[QRectF] = []
        if self._range is not None:
            self._paint_legend(painter, margin, placed, exposed)
        if self._labels:
            self._paint_labels(painter, caption_top, placed, exposed)
        if (self._credit or self._note) and exposed.bottom() >= caption_top:
            self._paint_caption(painter, width, height, margin)

    def _paint_labels(self, painter: QPainter, caption_top: float, placed: list[QRectF], exposed: QRectF) -> None:
        painter.setFont(self._label_font)
        metrics = QFontMetricsF(self._label_font)
        pad = metrics.height() * 0.12
        dpr = painter.device().devicePixelRatioF()
        for name, anchor in self._labels:
            centre = self._view.mapFromScene(self._box.mapViewToScene(anchor))
            text_w = metrics.horizontalAdvance(name)
            rect = QRectF(centre.x() - text_w / 2, centre.y() - metrics.height() / 2, text_w, metrics.height())
            rect.moveBottom(min(rect.bottom(), caption_top))  # never over the caption
            # nudge up or down (half a line at a time) off names already placed
            for dy in (0, -0.55, 0.55, -1.1, 1.1):
                trial = rect.translated(0, dy * metrics.height())
                if trial.bottom() <= caption_top and not any(trial.intersects(p) for p in placed):
                    rect = trial
                    break
            else:
                continue  # no room: leave this name out rather than overlap another
            placed.append(rect.adjusted(-pad, 0, pad, 0))
            # the plate's pixels reach up to a pixel past its rect (whole pixels, a fractional place):
            # a repaint that only touches them must still draw it, or the glyphs under it show undimmed
            if not exposed.intersects(placed[-1].adjusted(-1, -1, 2, 2)):
                continue
            painter.drawPixmap(QPointF(rect.left() - pad, rect.top()), self._label_pixmap(name, metrics, pad, dpr))

    def _label_pixmap(self, name: str, metrics: QFontMetricsF, pad: float, dpr: float) -> QPixmap:
        """A street's name on its plate, drawn once per size (a 64-pixel CJK name is slow to draw)."""
        key = (name, dpr)
        pixmap = self._label_cache.get(key)
        if pixmap is None:
            width, height = metrics.horizontalAdvance(name) + 2 * pad, metrics.height()
            pixmap = QPixmap(math.ceil(width * dpr), math.ceil(height * dpr))
            pixmap.setDevicePixelRatio(dpr)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            plate = color("surface.sunken")
            plate.setAlpha(190)  # the glyphs under a name still show through, dimmed
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(plate)
            p.drawRoundedRect(QRectF(0, 0, width, height), pad, pad)
            p.setFont(self._label_font)
            p.setPen(color("text"))
            p.drawText(QPointF(pad, metrics.ascent()), name)
            p.end()
            self._label_cache[key] = pixmap
        return pixmap

    def _legend_geometry(self, metrics: QFontMetricsF) -> tuple[float, float, float, float]:
        """Swatch side, padding, and the box's width and height of the legend."""
        swatch = metrics.height() * 0.9
        pad = metrics.height() * 0.4
        ramp_w = swatch * (RAMP_STEPS + 1)
        box_w = max(metrics.horizontalAdvance(self._title), ramp_w) + 2 * pad
        return swatch, pad, box_w, metrics.height() * 2 + swatch + 2 * pad

    def _legend_pixmap(self, dpr: float) -> QPixmap | None:
        """The legend (title, ramp, range) drawn once per title, range and pixel ratio."""
        if self._range is None:
            return None
        low, high = self._format(self._range[0]), self._format(self._range[1])
        key = (self._title, low, high, dpr)
        if self._legend is not None and self._legend[0] == key:
            return self._legend[1]
        metrics = QFontMetricsF(self._legend_font)
        swatch, pad, box_w, box_h = self._legend_geometry(metrics)
        pixmap = QPixmap(math.ceil(box_w * dpr) + 1, math.ceil(box_h * dpr) + 1)
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        box = QRectF(0.5, 0.5, box_w - 1, box_h - 1)
        painter.setPen(QPen(color("border"), 1))
        plate = color("surface")
        plate.setAlpha(225)
        painter.setBrush(plate)
        painter.drawRoundedRect(box, pad * 0.6, pad * 0.6)
        painter.setFont(self._legend_font)
        painter.setPen(color("text"))
        painter.drawText(QPointF(box.left() + pad, box.top() + pad + metrics.ascent()), self._title)
        y = box.top() + pad + metrics.height() + metrics.height() * 0.1
        painter.setPen(QPen(color("border"), 1))
        colours = ramp_colours()
        for i, colour in enumerate(colours):
            painter.setBrush(colour)
            painter.drawRect(QRectF(box.left() + pad + i * swatch, y, swatch, swatch))
        painter.setPen(color("text.muted"))
        base = y + swatch + metrics.ascent()
        ramp_w = swatch * len(colours)
        painter.drawText(QPointF(box.left() + pad, base), low)
        painter.drawText(QPointF(box.left() + pad + ramp_w - metrics.horizontalAdvance(high), base), high)
        painter.end()
        self._legend = (key, pixmap)
        return pixmap

    def _paint_legend(self, painter: QPainter, margin: float, placed: list[QRectF], exposed: QRectF) -> None:
        _swatch, _pad, box_w, box_h = self._legend_geometry(QFontMetricsF(self._legend_font))
        box = QRectF(margin, margin, box_w, box_h)
        placed.append(box)
        if not exposed.intersects(box):
            return
        pixmap = self._legend_pixmap(painter.device().devicePixelRatioF())
        if pixmap is not None:
            painter.drawPixmap(box.topLeft(), pixmap)

    def _paint_caption(self, painter: QPainter, width: float, height: float, margin: float) -> None:
        painter.setFont(self._caption_font)
        metrics = QFontMetricsF(self._caption_font)
        plate = color("surface.sunken")
        plate.setAlpha(210)
        lines = [t for t in (self._note, self._credit) if t]
        y = height - margin * 0.75 - metrics.height() * len(lines)
        dash_w = metrics.height() * 2.2 if self._note and self._has_streets else 0.0
        for text in lines:
            x = margin
            if text is self._note and dash_w:
                pen = _cosmetic(color("text.muted"), self._areas_item.line_px)
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                mid = y + metrics.height() / 2
                painter.drawLine(QPointF(x, mid), QPointF(x + dash_w - metrics.height() * 0.4, mid))
                x += dash_w
            room = width - x - margin
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(plate)
            painter.drawRect(QRectF(x - 2, y, metrics.horizontalAdvance(shown) + 4, metrics.height()))
            painter.setPen(color("text.muted"))
            painter.drawText(QPointF(x, y + metrics.ascent()), shown)
            y += metrics.height()
