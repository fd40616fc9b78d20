"""The queue sidebar offscreen: live counts, picking a queue, the search box, shortcuts, saved filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from backend_client.store import CaseFilter, CaseStore, Queue
from protocol import CaseStatus, SlaLevel, UnitKind
from protocol.events import LevelChange, TimerLevelChanged, Unit
from tests.store.store_helpers import T0, case, created, updated
from views import saved_filters
from views.filter_editor import FilterEditor
from views.queue_labels import queue_text
from views.queue_sidebar import COUNT, KIND_ROLE, NAME, QueueSidebar
from widgets.theme import sla_color

S = CaseStatus
PHONE = "13800138000"


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[QSettings]:
    yield QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def store() -> CaseStore:
    store = CaseStore()
    elsewhere = "310112009"
    cases = [
        case(1, street_code=elsewhere, address="江川路88号", description="夜间施工噪音"),
        case(2, street_code=elsewhere, address="剑川路", description="井盖缺失"),
        case(3, street_code=elsewhere, description="Broken street light"),
        case(4, street_code=elsewhere, status=S.REGISTERED, unit_id=None),
        case(5, street_code=elsewhere, status=S.REGISTERED, returns=1),
        case(6, street_code=elsewhere, status=S.FEEDBACK, unit_id="B1"),
        case(7, street_code=elsewhere, status=S.CLOSED, requester_phone=PHONE),
        case(8, status=S.HANDLING, unit_id="B1", street_code="310112001"),
        case(9, street_code=elsewhere, status=S.CALLED_BACK, requester_phone=PHONE, satisfied=True),
    ]
    for seq, c in enumerate(cases, start=1):
        store.apply(created(seq, c))
    store.org_units = {
        "S1": Unit(id="S1", name="街道中心", kind=UnitKind.STREET_CENTRE, street_code="310112001"),
        "B1": Unit(id="B1", name="房管局", kind=UnitKind.BUREAU),
    }
    return store


def make_sidebar(qtbot: QtBot, store: CaseStore, settings: QSettings) -> QueueSidebar:
    sidebar = QueueSidebar(store, settings=settings)
    qtbot.addWidget(sidebar)
    sidebar.filter_changed.connect(store.set_view)  # as the main window does, through the model
    sidebar.show()
    qtbot.waitExposed(sidebar)
    return sidebar


@pytest.fixture
def sidebar(qtbot: QtBot, store: CaseStore, settings: QSettings) -> QueueSidebar:
    return make_sidebar(qtbot, store, settings)


def item_of(sidebar: QueueSidebar, kind: str) -> QTreeWidgetItem:
    for index in range(sidebar.list.topLevelItemCount()):
        item = sidebar.list.topLevelItem(index)
        if item is not None and item.data(NAME, KIND_ROLE) == kind:
            return item
    raise AssertionError(f"no item {kind!r} in the sidebar")


def listed(sidebar: QueueSidebar) -> dict[str, str]:
    """What the operator sees: each visible, choosable line's name and its count."""
    lines = {}
    for index in range(sidebar.list.topLevelItemCount()):
        item = sidebar.list.topLevelItem(index)
        if item is not None and not item.isHidden() and item.data(NAME, KIND_ROLE):
            lines[item.text(NAME)] = item.text(COUNT)
    return lines


def saved_names(sidebar: QueueSidebar) -> list[str]:
    return [name for name in listed(sidebar) if name not in {queue_text(q) for q in Queue}]


