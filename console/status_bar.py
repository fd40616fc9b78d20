"""The status bar: is this screen live, and how fresh is what it shows.

Connection state (word + symbol + colour), hub address, role, number of cases, last `seq`
and the age of the last event, refreshed on every state change and once a second, so a
frozen feed shows itself instead of passing for a quiet one. After an error of the console's
own that cost a reconnect, a warning says how many there were (the latest in its tooltip)
for the rest of the run: the banner says it only until the feed is live again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from protocol import Role
from views.models.labels import role_text
from widgets.theme import color


class FeedLike(Protocol):
    """What the console reads of a feed connection (`backend_client.connection.FeedConnection`)."""

    url: str
    state: ConnectionState
    state_detail: str
    role: Role | None
    last_event_monotonic: float | None
    server_skew_s: float

    def add_listener(self, callback: Callable[[Any], None]) -> None: ...

    def remove_listener(self, callback: Callable[[Any], None]) -> None: ...


translate = QCoreApplication.translate

_SYMBOL = {
    ConnectionState.CONNECTING: ("○", "warn"),
    ConnectionState.SYNCING: ("◐", "warn"),
    ConnectionState.LIVE: ("●", "ok"),
    ConnectionState.BACKOFF: ("↻", "warn"),
    ConnectionState.STOPPED: ("✕", "danger"),
}


def _label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    return label


class ConnectionStatusBar(QStatusBar):
    """Status bar fed by a `FeedLike` connection and the store it fills."""

    def __init__(self, feed: FeedLike, store: CaseStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusbar.connection")
        self.setSizeGripEnabled(False)
        self._feed = feed
        self._store = store
        self.state_label = _label("status.state")
        self.hub_label = _label("status.hub")
        self.role_label = _label("status.role")
        self.cases_label = _label("status.cases")
        self.seq_label = _label("status.seq")
        self.age_label = _label("status.age")
        self.faults_label = _label("status.faults")
        self.faults_label.setVisible(False)
        self.addWidget(self.state_label)
        self.addWidget(self.hub_label, 1)
        for label in (self.faults_label, self.role_label, self.cases_label, self.seq_label, self.age_label):
            self.addPermanentWidget(label)
        self.refresh()

    def state_text(self) -> str:
        feed = self._feed
        state = feed.state
        if state is ConnectionState.CONNECTING:
            return translate("ConnectionStatusBar", "Connecting…")
        if state is ConnectionState.SYNCING:
            return translate("ConnectionStatusBar", "Syncing…")
        if state is ConnectionState.LIVE:
            return translate("ConnectionStatusBar", "Live")
        if state is ConnectionState.BACKOFF:
            retry_at = getattr(feed, "retry_at_monotonic", None)
            if retry_at is None:
                return translate("ConnectionStatusBar", "Reconnecting…")
            seconds = max(0, math.ceil(retry_at - time.monotonic()))
            return translate("ConnectionStatusBar", "Reconnecting in %1 s").replace("%1", f"{seconds}")
        detail = feed.state_detail or translate("ConnectionStatusBar", "closed")
        return translate("ConnectionStatusBar", "Stopped: %1").replace("%1", detail)

    def age_text(self) -> str:
        last = self._feed.last_event_monotonic
        if last is None:
            return translate("ConnectionStatusBar", "No event yet")
        age = max(0, int(time.monotonic() - last))
        if age < 120:
            return translate("ConnectionStatusBar", "Last event %1 s ago").replace("%1", f"{age}")
        return translate("ConnectionStatusBar", "Last event %1 min ago").replace("%1", f"{age // 60}")

    def refresh(self) -> None:
        """Read the connection and the store again (on a state change, and once a second)."""
        feed = self._feed
        symbol, token = _SYMBOL.get(feed.state, ("?", "warn"))
        self.state_label.setText(f"{symbol} {self.state_text()}")
        self.state_label.setStyleSheet(f"color: {color(token).name()}; font-weight: bold;")
        self.state_label.setToolTip(feed.state_detail)
        role = role_text(feed.role) if feed.role is not None else "—"
        self.hub_label.setText(translate("ConnectionStatusBar", "Hub %1").replace("%1", feed.url))
        self.role_label.setText(translate("ConnectionStatusBar", "Role: %1").replace("%1", role))
        cases = f"{len(self._store):,}"
        self.cases_label.setText(translate("ConnectionStatusBar", "Cases %1").replace("%1", cases))
        seq = f"{self._store.last_seq}"
        self.seq_label.setText(translate("ConnectionStatusBar", "Seq %1").replace("%1", seq))
        self.age_label.setText(self.age_text())
        faults = int(getattr(feed, "faults", 0) or 0)
        if faults:
            self.faults_label.setText("⚠ " + translate("ConnectionStatusBar", "Console errors: %1").replace(
                "%1", f"{faults}"))
            self.faults_label.setStyleSheet(f"color: {color('warn').name()}; font-weight: bold;")
            self.faults_label.setToolTip(str(getattr(feed, "last_fault", "") or ""))
        self.faults_label.setVisible(bool(faults))
