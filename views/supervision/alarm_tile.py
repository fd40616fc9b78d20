"""The supervisor's alarm figures (ISA-18.2, EEMUA 191): is the centre's duty officer alerted as little as he should be?

    tile = AlarmTile(store)          # keeps its own AlertBook on the store: the centre desk's rules
    tile.refresh()                   # what its timer does every `REFRESH_MS`

From `AlertBook.kpis()` (docs/alarms.md, "Figures"), over the hours this desk has watched the
feed (at most the last `HOURS`): alert lines per 10 minutes for one officer (target about 1, 2
still manageable), the share of 10-minute windows in flood (more than 10 lines; target under
1 %), the alerts left unacknowledged over 30 minutes, and the ten most frequent alerts by key and
unit (the "bad actors", to fix at their source). The book follows acknowledgements from the feed,
so what the duty officers acknowledge leaves the stale count. All strings are in context
`AlarmTile`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from backend_client.alerts import DISCIPLINED, AlarmKpis, AlertBook
from backend_client.store import CaseStore
from protocol import AlertKind, SupervisionAction
from views.case_detail.style import tint
from views.models import alert_texts

translate = QCoreApplication.translate

HOURS = 8.0
"""The figures cover at most this many past hours (a shift)."""
REFRESH_MS = 5_000
PER_10_MIN_TARGET = 1.0
PER_10_MIN_MANAGEABLE = 2.0
FLOOD_TARGET = 0.01


def kind_of(key: str) -> AlertKind:
    """The kind of an alert from its key alone (the bad actors are counted by key and unit)."""
    if key in {a.value for a in SupervisionAction}:
        return AlertKind.SUPERVISION
    if key.startswith("return."):
        return AlertKind.RETURNED
    return AlertKind.TIMER


class AlarmTile(QWidget):
    def __init__(self, store: CaseStore, *, book: AlertBook | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervision.alarms")
        self._owns_book = book is None
        self.book = book if book is not None else AlertBook(store, policy=DISCIPLINED)
        """The centre desk's alerts as this desk has seen them since it opened."""
        self._now = now
        self.since = now()
        self.kpis: AlarmKpis | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        layout.addWidget(self.title)
        figures = QFormLayout()
        self.rate = QLabel()
        self.rate.setObjectName("alarms.rate")
        self.flood = QLabel()
        self.flood.setObjectName("alarms.flood")
        self.stale = QLabel()
        self.stale.setObjectName("alarms.stale")
        figures.addRow(translate("AlarmTile", "Lines per officer per 10 min"), self.rate)
        figures.addRow(translate("AlarmTile", "10-min windows in flood"), self.flood)
        figures.addRow(translate("AlarmTile", "Unacknowledged over 30 min"), self.stale)
        layout.addLayout(figures)
        layout.addWidget(QLabel(translate("AlarmTile", "Most frequent alerts (fix at the source)")))
        self.bad_actors = QListWidget()
        self.bad_actors.setObjectName("alarms.bad_actors")
        layout.addWidget(self.bad_actors, 1)
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        now = self._now()
        self.book.tick(now)  # the centre's time-borne alerts (a case red for an hour, a unit with many)
        self.book.resound(now)
        self.book.prune(now)
        watched = min(HOURS, max((now - self.since) / timedelta(hours=1), 1 / 6))
        kpis = self.kpis = self.book.kpis(now, hours=watched)
        self.title.setText(translate("AlarmTile", "Alarm load of the centre's duty desk, since {time}").format(
            time=alert_texts.clock(max(self.since, now - timedelta(hours=HOURS)))))
        self.rate.setText(translate("AlarmTile", "{value} (target ≤ {target}, manageable ≤ {most})").format(
            value=f"{kpis.per_10_min:.1f}", target=f"{PER_10_MIN_TARGET:g}", most=f"{PER_10_MIN_MANAGEABLE:g}"))
        tint(self.rate, "text" if kpis.per_10_min <= PER_10_MIN_TARGET
             else "warn" if kpis.per_10_min <= PER_10_MIN_MANAGEABLE else "danger")
        self.flood.setText(translate("AlarmTile", "{value} % (target < {target} %)").format(
            value=f"{100 * kpis.flood_share:.0f}", target=f"{100 * FLOOD_TARGET:g}"))
        tint(self.flood, "text" if kpis.flood_share < FLOOD_TARGET else "danger")
        self.stale.setText(str(kpis.unacked_over_30_min))
        tint(self.stale, "danger" if kpis.unacked_over_30_min else "text")
        lines = [translate("AlarmTile", "{count} × {alert} · {unit}").format(
            count=count, alert=alert_texts.key_text(kind_of(key), key), unit=unit or "—")
            for (key, unit), count in kpis.bad_actors] or [translate("AlarmTile", "No alerts yet")]
        if [self.bad_actors.item(i).text() for i in range(self.bad_actors.count())] != lines:
            self.bad_actors.clear()
            self.bad_actors.addItems(lines)
            tint(self.bad_actors, "text" if kpis.bad_actors else "text.muted")

    def stop(self) -> None:
        self.timer.stop()
        if self._owns_book:
            self.book.close()
