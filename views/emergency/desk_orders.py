"""The orders to a desk: directives addressed to its unit and the plan's tasks it owns, to act on.

A unit's desk (an account scoped to a unit) sees the directives sent to its unit and the units
under it; the centre's duty desk sees those sent to the district centre itself (the command post
ordering the hotline centre). Each directive can be acknowledged (签收, K) and reported on
(Report…); each task moved on (acknowledged, in progress, done with its figures). What waits for
acknowledgement comes first, the oldest deadline on top; the panel's title counts it, so a
closed dock still says that something waits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol.commands import may_send
from protocol.emergency import Directive, EmergencyTask, Receipt
from protocol.enums import Role, TaskStatus, UnitKind
from views.case_detail.style import tint
from views.emergency.dialogs import CommandDialog
from views.emergency.matrices import ack_cell, task_cell
from views.emergency.sending import send_for
from views.emergency.texts import TASK, tr_em
from views.feed_tasks import CommandFeed, TaskSet, fetch_org_units
from views.models.case_cells import local_text
from widgets.theme import color

translate = QCoreApplication.translate

WATCH_MS = 100
TICK_MS = 1000
TASK_FORWARD = (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS, TaskStatus.DONE)


def desk_units(store: CaseStore, scope_unit: str | None) -> frozenset[str]:
    """The units whose orders this desk takes: the scoped unit and those under it, or the district centre."""
    if scope_unit is not None:
        scope = store.scope
        return scope.owners if scope is not None and scope.unit_id == scope_unit else frozenset({scope_unit})
    return frozenset(u.id for u in store.org_units.values() if u.kind is UnitKind.DISTRICT_CENTRE)


def orders_of(store: CaseStore, units: frozenset[str]) -> list[tuple[Directive, Receipt]]:
    """The desk's receipts: not acknowledged first (the earliest deadline on top), then the newest."""
    found = [(d, r) for r in store.receipts.values() if r.unit_id in units
             and (d := store.directives.get(r.directive_id)) is not None]
    waiting = sorted((o for o in found if o[1].acknowledged_at is None), key=lambda o: (o[0].ack_due_at, o[0].id))
    done = sorted((o for o in found if o[1].acknowledged_at is not None), key=lambda o: o[0].issued_at, reverse=True)
    return waiting + done


def tasks_of(store: CaseStore, units: frozenset[str]) -> list[EmergencyTask]:
    """The desk's tasks of active emergencies: not done first, the earliest deadline on top."""
    active = {e.id for e in store.emergencies.values() if e.closed_at is None}
    return sorted((t for t in store.tasks.values() if t.unit_id in units and t.emergency_id in active),
                  key=lambda t: (t.status is TaskStatus.DONE, t.timer.due_at, t.id))


