"""The queues beside the dispatch queue: built-in ones and saved filters, each with a live count.

Counts come from the store, which keeps them as events apply (`CaseStore.queue_count`,
`saved_count`); `refresh()` (on the console's 10 Hz timer) only copies the numbers that
changed into the list. Picking a queue, or typing in the search box (Ctrl+F), emits
`filter_changed` with what the table should show; the store scans its cases once for it.
Overdue is the one queue in colour, and only while it holds cases: a red square and bold
red text (colour, shape and word). Saved filters are made and edited in a small non-modal
editor, renamed in place (F2) and deleted with Delete; they live in QSettings.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backend_client.store import CaseFilter, CaseStore, Queue
from views import saved_filters
from views.filter_editor import FilterEditor, sla_icon
from views.queue_labels import queue_explained, queue_text
from widgets.theme import color, sla_color

SEARCH_DELAY_MS = 150
"""Typing settles this long before the table is filtered (a scan per pause, not per key)."""
KIND_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""On each item: "queue" or "saved", a colon, then the queue's value or the filter's name; none on the heading."""
NAME, COUNT = 0, 1


translate = QCoreApplication.translate


class _QueueList(QTreeWidget):
    """Signals: `done()` on Enter (go on to the table), `delete_requested()` on Delete."""

    done = Signal()
    delete_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self.done.emit()
            return
        if event.key() == Qt.Key.Key_Delete:
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)


