"""Help ▸ Keyboard shortcuts and Help ▸ About: small windows that never block the feed.

Both are opened with `show()` / `open()`, never `exec()` (a nested event loop inside qasync
loses the feed's tasks). The shortcut list is built from the tables the keys are bound from
(`views.queue_shortcuts.SHORTCUTS` and `WINDOW_SHORTCUTS`), so the help cannot drift from them.
"""

from __future__ import annotations

import importlib.metadata
import platform
from dataclasses import dataclass

import PySide6
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from views.models.labels import QT_TRANSLATE_NOOP
from views.queue_shortcuts import SHORTCUTS

PRODUCT = "command-centre-console"


translate = QCoreApplication.translate


def _tr(source: str) -> str:
    return QCoreApplication.translate("Help", source)


@dataclass(frozen=True, slots=True)
class WindowShortcut:
    keys: str
    label: str
    """English source text (context `Help`)."""


WINDOW_SHORTCUTS: tuple[WindowShortcut, ...] = (
    WindowShortcut("F1", QT_TRANSLATE_NOOP("Help", "This list of keys")),
    WindowShortcut("Ctrl++ / Ctrl+-", QT_TRANSLATE_NOOP("Help", "Larger / smaller text")),
    WindowShortcut("Ctrl+0", QT_TRANSLATE_NOOP("Help", "Text at its normal size")),
    WindowShortcut("Ctrl+Q", QT_TRANSLATE_NOOP("Help", "Quit the console")),
)
"""Keys of the main window itself (bound in `console.menus`)."""


class ShortcutsDialog(QDialog):
    """Every key of the console in one table; Esc or Close closes it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialog.shortcuts")
        self.setWindowTitle(translate("Help", "Keyboard shortcuts"))
        rows = [(s.keys, s.text()) for s in SHORTCUTS] + [(w.keys, _tr(w.label)) for w in WINDOW_SHORTCUTS]
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcuts.table")
        self.table.setHorizontalHeaderLabels([translate("Help", "Keys"), translate("Help", "What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, (keys, text) in enumerate(rows):
            key_item = QTableWidgetItem(keys)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(row, 0, key_item)
            self.table.setItem(row, 1, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, min(720, 80 + 30 * len(rows)))

    def rows(self) -> list[tuple[str, str]]:
        """What the table lists, (keys, text) per row."""

        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [(text(r, 0), text(r, 1)) for r in range(self.table.rowCount())]


def versions() -> dict[str, str]:
    """The versions the About box lists (the console's and what it runs on)."""

    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    return {
        "Console": dist(PRODUCT),
        "Python": platform.python_version(),
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "qasync": dist("qasync"),
        "websockets": dist("websockets"),
        "SQLAlchemy": dist("SQLAlchemy"),
        "msgspec": dist("msgspec"),
    }


def about_box(parent: QWidget, *, hub: str, hub_url: str) -> QMessageBox:
    """The About box, opened (window-modal, not a nested loop); `hub` is the hub's name and version."""
    lines = "".join(f"<tr><td>{name}</td><td>&nbsp;{version}</td></tr>" for name, version in versions().items())
    connected = translate("Help", "Connected to %1 at %2").replace("%1", hub or "—").replace("%2", hub_url)
    credits = translate(
        "Help",
        "District boundary: Apache ECharts (Apache-2.0); street and grid areas are approximate. "
        "Administrative codes: National Bureau of Statistics of China (2023). "
        "Case categories: GB/T 47678.5-2026. Holidays: State Council notices. "
        "Font: Noto Sans CJK SC (SIL Open Font License 1.1).",
    )
    box = QMessageBox(parent)
    box.setObjectName("dialog.about")
    box.setWindowTitle(translate("Help", "About the console"))
    box.setTextFormat(Qt.TextFormat.RichText)
    title = translate("Help", "Command Centre Console")
    box.setText(f"<b>{title}</b><br>{connected}<table>{lines}</table><p>{credits}</p>")
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
