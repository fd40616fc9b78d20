"""A category picker for the keyboard: type a name, a code or pinyin initials; arrows and Enter choose.

The matches list under the line shows at most eight categories, best first. Enter (or a
click) chooses the highlighted one: the line then shows its code and name, and `chosen(str)`
gives its code. Typing again searches again (the choice is dropped until a new one is made).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from views.intake.catalog import CategoryEntry, search

translate = QCoreApplication.translate
ROWS = 8


class CategoryPicker(QWidget):
    """Signals: `chosen(str)` with the chosen code ("" when the choice is dropped by typing)."""

    chosen = Signal(str)
    done = Signal()

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.entries: list[CategoryEntry] = []
        self.code: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.line = QLineEdit(self)
        self.line.setObjectName("intake.category")
        self.line.setPlaceholderText(translate("CategoryPicker", "Name, code or pinyin initials (e.g. ljt)"))
        self.line.setClearButtonEnabled(True)
        layout.addWidget(self.line)
        self.matches = QListWidget(self)
        self.matches.setObjectName("intake.category_matches")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the line
        self.matches.setFixedHeight(self.matches.sizeHintForRow(0) * 4 + 6 if self.matches.count() else 90)
        self.matches.hide()
        layout.addWidget(self.matches)
        self._showing_choice = False
        self.line.textEdited.connect(self._on_edited)
        self.line.installEventFilter(self)
        self.matches.itemClicked.connect(lambda item: self.choose(str(item.data(Qt.ItemDataRole.UserRole))))

    def set_entries(self, entries: Sequence[CategoryEntry]) -> None:
        self.entries = list(entries)
        if self.code is not None and self.entry(self.code) is not None:
            self._show_choice()
        elif self.line.text() and not self._showing_choice:
            self._on_edited(self.line.text())

    def entry(self, code: str) -> CategoryEntry | None:
        return next((e for e in self.entries if e.code == code), None)

    def label(self, entry: CategoryEntry) -> str:
        return f"{entry.code}  {entry.name(self.language)}"

    def _on_edited(self, text: str) -> None:
        if self.code is not None:
            self.code = None
            self.chosen.emit("")
        self._showing_choice = False
        found = search(self.entries, text, ROWS)
        self.matches.clear()
        for entry in found:
            other = entry.name_en if self.language.startswith("zh") else entry.name_zh
            item = QListWidgetItem(f"{self.label(entry)}   ·  {other}")
            item.setData(Qt.ItemDataRole.UserRole, entry.code)
            self.matches.addItem(item)
        if found:
            self.matches.setCurrentRow(0)
            self.matches.setFixedHeight(self.matches.sizeHintForRow(0) * min(len(found), ROWS) + 6)
        self.matches.setVisible(bool(found))

    def choose(self, code: str) -> bool:
        """Choose a category by code; False when the catalogue has no such code."""
        if self.entry(code) is None:
            return False
        self.code = code
        self._show_choice()
        self.matches.hide()
        self.chosen.emit(code)
        return True

    def _show_choice(self) -> None:
        entry = self.entry(self.code or "")
        if entry is not None:
            self._showing_choice = True
            self.line.setText(self.label(entry))

    def clear(self) -> None:
        self.code = None
        self._showing_choice = False
        self.line.clear()
        self.matches.clear()
        self.matches.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.line and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if self.matches.isVisible() and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.matches.count() - 1, self.matches.currentRow() + step))
                self.matches.setCurrentRow(row)
                return True
            if (key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()
                    and self.matches.isVisible() and self.matches.currentItem() is not None):
                self.choose(str(self.matches.currentItem().data(Qt.ItemDataRole.UserRole)))
                self.done.emit()
                return True
        return super().eventFilter(watched, event)
