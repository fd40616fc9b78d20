"""The full timeline of a case (留痕): every step, who took it, when, its note, and its time.

One row per `Trace` of `Case.history`, after a first row for the receipt. The time column
says how long the step took against its step limit when the hub recorded one ("42 min ·
12 min late"). Rows are prepared once per change; a case that only gained steps gets its
new rows inserted at the end (the view keeps its scroll position); another case resets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from protocol.events import Case, Trace
from views.case_detail.texts import step_text, tr_text
from views.models.case_cells import CENTRE_ZONE, TimeLeft, local_text
from views.models.labels import channel_text
from widgets.theme import color

COLUMNS = ("when", "step", "by", "time", "details")
WHEN, STEP, BY, TIME, DETAILS = range(len(COLUMNS))
DISPLAY, TOOLTIP, FOREGROUND = (
    int(Qt.ItemDataRole.DisplayRole),
    int(Qt.ItemDataRole.ToolTipRole),
    int(Qt.ItemDataRole.ForegroundRole),
)
LATE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""True on a row whose step finished after its step limit."""

UnitNames = Callable[[str], str]
_spans = TimeLeft()


translate = QCoreApplication.translate


@dataclass(frozen=True, slots=True)
class TimelineRow:
    texts: tuple[str, str, str, str, str]
    tooltip: str
    late: bool


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def time_text(trace: Trace, previous: datetime) -> tuple[str, bool]:
    """("42 min · 12 min late", True) or ("12 min · on time", False) against the step's limit; with no
    limit recorded (handling, a paused clock), just the time since the `previous` step."""
    if trace.step_started_at is None:
        return _spans.span(_minutes(previous, trace.at)), False
    taken = _spans.span(_minutes(trace.step_started_at, trace.at))
    if trace.step_due_at is None:
        return taken, False
    late = _minutes(trace.step_due_at, trace.at)
    if trace.at > trace.step_due_at:
        return translate("Timeline", "%1 · %2 late").replace("%1", taken).replace("%2", _spans.span(max(late, 1))), True
    return translate("Timeline", "%1 · on time").replace("%1", taken), False


def full_time(moment: datetime) -> str:
    return moment.astimezone(CENTRE_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def prepare_rows(case: Case, unit_name: UnitNames) -> list[TimelineRow]:
    received = TimelineRow(
        (
            local_text(case.received_at),
            tr_text("Received"),
            "",
            "",
            f"{channel_text(case.channel)} · {case.description}",
        ),
        translate("Timeline", "Received %1 via %2")
        .replace("%1", full_time(case.received_at))
        .replace("%2", channel_text(case.channel)),
        False,
    )
    rows = [received]
    previous_unit: str | None = None
    previous_at = case.received_at
    for trace in case.history:
        time, late = time_text(trace, previous_at)
        previous_at = trace.at
        # The unit is named where it changes; repeating it on every row would bury the notes.
        unit = unit_name(trace.unit_id) if trace.unit_id and trace.unit_id != previous_unit else ""
        previous_unit = trace.unit_id
        details = " · ".join(t for t in (unit and f"→ {unit}", trace.note) if t)
        tip = [f"{full_time(trace.at)} · {step_text(trace, case.satisfied)} · {trace.actor}"]
        if trace.step_due_at is not None:
            tip.append(translate("Timeline", "Step limit: due %1").replace("%1", full_time(trace.step_due_at)))
        elif trace.step_started_at is None:
            tip.append(translate("Timeline", "No step limit: the time shown is since the previous step"))
        if trace.unit_id:
            tip.append(unit_name(trace.unit_id))
        if trace.note:
            tip.append(trace.note)
        rows.append(
            TimelineRow(
                (local_text(trace.at), step_text(trace, case.satisfied), trace.actor, time, details),
                "\n".join(tip),
                late,
            )
        )
    return rows


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case_id: str | None = None
        self._rows: list[TimelineRow] = []
        _spans.retranslate()  # made at import, maybe before the translator: take the language in use now

    def set_case(self, case: Case | None, unit_name: UnitNames) -> None:
        rows = prepare_rows(case, unit_name) if case is not None else []
        case_id = case.id if case is not None else None
        old = self._rows
        if case_id == self._case_id and len(rows) > len(old) and rows[: len(old)] == old:
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            self._rows = rows
            self.endInsertRows()
            return
        if case_id == self._case_id and rows == old:
            return
        self.beginResetModel()
        self._case_id, self._rows = case_id, rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation is not Qt.Orientation.Horizontal or role != DISPLAY:
            return None
        return (
            translate("Timeline", "When"),
            translate("Timeline", "Step"),
            translate("Timeline", "By"),
            translate("Timeline", "Time taken"),
            translate("Timeline", "Unit and note"),
        )[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> object:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == DISPLAY:
            return row.texts[index.column()]
        if role == TOOLTIP:
            return row.tooltip
        if role == FOREGROUND and row.late and index.column() == TIME:
            return color("sla.red")
        if role == LATE_ROLE:
            return row.late
        return None


class TimelineView(QTreeView):
    """The timeline as a flat list: notes wrap, rows grow to fit them, the list scrolls."""

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case.timeline")
        self.setModel(model)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)  # a long note takes the lines it needs
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.header()
        header.setStretchLastSection(True)
        metrics = self.fontMetrics()
        self.setColumnWidth(WHEN, metrics.horizontalAdvance("00-00 00:00") + 16)
        self.setColumnWidth(STEP, metrics.horizontalAdvance(tr_text("Called back: not satisfied")) + 12)
        self.setColumnWidth(BY, metrics.horizontalAdvance("duty-officer") + 12)
        self.setColumnWidth(TIME, metrics.horizontalAdvance("3 h 12 min · on time") + 12)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)
        model.rowsInserted.connect(self._follow_new_rows)

    def _follow_new_rows(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        """New steps show at the bottom when the operator was reading the end of the story."""
        bar = self.verticalScrollBar()
        if bar.value() >= bar.maximum() - 4:
            self.scrollToBottom()
