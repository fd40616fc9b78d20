"""Take the shift over (接班): the latest handover of this desk, its items, and acknowledging them.

Non-modal. Every item shows its state (open, or who acknowledged it and when); Acknowledge sends
the selected open items, Acknowledge all the rest (or the handover as a whole when it has none).
The rota of today is shown above it. `refresh()` redraws from the store's shift book; the hook
calls it when the book's version moves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.store import CaseStore
from protocol.shift import Handover
from views.feed_tasks import TaskSet
from views.handover.dialog import CommandFeed
from views.handover.items import kind_text
from views.handover.texts import handover_line, rota_line
from views.models.alert_texts import clock
from views.models.case_cells import CENTRE_ZONE

translate = QCoreApplication.translate
KEY_ROLE = Qt.ItemDataRole.UserRole


class HandoverPanel(QDialog):
    """Signals: `acknowledged(object)` with the hub's result (`acknowledged`, `remaining`, `seq`)."""

    acknowledged = Signal(object)

    def __init__(self, store: CaseStore, feed: CommandFeed, *, today: str = "", scope: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.takeover")
        self.setWindowTitle(translate("Handover", "Take over the shift"))
        self.setModal(False)
        self.store, self.feed, self.scope, self.today = store, feed, scope, today
        self._tasks = TaskSet()
        self._shown_version = -1
        layout = QVBoxLayout(self)
        self.rota = QLabel()
        self.rota.setObjectName("takeover.rota")
        self.rota.setWordWrap(True)
        layout.addWidget(self.rota)
        self.header = QLabel()
        self.header.setObjectName("takeover.header")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.header)
        self.tree = QTreeWidget()
        self.tree.setObjectName("takeover.items")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setHeaderLabels([translate("Handover", "Open item"), translate("Handover", "What"),
                                   translate("Handover", "State")])
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.note_box = QLineEdit()
        self.note_box.setObjectName("takeover.note")
        self.note_box.setPlaceholderText(translate("Handover", "Note with the acknowledgement (optional)"))
        row.addWidget(self.note_box, 1)
        self.ack_button = QPushButton(translate("Handover", "&Acknowledge"))
        self.ack_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.ack_all_button = QPushButton(translate("Handover", "Acknowledge a&ll"))
        row.addWidget(self.ack_button)
        row.addWidget(self.ack_all_button)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setObjectName("takeover.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.ack_all_button.clicked.connect(self.acknowledge_all)
        self.tree.itemSelectionChanged.connect(self._enable)
        self.resize(760, 520)
        self.refresh()

    def handover(self) -> Handover | None:
        return self.store.shift.latest(self.scope)

    def refresh(self, force: bool = False) -> None:
        """Redraw when the shift book changed (keeps the selection on its items)."""
        book = self.store.shift
        if book.version == self._shown_version and not force:
            return
        self._shown_version = book.version
        day = book.rota.get(self.today)
        self.rota.setText(rota_line(day, self.store) if day is not None
                          else translate("Handover", "No rota for today"))
        handover = self.handover()
        selected = {item.data(0, KEY_ROLE) for item in self.tree.selectedItems()}
        self.tree.clear()
        if handover is None:
            self.header.setText(translate("Handover", "No shift has been handed over yet."))
            self._enable()
            return
        self.header.setText(handover_line(handover))
        for item in handover.items:
            if item.acknowledged_by is not None and item.acknowledged_at is not None:
                state = translate("Handover", "Acknowledged by {user} at {time}").format(
                    user=item.acknowledged_by, time=clock(item.acknowledged_at))
            else:
                state = translate("Handover", "Open")
            row = QTreeWidgetItem([kind_text(item.kind), item.text or item.ref, state])
            row.setData(0, KEY_ROLE, (item.kind.value, item.ref))
            row.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, state)
            if item.acknowledged_by is None:  # what is still open reads in bold, not only by its word
                font = row.font(2)
                font.setBold(True)
                row.setFont(2, font)
            self.tree.addTopLevelItem(row)
            row.setSelected((item.kind.value, item.ref) in selected)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        self._enable()

    def open_keys(self) -> list[tuple[str, str]]:
        handover = self.handover()
        return [] if handover is None else [(i.kind.value, i.ref) for i in handover.items if i.acknowledged_by is None]

    def _enable(self) -> None:
        handover = self.handover()
        taken = handover is None or handover.acknowledged_by is not None
        open_keys = set(self.open_keys())
        chosen = [item.data(0, KEY_ROLE) for item in self.tree.selectedItems()]
        self.ack_button.setEnabled(any(key in open_keys for key in chosen))
        self.ack_all_button.setEnabled(not taken)

    def acknowledge_selected(self) -> bool:
        open_keys = set(self.open_keys())
        keys = [item.data(0, KEY_ROLE) for item in self.tree.selectedItems()]
        items = [{"kind": kind, "ref": ref} for kind, ref in keys if (kind, ref) in open_keys]
        return bool(items) and self._send({"items": items})

    def acknowledge_all(self) -> bool:
        return self._send({"all": True})

    def _send(self, args: dict[str, Any]) -> bool:
        handover = self.handover()
        if handover is None:
            return False
        note = self.note_box.text().strip()
        full = {"id": handover.id, **args, **({"note": note} if note else {})}
        self.ack_button.setEnabled(False)
        self.ack_all_button.setEnabled(False)
        self.message.setText(translate("Handover", "Sending…"))
        return self._tasks.start(self._run(full))

    async def _run(self, args: dict[str, Any]) -> None:
        try:
            result = await self.feed.send_command("shift.handover_ack", args)
        except Exception as exc:  # the connection ended for good
            self.message.setText(translate("Handover", "Not sent: {error}").format(error=exc))
            self._enable()
            return
        if result.ok:
            self.message.setText("")
            self.note_box.clear()
            self.acknowledged.emit(result.result or {})
        else:
            error = result.error
            self.message.setText(translate("Handover", "Refused: {message}").format(
                message=error.message if error is not None else ""))
        self.refresh(force=True)

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        super().done(result)


def today_in_centre(now: datetime) -> str:
    """`YYYY-MM-DD` of `now` in the centre's zone (the rota's calendar)."""
    return now.astimezone(CENTRE_ZONE).date().isoformat()
