"""Hand over the shift (交接班): a note, who takes over, and every open item, sent as one command.

Non-modal (the feed keeps moving underneath); the items are gathered when the form opens and
again with Refresh. The red cases and arbitrations are what the hub will record itself; the
alerts and refused commands are this console's and go with the command.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.alerts import AlertBook
from backend_client.command_tracker import CommandTracker
from backend_client.store import CaseStore
from protocol import CommandResult, HandoverItemKind
from views.feed_tasks import TaskSet
from views.handover.items import OpenItem, gather, kind_text, sent_args

translate = QCoreApplication.translate


class CommandFeed(Protocol):
    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


class HandoverDialog(QDialog):
    """Signals: `handed_over(object)` with the hub's result (`id`, `open`, `red`, `items`, `seq`)."""

    handed_over = Signal(object)

    def __init__(self, store: CaseStore, feed: CommandFeed, book: AlertBook | None, tracker: CommandTracker | None,
                 *, language: str = "en", scope: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.handover")
        self.setWindowTitle(translate("Handover", "Hand over the shift"))
        self.setModal(False)
        self.store, self.feed, self.book, self.tracker = store, feed, book, tracker
        self.language, self.scope = language, scope
        self.items: list[OpenItem] = []
        self._tasks = TaskSet()
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.to_box = QLineEdit()
        self.to_box.setObjectName("handover.to")
        self.to_box.setPlaceholderText(translate("Handover", "e.g. night shift, Zhang Qiang"))
        form.addRow(translate("Handover", "Handed over &to"), self.to_box)
        self.note_box = QPlainTextEdit()
        self.note_box.setObjectName("handover.note")
        self.note_box.setPlaceholderText(translate("Handover", "What the next shift must watch"))
        self.note_box.setTabChangesFocus(True)
        self.note_box.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow(translate("Handover", "&Note"), self.note_box)
        layout.addLayout(form)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tree = QTreeWidget()
        self.tree.setObjectName("handover.items")
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels([translate("Handover", "Open item"), translate("Handover", "What"),
                                   translate("Handover", "Recorded by")])
        layout.addWidget(self.tree, 1)
        self.message = QLabel()
        self.message.setObjectName("handover.message")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.send_button = QPushButton(translate("Handover", "&Hand over"))
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        refresh = buttons.addButton(translate("Handover", "&Refresh items"), QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        refresh.clicked.connect(self.refresh)
        self.send_button.clicked.connect(self.submit)
        layout.addWidget(buttons)
        self.resize(760, 520)
        self.refresh()

    def refresh(self) -> None:
        """Gather the open items again from the store, the alerts and the command tracker."""
        self.items = gather(self.store, self.book, self.tracker, self.language, self.scope)
        self.tree.clear()
        for item in self.items:
            by = translate("Handover", "this console") if item.sent else translate("Handover", "the hub")
            row = QTreeWidgetItem([kind_text(item.kind), item.text, by])
            row.setData(0, Qt.ItemDataRole.UserRole, (item.kind.value, item.ref))
            self.tree.addTopLevelItem(row)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        counts = {kind: sum(1 for i in self.items if i.kind is kind) for kind in HandoverItemKind}
        text = translate("Handover", "{count} open items: {red} overdue, {arbitration} awaiting arbitration, "
                                     "{alerts} unacknowledged alerts, {refused} refused commands")
        self.summary.setText(text.format(count=len(self.items), red=counts[HandoverItemKind.RED_CASE],
                                         arbitration=counts[HandoverItemKind.ARBITRATION],
                                         alerts=counts[HandoverItemKind.ALERT],
                                         refused=counts[HandoverItemKind.REFUSED_COMMAND]))

    def args(self) -> dict[str, Any]:
        args: dict[str, Any] = {"note": self.note_box.toPlainText().strip(), "items": sent_args(self.items)}
        to = self.to_box.text().strip()
        if to:
            args["to"] = to[:100]
        return args

    def submit(self) -> bool:
        """Send `shift.handover`; False (and nothing sent) when no loop runs."""
        self.send_button.setEnabled(False)
        self.message.setText(translate("Handover", "Sending…"))
        started = self._tasks.start(self._send(self.args()))
        if not started:
            self.send_button.setEnabled(True)
        return started

    async def _send(self, args: dict[str, Any]) -> None:
        try:
            result = await self.feed.send_command("shift.handover", args)
        except Exception as exc:  # the connection ended for good; the operator can try again
            self.message.setText(translate("Handover", "Not sent: {error}").format(error=exc))
            self.send_button.setEnabled(True)
            return
        if result.ok:
            self.handed_over.emit(result.result or {})
            self.accept()
            return
        error = result.error
        self.message.setText(translate("Handover", "Refused: {message}").format(
            message=error.message if error is not None else ""))
        self.send_button.setEnabled(True)

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        super().done(result)
