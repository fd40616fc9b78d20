"""The supervision desk's body (监督): cases at risk, units ranked, the ladder, and the record.

    panel = SupervisionPanel(store, feed, language="zh_CN")

Left, the cases at risk (orange or red, returned twice or more, reopened), worst first, any
column sortable; right, the units ranked by what is overdue now and by returns. Under each, the
four rungs of the ladder (remind 提醒, urge 催办, supervise 督办, hold to account 问效) act on the
selected case or on the selected unit's whole pool through an inline form (views/supervision/
ladder_form.py): nothing modal, checked before it is sent, the hub's refusal shown on it. Below,
the record of what was done. A supervisor works no step of the loop: the desk offers none.
Beside the units, the centre's alarm load (views/supervision/alarm_tile.py).

It redraws from the store when an event was applied (looked at every `WATCH_MS`), keeping each
table's selection on its case or unit.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from backend_client.store import CaseStore
from protocol import CommandResult
from protocol.commands import SUPERVISION_ROLES, may_send
from protocol.enums import Role, SlaLevel, SupervisionAction
from views.case_detail.style import muted, tint
from views.case_detail.texts import ACTION, tr_text
from views.feed_tasks import TaskSet
from views.supervision.alarm_tile import AlarmTile
from views.supervision.columns import at_risk_columns, record_columns, record_key, supervision_word, unit_columns
from views.supervision.ladder_form import CaseTarget, LadderForm, PoolTarget
from views.supervision.record import Entry, SupervisionLog
from views.supervision.risk import AtRisk, UnitRank, at_risk, pool_of, rank_units
from views.supervision.table_model import LEVEL_ROLE, KeyedTableModel
from widgets.sla_delegate import SlaDelegate

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

KEPT_RECORDS = 1000
"""The newest records of the hub's log the desk reads at start (the most one `supervision.read` gives)."""
WATCH_MS = 500
"""How often the store is looked at; the tables redraw only when an event was applied."""
FORM_WIDTH = 560
"""The open ladder form's widest, beside the record."""
COLUMN_MAX = 260
"""A column fitted to its first rows is at most this wide (px); the operator may widen it."""


class DeskFeed(Protocol):
    role: Role | None

    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult: ...


