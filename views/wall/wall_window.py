"""The video wall (大屏): pages of tiles that rotate, a takeover for critical items, never silently stale.

Read-only: no menus, no buttons, no command ever sent but the hot-spot tile's question
(`analysis.hotspots`, every few minutes). Keys only: → / PgDn next page, ← / PgUp
previous, Space pause or resume the rotation, Ctrl+Q quit (for the person at the controller).

- A header on every page: the centre, the page (n / total, "paused"), the clock in the
  centre's zone, and "data as of hh:mm:ss · seq N" so nobody trusts a frozen screen.
- Takeover: a case turning red in a configured category, an urgent case, or a surge of intake
  holds the wall for `takeover_s`, then the rotation resumes where it was.
- Stale: the feed behind for longer than `stale_after_s` covers the whole wall with the age of
  the data; it clears by itself on catch-up.
- Burn-in: the whole picture drifts by a few pixels once a minute.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backend_client.feed_health import FeedCondition, FeedHealth
from backend_client.store import CaseStore
from protocol import CaseCreated, Geography, SlaLevel, TimerLevelChanged
from protocol.emergency import DirectiveChanged, EmergencyChanged
from protocol.events import Case
from views.models.labels import level_text
from views.wall.emergency import EmergencyView, header_text, takeover_reason
from views.wall.layout import Page, WallLayout
from views.wall.tiles import MapTile, WallTile, make_tile
from widgets.feed_banner import age_text
from widgets.theme import color
from widgets.wall_tiles import Message, font_for

TICK_MS = 1000
SHIFT_EVERY_S = 60
RECENT_S = 120.0
"""An event older than this (a replay after a reconnect) never takes over the wall nor pulses the map."""
SETTINGS_PAGE = "wall/page"
SETTINGS_PAUSED = "wall/paused"
SHIFT_PATTERN = ((0, 0), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))


translate = QCoreApplication.translate


# The shipped layout's page titles, for lupdate: a layout's titles are shown through tr().
_PAGE_TITLES = (
    QCoreApplication.translate("Wall", "District at a glance"),
    QCoreApplication.translate("Wall", "Intake and closures"),
    QCoreApplication.translate("Wall", "Rankings"),
)


def arcmin_cap_mm(distance_m: float, arcmin: float = 20.0) -> float:
    """Capital height (mm) that subtends `arcmin` minutes of arc at `distance_m` (ISO 11064)."""
    return 2 * distance_m * 1000 * math.tan(math.radians(arcmin / 60) / 2)


@dataclass(frozen=True)
class Takeover:
    """A critical item holding the wall: why, and the lines to show."""

    reason: str
    lines: tuple[tuple[str, str | None], ...]
    emergency: bool = False
    """A joint response's page (views/wall/emergency.py): its lines and the live acknowledgement board."""
    directive_id: str | None = None


class _ElidedLabel(QLabel):
    """A label that gives way to its neighbours: cut to its width with an ellipsis, never wider."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()


class WallPageWidget(QWidget):
    """One page: its tiles in the page's grid."""

    def __init__(self, page: Page, cap_px: float, px_per_mm: float, parent: QWidget | None = None,
                 ask: Any = None) -> None:
        super().__init__(parent)
        self.page = page
        grid = QGridLayout(self)
        gap = round(cap_px * 0.5)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(gap)
        self.tiles: list[WallTile] = []
        for spec in page.tiles:
            tile = make_tile(spec, cap_px, px_per_mm, ask)
            grid.addWidget(tile, spec.row, spec.col, spec.rowspan, spec.colspan)
            self.tiles.append(tile)
        for c in range(page.columns):
            grid.setColumnStretch(c, 1)
        for r in range(page.rows):
            grid.setRowStretch(r, 1)


