"""The emergency room's body: emergencies on the left; the chosen one's matrices, directives and story.

    panel = EmergencyRoomPanel(store, feed, now=server_now, language="zh_CN")

It redraws from the store whenever the joint response changed (`store.emergency_version`,
looked at every 50 ms, so an acknowledgement shows well within 100 ms of its event) and once
a second for what the clock changes (waiting → missing, time left, elapsed). The commander's
actions are non-modal dialogs (views/emergency/dialogs.py); the panel sends what they
submit through the feed (its outbox keeps a command across a reconnect) and shows the hub's
answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol import CommandResult
from protocol.commands import may_send
from protocol.emergency import CapWarning, Emergency, WarningStatus
from protocol.enums import EmergencyStatus, Role
from views.case_detail.style import tint
from views.emergency.dialogs import (
    CloseDialog,
    CommandDialog,
    ConfirmWarningDialog,
    DeclareDialog,
    DirectiveDialog,
    DismissWarningDialog,
    LevelDialog,
)
from views.emergency.joint_tab import JointResponseTab, resource_marker
from views.emergency.map_tab import EmergencyMapTab
from views.emergency.matrices import (
    ack_matrix,
    count_acks,
    directives_of,
    plan_progress,
    resources_of,
    task_matrix,
)
from views.emergency.texts import LEVEL_SHAPE, STEP, level_colour, level_text, minutes_text, tr_em, type_text
from views.feed_tasks import TaskSet, fetch_org_units
from views.models.case_cells import CENTRE_ZONE
from widgets.ack_matrix import MatrixModel, MatrixView
from widgets.theme import color

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

WATCH_MS = 50
"""How often the store's version is compared: an acknowledgement shows ≤ 50 ms + one redraw after it."""
TICK_MS = 1000
EMERGENCY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class RoomFeed(Protocol):
    role: Role | None

    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


def warning_line(warning: CapWarning) -> str:
    """`WN2026-0001 · Typhoon · Level II (orange) · received` with what became of it."""
    signal = (f"{type_text(warning.signal.type)} · {level_text(warning.signal.level)}" if warning.signal
              else translate("Emergency", "no signal"))
    state = {WarningStatus.RECEIVED: translate("Emergency", "waiting for a decision"),
             WarningStatus.CONFIRMED: translate("Emergency", "confirmed"),
             WarningStatus.DISMISSED: translate("Emergency", "dismissed")}[warning.status]
    return f"{warning.id} · {signal} · {state}\n{warning.headline or warning.event}"


def emergency_line(emergency: Emergency, now: datetime) -> str:
    """`● EM2026-0001 · Typhoon · Level II (orange) · 2 h 05 min` (closed: its duration)."""
    end = emergency.closed_at or now
    age = minutes_text((end - emergency.declared_at).total_seconds())
    drill = translate("Emergency", "DRILL") + " · " if emergency.exercise else ""
    closed = " · " + translate("Emergency", "closed") if emergency.status is EmergencyStatus.CLOSED else ""
    return f"{drill}{emergency.serial} · {type_text(emergency.type)} · {level_text(emergency.level)} · {age}{closed}"


