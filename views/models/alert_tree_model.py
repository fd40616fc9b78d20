"""The alerts panel's tree: one top row per alert (a case or a group), its cases under it.

A thin adapter over `AlertBook.rows()`: `apply()` takes the rows in display order and
resets the model (a few dozen rows at most, a few times a second at most; the panel keeps
the selection and the open groups across it). Texts are prepared in `apply()`, never in
`data()`.

Index layout: a top row's internal id is 0; a case row's is its alert's row + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QFont

from backend_client.alerts import Alert, Group, Priority
from protocol.enums import AlertKind
from views.models import alert_texts
from views.models.labels import QT_TRANSLATE_NOOP
from views.models.roles import CASE_ID_ROLE, SLA_LEVEL_ROLE
from widgets.theme import color

Index = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
FONT = int(Qt.ItemDataRole.FontRole)
SIZE_HINT = int(Qt.ItemDataRole.SizeHintRole)
ALERT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 20
"""int: the alert's id (top rows and case rows)."""
ACKED_ROLE = int(Qt.ItemDataRole.UserRole) + 21
"""bool: acknowledged (the whole alert on a top row, the one case on a case row)."""

COLUMNS = (
    QT_TRANSLATE_NOOP("AlertTreeModel", "Priority"),
    QT_TRANSLATE_NOOP("AlertTreeModel", "Alert"),
    QT_TRANSLATE_NOOP("AlertTreeModel", "Time"),
    QT_TRANSLATE_NOOP("AlertTreeModel", "State"),
)
PRIORITY_COLUMN = 0


@dataclass(frozen=True, slots=True)
class _Row:
    alert_id: int
    case_id: str | None
    texts: tuple[str, str, str, str]
    level: str | None
    """Timer level for the glyph of the priority column (unacknowledged timer alerts only)."""
    acked: bool
    critical: bool
    greyed: bool = False
    """A shelf's row: greyed though not acknowledged."""


class AlertTreeModel(QAbstractItemModel):
    def __init__(self, language: str = "en", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._top: list[_Row] = []
        self._alerts: list[Alert] = []
        self._case_ids: list[list[str]] = []
        """Each group's cases as of `apply()`: the row count stays put between two applies."""
        self._children: dict[tuple[int, int], _Row] = {}
        """Case rows by (group row, row), prepared when first shown: a flood's group may hold thousands."""
        self._bold = QFont()
        self._bold.setBold(True)
        self._grey = QBrush(color("text.disabled"))
        self.row_size = QSize()
        """Size hint of every row (the view sets its height from its font; invalid: the style's)."""

    def apply(self, alerts: list[Alert]) -> None:
        """Show `alerts` in this order (from `AlertBook.rows()`)."""
        self.beginResetModel()
        self._alerts = list(alerts)
        self._top = [self._alert_row(a) for a in alerts]
        self._case_ids = [list(a.cases) if len(a.cases) > 1 else [] for a in alerts]  # one case: nothing to open
        self._children = {}
        self.endResetModel()

    def _alert_row(self, alert: Alert) -> _Row:
        acked = alert.acked
        shelved = alert.group is Group.SHELF  # greyed like an acknowledged row: nothing to do now
        quiet = acked or shelved
        level = alert.key.partition(".")[2] if alert.kind is AlertKind.TIMER and not quiet else None
        texts = (alert_texts.priority_text(alert.priority), alert_texts.title(alert),
                 alert_texts.clock(alert.raised_at), alert_texts.state(alert))
        return _Row(alert.id, None, texts, level, acked, alert.priority is Priority.CRITICAL and not quiet, shelved)

    def _case_row(self, alert: Alert, case_id: str) -> _Row:
        item = alert.cases[case_id]
        acked = item.ack is not None
        line = alert_texts.case_line(item, self._language)
        if alert.group is not None:  # a flood's, an emergency's or a shelf's case: which alert it is
            line = f"{alert_texts.key_text(item.kind, item.key)} · {line}"
        texts = ("", line, alert_texts.clock(item.raised_at), alert_texts.case_state(item))
        return _Row(alert.id, case_id, texts, None, acked, False)

    # --- reading ------------------------------------------------------------------------

    def top_row_of(self, alert_id: int) -> int:
        return next((i for i, row in enumerate(self._top) if row.alert_id == alert_id), -1)

    def case_index(self, alert_id: int, case_id: str) -> QModelIndex:
        row = self.top_row_of(alert_id)
        if row < 0 or case_id not in self._alerts[row].cases:
            return QModelIndex()
        child = next((i for i, c in enumerate(self._case_ids[row]) if c == case_id), -1)
        return self.index(child, 0, self.index(row, 0)) if child >= 0 else QModelIndex()

    def _row(self, index: Index) -> _Row:
        parent = index.internalId()
        if parent == 0:
            return self._top[index.row()]
        key = (parent - 1, index.row())
        row = self._children.get(key)
        if row is None:
            row = self._children[key] = self._case_row(self._alerts[key[0]], self._case_ids[key[0]][key[1]])
        return row

    # --- QAbstractItemModel -------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._top)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._case_ids[parent.row()])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(COLUMNS):
            return QCoreApplication.translate("AlertTreeModel", COLUMNS[section])
        return None

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid():
            return None
        row = self._row(index)
        column = index.column()
        if role in (DISPLAY, TOOLTIP):
            return row.texts[column]
        if role == FOREGROUND:
            return self._grey if row.acked or row.greyed else None
        if role == FONT:
            return self._bold if row.critical else None
        if role == SIZE_HINT:
            return self.row_size if self.row_size.isValid() else None
        if role == SLA_LEVEL_ROLE:
            return row.level if column == PRIORITY_COLUMN else None
        if role == ALERT_ID_ROLE:
            return row.alert_id
        if role == CASE_ID_ROLE:
            return row.case_id
        if role == ACKED_ROLE:
            return row.acked
        return None