class QueueSidebar(QWidget):
    """Built-in queues and saved filters with live counts, and the search box.

    Signals: `filter_changed(object)` with the `CaseFilter` to show (the queue or saved filter
    picked, narrowed by the search words); `done()` when the operator leaves the sidebar with
    Enter or Esc (the window gives the table the focus).
    """

    filter_changed = Signal(object)
    done = Signal()

    def __init__(self, store: CaseStore, *, settings: QSettings | None = None, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("view.queues")
        self._store = store
        self._settings = settings if settings is not None else QSettings()
        self._saved: dict[str, CaseFilter] = saved_filters.load(self._settings)
        self._shown: CaseFilter | None = None
        self._counts: dict[tuple[str, str], int | None] = {}
        self.editor: FilterEditor | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName("queues.search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(translate("QueueSidebar", "Search serial no., address, description"))
        self.search.setToolTip(translate("QueueSidebar", "Ctrl+F"))
        self.search.installEventFilter(self)
        self.list = _QueueList(self)
        self.list.setObjectName("queues.list")
        self.list.setColumnCount(2)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setIndentation(0)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        self.new_button = QPushButton(translate("QueueSidebar", "New filter…"), self)
        self.new_button.setObjectName("queues.new")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.new_button)
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self._red = QBrush(sla_color("red"))
        self._muted = QBrush(color("text.muted"))
        self._items: dict[Queue, QTreeWidgetItem] = {}
        for queue in Queue:
            item = QTreeWidgetItem(self.list, [queue_text(queue), ""])
            item.setData(NAME, KIND_ROLE, f"queue:{queue.value}")
            item.setToolTip(NAME, queue_explained(queue))
            item.setTextAlignment(COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._items[queue] = item
        self._items[Queue.OVERDUE].setIcon(NAME, sla_icon("red"))
        self._heading = QTreeWidgetItem(self.list, [translate("QueueSidebar", "Saved filters"), ""])
        self._heading.setFlags(Qt.ItemFlag.NoItemFlags)
        self._heading.setForeground(NAME, self._muted)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._emit)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_done)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.done.connect(self.done.emit)
        self.list.delete_requested.connect(self._delete_current)
        self.new_button.clicked.connect(lambda: self.open_editor())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search,
                  context=Qt.ShortcutContext.WindowShortcut)
        for number, queue in enumerate(Queue, start=1):
            QShortcut(QKeySequence(f"Alt+{number % 10}"), self, partial(self.select_queue, queue),
                      context=Qt.ShortcutContext.WindowShortcut)
        self._fill_saved()
        self._store.set_saved_filters(self._saved)
        self._items[Queue.MINE].setHidden(self._store.scope is None)
        self.list.setCurrentItem(self._items[Queue.ALL_OPEN])
        self.refresh()

    # --- what is shown ----------------------------------------------------------------

    def current_filter(self) -> CaseFilter:
        """The queue or saved filter picked, narrowed by the search words."""
        kind = self._kind(self.list.currentItem())
        if kind is None:
            base = CaseFilter()
        elif kind[0] == "queue":
            base = CaseFilter(queue=Queue(kind[1]))
        else:
            base = self._saved.get(kind[1], CaseFilter())
        return base.with_text(self.search.text())

    def select_queue(self, queue: Queue) -> None:
        item = self._items[queue]
        if not item.isHidden():
            self.list.setCurrentItem(item)

    def select_saved(self, name: str) -> bool:
        item = self._saved_item(name)
        if item is not None:
            self.list.setCurrentItem(item)
        return item is not None

    def current_kind(self) -> tuple[str, str] | None:
        """What is picked: ("queue", value) or ("saved", name); for a rebuilt window to pick the same."""
        return self._kind(self.list.currentItem())

    def restore_selection(self, kind: tuple[str, str] | None, search: str = "") -> None:
        """Pick what `current_kind()` gave (if it still exists) and put the search words back."""
        if kind is not None and kind[0] == "queue" and kind[1] in {q.value for q in Queue}:
            self.select_queue(Queue(kind[1]))
        elif kind is not None and kind[0] == "saved":
            self.select_saved(kind[1])
        if search:
            self.search.setText(search)
            self._search_timer.stop()
        self._emit()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def set_scope(self, unit_id: str | None) -> None:
        """The account's unit (from `welcome`): a unit's desk, every queue holding only its cases, opened on
        "My unit's"; None: the centre's queues, without "My unit's"."""
        if (self._store.scope.unit_id if self._store.scope is not None else None) == unit_id:
            return
        self._store.set_scope(unit_id)
        mine = self._items[Queue.MINE]
        mine.setHidden(unit_id is None)
        if unit_id is not None:
            self.list.setCurrentItem(mine)
        elif self.list.currentItem() is mine:
            self.list.setCurrentItem(self._items[Queue.ALL_OPEN])
        self.refresh()

    def _emit(self) -> None:
        case_filter = self.current_filter()
        if case_filter != self._shown:
            self._shown = case_filter
            self.filter_changed.emit(case_filter)

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if self._kind(current) is not None:
            self._emit()

    def _search_done(self) -> None:
        self._search_timer.stop()
        self._emit()
        self.done.emit()

    def eventFilter(self, watched: object, event: object) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            self.search.clear()
            self._search_timer.stop()
            self._emit()
            self.done.emit()
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]

    # --- counts -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Copy the store's counts into the list (only those that changed are touched)."""
        store = self._store
        for queue, item in self._items.items():
            self._show_count(item, ("queue", queue.value), store.queue_count(queue), red=queue is Queue.OVERDUE)
        for index in range(self._heading_index() + 1, self.list.topLevelItemCount()):
            saved = self.list.topLevelItem(index)
            kind = self._kind(saved)
            if saved is not None and kind is not None:
                self._show_count(saved, kind, store.saved_count(kind[1]))

    def _show_count(self, item: QTreeWidgetItem, kind: tuple[str, str], count: int | None, *, red: bool = False
                    ) -> None:
        if self._counts.get(kind, -1) == count:
            return
        self._counts[kind] = count
        item.setText(COUNT, "" if count is None else f"{count:,}")
        if red:  # colour only for what is abnormal, and only while it is
            alarm = bool(count)
            for column in (NAME, COUNT):
                item.setForeground(column, self._red if alarm else QBrush())
                item.setFont(column, self._bold if alarm else self.font())

    # --- saved filters ----------------------------------------------------------------

    def saved(self) -> dict[str, CaseFilter]:
        return dict(self._saved)

    def open_editor(self, name: str | None = None) -> FilterEditor:
        """The editor for a saved filter (`name`) or a new one, shown and not modal."""
        if self.editor is not None:
            self.editor.close()
        base = self._saved.get(name) if name is not None else self.current_filter()
        editor = FilterEditor(self._store, self._saved, name=name, case_filter=base, parent=self)
        editor.setWindowFlag(Qt.WindowType.Window)
        editor.saved.connect(self.put_saved)

        def forget() -> None:  # a replaced editor goes later, after its successor is open: forget only itself
            if self.editor is editor:
                self.editor = None

        editor.destroyed.connect(forget)
        self.editor = editor
        editor.show()
        return editor

    def put_saved(self, old_name: str | None, name: str, case_filter: CaseFilter) -> None:
        """Add a saved filter, or replace `old_name` (kept in its place), store it, and show it."""
        items = list(self._saved.items())
        if old_name is not None and old_name in self._saved:
            items = [(name, case_filter) if key == old_name else (key, f) for key, f in items]
        else:
            items = [(key, f) for key, f in items if key != name] + [(name, case_filter)]
        self._set_saved(dict(items), select=name)

    def rename_saved(self, old_name: str, name: str) -> bool:
        name = name.strip()
        if old_name not in self._saved or not name or (name != old_name and name in self._saved):
            return False
        self._set_saved({(name if key == old_name else key): f for key, f in self._saved.items()}, select=name)
        return True

    def delete_saved(self, name: str) -> None:
        if name in self._saved:  # the one picked gone: All open is picked (`_set_saved`)
            self._set_saved({key: f for key, f in self._saved.items() if key != name})

    def _set_saved(self, filters: dict[str, CaseFilter], select: str | None = None) -> None:
        """Keep, store and list these filters; then pick `select`, else the saved filter picked before while
        it exists (All open when it is gone), with one `filter_changed` at most (none when the filter is the same)."""
        current = self._kind(self.list.currentItem())
        if select is None and current is not None and current[0] == "saved":
            select = current[1]
        self._saved = filters
        if self.editor is not None:  # not modal: names may be taken (or freed) while it is open
            self.editor.set_taken(filters)
        saved_filters.store(self._settings, filters)
        self._store.set_saved_filters(filters)
        with_signals = self.list.blockSignals(True)
        try:
            self._fill_saved()
            if select is not None:
                item = self._saved_item(select)
                self.list.setCurrentItem(item if item is not None else self._items[Queue.ALL_OPEN])
        finally:
            self.list.blockSignals(with_signals)
        self.refresh()
        self._emit()  # the filter shown may have changed under its name

    def _fill_saved(self) -> None:
        start = self._heading_index() + 1
        while self.list.topLevelItemCount() > start:
            self.list.takeTopLevelItem(start)
        self._counts = {kind: count for kind, count in self._counts.items() if kind[0] == "queue"}
        for name in self._saved:
            item = QTreeWidgetItem(self.list, [name, ""])
            item.setData(NAME, KIND_ROLE, f"saved:{name}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            item.setTextAlignment(COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._heading.setHidden(not self._saved)

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        kind = self._kind(item)
        if column != NAME or kind is None or kind[0] != "saved" or item.text(NAME) == kind[1]:
            return
        if not self.rename_saved(kind[1], item.text(NAME)):
            with_signals = self.list.blockSignals(True)
            item.setText(NAME, kind[1])  # refused (empty or taken): the old name stays
            self.list.blockSignals(with_signals)

    def _delete_current(self) -> None:
        kind = self._kind(self.list.currentItem())
        if kind is not None and kind[0] == "saved":
            self.delete_saved(kind[1])

    def _menu(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        kind = self._kind(item)
        menu = QMenu(self)
        if item is not None and kind is not None and kind[0] == "saved":
            menu.addAction(translate("QueueSidebar", "Edit…"), partial(self.open_editor, kind[1]))
            menu.addAction(translate("QueueSidebar", "Rename"), partial(self.list.editItem, item, NAME))
            menu.addAction(translate("QueueSidebar", "Delete"), partial(self.delete_saved, kind[1]))
            menu.addSeparator()
        menu.addAction(translate("QueueSidebar", "New filter…"), self.open_editor)
        menu.popup(self.list.viewport().mapToGlobal(position))

    # --- items ------------------------------------------------------------------------

    @staticmethod
    def _kind(item: QTreeWidgetItem | None) -> tuple[str, str] | None:
        """("queue", the queue's value) or ("saved", the filter's name); None for the heading."""
        kind = item.data(NAME, KIND_ROLE) if item is not None else None
        if not kind:
            return None
        what, _, value = str(kind).partition(":")
        return what, value

    def _heading_index(self) -> int:
        return self.list.indexOfTopLevelItem(self._heading)

    def _saved_item(self, name: str) -> QTreeWidgetItem | None:
        for index in range(self._heading_index() + 1, self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            if self._kind(item) == ("saved", name):
                return item
        return None