class _NumbersForm(CommandDialog):
    """A form with one figure per field the order asks for, and text."""

    def __init__(self, command: str, title: str, send_text: str, fields: Iterable[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(command, title, send_text, parent)
        self.numbers: dict[str, QSpinBox] = {}
        self._fields = list(fields)

    def add_numbers(self) -> None:
        for name in self._fields:
            box = QSpinBox()
            box.setRange(0, 10_000_000)
            box.setObjectName(f"number.{name}")
            self.numbers[name] = box
            self.fields.addRow(name.replace("_", " "), box)

    def figures(self) -> dict[str, int]:
        return {name: box.value() for name, box in self.numbers.items()}


class ReportDialog(_NumbersForm):
    """`directive.report`: figures and text for a directive (acknowledging it too, if it was not)."""

    def __init__(self, directive: Directive, unit_id: str, parent: QWidget | None = None) -> None:
        super().__init__("directive.report", translate("DeskOrders", "Report on %1").replace("%1", directive.serial),
                         translate("DeskOrders", "Send report"), directive.report_fields, parent)
        self.directive, self.unit_id = directive, unit_id
        text = QLabel(directive.text)
        text.setWordWrap(True)
        self.fields.addRow(translate("DeskOrders", "Directive"), text)
        self.add_numbers()
        self.text_box = QPlainTextEdit()
        self.text_box.setObjectName("report.text")
        self.text_box.setTabChangesFocus(True)
        self.text_box.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.fields.addRow(translate("DeskOrders", "Report"), self.text_box)

    def collect(self) -> dict[str, Any]:
        text = self.text_box.toPlainText().strip()
        if not text and not self.numbers:
            self.text_box.setFocus()
            raise ValueError(translate("DeskOrders", "Write what you report."))
        args: dict[str, Any] = {"id": self.directive.id, "unit_id": self.unit_id, "text": text}
        if self.numbers:
            args["numbers"] = self.figures()
        return args


class TaskDialog(_NumbersForm):
    """`task.update`: move a plan's task on, with its figures and a note."""

    def __init__(self, task: EmergencyTask, language: str, parent: QWidget | None = None) -> None:
        title = task.title_zh if language.startswith("zh") else task.title_en
        super().__init__("task.update", translate("DeskOrders", "Task: %1").replace("%1", title),
                         translate("DeskOrders", "Update"), task.report_fields, parent)
        self.task = task
        self.status_box = QComboBox()
        self.status_box.setObjectName("task.status")
        now_at = TASK_FORWARD.index(task.status) if task.status in TASK_FORWARD else -1
        for status in TASK_FORWARD[max(now_at, 0):]:
            self.status_box.addItem(tr_em(TASK[status]), status.value)
        self.status_box.setCurrentIndex(min(1, self.status_box.count() - 1) if now_at >= 0 else 0)
        self.fields.addRow(translate("DeskOrders", "Status"), self.status_box)
        self.add_numbers()
        for name, box in self.numbers.items():
            box.setValue(task.numbers.get(name, 0))
        self.note_box = QPlainTextEdit(task.note)
        self.note_box.setTabChangesFocus(True)
        self.note_box.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.fields.addRow(translate("DeskOrders", "Note"), self.note_box)

    def collect(self) -> dict[str, Any]:
        args: dict[str, Any] = {"id": self.task.id, "status": self.status_box.currentData(),
                                "note": self.note_box.toPlainText().strip()}
        if self.numbers:
            args["numbers"] = self.figures()
        return args


def _item(text: str, tip: str = "", tone: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setToolTip(tip or text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tone is not None:
        item.setForeground(color(tone))
    return item


def _row_key(table: QTableWidget, row: int) -> Any:
    """What the row's first cell keeps under UserRole (the directive and unit, or the task id)."""
    item = table.item(row, 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class DeskOrdersPanel(QWidget):
    """Signals: `waiting_changed(int)` with how many directives wait for this desk's acknowledgement."""

    waiting_changed = Signal(int)

    def __init__(self, store: CaseStore, feed: Any, *, now: Callable[[], datetime] | None = None,
                 language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("view.desk_orders")
        self.store, self.feed, self.language = store, feed, language
        self.now = now if now is not None else (lambda: datetime.now(UTC))
        self.scope_unit: str | None = None
        self.units: frozenset[str] = frozenset()
        self.dialog: CommandDialog | None = None
        self._tasks = TaskSet()
        self._seen: tuple[int, int, str | None, int] = (-1, -1, None, 0)
        self._units_asked = False
        self.waiting = 0
        self.heading = QLabel()
        self.heading.setObjectName("orders.heading")
        self.heading.setWordWrap(True)
        self.directives = self._table("orders.directives", [
            translate("DeskOrders", "Directive"), translate("DeskOrders", "For"),
            translate("DeskOrders", "Acknowledgement"), translate("DeskOrders", "Text")])
        self.task_table = self._table("orders.tasks", [
            translate("DeskOrders", "Task"), translate("DeskOrders", "Emergency"), translate("DeskOrders", "For"),
            translate("DeskOrders", "State")])
        self.detail = QLabel()  # the selected directive in full: the table's column cuts a long text
        self.detail.setObjectName("orders.detail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ack_button = QPushButton(translate("DeskOrders", "Acknowledge (K)"))
        self.ack_button.setObjectName("orders.ack")
        self.report_button = QPushButton(translate("DeskOrders", "Report…"))
        self.task_button = QPushButton(translate("DeskOrders", "Update task…"))
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.directives, 3)
        layout.addWidget(self.detail)
        row = QHBoxLayout()
        row.addWidget(self.ack_button)
        row.addWidget(self.report_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.task_table, 2)
        row = QHBoxLayout()
        row.addWidget(self.task_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.ack_button.clicked.connect(self.acknowledge)
        self.report_button.clicked.connect(self.open_report)
        self.task_button.clicked.connect(self.open_task)
        self.directives.itemSelectionChanged.connect(self._enable)
        self.task_table.itemSelectionChanged.connect(self._enable)
        self.directives.installEventFilter(self)  # K: a table's own key search would take a shortcut's letter
        self._watch = QTimer(self, interval=WATCH_MS, timerType=Qt.TimerType.CoarseTimer)
        self._watch.timeout.connect(self.redraw)
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(lambda: self.redraw(force=True))
        self._watch.start()
        self._tick.start()
        self.redraw(force=True)

    @staticmethod
    def _table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.directives and isinstance(event, QKeyEvent) and event.type() is QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_K and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            self.acknowledge()
            return True
        return super().eventFilter(watched, event)

    # --- what is shown -------------------------------------------------------------------

    def set_scope(self, unit_id: str | None) -> None:
        """The account's unit (from `welcome`); None for the centre's accounts."""
        if unit_id != self.scope_unit:
            self.scope_unit = unit_id
            self.redraw(force=True)

    def redraw(self, force: bool = False) -> None:
        seen = (self.store.emergency_version, len(self.store.org_units), self.scope_unit, id(self.store.scope))
        if seen == self._seen and not force:
            return
        self._seen = seen
        self.units = desk_units(self.store, self.scope_unit)
        if not self.store.org_units:  # names for the heading, and the district centre for the centre's desks
            self._ask_for_units()
        now = self.now()
        self._fill_directives(orders_of(self.store, self.units), now)
        self._fill_tasks(tasks_of(self.store, self.units), now)
        names = sorted({self.store.org_units[u].name for u in self.units if u in self.store.org_units})
        self.heading.setText(translate("DeskOrders", "Directives and tasks for %1")
                             .replace("%1", "、".join(names[:3]) + ("…" if len(names) > 3 else ""))
                             if names else translate("DeskOrders", "Directives and tasks for this desk"))
        self._enable()

    def _fill_directives(self, orders: list[tuple[Directive, Receipt]], now: datetime) -> None:
        selected = self.current_order()
        table = self.directives
        table.setSortingEnabled(False)
        table.setRowCount(len(orders))
        for row, (directive, receipt) in enumerate(orders):
            cell = ack_cell(directive, receipt, now)
            serial = _item(directive.serial, directive.text)
            serial.setData(Qt.ItemDataRole.UserRole, (directive.id, receipt.unit_id))
            table.setItem(row, 0, serial)
            table.setItem(row, 1, _item(receipt.unit_name))
            state = cell.text if receipt.acknowledged_at is not None else \
                f"{cell.text} · " + translate("DeskOrders", "by %1").replace("%1", local_text(directive.ack_due_at))
            table.setItem(row, 2, _item(state, cell.tip, None if cell.state in ("acknowledged", "waiting")
                                        else cell.tone))
            table.setItem(row, 3, _item(directive.text.replace("\n", " ")))
            if selected == (directive.id, receipt.unit_id):
                table.selectRow(row)
        waiting = sum(1 for _d, r in orders if r.acknowledged_at is None)
        if waiting != self.waiting:
            self.waiting = waiting
            self.waiting_changed.emit(waiting)

    def _fill_tasks(self, tasks: list[EmergencyTask], now: datetime) -> None:
        selected = self.current_task()
        table = self.task_table
        table.setRowCount(len(tasks))
        for row, task in enumerate(tasks):
            cell = task_cell(task, now)
            title = task.title_zh if self.language.startswith("zh") else task.title_en
            first = _item(title)
            first.setData(Qt.ItemDataRole.UserRole, task.id)
            table.setItem(row, 0, first)
            emergency = self.store.emergencies.get(task.emergency_id)
            table.setItem(row, 1, _item(emergency.serial if emergency else task.emergency_id,
                                        emergency.title if emergency else ""))
            table.setItem(row, 2, _item(task.unit_name))
            table.setItem(row, 3, _item(cell.text, cell.tip, None if cell.tone == "text.muted" else cell.tone))
            if selected is not None and selected.id == task.id:
                table.selectRow(row)

    def current_order(self) -> tuple[str, str] | None:
        items = self.directives.selectedItems()
        data = _row_key(self.directives, items[0].row()) if items else None
        return (str(data[0]), str(data[1])) if data else None

    def current_task(self) -> EmergencyTask | None:
        items = self.task_table.selectedItems()
        task_id = _row_key(self.task_table, items[0].row()) if items else None
        return self.store.tasks.get(str(task_id)) if task_id else None

    def select_order(self, directive_id: str) -> bool:
        for row in range(self.directives.rowCount()):
            data = _row_key(self.directives, row)
            if data and data[0] == directive_id:
                self.directives.selectRow(row)
                return True
        return False

    @staticmethod
    def _detail_text(directive: Directive, receipt: Receipt) -> str:
        lines = [f"{directive.serial} · {local_text(directive.issued_at)} · {directive.issued_by}", directive.text]
        if directive.report_every_h:
            lines.append(translate("DeskOrders", "Report every %1 h").replace("%1", f"{directive.report_every_h:g}")
                         + (": " + ", ".join(directive.report_fields) if directive.report_fields else ""))
        elif directive.report_fields:
            lines.append(translate("DeskOrders", "Report: %1").replace("%1", ", ".join(directive.report_fields)))
        if receipt.reports:
            last = receipt.reports[-1]
            figures = ", ".join(f"{k} {v}" for k, v in sorted(last.numbers.items()))
            said = " · ".join(t for t in (figures, last.text) if t)
            lines.append(translate("DeskOrders", "Last report %1: %2").replace("%1", local_text(last.at))
                         .replace("%2", said))
        return "\n".join(lines)

    def _may(self, command: str) -> bool:
        role = getattr(self.feed, "role", None)
        return isinstance(role, Role) and may_send(role, command)

    def _enable(self) -> None:
        order = self.current_order()
        receipt = self.store.receipts.get(f"{order[0]}/{order[1]}") if order else None
        directive = self.store.directives.get(order[0]) if order else None
        self.detail.setText(self._detail_text(directive, receipt) if directive and receipt else "")
        self.ack_button.setEnabled(receipt is not None and receipt.acknowledged_at is None
                                   and self._may("directive.ack"))
        self.report_button.setEnabled(receipt is not None and self._may("directive.report"))
        task = self.current_task()
        self.task_button.setEnabled(task is not None and task.status is not TaskStatus.DONE
                                    and self._may("task.update"))

    # --- acting --------------------------------------------------------------------------

    def acknowledge(self) -> bool:
        """Acknowledge (签收) the selected directive for its unit."""
        order = self.current_order()
        if order is None or not self.ack_button.isEnabled():
            return False
        return self._tasks.start(self._send(None, "directive.ack", {"id": order[0], "unit_id": order[1]}))

    def open_report(self) -> ReportDialog | None:
        order = self.current_order()
        directive = self.store.directives.get(order[0]) if order else None
        if order is None or directive is None or not self.report_button.isEnabled():
            return None
        dialog = ReportDialog(directive, order[1], self)
        self._open(dialog)
        return dialog

    def open_task(self) -> TaskDialog | None:
        task = self.current_task()
        if task is None or not self.task_button.isEnabled():
            return None
        dialog = TaskDialog(task, self.language, self)
        self._open(dialog)
        return dialog

    def _open(self, dialog: CommandDialog) -> None:
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.close()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda command, args: self._tasks.start(self._send(dialog, command, args)))
        dialog.open()

    async def _send(self, dialog: CommandDialog | None, command: str, args: dict[str, Any]) -> None:
        ok, message, _result = await send_for(self.feed, dialog, command, args)
        if ok:
            text = translate("DeskOrders", "✓ %1 accepted by the hub").replace("%1", command)
        else:
            text = translate("DeskOrders", "⚠ %1 refused by the hub: %2").replace("%1", command).replace("%2", message)
        if not ok and dialog is not None:
            return  # the dialog shows it
        self.result.setText(text)
        tint(self.result, "text.muted" if ok else "danger")

    def _ask_for_units(self) -> None:
        if self._units_asked or self.store.org_units or not self._may("org.units"):
            return
        self._units_asked = True
        feed: CommandFeed = self.feed
        self._tasks.start(self._load_units(feed))

    async def _load_units(self, feed: CommandFeed) -> None:
        if await fetch_org_units(feed, self.store):
            self.redraw(force=True)

    def stop(self) -> None:
        self._watch.stop()
        self._tick.stop()
        self._tasks.cancel_all()


def waiting_text(waiting: int) -> str:
    """The dock's title: how many directives wait for this desk's acknowledgement."""
    if not waiting:
        return translate("DeskOrders", "Orders")
    return translate("DeskOrders", "Orders · %1 to acknowledge").replace("%1", str(waiting))