class EmergencyRoomPanel(QWidget):
    """Signals: `answered(str, bool, str)`: a command, whether the hub accepted it, its message."""

    answered = Signal(str, bool, str)

    def __init__(self, store: CaseStore, feed: RoomFeed, *, now: Callable[[], datetime], language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel.emergency_room")
        self.store, self.feed, self.now, self.language = store, feed, now, language
        self._seen_version = -1
        self._tasks = TaskSet()
        self._units_requested = False
        self.dialog: CommandDialog | None = None
        self.redraws = 0
        """How many times the matrices were rebuilt (for the benchmark)."""

        outer = QVBoxLayout(self)
        actions = QHBoxLayout()
        self.declare_button = QPushButton(translate("EmergencyRoom", "Declare…"))
        self.level_button = QPushButton(translate("EmergencyRoom", "Change level…"))
        self.close_button = QPushButton(translate("EmergencyRoom", "Close response…"))
        self.directive_button = QPushButton(translate("EmergencyRoom", "Issue directive…"))
        self.remind_button = QPushButton(translate("EmergencyRoom", "Remind missing units"))
        self.remind_button.setToolTip(translate(
            "EmergencyRoom", "Remind every unit that has not acknowledged the selected directive "
                             "(every directive's if none is selected)"))
        for button in (self.declare_button, self.level_button, self.close_button, self.directive_button,
                       self.remind_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.result = QLabel()
        self.result.setObjectName("room.result")
        actions.addWidget(self.result)
        outer.addLayout(actions)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.emergencies = QListWidget()
        self.emergencies.setObjectName("room.emergencies")
        self.emergencies.setWordWrap(True)
        left_layout.addWidget(QLabel(translate("EmergencyRoom", "Emergencies")))
        left_layout.addWidget(self.emergencies, 2)
        left_layout.addWidget(QLabel(translate("EmergencyRoom", "CAP warnings received")))
        self.warnings = QListWidget()
        self.warnings.setObjectName("room.warnings")
        self.warnings.setWordWrap(True)
        left_layout.addWidget(self.warnings, 1)
        warning_actions = QHBoxLayout()
        self.confirm_button = QPushButton(translate("EmergencyRoom", "Confirm…"))
        self.confirm_button.setToolTip(translate("EmergencyRoom", "Declare the emergency the warning suggests "
                                                                  "and activate its plan"))
        self.dismiss_button = QPushButton(translate("EmergencyRoom", "Dismiss…"))
        warning_actions.addWidget(self.confirm_button)
        warning_actions.addWidget(self.dismiss_button)
        left_layout.addLayout(warning_actions)
        split.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.header = QLabel()
        self.header.setObjectName("room.header")
        self.header.setWordWrap(True)
        bold = QFont(self.header.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.25)
        self.header.setFont(bold)
        self.summary = QLabel()
        self.summary.setObjectName("room.summary")
        self.summary.setWordWrap(True)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.ack_model = MatrixModel(self)
        self.ack_view = MatrixView(self.ack_model)
        self.ack_view.setObjectName("room.ack_matrix")
        self.reports = QPlainTextEdit()
        self.reports.setObjectName("room.reports")
        self.reports.setReadOnly(True)
        self.reports.setPlaceholderText(translate("EmergencyRoom", "Select a cell to read the unit's reports."))
        self.reports.setMaximumHeight(self.fontMetrics().lineSpacing() * 6)
        ack_page = QWidget()
        ack_layout = QVBoxLayout(ack_page)
        ack_layout.setContentsMargins(0, 0, 0, 0)
        ack_layout.addWidget(self.ack_view, 1)
        ack_layout.addWidget(self.reports)
        self.task_model = MatrixModel(self)
        self.task_view = MatrixView(self.task_model)
        self.task_view.setObjectName("room.task_matrix")
        self.history = QPlainTextEdit()
        self.history.setObjectName("room.history")
        self.history.setReadOnly(True)
        self.tabs.addTab(ack_page, translate("EmergencyRoom", "Acknowledgements"))
        self.tabs.addTab(self.task_view, translate("EmergencyRoom", "Plan tasks"))
        self.map_tab = EmergencyMapTab()
        self.tabs.addTab(self.map_tab, translate("EmergencyRoom", "Map"))
        self.joint_tab = JointResponseTab(open_dialog=self._open, send=self._send_plain)
        self.tabs.addTab(self.joint_tab, translate("EmergencyRoom", "Joint response"))
        self.tabs.addTab(self.history, translate("EmergencyRoom", "Directives and story"))
        right_layout.addWidget(self.tabs, 1)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([320, 1000])
        outer.addWidget(split, 1)

        self.emergencies.currentItemChanged.connect(lambda *_: self.redraw(force=True))
        self.tabs.currentChanged.connect(lambda *_: self.redraw(force=True))
        self.ack_view.selectionModel().currentChanged.connect(self._show_reports)
        self.declare_button.clicked.connect(self.open_declare)
        self.level_button.clicked.connect(self.open_level)
        self.close_button.clicked.connect(self.open_close)
        self.directive_button.clicked.connect(self.open_directive)
        self.remind_button.clicked.connect(self.remind_missing)
        self.confirm_button.clicked.connect(self.open_confirm)
        self.dismiss_button.clicked.connect(self.open_dismiss)
        self.warnings.currentItemChanged.connect(lambda *_: self._enable(self.current_emergency()))
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.redraw)
        self._watch.start()
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(lambda: self.redraw(force=True))
        self._tick.start()
        self.redraw(force=True)

    # --- what is shown ---------------------------------------------------------------

    def current_emergency(self) -> Emergency | None:
        item = self.emergencies.currentItem()
        return self.store.emergencies.get(item.data(EMERGENCY_ID_ROLE)) if item is not None else None

    def select_emergency(self, emergency_id: str) -> None:
        for row in range(self.emergencies.count()):
            if self.emergencies.item(row).data(EMERGENCY_ID_ROLE) == emergency_id:
                self.emergencies.setCurrentRow(row)
                return

    def redraw(self, force: bool = False) -> None:
        """Rebuild from the store when the response changed (or `force`, for the clock)."""
        version = self.store.emergency_version
        if version == self._seen_version and not force:
            return
        self._seen_version = version
        now = self.now()
        self._fill_list(now)
        self._fill_warnings()
        emergency = self.current_emergency()
        emergency_id = emergency.id if emergency is not None else None
        ack = ack_matrix(self.store, emergency_id, now)
        self.ack_model.set_matrix(ack.rows, ack.columns, ack.cells)
        tasks = task_matrix(self.store, emergency_id, now, language=self.language) if emergency_id else None
        if tasks is not None:
            self.task_model.set_matrix(tasks.rows, tasks.columns, tasks.cells)
        else:
            self.task_model.set_matrix([], [], {})
        self._fill_header(emergency, now)
        self._fill_history(emergency, now)
        resources = resources_of(self.store, emergency_id)
        self.map_tab.show_emergency(self.store, emergency, resources=len(resources),
                                    markers=[m for r in resources if (m := resource_marker(r)) is not None],
                                    linked=emergency.case_count if emergency is not None else None)
        if self.tabs.currentWidget() is self.joint_tab:
            self._ask_for_units()
        role = self.feed.role
        self.joint_tab.show_emergency(emergency, resources, self.store.org_units.values(), self.store.geography,
                                      may=lambda command: role is not None and may_send(role, command))
        self._enable(emergency)
        self.redraws += 1

    def _fill_list(self, now: datetime) -> None:
        current = self.current_emergency()
        ordered = sorted(self.store.emergencies.values(),
                         key=lambda e: (e.status is not EmergencyStatus.ACTIVE, -e.declared_at.timestamp()))
        self.emergencies.blockSignals(True)
        if self.emergencies.count() != len(ordered) or any(
                self.emergencies.item(i).data(EMERGENCY_ID_ROLE) != e.id for i, e in enumerate(ordered)):
            self.emergencies.clear()
            for emergency in ordered:
                item = QListWidgetItem()
                item.setData(EMERGENCY_ID_ROLE, emergency.id)
                self.emergencies.addItem(item)
        for row, emergency in enumerate(ordered):
            item = self.emergencies.item(row)
            item.setText(emergency_line(emergency, now))
            item.setForeground(color(f"sla.{level_colour(emergency.level)}")
                               if emergency.status is EmergencyStatus.ACTIVE else color("text.muted"))
        wanted = current.id if current is not None else (ordered[0].id if ordered else None)
        if wanted is not None:
            self.select_emergency(wanted)
        self.emergencies.blockSignals(False)

    def current_warning(self) -> CapWarning | None:
        item = self.warnings.currentItem()
        return self.store.warnings.get(item.data(EMERGENCY_ID_ROLE)) if item is not None else None

    def _fill_warnings(self) -> None:
        """Warnings waiting for a decision first (newest first), then the decided ones."""
        current = self.current_warning()
        ordered = sorted(self.store.warnings.values(),
                         key=lambda w: (w.status is not WarningStatus.RECEIVED, -w.received_at.timestamp()))
        self.warnings.blockSignals(True)
        self.warnings.clear()
        for warning in ordered:
            item = QListWidgetItem(warning_line(warning))
            item.setData(EMERGENCY_ID_ROLE, warning.id)
            item.setToolTip("\n".join(t for t in (warning.headline, warning.area_desc,
                                                   warning.signal.reason if warning.signal else "",
                                                   warning.source) if t))
            if warning.status is WarningStatus.RECEIVED and warning.signal is not None:
                item.setForeground(color(f"sla.{level_colour(warning.signal.level)}"))
            elif warning.status is not WarningStatus.RECEIVED:
                item.setForeground(color("text.muted"))
            self.warnings.addItem(item)
            if current is not None and warning.id == current.id:
                self.warnings.setCurrentItem(item)
        self.warnings.blockSignals(False)

    def _fill_header(self, emergency: Emergency | None, now: datetime) -> None:
        if emergency is None:
            self.header.setText(translate("EmergencyRoom", "No emergency: directives outside any response are shown."))
            tint(self.header, "text.muted")
            self.summary.setText(translate("EmergencyRoom", "Declare an emergency to start a joint response."))
            return
        shape = LEVEL_SHAPE[level_colour(emergency.level)]
        drill = translate("Emergency", "DRILL") + " · " if emergency.exercise else ""
        self.header.setText(f"{shape} {drill}{emergency.title} · {level_text(emergency.level)}")
        tint(self.header, f"sla.{level_colour(emergency.level)}" if emergency.status is EmergencyStatus.ACTIVE
             else "text.muted")
        done, total, overdue = plan_progress(self.store, emergency.id, now)
        directives = directives_of(self.store, emergency.id)
        missing = sum(count_acks(self.store, d, now).missing for d in directives)
        parts = [
            translate("Emergency", "%1 · declared by %2 %3 ago").replace("%1", emergency.serial)
            .replace("%2", emergency.declared_by)
            .replace("%3", minutes_text((now - emergency.declared_at).total_seconds())),
            translate("Emergency", "plan tasks %1/%2 done").replace("%1", str(done)).replace("%2", str(total)),
            translate("Emergency", "%1 overdue").replace("%1", str(overdue)),
            translate("Emergency", "%1 directives, %2 acknowledgements missing").replace("%1", str(len(directives)))
            .replace("%2", str(missing)),
        ]
        self.summary.setText(" · ".join(parts))
        tint(self.summary, "sla.red" if overdue or missing else "text")

    def _fill_history(self, emergency: Emergency | None, now: datetime) -> None:
        lines: list[str] = []
        for directive in reversed(directives_of(self.store, emergency.id if emergency else None)):
            count = count_acks(self.store, directive, now)
            lines.append(f"{directive.serial} · {_hhmm(directive.issued_at)} · {directive.issued_by}")
            lines.append(f"    {directive.text}")
            lines.append("    " + translate("Emergency", "%1 of %2 acknowledged · %3 late · %4 missing · %5 reminders")
                         .replace("%1", str(count.acknowledged)).replace("%2", str(count.recipients))
                         .replace("%3", str(count.late)).replace("%4", str(count.missing))
                         .replace("%5", str(len(directive.reminders))))
        if emergency is not None:
            lines.append("")
            for step in reversed(emergency.history):
                note = f" · {step.note}" if step.note else ""
                lines.append(f"{_hhmm(step.at)} · {tr_em(STEP.get(step.action, step.action))} · "
                             f"{level_text(step.level)} · {step.actor}{note}")
        text = "\n".join(lines)
        if text != self.history.toPlainText():
            self.history.setPlainText(text)

    def _enable(self, emergency: Emergency | None) -> None:
        role = self.feed.role
        active = emergency is not None and emergency.status is EmergencyStatus.ACTIVE
        self.declare_button.setEnabled(role is not None and may_send(role, "emergency.declare"))
        self.level_button.setEnabled(active and role is not None and may_send(role, "emergency.set_level"))
        self.close_button.setEnabled(active and role is not None and may_send(role, "emergency.close"))
        self.directive_button.setEnabled(role is not None and may_send(role, "directive.issue")
                                         and (emergency is None or active))
        self.remind_button.setEnabled(role is not None and may_send(role, "directive.remind")
                                      and self.ack_model.columnCount() > 0)
        warning = self.current_warning()
        undecided = warning is not None and warning.status is WarningStatus.RECEIVED
        self.confirm_button.setEnabled(undecided and role is not None and may_send(role, "warning.confirm"))
        self.dismiss_button.setEnabled(undecided and role is not None and may_send(role, "warning.dismiss"))

    def _show_reports(self, index: QModelIndex, _previous: QModelIndex) -> None:
        if not index.isValid():
            self.reports.clear()
            return
        unit_id = self.ack_model.row_ids()[index.row()]
        directive_id = self.ack_model.column_ids()[index.column()]
        receipt = self.store.receipts.get(f"{directive_id}/{unit_id}")
        if receipt is None:
            self.reports.setPlainText(translate("EmergencyRoom", "Not a recipient of this directive."))
            return
        lines = [f"{receipt.unit_name} · {directive_id}"]
        if not receipt.reports:
            lines.append(translate("EmergencyRoom", "No report yet."))
        for report in reversed(receipt.reports):
            figures = ", ".join(f"{k} {v}" for k, v in sorted(report.numbers.items()))
            lines.append(" · ".join(t for t in (_hhmm(report.at), report.by, figures, report.text) if t))
        self.reports.setPlainText("\n".join(lines))

    # --- actions ---------------------------------------------------------------------

    def open_declare(self) -> DeclareDialog:
        geography = self.store.geography
        streets = [(s.code, s.name) for s in geography.streets] if geography is not None else []
        return self._open(DeclareDialog(streets, self))  # type: ignore[return-value]

    def open_level(self) -> LevelDialog | None:
        emergency = self.current_emergency()
        return self._open(LevelDialog(emergency, self)) if emergency else None  # type: ignore[return-value]

    def open_close(self) -> CloseDialog | None:
        emergency = self.current_emergency()
        return self._open(CloseDialog(emergency, self)) if emergency else None  # type: ignore[return-value]

    def open_directive(self) -> DirectiveDialog:
        self._ask_for_units()
        emergency = self.current_emergency()
        if emergency is not None and emergency.status is not EmergencyStatus.ACTIVE:
            emergency = None
        return self._open(DirectiveDialog(self.store.org_units.values(), emergency, self))  # type: ignore[return-value]

    def open_confirm(self) -> ConfirmWarningDialog | None:
        warning = self.current_warning()
        return self._open(ConfirmWarningDialog(warning, self)) if warning else None  # type: ignore[return-value]

    def open_dismiss(self) -> DismissWarningDialog | None:
        warning = self.current_warning()
        return self._open(DismissWarningDialog(warning, self)) if warning else None  # type: ignore[return-value]

    def _open(self, dialog: CommandDialog) -> CommandDialog:
        if self.dialog is not None and isValid(self.dialog):
            self.dialog.close()
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda command, args: self._tasks.start(self._send(dialog, command, args)))
        dialog.open()
        return dialog

    def remind_missing(self) -> int:
        """Remind the missing units of the selected directive, or of every directive with missing units."""
        index = self.ack_view.currentIndex()
        columns = self.ack_model.column_ids()
        now = self.now()
        if index.isValid():
            targets = [columns[index.column()]]
        else:
            targets = [d.id for d in directives_of(self.store, self._current_id())
                       if count_acks(self.store, d, now).acknowledged < count_acks(self.store, d, now).recipients]
        for directive_id in targets:
            self._tasks.start(self._send(None, "directive.remind", {"id": directive_id}))
        return len(targets)

    def _current_id(self) -> str | None:
        emergency = self.current_emergency()
        return emergency.id if emergency is not None else None

    def _ask_for_units(self) -> None:
        role = self.feed.role
        if self._units_requested or self.store.org_units or role is None or not may_send(role, "org.units"):
            return
        self._units_requested = True
        self._tasks.start(self._load_units())

    async def _load_units(self) -> None:
        if not await fetch_org_units(self.feed, self.store):
            return
        if isinstance(self.dialog, DirectiveDialog) and isValid(self.dialog) and not self.dialog.units:
            emergency = self.dialog.emergency
            self.dialog.close()
            self._open(DirectiveDialog(self.store.org_units.values(), emergency, self))

    async def _send(self, dialog: CommandDialog | None, command: str, args: dict[str, Any]) -> None:
        try:
            result = await self.feed.send_command(command, args)
            ok, message = result.ok, (result.error.message if result.error else "")
        except Exception as exc:  # the connection closed for good: say so where the commander looks
            ok, message = False, str(exc) or type(exc).__name__
        alive = dialog is not None and isValid(dialog)
        if ok:
            if alive and dialog is not None:
                dialog.close()
            answer = result.result or {}
            serial = answer.get("emergency_id") or answer.get("serial") or answer.get("id") or ""
            if command in ("emergency.declare", "warning.confirm") and isinstance(serial, str):
                self.redraw(force=True)
                self.select_emergency(serial)
            self._say(translate("EmergencyRoom", "✓ %1 accepted by the hub %2").replace("%1", command)
                      .replace("%2", str(serial)).strip(), error=False)
        elif alive and dialog is not None:
            dialog.show_refusal(message)
        else:
            self._say(translate("EmergencyRoom", "⚠ %1 refused by the hub: %2").replace("%1", command)
                      .replace("%2", message), error=True)
        self.answered.emit(command, ok, message)

    def _send_plain(self, command: str, args: dict[str, Any]) -> None:
        """Send a command that has no form (a check-out); the hub's answer shows in the result line."""
        self._tasks.start(self._send(None, command, args))

    def _say(self, text: str, *, error: bool) -> None:
        self.result.setText(text)
        tint(self.result, "danger" if error else "text.muted")

    def stop(self) -> None:
        self._watch.stop()
        self._tick.stop()
        self._tasks.cancel_all()


def _hhmm(at: datetime) -> str:
    return at.astimezone(CENTRE_ZONE).strftime("%H:%M")
