"""The shift handover in the duty window, installed by one call: `install_handover(window)`.

It adds a Shift menu (Hand over shift…, Take over shift…), a status-bar label with the state of
the latest handover and today's front-desk unit, and a line in the status bar for each
`rota.changed`, `shift.handed_over` and `shift.handover_acknowledged` as it arrives. A handover for
this desk, handed over by someone else, opens the take-over panel by itself (the incoming officer
need not look for it in the menu). The forms are non-modal (views/handover/); the store's shift
book says what to show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu
from shiboken6 import isValid

from backend_client.alerts import AlertBook
from backend_client.store import CaseStore
from backend_client.store.shift_book import ShiftNews
from protocol import may_send
from views.handover.dialog import CommandFeed, HandoverDialog
from views.handover.panel import HandoverPanel, today_in_centre
from views.handover.texts import ack_line, open_count, rota_line, state_line, unit_name

translate = QCoreApplication.translate
POLL_MS = 500
"""The shift book is read this often (one int compare when nothing changed)."""
MESSAGE_MS = 10_000


class HandoverHook(QObject):
    def __init__(self, window: QMainWindow, store: CaseStore, feed: Any, book: AlertBook | None,
                 language: str) -> None:
        super().__init__(window)
        self.window, self.store, self.feed, self.book, self.language = window, store, feed, book, language
        self.dialog: HandoverDialog | None = None
        self.panel: HandoverPanel | None = None
        self._seen = -1
        self.menu = QMenu(translate("Handover", "S&hift"), window)
        self.menu.setObjectName("menu.shift")
        self.hand_over = self.menu.addAction(translate("Handover", "&Hand over shift…"))
        self.hand_over.setShortcut(QKeySequence("Ctrl+Shift+H"))
        self.hand_over.triggered.connect(self.open_handover)
        self.take_over = self.menu.addAction(translate("Handover", "&Take over shift…"))
        self.take_over.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.take_over.triggered.connect(self.open_takeover)
        bar = window.menuBar()
        about = getattr(getattr(window, "menus", None), "about", None)
        help_menu = next((a for a in bar.actions() if isinstance(m := a.menu(), QMenu) and about in m.actions()), None)
        if help_menu is not None:  # before Help, which stays last
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.label = QLabel()
        self.label.setObjectName("status.shift")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    @property
    def scope(self) -> str | None:
        welcome = getattr(self.feed, "welcome", None)
        return getattr(welcome, "unit_id", None)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(datetime.now(UTC).timestamp() + float(getattr(self.feed, "server_skew_s", 0.0)),
                                      UTC)

    def refresh(self) -> None:
        """Follow the shift book: the label, the open panel, and one status line per new change."""
        role = getattr(self.feed, "role", None)
        self.hand_over.setEnabled(role is not None and may_send(role, "shift.handover"))
        self.take_over.setEnabled(role is not None and may_send(role, "shift.handover_ack"))
        shift = self.store.shift
        if shift.version == self._seen:
            return
        self._seen = shift.version
        news = shift.take_news()
        if news:
            self.window.statusBar().showMessage(self.news_text(news[-1]), MESSAGE_MS)
        self.label.setText(self.label_text())
        if any(self.is_for_this_desk(n) for n in news):
            self.open_takeover()
        elif self.panel is not None and isValid(self.panel):
            self.panel.refresh()

    def is_for_this_desk(self, news: ShiftNews) -> bool:
        """A handover just made for this desk, by someone else, that this account may take over."""
        handover, role = news.handover, getattr(self.feed, "role", None)
        return (handover is not None and news.ack is None and handover.acknowledged_by is None
                and handover.unit_id == self.scope and handover.by != getattr(self.feed, "user", None)
                and role is not None and may_send(role, "shift.handover_ack"))

    def label_text(self) -> str:
        parts = []
        day = self.store.shift.rota.get(today_in_centre(self._now()))
        if day is not None:
            parts.append(translate("Handover", "Front desk: {unit}").format(
                unit=unit_name(self.store, day.front_desk_unit_id)))
        handover = self.store.shift.latest(self.scope)
        if handover is not None:
            parts.append(translate("Handover", "Handover {id}: {state}").format(id=handover.id,
                                                                                state=state_line(handover)))
        return "  ·  ".join(parts)

    def news_text(self, news: ShiftNews) -> str:
        if news.ack is not None:
            return ack_line(news.ack)
        if news.handover is not None:
            h = news.handover
            return translate("Handover", "Shift handed over by {user}: {open} open items").format(
                user=h.by, open=open_count(h))
        assert news.rota is not None
        return translate("Handover", "Rota changed: {line}").format(line=rota_line(news.rota, self.store))

    def open_handover(self) -> HandoverDialog:
        if self.dialog is None or not isValid(self.dialog):
            tracker = getattr(self.feed, "commands", None)
            self.dialog = HandoverDialog(self.store, cast(CommandFeed, self.feed), self.book, tracker,
                                         language=self.language, scope=self.scope, parent=self.window)
            self.dialog.handed_over.connect(self._on_handed_over)
        else:
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def open_takeover(self) -> HandoverPanel:
        if self.panel is None or not isValid(self.panel):
            self.panel = HandoverPanel(self.store, cast(CommandFeed, self.feed),
                                       today=today_in_centre(self._now()), scope=self.scope, parent=self.window)
        self.panel.refresh(force=True)
        self.panel.show()
        self.panel.raise_()
        return self.panel

    def _on_handed_over(self, result: object) -> None:
        items = result.get("items", 0) if isinstance(result, dict) else 0
        self.window.statusBar().showMessage(
            translate("Handover", "Shift handed over with {count} open items").format(count=items), MESSAGE_MS)

    def stop(self) -> None:
        self.timer.stop()


def install_handover(window: Any) -> HandoverHook:
    """Give a duty window its Shift menu and status line (`window` has `store`, `feed`, `alert_book`)."""
    appearance = getattr(window, "appearance", None)
    language = getattr(appearance, "language", "en")
    return HandoverHook(window, window.store, window.feed, getattr(window, "alert_book", None), language)