def _table(model: KeyedTableModel[Any], name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicatorShown(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class SupervisionPanel(QWidget):
    """Signals: `answered(str, bool, str)`: a command, whether the hub accepted it, its message."""

    answered = Signal(str, bool, str)

    def __init__(self, store: CaseStore, feed: DeskFeed, *, language: str = "en",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panel.supervision")
        self.store, self.feed, self.language = store, feed, language
        self.log = SupervisionLog(store)
        self._tasks = TaskSet()
        self._seen: tuple[int, int, Role | None] = (-1, -1, None)
        self._record_asked = False
        """`supervision.read` is on its way or answered (asked once the feed has a role)."""
        self.form: LadderForm | None = None
        self._serials: dict[str, str] = {}
        self._unit_names: dict[str, str] = {}

        outer = QVBoxLayout(self)
        top = QHBoxLayout()
        self.summary = QLabel()
        self.summary.setObjectName("supervision.summary")
        top.addWidget(self.summary, 1)
        self.result = QLabel()
        self.result.setObjectName("supervision.result")
        top.addWidget(self.result)
        outer.addLayout(top)

        self.cases_model: KeyedTableModel[AtRisk] = KeyedTableModel(at_risk_columns(language), self)
        self.cases_view = _table(self.cases_model, "supervision.at_risk")
        self.cases_view.setItemDelegateForColumn(0, SlaDelegate(LEVEL_ROLE, self.cases_view))
        self.units_model: KeyedTableModel[UnitRank] = KeyedTableModel(unit_columns(), self)
        self.units_view = _table(self.units_model, "supervision.units")
        self.units_view.setItemDelegateForColumn(1, SlaDelegate(LEVEL_ROLE, self.units_view))
        self.record_model: KeyedTableModel[Entry] = KeyedTableModel(
            record_columns(self._serials, self._unit_names), self)
        self.record_view = _table(self.record_model, "supervision.record")

        self.case_buttons = self._ladder_buttons("case")
        self.pool_buttons = self._ladder_buttons("pool")
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self._titled(translate("Supervision", "Cases at risk"), self.cases_view,
                                      translate("Supervision", "On the selected case:"), self.case_buttons))
        tables.addWidget(self._titled(translate("Supervision", "Units by overdue and returns"), self.units_view,
                                      translate("Supervision", "On the selected unit's pool:"), self.pool_buttons))
        self.alarms = AlarmTile(store)  # the centre's alarm load (ISA-18.2 figures), views/supervision/alarm_tile.py
        tables.addWidget(self.alarms)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 2)
        tables.setStretchFactor(2, 1)
        bottom = QWidget()
        self.bottom_layout = QHBoxLayout(bottom)  # the record, and the open form beside it
        self.bottom_layout.setContentsMargins(0, 0, 0, 0)
        record = QVBoxLayout()
        record.addWidget(QLabel(translate("Supervision", "What was done (newest first)")))
        record.addWidget(self.record_view, 1)
        self.bottom_layout.addLayout(record, 3)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(tables)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)

        self.cases_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.units_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._watch = QTimer(self, interval=WATCH_MS)
        self._watch.timeout.connect(self.redraw)
        self._watch.start()
        self.redraw(force=True)

    def _ladder_buttons(self, target: str) -> dict[SupervisionAction, QPushButton]:
        buttons: dict[SupervisionAction, QPushButton] = {}
        for action in SupervisionAction:
            button = QPushButton(tr_text(ACTION[action.value]) + "…")
            button.setObjectName(f"supervision.{target}.{action.value}")
            button.clicked.connect(lambda _=False, a=action, t=target: self.open_form(a, t))
            buttons[action] = button
        return buttons

    def _titled(self, title: str, view: QTableView, prompt: str, buttons: dict[SupervisionAction, QPushButton]
                ) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(view, 1)
        row = QHBoxLayout()
        hint = QLabel(prompt)
        muted(hint)
        row.addWidget(hint)
        for button in buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    # --- what is shown -----------------------------------------------------------------

    def redraw(self, force: bool = False) -> None:
        """Refill the tables when an event was applied (or `force`), selections kept on their rows."""
        self._ask_for_record()
        seen = (self.store.last_seq, self.log.version, self.feed.role)
        if seen == self._seen and not force:
            return
        self._seen = seen
        rows = at_risk(self.store.cases(), self.store.supervision)
        ranks = rank_units(self.store.units, rows)
        self._keep_selection(self.cases_view, self.cases_model, [(r.case.id, r) for r in rows])
        self._keep_selection(self.units_view, self.units_model, [(u.unit_id, u) for u in ranks])
        entries = self.log.entries()
        self._serials.clear()
        self._unit_names.clear()
        for entry in entries:
            case = self.store.get(entry.record.case_id)
            if case is not None:
                self._serials[case.id] = case.serial
        self._unit_names.update({u.unit_id: u.unit_name for u in self.store.units.values()})
        self.record_model.set_rows([(record_key(e, i), e) for i, e in enumerate(entries)])
        for view in (self.cases_view, self.units_view, self.record_view):
            if view.model().rowCount() and not view.property("fitted"):  # once, on the first rows
                view.resizeColumnsToContents()
                model: KeyedTableModel[Any] = view.model()  # type: ignore[assignment]
                for column, spec in enumerate(model.columns):
                    glyph = view.fontMetrics().height() + 12 if spec.level is not None else 0  # the level's shape
                    view.setColumnWidth(column, min(view.columnWidth(column) + glyph, COLUMN_MAX))
                if view is self.record_view:  # the first records need not hold the longest rung's name
                    widest = max(view.fontMetrics().horizontalAdvance(supervision_word(a)) for a in SupervisionAction)
                    view.setColumnWidth(1, max(view.columnWidth(1), widest + 16))
                view.setProperty("fitted", True)
        self._fill_summary(rows, ranks)
        self._enable()

    def _keep_selection(self, view: QTableView, model: KeyedTableModel[Any], rows: list[tuple[str, Any]]) -> None:
        selected = self._selected_key(view)
        model.set_rows(rows)
        row = model.row_of(selected) if selected is not None else -1
        if row >= 0 and self._selected_key(view) != selected:
            view.selectionModel().setCurrentIndex(
                model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    @staticmethod
    def _selected_key(view: QTableView) -> str | None:
        rows = view.selectionModel().selectedRows()
        return view.model().index(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole + 2) if rows else None

    def _fill_summary(self, rows: list[AtRisk], ranks: list[UnitRank]) -> None:
        red = sum(1 for r in rows if r.case.level is SlaLevel.RED)
        orange = sum(1 for r in rows if r.case.level is SlaLevel.ORANGE)
        returned = sum(1 for r in rows if "returned" in r.reasons)
        reopened = sum(1 for r in rows if "reopened" in r.reasons)
        units = sum(1 for u in ranks if u.overdue_now)
        self.summary.setText(
            translate("Supervision", "%1 cases at risk · ■ %2 overdue · ◆ %3 orange · %4 returned twice or more · "
                                     "%5 reopened · %6 units with overdue cases")
            .replace("%1", str(len(rows))).replace("%2", str(red)).replace("%3", str(orange))
            .replace("%4", str(returned)).replace("%5", str(reopened)).replace("%6", str(units)))
        tint(self.summary, "sla.red" if red else "text")

    def _enable(self) -> None:
        role = self.feed.role
        may = role is not None and may_send(role, "case.supervise")
        case, unit = self.selected_case(), self.selected_unit()
        for action, button in self.case_buttons.items():
            button.setEnabled(may and role in SUPERVISION_ROLES[action] and case is not None)
        for action, button in self.pool_buttons.items():
            button.setEnabled(may and role in SUPERVISION_ROLES[action] and unit is not None)

    def selected_case(self) -> AtRisk | None:
        key = self._selected_key(self.cases_view)
        row = self.cases_model.row_of(key) if key is not None else -1
        return self.cases_model.item(row) if row >= 0 else None

    def selected_unit(self) -> UnitRank | None:
        key = self._selected_key(self.units_view)
        row = self.units_model.row_of(key) if key is not None else -1
        return self.units_model.item(row) if row >= 0 else None

    def select_case(self, case_id: str) -> bool:
        return self._select(self.cases_view, self.cases_model, case_id)

    def select_unit(self, unit_id: str) -> bool:
        return self._select(self.units_view, self.units_model, unit_id)

    @staticmethod
    def _select(view: QTableView, model: KeyedTableModel[Any], key: str) -> bool:
        row = model.row_of(key)
        if row < 0:
            return False
        view.selectionModel().setCurrentIndex(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        view.scrollTo(model.index(row, 0))
        return True

    # --- the ladder --------------------------------------------------------------------

    def open_form(self, action: SupervisionAction, target: str) -> LadderForm | None:
        """The inline form for `action` on the selected case (`case`) or unit's pool (`pool`)."""
        if target == "case":
            row = self.selected_case()
            if row is None:
                return None
            form = LadderForm(action, CaseTarget(row.case), self)
        else:
            unit = self.selected_unit()
            if unit is None:
                return None
            unit_id = unit.unit_id
            form = LadderForm(action, PoolTarget(unit_id, unit.unit_name,
                                                 lambda level: len(pool_of(self.store.cases(), unit_id, level))), self)
        self.close_form()
        self.form = form
        form.setMaximumWidth(FORM_WIDTH)
        self.bottom_layout.addWidget(form, 2, Qt.AlignmentFlag.AlignTop)
        form.show()
        form.submitted.connect(lambda command, args: self._tasks.start(self._send(form, command, args)))
        form.cancelled.connect(self.close_form)
        form.note.setFocus()
        return form

    def close_form(self) -> None:
        if self.form is not None and isValid(self.form):
            self.form.hide()
            self.form.deleteLater()
        self.form = None

    async def _send(self, form: LadderForm, command: str, args: dict[str, Any]) -> None:
        try:
            result = await self.feed.send_command(command, args)
            ok, message = result.ok, (result.error.message if result.error else "")
        except Exception as exc:  # the connection closed for good: say so where the supervisor looks
            ok, message = False, str(exc) or type(exc).__name__
        alive = isValid(form)
        if ok:
            count = (result.result or {}).get("count", 0)
            if alive and form is self.form:
                self.close_form()
            self._say(translate("Supervision", "✓ %1: %2 cases, recorded by the hub")
                      .replace("%1", tr_text(ACTION[args["action"]])).replace("%2", str(count)), error=False)
            self.redraw(force=True)
        elif alive:
            form.show_refusal(message)
        else:
            self._say(translate("Supervision", "⚠ refused by the hub: %1").replace("%1", message), error=True)
        self.answered.emit(command, ok, message)

    def _ask_for_record(self) -> None:
        """Ask the hub for the ladder's record once the feed is up (a fresh console shows what was done before)."""
        role = self.feed.role
        if self._record_asked or role is None or not may_send(role, "supervision.read"):
            return
        self._record_asked = self._tasks.start(self._read_record())

    async def _read_record(self) -> None:
        try:
            result = await self.feed.send_command("supervision.read", {"limit": KEPT_RECORDS})
        except Exception as exc:  # the connection closed for good: the live records still show
            log.warning("supervision.read failed: %s", exc)
            result = None
        if result is None or not result.ok or result.result is None:
            self._record_asked = False  # asked again at the next redraw
            return
        self.log.take_hub_record(result.result.get("records", []))
        self.redraw(force=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.result.setText(text)
        tint(self.result, "danger" if error else "text.muted")

    def stop(self) -> None:
        self._watch.stop()
        self.alarms.stop()
        self._tasks.cancel_all()
        self.log.close()