def click(qtbot: QtBot, sidebar: QueueSidebar, item: QTreeWidgetItem) -> None:
    sidebar.list.scrollToItem(item)  # as a person scrolls to an item below the fold
    rect = sidebar.list.visualItemRect(item)
    assert rect.isValid() and sidebar.list.viewport().rect().contains(rect.center()), "the item is on screen"
    qtbot.mouseClick(sidebar.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` into `widget`: keys for ASCII, an input method's commit for Chinese (as a real IME does)."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def activate(qtbot: QtBot, sidebar: QueueSidebar) -> None:
    sidebar.activateWindow()
    qtbot.waitUntil(sidebar.isActiveWindow)


class Feed:
    def __init__(self, store: CaseStore) -> None:
        self.store, self.seq, self.version = store, store.last_seq, 1

    def update(self, case_id: str, **fields: object) -> None:
        self.seq += 1
        self.version += 1
        self.store.apply(updated(self.seq, case_id, self.version, **fields))

    def red(self, case_id: str) -> None:
        self.seq += 1
        change = LevelChange(case_id=case_id, kind="step", level=SlaLevel.RED, previous=SlaLevel.ORANGE)
        self.store.apply(TimerLevelChanged(seq=self.seq, ts=T0, data=change))


# --- counts ----------------------------------------------------------------------------

def test_the_counts_shown_are_the_stores_after_refresh(sidebar: QueueSidebar, store: CaseStore) -> None:
    def expected() -> dict[str, str]:
        return {queue_text(q): f"{store.queue_count(q):,}" for q in Queue if q is not Queue.MINE}

    assert listed(sidebar) == expected()
    assert listed(sidebar)[queue_text(Queue.TO_REGISTER)] == "3"
    assert listed(sidebar)[queue_text(Queue.TO_DISPATCH)] == "2"
    assert listed(sidebar)[queue_text(Queue.CALL_BACK)] == "1"
    assert listed(sidebar)[queue_text(Queue.ALL_OPEN)] == "7"
    feed = Feed(store)
    feed.update("id00001", status=S.REGISTERED)
    feed.update("id00006", status=S.CLOSED)
    for n in range(10, 1210):  # a busy day: the count is grouped by thousands
        feed.seq += 1
        store.apply(created(feed.seq, case(n)))
    sidebar.refresh()
    assert listed(sidebar) == expected()
    assert listed(sidebar)[queue_text(Queue.TO_REGISTER)] == "1,202"
    assert listed(sidebar)[queue_text(Queue.TO_VERIFY)] == "0"


def test_overdue_is_red_and_bold_only_while_it_holds_cases(sidebar: QueueSidebar, store: CaseStore) -> None:
    overdue = item_of(sidebar, "queue:overdue")
    assert overdue.text(COUNT) == "0" and not overdue.font(NAME).bold()
    assert overdue.foreground(COUNT).color() != sla_color("red")
    assert not overdue.icon(NAME).isNull()  # the red square: the shape reads without the colour
    feed = Feed(store)
    feed.red("id00008")
    sidebar.refresh()
    assert overdue.text(COUNT) == "1"
    assert overdue.font(NAME).bold() and overdue.font(COUNT).bold()
    assert overdue.foreground(NAME).color() == sla_color("red") == overdue.foreground(COUNT).color()
    assert not item_of(sidebar, "queue:all_open").font(NAME).bold()  # no other queue is in colour
    feed.update("id00008", status=S.FEEDBACK, step_level=SlaLevel.BLUE)
    sidebar.refresh()
    assert overdue.text(COUNT) == "0" and not overdue.font(NAME).bold()
    assert overdue.foreground(NAME).color() != sla_color("red")


# --- picking a queue and searching ----------------------------------------------------------

def test_choosing_a_queue_shows_its_cases(qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore) -> None:
    assert sidebar.current_filter() == CaseFilter(queue=Queue.ALL_OPEN)
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        click(qtbot, sidebar, item_of(sidebar, "queue:to_dispatch"))
    assert picked.args == [CaseFilter(queue=Queue.TO_DISPATCH)]
    assert set(store.order) == {"id00004", "id00005"}
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        click(qtbot, sidebar, item_of(sidebar, "queue:call_back"))
    assert picked.args == [CaseFilter(queue=Queue.CALL_BACK)] and list(store.order) == ["id00007"]
    with qtbot.assertNotEmitted(sidebar.filter_changed):
        click(qtbot, sidebar, item_of(sidebar, "queue:call_back"))  # the same queue again: nothing new
    assert sidebar.current_filter() == CaseFilter(queue=Queue.CALL_BACK)


def test_typing_in_the_search_narrows_once_typing_settles(
    qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore
) -> None:
    sidebar.select_queue(Queue.TO_REGISTER)
    assert store.shown == 3
    emitted: list[CaseFilter] = []
    sidebar.filter_changed.connect(emitted.append)
    with qtbot.waitSignal(sidebar.filter_changed) as narrowed:
        qtbot.keyClicks(sidebar.search, "mh2026-00000")
        assert not emitted, "nothing is filtered while typing"
    assert narrowed.args == [CaseFilter(queue=Queue.TO_REGISTER, text="mh2026-00000")] and len(emitted) == 1
    assert store.shown == 3
    with qtbot.waitSignal(sidebar.filter_changed) as narrowed:
        qtbot.keyClicks(sidebar.search, "1")
    assert list(store.order) == ["id00001"]
    sidebar.search.clear()
    with qtbot.waitSignal(sidebar.filter_changed) as narrowed:
        type_text(qtbot, sidebar.search, "川路")  # Chinese words, as an input method commits them
    assert narrowed.args == [CaseFilter(queue=Queue.TO_REGISTER, text="川路")]
    assert set(store.order) == {"id00001", "id00002"}
    with qtbot.waitSignal(sidebar.filter_changed) as narrowed:
        type_text(qtbot, sidebar.search, " 噪音")
    assert list(store.order) == ["id00001"]
    with qtbot.waitSignal(sidebar.filter_changed):
        click(qtbot, sidebar, item_of(sidebar, "queue:all_open"))  # another queue keeps the search
    assert sidebar.current_filter() == CaseFilter(queue=Queue.ALL_OPEN, text="川路 噪音")
    assert list(store.order) == ["id00001"]


def test_escape_clears_the_search_at_once_and_enter_applies_it_at_once(
    qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore
) -> None:
    sidebar.search.setFocus()
    with qtbot.waitSignal(sidebar.filter_changed):
        qtbot.keyClicks(sidebar.search, "light")
    assert list(store.order) == ["id00003"]
    emitted: list[CaseFilter] = []
    sidebar.filter_changed.connect(emitted.append)
    with qtbot.waitSignal(sidebar.done):
        qtbot.keyClick(sidebar.search, Qt.Key.Key_Escape)
    assert emitted == [CaseFilter(queue=Queue.ALL_OPEN)], "at once, before the delay"
    assert sidebar.search.text() == "" and store.shown == 7
    with qtbot.waitSignal(sidebar.done):
        type_text(qtbot, sidebar.search, "井盖")
        qtbot.keyClick(sidebar.search, Qt.Key.Key_Return)
    assert emitted[1:] == [CaseFilter(text="井盖")] and list(store.order) == ["id00002"]


def test_ctrl_f_focuses_the_search_and_alt_n_picks_queue_n(qtbot: QtBot, sidebar: QueueSidebar) -> None:
    activate(qtbot, sidebar)
    sidebar.list.setFocus()
    sidebar.search.setText("old words")
    QTest.keyClick(sidebar.list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert sidebar.search.hasFocus() and sidebar.search.selectedText() == "old words"  # typing replaces them
    sidebar.search.clear()
    order = list(Queue)
    for number, queue in enumerate(order, start=1):
        if queue is Queue.MINE:
            continue
        with qtbot.waitSignal(sidebar.filter_changed) as picked:
            QTest.keyClick(sidebar.search, Qt.Key(Qt.Key.Key_0 + number % 10), Qt.KeyboardModifier.AltModifier)
        assert picked.args == [CaseFilter(queue=queue)], number
        assert sidebar.list.currentItem() is item_of(sidebar, f"queue:{queue.value}")
    with qtbot.assertNotEmitted(sidebar.filter_changed):  # "My unit's" is hidden without a scope
        QTest.keyClick(sidebar.list, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert sidebar.current_filter() == CaseFilter(queue=Queue.ALL_OPEN)


# --- "My unit's" --------------------------------------------------------------------------

def test_a_scoped_account_gets_a_units_desk_and_the_centre_its_queues_back(
    qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore
) -> None:
    mine = item_of(sidebar, "queue:mine")
    assert mine.isHidden() and queue_text(Queue.MINE) not in listed(sidebar)
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        sidebar.set_scope("S1")  # a street sub-centre's desk: it opens on its own cases
    assert picked.args == [CaseFilter(queue=Queue.MINE)] and list(store.order) == ["id00008"]
    assert not mine.isHidden() and listed(sidebar)[queue_text(Queue.MINE)] == "1"  # case 8, on its street
    assert listed(sidebar)[queue_text(Queue.ALL_OPEN)] == "1", "every queue holds only the desk's cases"
    assert listed(sidebar)[queue_text(Queue.TO_REGISTER)] == "0"
    activate(qtbot, sidebar)
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        QTest.keyClick(sidebar.list, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)  # the tenth queue
    assert picked.args == [CaseFilter(queue=Queue.ALL_OPEN)] and list(store.order) == ["id00008"]
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        QTest.keyClick(sidebar.list, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert picked.args == [CaseFilter(queue=Queue.MINE)]
    sidebar.set_scope("B1")  # another account's unit: the same queue, its cases now
    assert listed(sidebar)[queue_text(Queue.MINE)] == "2" and set(store.order) == {"id00006", "id00008"}
    with qtbot.waitSignal(sidebar.filter_changed) as picked:
        sidebar.set_scope(None)  # signed in without a unit: the queue goes, and the centre sees every case
    assert picked.args == [CaseFilter(queue=Queue.ALL_OPEN)] and store.shown == 7
    assert mine.isHidden() and sidebar.list.currentItem() is item_of(sidebar, "queue:all_open")
    assert listed(sidebar)[queue_text(Queue.TO_REGISTER)] == "3"


def test_a_new_sidebar_shows_my_units_queue_when_the_store_is_scoped(
    qtbot: QtBot, store: CaseStore, settings: QSettings
) -> None:
    store.set_scope("B1")
    sidebar = make_sidebar(qtbot, store, settings)
    assert listed(sidebar)[queue_text(Queue.MINE)] == "2"


# --- saved filters ------------------------------------------------------------------------

def new_filter(qtbot: QtBot, sidebar: QueueSidebar, name: str, *, queue: Queue | None = None,
               level: SlaLevel | None = None, text: str = "") -> FilterEditor:
    """Make a saved filter through the editor, as the operator does: the button, the fields, Save."""
    qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)
    editor = sidebar.editor
    assert editor is not None and editor.isVisible() and not editor.isModal()
    qtbot.waitExposed(editor)
    type_text(qtbot, editor.name, name)
    if queue is not None:
        editor.queue.setCurrentIndex(editor.queue.findData(queue.value))
    if level is not None:
        editor.levels[level].setChecked(True)
    editor.text.setText(text)  # a new filter starts from what is shown: its words too
    return editor


def save(qtbot: QtBot, editor: FilterEditor) -> None:
    button = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert button.isEnabled(), editor.problem.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_filter_made_in_the_editor_is_listed_counted_and_kept(
    qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore, settings: QSettings
) -> None:
    assert saved_names(sidebar) == [] and sidebar._heading.isHidden()
    editor = new_filter(qtbot, sidebar, "江川路 工地", queue=Queue.TO_REGISTER, text="川路")
    emitted: list[CaseFilter] = []
    sidebar.filter_changed.connect(emitted.append)
    save(qtbot, editor)
    wanted = CaseFilter(queue=Queue.TO_REGISTER, text="川路")
    assert emitted == [wanted]  # and it is shown at once
    assert listed(sidebar)["江川路 工地"] == "2" and not sidebar._heading.isHidden()
    assert set(store.order) == {"id00001", "id00002"} and sidebar.saved() == {"江川路 工地": wanted}
    qtbot.waitUntil(lambda: not isValid(editor))  # closed and gone
    assert sidebar.editor is None
    Feed(store).update("id00002", status=S.REGISTERED)
    sidebar.refresh()
    assert listed(sidebar)["江川路 工地"] == "1"
    editor = new_filter(qtbot, sidebar, "B1 red", queue=Queue.ALL_OPEN, level=SlaLevel.RED)
    editor.units.item(0).setCheckState(Qt.CheckState.Checked)  # 房管局 (B1), the one unit dispatched to
    save(qtbot, editor)
    assert saved_names(sidebar) == ["江川路 工地", "B1 red"] and listed(sidebar)["B1 red"] == "0"
    Feed(store).red("id00008")
    sidebar.refresh()
    assert listed(sidebar)["B1 red"] == "1"

    again = make_sidebar(qtbot, store, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert saved_names(again) == ["江川路 工地", "B1 red"]  # kept, in their order, with their counts
    assert listed(again)["江川路 工地"] == "1" and listed(again)["B1 red"] == "1"
    assert again.saved() == sidebar.saved()
    with qtbot.waitSignal(again.filter_changed) as picked:
        click(qtbot, again, item_of(again, "saved:B1 red"))
    assert picked.args == [CaseFilter(units=frozenset({"B1"}), levels=frozenset({SlaLevel.RED}))]
    assert list(store.order) == ["id00008"]


def test_editing_a_saved_filter_changes_it_in_place(qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore,
                                                    settings: QSettings) -> None:
    for name, queue in (("a", Queue.TO_REGISTER), ("b", Queue.TO_DISPATCH), ("c", Queue.TO_VERIFY)):
        with qtbot.waitSignal(sidebar.filter_changed):
            sidebar.put_saved(None, name, CaseFilter(queue=queue))
    with qtbot.waitSignal(sidebar.filter_changed):
        click(qtbot, sidebar, item_of(sidebar, "saved:b"))
    editor = sidebar.open_editor("b")
    assert editor.name.text() == "b" and editor.queue.currentData() == Queue.TO_DISPATCH.value
    editor.text.setText("000005")
    with qtbot.waitSignal(sidebar.filter_changed) as shown:
        save(qtbot, editor)  # its own name is not "taken"
    assert shown.args == [CaseFilter(queue=Queue.TO_DISPATCH, text="000005")] and list(store.order) == ["id00005"]
    assert saved_names(sidebar) == ["a", "b", "c"] and listed(sidebar)["b"] == "1"
    assert saved_filters.load(settings)["b"] == CaseFilter(queue=Queue.TO_DISPATCH, text="000005")


def test_the_editor_refuses_an_empty_or_taken_name_and_sends_nothing(qtbot: QtBot, sidebar: QueueSidebar) -> None:
    sidebar.put_saved(None, "mine", CaseFilter(queue=Queue.TO_VERIFY))
    editor = sidebar.open_editor()
    save_button = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save_button.isEnabled() and editor.problem.isVisible()
    assert editor.problem.text() == "Give the filter a name." == save_button.toolTip()
    with qtbot.assertNotEmitted(editor.saved):
        qtbot.mouseClick(save_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(editor.name, Qt.Key.Key_Return)  # the default button, the way round the disabled one
        editor.save()
    assert editor.isVisible()
    qtbot.keyClicks(editor.name, "   ")
    assert not save_button.isEnabled() and editor.problem.text() == "Give the filter a name."
    editor.name.setText(" mine ")
    assert not save_button.isEnabled() and editor.problem.text() == "A saved filter already has this name."
    with qtbot.assertNotEmitted(editor.saved), qtbot.assertNotEmitted(sidebar.filter_changed):
        qtbot.keyClick(editor.name, Qt.Key.Key_Return)
        editor.save()
    assert sidebar.saved() == {"mine": CaseFilter(queue=Queue.TO_VERIFY)} and editor.isVisible()
    qtbot.keyClicks(editor.name, "2")
    assert save_button.isEnabled() and not editor.problem.isVisible()
    with qtbot.waitSignal(editor.saved) as sent:
        qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert sent.args[:2] == [None, "mine 2"] and saved_names(sidebar) == ["mine", "mine 2"]


def test_a_name_taken_while_the_editor_is_open_is_refused_too(qtbot: QtBot, sidebar: QueueSidebar) -> None:
    sidebar.put_saved(None, "a", CaseFilter(queue=Queue.TO_VERIFY))
    editor = new_filter(qtbot, sidebar, "b", queue=Queue.TO_REGISTER)
    save_button = editor.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save_button.isEnabled()
    assert sidebar.rename_saved("a", "b")  # meanwhile, in the sidebar (the editor is not modal)
    assert not save_button.isEnabled() and editor.problem.text() == "A saved filter already has this name."
    with qtbot.assertNotEmitted(editor.saved):
        qtbot.keyClick(editor.name, Qt.Key.Key_Return)
    assert sidebar.saved() == {"b": CaseFilter(queue=Queue.TO_VERIFY)}  # not overwritten
    editor.name.setText("a")  # free again
    save(qtbot, editor)
    assert sidebar.saved() == {"b": CaseFilter(queue=Queue.TO_VERIFY), "a": CaseFilter(queue=Queue.TO_REGISTER)}


def test_opening_the_editor_again_replaces_the_open_one(qtbot: QtBot, sidebar: QueueSidebar) -> None:
    sidebar.put_saved(None, "a", CaseFilter())
    first = sidebar.open_editor()
    second = sidebar.open_editor("a")
    qtbot.waitUntil(lambda: not isValid(first))
    assert sidebar.editor is second and second.isVisible()
    third = sidebar.open_editor()
    qtbot.waitUntil(lambda: not isValid(second))
    assert sidebar.editor is third
    editors = [w for w in QApplication.topLevelWidgets() if isinstance(w, FilterEditor) and w.isVisible()]
    assert editors == [third]
    qtbot.keyClick(third.name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isValid(third))
    assert sidebar.editor is None


def rename_in_place(qtbot: QtBot, sidebar: QueueSidebar, item: QTreeWidgetItem, name: str) -> None:
    """F2 on the item, type the name over the old one, Enter."""
    activate(qtbot, sidebar)
    sidebar.list.setCurrentItem(item)
    sidebar.list.setFocus()
    QTest.keyClick(sidebar.list, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit)
                    and QApplication.focusWidget() is not sidebar.search)
    line = QApplication.focusWidget()
    assert isinstance(line, QLineEdit)
    line.selectAll()
    type_text(qtbot, line, name)
    QTest.keyClick(line, Qt.Key.Key_Return)


def test_a_saved_filter_is_renamed_in_place_and_deleted(
    qtbot: QtBot, sidebar: QueueSidebar, store: CaseStore, settings: QSettings
) -> None:
    sidebar.put_saved(None, "to verify", CaseFilter(queue=Queue.TO_VERIFY))
    sidebar.put_saved(None, "registered", CaseFilter(queue=Queue.TO_DISPATCH))
    with qtbot.waitSignal(sidebar.filter_changed):
        click(qtbot, sidebar, item_of(sidebar, "saved:to verify"))
    assert list(store.order) == ["id00006"]
    emitted: list[CaseFilter] = []
    sidebar.filter_changed.connect(emitted.append)

    rename_in_place(qtbot, sidebar, item_of(sidebar, "saved:to verify"), "核查 B1")
    qtbot.waitUntil(lambda: saved_names(sidebar) == ["核查 B1", "registered"])
    assert listed(sidebar)["核查 B1"] == "1"
    assert sidebar.list.currentItem() is item_of(sidebar, "saved:核查 B1")  # still the one picked
    assert list(store.order) == ["id00006"] and emitted == []  # the same filter: the table is left alone
    assert list(saved_filters.load(settings)) == ["核查 B1", "registered"]

    rename_in_place(qtbot, sidebar, item_of(sidebar, "saved:核查 B1"), "registered")  # taken: refused
    qtbot.waitUntil(lambda: sidebar.list.state() != sidebar.list.State.EditingState)
    assert saved_names(sidebar) == ["核查 B1", "registered"]
    assert item_of(sidebar, "saved:核查 B1").text(NAME) == "核查 B1"
    assert sidebar.rename_saved("核查 B1", "  ") is False and list(sidebar.saved()) == ["核查 B1", "registered"]

    sidebar.list.setFocus()
    with qtbot.waitSignal(sidebar.filter_changed) as shown:
        QTest.keyClick(sidebar.list, Qt.Key.Key_Delete)  # deletes the one picked: back to every open case
    assert shown.args == [CaseFilter(queue=Queue.ALL_OPEN)] and store.shown == 7
    assert saved_names(sidebar) == ["registered"] and store.saved_count("核查 B1") is None
    sidebar.list.setCurrentItem(item_of(sidebar, "queue:to_register"))
    with qtbot.assertNotEmitted(sidebar.filter_changed):
        QTest.keyClick(sidebar.list, Qt.Key.Key_Delete)  # a built-in queue cannot be deleted
    assert len(listed(sidebar)) == len(Queue) - 1 + 1  # the queues but "My unit's", and the one filter
    sidebar.delete_saved("registered")
    assert saved_names(sidebar) == [] and sidebar._heading.isHidden()
    again = make_sidebar(qtbot, store, QSettings(settings.fileName(), QSettings.Format.IniFormat))
    assert saved_names(again) == []


def test_saved_filters_of_another_format_are_not_used_nor_overwritten_on_start(
    qtbot: QtBot, store: CaseStore, settings: QSettings
) -> None:
    settings.setValue(saved_filters.KEY, '[{"name": "x", "filter": {"queue": "nonsense"}}]')
    settings.setValue(saved_filters.VERSION_KEY, 1)
    assert saved_filters.load(settings) == {}
    settings.setValue(saved_filters.KEY, "[]")
    settings.setValue(saved_filters.VERSION_KEY, 2)  # a newer console's
    sidebar = make_sidebar(qtbot, store, settings)
    assert saved_names(sidebar) == [] and settings.value(saved_filters.VERSION_KEY) in (2, "2")


def test_saved_filters_round_trip_through_the_settings_file(settings: QSettings) -> None:
    filters = {
        "夜间施工, 江川路": CaseFilter(queue=Queue.OVERDUE, streets=frozenset({"310112001"}), text="噪音 = ; ,"),
        "all": CaseFilter(),
    }
    saved_filters.store(settings, filters)
    assert saved_filters.load(QSettings(settings.fileName(), QSettings.Format.IniFormat)) == filters