class StaleOverlay(QWidget):
    """Covers the wall while its data is not current: the age of the data in large text."""

    def __init__(self, cap_px: float, parent: QWidget) -> None:
        super().__init__(parent)
        self.cap_px = cap_px
        self.text = ""
        self.detail = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def show_age(self, text: str, detail: str) -> None:
        self.text, self.detail = text, detail
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shade = QColor(color("surface.sunken"))
        shade.setAlpha(225)
        painter.fillRect(self.rect(), shade)
        band = self.rect().adjusted(0, self.height() // 3, 0, -self.height() // 3)
        painter.fillRect(band.adjusted(0, 0, 0, 0), QColor(color("surface.raised")))
        painter.setPen(color("danger"))
        painter.setFont(font_for(self.cap_px, scale=2.4, bold=True))
        painter.drawText(band.adjusted(0, 0, 0, -band.height() // 3), Qt.AlignmentFlag.AlignCenter, self.text)
        painter.setPen(color("text"))
        painter.setFont(font_for(self.cap_px, scale=1.2))
        painter.drawText(
            band.adjusted(0, band.height() * 2 // 3 - band.height() // 6, 0, 0),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            self.detail,
        )
        painter.end()


class WallWindow(QWidget):
    """Signals: `page_changed(int)`; `takeover_changed(bool)`; `stale_changed(bool)`."""

    page_changed = Signal(int)
    takeover_changed = Signal(bool)
    stale_changed = Signal(bool)

    def __init__(
        self,
        store: CaseStore,
        layout: WallLayout,
        health: Callable[[], FeedHealth],
        *,
        centre: str = "",
        zone: str = "Asia/Shanghai",
        px_per_mm: float = 1.0,
        settings: QSettings | None = None,
        now: Callable[[], float] = time.time,
        ask: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wall")
        self.store = store
        self.wall_layout = layout
        self.health = health
        self.zone = ZoneInfo(zone)
        self._now = now
        self._settings = settings if settings is not None else QSettings()
        self.px_per_mm = px_per_mm
        self._ask = ask
        """`send_command` of the feed: only the hot-spot tile asks the hub (`analysis.hotspots`)."""
        self.cap_px = arcmin_cap_mm(layout.settings.viewing_distance_m) * px_per_mm
        self.setStyleSheet(f"QWidget#wall {{ background: {color('surface').name()}; }}")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._build(centre or translate("Wall", "District command centre"))
        self.index = 0
        self.paused = False
        self.takeover: Takeover | None = None
        self._takeover_until = 0.0
        self._page_shown_at = now()
        self._figures_version = -1
        self._store_seq = -1
        self._geography: Geography | None = None
        self._shift_step = 0
        self._last_shift = now()
        self._surge: deque[float] = deque()
        self._surge_fired_at = 0.0
        self.stale = False
        store.event_taps.append(self._on_event)
        self._restore()
        self.timer = QTimer(self, interval=TICK_MS, timerType=Qt.TimerType.CoarseTimer)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.tick()

    # --- building ----------------------------------------------------------------------

    def _build(self, centre: str) -> None:
        outer = self._outer = QVBoxLayout(self)
        self.shift = self.wall_layout.settings.shift_px
        pad = round(self.cap_px * 0.5)
        self._pad = pad
        outer.setContentsMargins(pad + self.shift, pad + self.shift, pad + self.shift, pad + self.shift)
        outer.setSpacing(pad)
        header = QHBoxLayout()
        self.centre_label = self._label(centre, 1.5, bold=True)
        # the page's name gives way (cut with an ellipsis) when a response's line fills the header:
        # its text as a minimum width made an English wall ~4,000 px wide on a 3,840 px screen
        self.page_label = self._label("", 1.5, elided=True)
        self.clock_label = self._label("", 1.5, bold=True)
        self.as_of_label = self._label("", 1.0, token="text.muted")
        header.addWidget(self.centre_label)
        header.addSpacing(pad * 2)
        header.addWidget(self.page_label, 1)
        self.emergency_label = self._label("", 1.5, bold=True)
        self.emergency_label.hide()
        header.addWidget(self.emergency_label)
        header.addSpacing(pad * 2)
        header.addWidget(self.as_of_label)
        header.addSpacing(pad * 2)
        header.addWidget(self.clock_label)
        outer.addLayout(header)
        self.stack = QStackedWidget(self)
        self.pages = [WallPageWidget(page, self.cap_px, self.px_per_mm, ask=self._ask)
                      for page in self.wall_layout.pages]
        for page in self.pages:
            self.stack.addWidget(page)
        self.takeover_view = Message(self.cap_px, scale=2.0)
        self.stack.addWidget(self.takeover_view)
        self.emergency_view = EmergencyView(self.cap_px)
        self.stack.addWidget(self.emergency_view)
        outer.addWidget(self.stack, 1)
        self.overlay = StaleOverlay(self.cap_px, self)

    def _label(self, text: str, scale: float, *, bold: bool = False, token: str = "text",
               elided: bool = False) -> QLabel:
        label = _ElidedLabel(text, self) if elided else QLabel(text, self)
        label.setFont(font_for(self.cap_px, scale=scale, bold=bold))
        label.setStyleSheet(f"color: {color(token).name()};")
        return label

    # --- rotation ----------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.index = index % len(self.pages)
        self._page_shown_at = self._now()
        if self.takeover is None:
            self.stack.setCurrentWidget(self.pages[self.index])
        self._refresh_page(force=True)
        self._label_page()
        self._save()
        self.page_changed.emit(self.index)

    def next_page(self) -> None:
        self.show_page(self.index + 1)

    def previous_page(self) -> None:
        self.show_page(self.index - 1)

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self._page_shown_at = self._now()
        self._label_page()
        self._save()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_PageDown):
            self.next_page()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.previous_page()
        elif key == Qt.Key.Key_Space:
            self.set_paused(not self.paused)
        elif key == Qt.Key.Key_Q and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.close()
        else:
            super().keyPressEvent(event)

    def _label_page(self) -> None:
        page = self.wall_layout.pages[self.index]
        text = f"{QCoreApplication.translate('Wall', page.title)}   {self.index + 1} / {len(self.pages)}"
        if self.paused:
            text += "   ‖ " + translate("Wall", "paused")
        if self.takeover is not None:
            text = self.takeover.reason
        self.page_label.setText(text)

    def _restore(self) -> None:
        try:
            index = int(str(self._settings.value(SETTINGS_PAGE, 0)))
        except (TypeError, ValueError):
            index = 0
        paused = str(self._settings.value(SETTINGS_PAUSED, "false")).lower() in ("true", "1")
        self.paused = paused
        self.show_page(index if 0 <= index < len(self.pages) else 0)

    def _save(self) -> None:
        self._settings.setValue(SETTINGS_PAGE, self.index)
        self._settings.setValue(SETTINGS_PAUSED, self.paused)

    # --- the clock -----------------------------------------------------------------------

    def tick(self) -> None:
        now = self._now()
        if self.takeover is not None and now >= self._takeover_until:
            self.end_takeover()
        elif (
            self.takeover is None
            and not self.paused
            and now - self._page_shown_at >= self.wall_layout.pages[self.index].dwell_s
        ):
            self.next_page()
        local = datetime.fromtimestamp(now, UTC).astimezone(self.zone)
        self.clock_label.setText(f"{local:%Y-%m-%d  %H:%M:%S}")
        self._show_freshness(now)
        self._show_emergency(now)
        self._refresh_page()
        if now - self._last_shift >= SHIFT_EVERY_S:
            self._burn_in_shift(now)

    def _show_freshness(self, now: float) -> None:
        figures = self.store.figures
        if figures is not None:
            as_of = figures.as_of.astimezone(self.zone)
            self.as_of_label.setText(
                translate("Wall", "data as of {time} · seq {seq}").format(
                    time=f"{as_of:%H:%M:%S}", seq=f"{self.store.last_seq:,}"
                )
            )
        else:
            self.as_of_label.setText(translate("Wall", "waiting for the hub's figures"))
        health = self.health()
        age = health.age_s
        limit = self.wall_layout.settings.stale_after_s
        stale = health.condition is not FeedCondition.LIVE and (age is None or age > limit)
        if stale:
            age_words = age_text(age) if age is not None else translate("Wall", "no data yet")
            self.overlay.show_age(
                translate("Wall", "DATA NOT CURRENT"),
                translate("Wall", "last known current {age} ago · reconnecting to the hub").format(age=age_words)
                if age is not None
                else age_words,
            )
        elif self.stale:
            self.overlay.hide()
        if stale != self.stale:
            self.stale = stale
            self.stale_changed.emit(stale)

    def _refresh_page(self, *, force: bool = False) -> None:
        if self.takeover is not None:
            return
        figures = self.store.figures
        version = self.store.figures_version
        seq = self.store.last_seq
        figures_moved = force or version != self._figures_version
        store_moved = force or seq != self._store_seq or self.store.geography is not self._geography
        self._figures_version, self._store_seq, self._geography = version, seq, self.store.geography
        if not (figures_moved or store_moved):
            return
        for tile in self.pages[self.index].tiles:
            if figures_moved or (store_moved and isinstance(tile, MapTile)):
                tile.refresh(figures, self.store)

    def _burn_in_shift(self, now: float) -> None:
        self._last_shift = now
        self._shift_step = (self._shift_step + 1) % len(SHIFT_PATTERN)
        dx, dy = SHIFT_PATTERN[self._shift_step]
        s, p = self.shift, self._pad
        self._outer.setContentsMargins(p + s + dx * s, p + s + dy * s, p + s - dx * s, p + s - dy * s)

    # --- takeover ----------------------------------------------------------------------

    def _show_emergency(self, now: float) -> None:
        """The response in the header while it is on; its takeover page filling live."""
        shown = header_text(self.store)
        self.emergency_label.setVisible(shown is not None)
        if shown is not None:
            text, level = shown
            self.emergency_label.setText(text)
            self.emergency_label.setStyleSheet(f"color: {color(f'sla.{level}').name()};")
        if self.takeover is not None and self.takeover.emergency:
            self.emergency_view.refresh(self.store, datetime.fromtimestamp(now, UTC))

    def start_takeover(self, takeover: Takeover) -> None:
        self.takeover = takeover
        self._takeover_until = self._now() + self.wall_layout.settings.takeover_s
        if takeover.emergency:
            self.emergency_view.directive_id = takeover.directive_id
            self._show_emergency(self._now())
            self.stack.setCurrentWidget(self.emergency_view)
        else:
            self.takeover_view.set_lines(takeover.lines)
            self.stack.setCurrentWidget(self.takeover_view)
        self._label_page()
        self.takeover_changed.emit(True)

    def end_takeover(self) -> None:
        self.takeover = None
        self.stack.setCurrentWidget(self.pages[self.index])
        self._page_shown_at = self._now()
        self._refresh_page(force=True)
        self._label_page()
        self.takeover_changed.emit(False)

    def _on_event(self, event: object) -> None:
        """A store tap: new red or urgent cases pulse on the map and may take the wall over; so does a
        response declared or escalated, or a directive issued."""
        if not isinstance(event, CaseCreated | TimerLevelChanged | EmergencyChanged | DirectiveChanged):
            return
        now = self._now()
        if (now - event.ts.timestamp()) > RECENT_S:
            return  # a replay of old events after a reconnect: history, not news
        if isinstance(event, EmergencyChanged | DirectiveChanged):
            why = takeover_reason(event)
            if why is not None:
                reason, directive_id = why
                self.start_takeover(Takeover(reason, (), emergency=True, directive_id=directive_id))
            return
        if isinstance(event, CaseCreated):
            case: Case | None = event.data
            self._count_intake(now)
            if case is not None and case.urgent:
                self._pulse(case, SlaLevel.RED)
                self.start_takeover(self._case_takeover(translate("Wall", "URGENT CASE"), case, "red"))
            return
        change = event.data
        if change.kind != "overall" or change.level is not SlaLevel.RED:
            return
        case = self.store.get(change.case_id)
        if case is None:
            return
        self._pulse(case, SlaLevel.RED)
        if case.urgent or case.category_code in self.wall_layout.settings.takeover_categories:
            self.start_takeover(self._case_takeover(translate("Wall", "CASE OVERDUE"), case, "red"))

    def _count_intake(self, now: float) -> None:
        window = 600.0
        self._surge.append(now)
        while self._surge and self._surge[0] < now - window:
            self._surge.popleft()
        threshold = self.wall_layout.settings.surge_per_10min
        if len(self._surge) > threshold and now - self._surge_fired_at > window:
            self._surge_fired_at = now
            self.start_takeover(
                Takeover(
                    translate("Wall", "SURGE OF REQUESTS"),
                    (
                        (translate("Wall", "SURGE OF REQUESTS"), None),
                        (
                            translate("Wall", "{n} new cases in the last 10 minutes (threshold {t})").format(
                                n=len(self._surge), t=threshold
                            ),
                            None,
                        ),
                    ),
                )
            )

    def _case_takeover(self, reason: str, case: Case, level: str) -> Takeover:
        local = case.received_at.astimezone(self.zone)
        return Takeover(
            reason,
            (
                (reason, level),
                (f"{case.serial} · {case.category_zh}", None),
                (f"{case.street_name} · {case.address}", None),
                (
                    translate("Wall", "received {time} · {level}").format(
                        time=f"{local:%H:%M}", level=level_text(level)
                    ),
                    None,
                ),
            ),
        )

    def _pulse(self, case: Case, level: SlaLevel) -> None:
        for tile in self.pages[self.index].tiles:
            if isinstance(tile, MapTile):
                tile.pulse(case.lon, case.lat, level)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())

    def stop(self) -> None:
        self.timer.stop()
        for page in self.pages:
            for tile in page.tiles:
                tile.stop()
        if self._on_event in self.store.event_taps:
            self.store.event_taps.remove(self._on_event)
