"""The alerts panel: what needs the operator now, acknowledged with one key, floods grouped.

A dock listing the `AlertBook`'s alerts: unacknowledged first (critical on top), then the
last hour's acknowledged ones, greyed. A group opens into its cases. Acknowledging sends
`alert.ack` (the whole group's unacknowledged cases, or the one case selected) with the
comment typed beside the button; the row reads "Sending…" until the hub answers, and every
console marks it acknowledged when `alert.acknowledged` arrives. Nothing here is modal.

Unacknowledged critical alerts do not fade away: the panel's title flashes and the critical
sound plays again on the book's policy's schedule (`AlertBook.resound`): under the console's
rules after 2, then 5, then 10 more minutes, after which the row reads "escalated" and the
supervisor's alarm tile counts it; under the old rules every `RENOTIFY_MS`, for ever.
A flood row, an emergency's row and a shelf row gather alerts of several keys (docs/alarms.md).
Double-click or Enter on an alert asks for its case in the queue (`case_requested`).
Shelve… (the button, the row's context menu, or Ctrl+Shift+S in the panel) opens a small
non-modal dialog (`views/alert_shelve_dialog.py`) that sends `alert.shelve` for the selected row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, QPoint, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.alerts import Alert, AlertBook, Group, Priority
from protocol import AlertKind, CommandResult
from views.alert_shelve_dialog import ShelveDialog
from views.alert_sound import AlertSound
from views.case_detail.style import muted
from views.emergency.sending import send_for
from views.feed_tasks import TaskSet
from views.models.alert_texts import clock, priority_text, shelved_what
from views.models.alert_tree_model import ALERT_ID_ROLE, PRIORITY_COLUMN, AlertTreeModel
from views.models.roles import CASE_ID_ROLE, SLA_LEVEL_ROLE
from widgets.sla_delegate import SlaDelegate
from widgets.theme import TOKENS

log = logging.getLogger(__name__)

DRAIN_MS = 250
"""The book → the tree at most four times a second, whatever the event rate."""
RENOTIFY_MS = 120_000
"""Under the old rules (`LEGACY`), an unacknowledged critical alert is announced again this often."""
RESOUND_CHECK_MS = 10_000
"""Under a policy with a schedule, how often the panel asks the book which rows re-sound now."""
FLASH_MS = 1500
"""How long one flash of the title lasts."""
COMMENT_MAX = 500
SHELVE_SHORTCUT = "Ctrl+Shift+S"
"""In the alerts panel: shelve the selected alert (docs/console.md, the F1 list)."""


class CommandSender(Protocol):
    """What the panel needs of the feed (`FeedConnection`)."""

    user: str | None

    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


translate = QCoreApplication.translate


class AlertTree(QTreeView):
    """Signals: `activated_case(QModelIndex)` on Enter or double-click."""

    activated_case = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_case.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class AlertsPanel(QDockWidget):
    """Signals: `case_requested(str)` with a case id; `renotified(int)` with the number of
    unacknowledged critical alerts announced again."""

    case_requested = Signal(str)
    renotified = Signal(int)

    def __init__(self, book: AlertBook, feed: CommandSender, *, settings: QSettings | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC), language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dock.alerts")
        features = QDockWidget.DockWidgetFeature
        self.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable)
        self.book = book
        self.feed = feed
        self._now = now
        self._tasks: set[asyncio.Task[None]] = set()
        self._shelve_tasks = TaskSet()
        self.shelve_dialog: ShelveDialog | None = None
        self.sound = AlertSound(settings if settings is not None else QSettings(), self)
        self.model = AlertTreeModel(language, self)
        self.tree = AlertTree()
        self._build()
        self._drain_timer = QTimer(self, interval=DRAIN_MS, timerType=Qt.TimerType.CoarseTimer)
        self._drain_timer.timeout.connect(self.refresh)
        self.renotify_timer = QTimer(self, interval=RENOTIFY_MS if book.policy.forever else RESOUND_CHECK_MS)
        self.renotify_timer.timeout.connect(self.renotify)
        self._flash_timer = QTimer(self, singleShot=True, interval=FLASH_MS)
        self._flash_timer.timeout.connect(self._end_flash)
        self.flashing = False
        self._drain_timer.start()
        self.renotify_timer.start()
        self.refresh()

    def _build(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        self.summary = QLabel(body)
        self.summary.setMinimumWidth(self.fontMetrics().horizontalAdvance("9999 unacknowledged, 999 critical") + 8)
        self.mute_button = QToolButton(body)
        self.mute_button.setCheckable(True)
        self.mute_button.setChecked(self.sound.muted)
        self.mute_button.toggled.connect(self._on_mute_toggled)
        self._label_mute()
        self.silent_note = QLabel(body)  # for as long as nothing can sound here, on screen, not only in the log
        self.silent_note.setWordWrap(True)
        self.silent_note.setStyleSheet(f"color: {TOKENS['warn']}; font-weight: bold;")
        self.sound.probe()
        self.silent_note.setText(self.sound.silent_reason or "")
        self.silent_note.setVisible(self.sound.silent_reason is not None)
        tree = self.tree
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setAllColumnsShowFocus(True)
        tree.setExpandsOnDoubleClick(False)  # double-click opens the case; the arrow opens a group
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setItemDelegateForColumn(PRIORITY_COLUMN, SlaDelegate(SLA_LEVEL_ROLE, tree))
        self.model.row_size = QSize(0, self.fontMetrics().height() + 10)  # as tall as the queue's rows
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        tree.setColumnWidth(0, metrics.horizontalAdvance(priority_text(Priority.CRITICAL)) + metrics.height() + 48)
        tree.setColumnWidth(2, metrics.horizontalAdvance("00:00") + 20)
        tree.setColumnWidth(3, metrics.averageCharWidth() * 40)  # an acknowledgement's full text is its tooltip
        tree.doubleClicked.connect(self._on_activated)
        tree.activated_case.connect(self._on_activated)
        layout.addWidget(tree, 1)
        self.shelves_note = QLabel(body)  # the desk's active shelves, also before any of their alerts arrives
        self.shelves_note.setObjectName("alerts.shelves")
        self.shelves_note.setWordWrap(True)
        muted(self.shelves_note)
        self.shelves_note.hide()
        layout.addWidget(self.shelves_note)
        bottom = QHBoxLayout()  # one line under the list: what is open, the comment, the actions
        self.comment = QLineEdit(body)
        self.comment.setMaxLength(COMMENT_MAX)
        self.comment.setPlaceholderText(translate("AlertsPanel", "Comment (optional)"))
        self.comment.returnPressed.connect(self.acknowledge)
        self.ack_button = QPushButton(translate("AlertsPanel", "&Acknowledge"), body)
        self.ack_button.setToolTip(translate("AlertsPanel", "Acknowledge the selected alert (a group: all its cases)"))
        self.ack_button.clicked.connect(self.acknowledge)
        self.shelve_button = QPushButton(translate("AlertsPanel", "Shel&ve…"), body)
        self.shelve_button.setToolTip(translate("AlertsPanel", "Shelve the selected alert on this desk for a while, "
                                                               "with a reason (Ctrl+Shift+S)"))
        self.shelve_button.clicked.connect(self.open_shelve)
        shortcut = QShortcut(QKeySequence(SHELVE_SHORTCUT), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.open_shelve)
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._context_menu)
        bottom.addWidget(self.summary)
        bottom.addSpacing(12)
        bottom.addWidget(self.comment, 1)
        bottom.addWidget(self.ack_button)
        bottom.addWidget(self.shelve_button)
        bottom.addWidget(self.mute_button)
        layout.addLayout(bottom)
        layout.addWidget(self.silent_note)
        self.setWidget(body)
        self.setMinimumWidth(420)

    # --- from the book --------------------------------------------------------------------

    def refresh(self) -> None:
        """Take what the book has changed (≤ 4 Hz): rows, title, and a sound for new alerts."""
        self.book.user = getattr(self.feed, "user", None)
        self.book.prune(self._now())
        self.book.tick(self._now())
        changed, new = self.book.drain()
        if changed:
            self._show(self.book.rows(self._now()))
        if any(a.priority is Priority.CRITICAL for a in new):
            self._flash()
            self.sound.play(Priority.CRITICAL)
        elif any(a.priority is Priority.HIGH for a in new):
            self.sound.play(Priority.HIGH)
        self._update_title()
        self._update_shelves()

    def _update_shelves(self) -> None:
        shelves = sorted(self.book.active_shelves(self._now()), key=lambda s: s.until)
        lines = [translate("AlertsPanel", "Shelved on this desk: {what} until {time} ({user}: {reason})").format(
            what=shelved_what(s), time=clock(s.until), user=s.by, reason=s.reason) for s in shelves]
        text = "\n".join(lines)
        if text != self.shelves_note.text():
            self.shelves_note.setText(text)
        self.shelves_note.setVisible(bool(lines))

    def _show(self, alerts: list[Alert]) -> None:
        current = self.tree.currentIndex()
        keep = (current.data(ALERT_ID_ROLE), current.data(CASE_ID_ROLE)) if current.isValid() else None
        expanded = {self.model.index(r, 0).data(ALERT_ID_ROLE) for r in range(self.model.rowCount())
                    if self.tree.isExpanded(self.model.index(r, 0))}
        scroll = self.tree.verticalScrollBar().value()
        self.model.apply(alerts)
        for alert_id in expanded:
            row = self.model.top_row_of(alert_id)
            if row >= 0:
                self.tree.setExpanded(self.model.index(row, 0), True)
        if keep is not None:
            alert_id, case_id = keep
            index = (self.model.case_index(alert_id, case_id) if case_id
                     else self.model.index(self.model.top_row_of(alert_id), 0))
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self.tree.verticalScrollBar().setValue(scroll)

    def _update_title(self) -> None:
        rows = [a for a in self.book.alerts.values() if not a.acked and a.group is not Group.SHELF]
        critical = sum(1 for a in rows if a.priority is Priority.CRITICAL)
        if not rows:
            self.summary.setText(translate("AlertsPanel", "No unacknowledged alerts"))
            title = translate("AlertsPanel", "Alerts")
        else:
            self.summary.setText(translate("AlertsPanel", "{count} unacknowledged, {critical} critical").format(
                count=len(rows), critical=critical))
            title = translate("AlertsPanel", "Alerts ({count} new)").format(count=len(rows))
        if self.flashing:
            title = translate("AlertsPanel", "CRITICAL ALERT: {title}").format(title=title)
        self.setWindowTitle(title)

    # --- re-notification --------------------------------------------------------------------

    def renotify(self) -> int:
        """Announce unacknowledged critical alerts again when their policy says so (the re-notify timer calls this)."""
        critical = self.book.unacked_critical() if self.book.policy.forever else self.book.resound(self._now())
        if critical:
            self._flash()
            self.sound.play(Priority.CRITICAL)
            self.renotified.emit(len(critical))
        return len(critical)

    def _flash(self) -> None:
        self.flashing = True
        t = TOKENS
        self.setStyleSheet(f"QDockWidget {{ color: {t['surface.sunken']}; font-weight: bold; }} "
                           f"QDockWidget::title {{ background: {t['sla.red']}; }}")
        self._update_title()
        self._flash_timer.start()

    def _end_flash(self) -> None:
        self.flashing = False
        self.setStyleSheet("")
        self._update_title()

    # --- the operator ------------------------------------------------------------------------

    def _on_mute_toggled(self, muted: bool) -> None:
        self.sound.set_muted(muted)
        self._label_mute()

    def _label_mute(self) -> None:
        if self.mute_button.isChecked():
            self.mute_button.setText(translate("AlertsPanel", "Sound off"))
            self.mute_button.setToolTip(translate("AlertsPanel", "Alert sounds are muted; click to hear them again"))
        else:
            self.mute_button.setText(translate("AlertsPanel", "Sound on"))
            self.mute_button.setToolTip(translate("AlertsPanel", "Click to mute the alert sounds"))

    def _on_activated(self, index: QModelIndex) -> None:
        case_id = index.data(CASE_ID_ROLE)
        if case_id is None:
            alert = self.book.alerts.get(index.data(ALERT_ID_ROLE))
            if alert is None:
                return
            case_id = next(iter(alert.unacked_ids() or list(alert.cases)), None)
        if case_id:
            self.case_requested.emit(str(case_id))

    def acknowledge(self) -> bool:
        """Acknowledge the selected alert (a group: its unacknowledged cases; a case row: that case)."""
        index = self.tree.currentIndex()
        alert = self.book.alerts.get(index.data(ALERT_ID_ROLE)) if index.isValid() else None
        if alert is None or alert.sending:
            return False
        case_id = index.data(CASE_ID_ROLE)
        if case_id is not None:
            item = alert.cases[case_id]
            batches = [(item.kind, item.key, [case_id])] if item.ack is None else []
        else:
            batches = self.book.ack_batches(alert)
        if not batches:
            return False
        comment = self.comment.text().strip()
        self.comment.clear()
        self.book.set_sending(alert.id, True)
        self.refresh()
        task = asyncio.get_event_loop().create_task(self._send(alert, batches, comment), name="alert-ack")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _send(self, alert: Alert, batches: list[tuple[AlertKind, str, list[str]]], comment: str) -> None:
        try:
            for kind, key, ids in batches:
                args: dict[str, Any] = {"case_ids": ids, "kind": kind.value, "key": key}
                if comment:
                    args["comment"] = comment
                result = await self.feed.send_command("alert.ack", args)
                if not result.ok:
                    message = result.error.message if result.error else translate("AlertsPanel", "refused")
                    self.book.set_sending(alert.id, False, message)
                    return
            self.book.set_sending(alert.id, False)
        except Exception as exc:  # the connection closed for good: say so on the row
            log.warning("alert.ack failed: %s", exc)
            self.book.set_sending(alert.id, False, str(exc) or type(exc).__name__)

    # --- shelving ------------------------------------------------------------------------------

    def _context_menu(self, pos: QPoint) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self.tree)
        menu.addAction(translate("AlertsPanel", "Acknowledge"), self.acknowledge)
        menu.addAction(translate("AlertsPanel", "Shelve…"), self.open_shelve)
        menu.addAction(translate("AlertsPanel", "Show the case"), lambda: self._on_activated(index))
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def open_shelve(self) -> ShelveDialog | None:
        """Open the Shelve… dialog for the selected alert (None when no alert is selected)."""
        index = self.tree.currentIndex()
        alert = self.book.alerts.get(index.data(ALERT_ID_ROLE)) if index.isValid() else None
        if alert is None:
            return None
        if self.shelve_dialog is not None and isValid(self.shelve_dialog):
            self.shelve_dialog.close()
        dialog = self.shelve_dialog = ShelveDialog(alert, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda command, args: self._shelve_tasks.start(self._shelve(dialog, command, args)))
        dialog.show()  # not open(): that would make it window-modal and block the queue behind it
        dialog.activateWindow()
        return dialog

    async def _shelve(self, dialog: ShelveDialog, command: str, args: dict[str, Any]) -> None:
        ok, message, _ = await send_for(self.feed, dialog, command, args)
        if not ok and not isValid(dialog):
            log.warning("alert.shelve refused: %s", message)
        self.refresh()

    def stop(self) -> None:
        """Stop the timers (before the feed closes); the book is its owner's to close."""
        self._shelve_tasks.cancel_all()
        self._drain_timer.stop()
        self.renotify_timer.stop()
        self._flash_timer.stop()
