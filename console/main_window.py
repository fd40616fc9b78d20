"""The console's main window: the queues, the dispatch queue, the case and the alerts in docks.

Two timers drive the screen, whatever the event rate: every 100 ms the store's changes are
drained into the model as one batch (≤ 10 Hz), and every second the countdowns and the
status bar move on. Closing the window does not end the application by itself: it emits
`close_requested`, and `console.app` shuts the feed down, then stops the loop.

The layout of the docks is saved per screen in QSettings with a version (`LAYOUT_VERSION`):
a layout saved by a console whose docks differ is ignored, never half-applied. A change of
language, theme or text size is asked for with `appearance_requested`; the window host
(`console.workstation`) builds a new window in the new appearance over the same store, feed
and alerts and retires this one.
"""

from __future__ import annotations

import time
import weakref
from datetime import UTC, datetime
from typing import Any, cast

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QToolBar, QVBoxLayout, QWidget
from shiboken6 import isValid

from backend_client.alerts import DISCIPLINED, AlertBook
from backend_client.feed_pacer import FeedPacer
from backend_client.store import CaseStore
from console.analysis_hook import install_analysis
from console.export_hook import install_export
from console.feed_health_banner import show_health, show_problems
from console.feed_pacing import pace_drain
from console.handover_hook import install_handover
from console.help_dialogs import ShortcutsDialog, about_box
from console.intake_dock import install_intake
from console.main_thread_gc import after_busy_frame
from console.menus import WindowMenus, build_menus
from console.preferences import Appearance
from console.sort_warmer import SortWarmer
from console.status_bar import ConnectionStatusBar, FeedLike
from views.alerts_panel import AlertsPanel, CommandSender
from views.case_detail import CaseDetailDock
from views.case_detail.panel import CaseCommands
from views.case_detail.texts import ACTION, tr_text
from views.dispatch_queue import DispatchQueue
from views.emergency.banner import EmergencyBanner
from views.emergency.desk_orders import DeskOrdersPanel, waiting_text
from views.models.case_table_model import CaseTableModel
from views.queue_sidebar import QueueSidebar
from widgets.feed_banner import FeedBanner, ProblemBanner

DRAIN_INTERVAL_MS = 100
"""Store → model at most ten times a second: the repaint rate is set here, not by the feed."""
TICK_INTERVAL_MS = 1000
"""Countdowns and the freshness of the status bar move once a second."""
SCREEN = "duty"
"""This window's name in the saved layouts (the wall and the commander's room keep their own)."""
LAYOUT_VERSION = 3
"""Bump when the docks change: an older saved layout is then ignored."""
MESSAGE_MS = 8000
SIDEBAR_PX = 210
"""The queues' list at first start: its names and counts, no more (the queue needs the width)."""
OUTBOX_RETRY_S = 30.0
"""While the outbox is in memory, its file is tried again this often (the notice goes once it works)."""


translate = QCoreApplication.translate


class MainWindow(QMainWindow):
    """Signals: `close_requested()` when the operator closes the window;
    `appearance_requested(object)` with the `Appearance` the operator picked."""

    close_requested = Signal()
    appearance_requested = Signal(object)

    def __init__(
        self, store: CaseStore, feed: FeedLike, *, language: str = "en", appearance: Appearance | None = None,
        alert_book: AlertBook | None = None, settings: QSettings | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("window.main")
        self.store = store
        self.feed = feed
        self.appearance = appearance if appearance is not None else Appearance(language=language)
        language = self.appearance.language
        self.settings = settings if settings is not None else QSettings()
        self._retiring = False
        self.setWindowTitle(translate("MainWindow", "Command Centre Console"))
        self.model = CaseTableModel(store, self._server_now, language=language, parent=self,
                                    commands=getattr(feed, "commands", None))
        self.banner = FeedBanner()  # at the top, full width: is what this screen shows current?
        self._banner_bar = QToolBar(self, movable=False, floatable=False)
        self._banner_bar.setObjectName("toolbar.feed")
        self._banner_bar.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self._banner_bar.toggleViewAction().setVisible(False)  # shown by the feed's health, not by hand
        holder = QWidget()  # a toolbar owns its widgets' visibility; the banner shows and hides itself inside this
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.banner)
        self.problems = ProblemBanner()  # below it: what stays wrong until fixed (actions not saved, …)
        holder_layout.addWidget(self.problems)
        self.emergency_banner = EmergencyBanner(store)  # while a joint response is on: which, and its orders
        holder_layout.addWidget(self.emergency_banner)
        self._banner_bar.addWidget(holder)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self._banner_bar)
        self._banner_bar.setVisible(False)
        self.banner.state_changed.connect(self._show_banner_bar)
        self.problems.changed.connect(self._show_banner_bar)
        self._outbox_tried = time.monotonic()
        self._orders_waiting = 0
        self._desk_unit: str | None = None
        self.queue = DispatchQueue(self.model)
        dock = QDockWidget(translate("MainWindow", "Dispatch queue"), self)
        dock.setObjectName("dock.queue")
        features = QDockWidget.DockWidgetFeature
        dock.setFeatures(features.DockWidgetMovable | features.DockWidgetFloatable)
        dock.setWidget(self.queue)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.setDockNestingEnabled(True)
        self.sidebar = QueueSidebar(store, settings=self.settings, parent=self)  # the queues, left of the table
        self._sidebar_dock = QDockWidget(translate("MainWindow", "Queues"), self)
        self._sidebar_dock.setObjectName("dock.queues")
        self._sidebar_dock.setFeatures(dock.features() | features.DockWidgetClosable)
        self._sidebar_dock.setWidget(self.sidebar)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self._sidebar_dock)
        self.splitDockWidget(self._sidebar_dock, dock, Qt.Orientation.Horizontal)
        self.sidebar.filter_changed.connect(self.model.set_filter)
        self.sidebar.done.connect(self.queue.setFocus)
        self.model.set_filter(self.sidebar.current_filter())
        self._owns_book = alert_book is None
        self.alert_book = alert_book if alert_book is not None else AlertBook(store, policy=DISCIPLINED)
        # `feed` is a FeedConnection in the app; FeedLike names only what the status bar reads.
        self.alerts = AlertsPanel(self.alert_book, cast(CommandSender, feed), settings=self.settings,
                                  language=language, parent=self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.alerts)
        self._queue_dock, self._docks_sized = dock, False
        self.alerts.case_requested.connect(self.queue.select_case)
        self.case_dock = CaseDetailDock(store, cast(CaseCommands, feed), language=language, parent=self)
        # The queue and the alerts cannot be closed (an alert must never be out of sight); the
        # queues' list and the case can, and come back from View ▸ Panels, Enter, or Reset layout.
        self.case_dock.setFeatures(self.case_dock.features() | features.DockWidgetClosable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.case_dock)
        self.orders = DeskOrdersPanel(store, feed, now=lambda: datetime.fromtimestamp(self._server_now(), UTC),
                                      language=language, parent=self)
        self.orders_dock = QDockWidget(waiting_text(0), self)  # directives to this desk, and its plan tasks
        self.orders_dock.setObjectName("dock.orders")
        self.orders_dock.setFeatures(dock.features() | features.DockWidgetClosable)
        self.orders_dock.setWidget(self.orders)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.orders_dock)
        self.tabifyDockWidget(self.case_dock, self.orders_dock)
        self.case_dock.raise_()
        self.orders.waiting_changed.connect(self._on_orders_waiting)
        self._on_orders_waiting(self.orders.waiting)
        self.queue.current_case_changed.connect(self.case_dock.show_case)
        self.queue.case_activated.connect(self._on_case_activated)
        self.queue.action_requested.connect(self._on_action_requested)
        self.case_dock.panel.case_requested.connect(self.queue.select_case)
        self.status = ConnectionStatusBar(feed, store, self)
        self.setStatusBar(self.status)
        self.menus: WindowMenus = build_menus(
            self, self.appearance, [self._sidebar_dock, dock, self.case_dock, self.orders_dock, self.alerts],
            on_quit=self.close, on_reset_layout=self.reset_layout, on_appearance=self.request_appearance,
            on_shortcuts=self.show_shortcuts, on_about=self.show_about,
        )
        self.handover = install_handover(self)  # Shift ▸ Hand over / Take over; the rota and handovers shown
        self.intake_dock = install_intake(self)  # F2: a call in progress becomes a case
        self.analysis = install_analysis(self)  # Ctrl+Shift+A: hot spots, recurring problems, trends
        self.export = install_export(self)  # File ▸ Export: cases (CSV, Open311) and KPIs (CSV) to a file
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self._default_state = self.saveState(LAYOUT_VERSION)  # the docks as placed above, for Reset layout
        self._drain_timer = QTimer(self, interval=DRAIN_INTERVAL_MS, timerType=Qt.TimerType.CoarseTimer)
        self._pacer: FeedPacer | None = getattr(feed, "pacer", None)
        self._drain_timer.timeout.connect(self._on_drain_timer)
        self.sort_warmer = SortWarmer(store, self)  # a first sort on a column, ready while the feed is quiet
        self._tick_timer = QTimer(self, interval=TICK_INTERVAL_MS)
        self._tick_timer.timeout.connect(self._tick)
        self._drain_timer.start()
        self._tick_timer.start()
        self._listener = _weak_listener(self)
        feed.add_listener(self._listener)
        self._show_health()
        self.resize(1600, 900)

    def _server_now(self) -> float:
        """Epoch seconds on the hub's clock: ours, corrected by the skew measured at `welcome`."""
        return time.time() + self.feed.server_skew_s

    def _tick(self) -> None:
        self._show_title()
        self.queue.tick()
        self.status.refresh()
        self._show_health()

    def _show_health(self) -> None:
        show_health(self.banner, self.feed, time.time())
        outbox = getattr(self.feed, "outbox", None)
        if getattr(outbox, "in_memory", False) and time.monotonic() - self._outbox_tried >= OUTBOX_RETRY_S:
            self._outbox_tried = time.monotonic()
            outbox.retry_file()  # type: ignore[union-attr]
        show_problems(self.problems, self.feed)

    def _on_orders_waiting(self, waiting: int) -> None:
        """A directive for this desk waits: say so on the dock's tab, and bring it forward when one arrives."""
        more = waiting > self._orders_waiting
        self._orders_waiting = waiting
        self.orders_dock.setWindowTitle(waiting_text(waiting))
        self.emergency_banner.set_waiting(waiting)
        self._show_emergency()  # now, not at the next drain
        if more:
            self.orders_dock.show()
            self.orders_dock.raise_()

    def _on_drain_timer(self) -> None:
        if self._pacer is None:
            self.drain()
        else:  # the drain and its paint in turns of their own, not with a slice of the feed
            pace_drain(self._pacer, self.drain, self)

    def drain(self) -> None:
        """Store → model and the panels beside it (ten times a second, `DRAIN_INTERVAL_MS`)."""
        self.model.refresh()
        self.sidebar.refresh()
        self._show_emergency()
        after_busy_frame()  # no collection in the drain's frame
        self.sort_warmer.poke()

    def _show_emergency(self) -> None:
        shown = not self.emergency_banner.isHidden()
        self.emergency_banner.refresh(datetime.fromtimestamp(self._server_now(), UTC))
        if shown != (not self.emergency_banner.isHidden()):
            self._show_banner_bar()

    def _show_banner_bar(self, _state: object = None) -> None:
        self._banner_bar.setVisible(self.banner.kind is not None or bool(self.problems.texts())
                                    or not self.emergency_banner.isHidden())

    def on_feed_changed(self) -> None:
        """The connection changed state: show it now, and take what the store holds."""
        welcome = getattr(self.feed, "welcome", None)
        if welcome is not None:
            self.set_desk(getattr(welcome, "unit_id", None))
        self.model.refresh()
        self.status.refresh()
        self._show_health()

    def set_desk(self, unit_id: str | None) -> None:
        """The account's unit from `welcome`: a unit's desk (its queues, its alerts, its orders), or the centre."""
        self.sidebar.set_scope(unit_id)
        self.alert_book.set_desk(unit_id)
        self.orders.set_scope(unit_id)
        self._desk_unit = unit_id
        self._show_title()

    def _show_title(self) -> None:
        """The window says whose desk it is (the unit's name once the organisation is known)."""
        title = translate("MainWindow", "Command Centre Console")
        if self._desk_unit is not None:
            unit = self.store.org_units.get(self._desk_unit)
            title = translate("MainWindow", "Unit desk · %1 — %2") \
                .replace("%1", unit.name if unit else self._desk_unit).replace("%2", title)
        if title != self.windowTitle():
            self.setWindowTitle(title)

    def stop(self) -> None:
        """Stop the timers and listeners (before the feed closes, so nothing runs against a dying loop)."""
        self.orders.stop()
        self.analysis.stop()
        self._drain_timer.stop()
        self._tick_timer.stop()
        self.alerts.stop()
        self.case_dock.stop()
        self.feed.remove_listener(self._listener)
        if self._owns_book:
            self.alert_book.close()

    # --- acting from the queue -------------------------------------------------------------

    def _on_case_activated(self, case_id: str) -> None:
        """Enter or a double-click on a case: its drill-down comes forward, ready for the keyboard."""
        self.case_dock.show_case(case_id)
        self.case_dock.show()
        self.case_dock.raise_()
        self.case_dock.panel.setFocus()

    def _on_action_requested(self, action: str, case_id: str) -> None:
        """A letter on the queue: the case's form for that action, or a word on why not."""
        self._on_case_activated(case_id)
        if not self.case_dock.panel.request_action(action):
            case = self.store.get(case_id)
            serial = case.serial if case is not None else case_id
            text = tr_text(ACTION[action]) if action in ACTION else action
            self.status.showMessage(
                translate("MainWindow", "%1 is not possible on %2 now (its state or your role)").replace("%1", text)
                .replace("%2", serial), MESSAGE_MS)

    # --- layout --------------------------------------------------------------------------

    def save_layout(self) -> None:
        self.settings.setValue(f"layout/{SCREEN}/geometry", self.saveGeometry())
        self.settings.setValue(f"layout/{SCREEN}/state", self.saveState(LAYOUT_VERSION))
        self.settings.sync()

    def restore_layout(self) -> bool:
        """Put the docks where the operator left them; False (and the default layout) when none fits."""
        geometry = self.settings.value(f"layout/{SCREEN}/geometry")
        state = self.settings.value(f"layout/{SCREEN}/state")
        if not isinstance(state, QByteArray) or not self.restoreState(state, LAYOUT_VERSION):
            return False
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self._docks_sized = True  # the saved sizes stand
        return True

    def reset_layout(self) -> None:
        """View ▸ Reset layout: every dock back where the console first put it, sized as at first start."""
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in (self._sidebar_dock, self._queue_dock, self.case_dock, self.alerts):
            dock.show()
        self._size_docks()
        self.save_layout()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._docks_sized:  # first show: the alerts across the bottom, a third of the height
            self._docks_sized = True
            QTimer.singleShot(0, self, self._size_docks)  # once the first layout is done

    def _size_docks(self) -> None:
        """The queue gets the width: the queues' list as narrow as it reads, the case a third."""
        height, width = self.height(), self.width()
        self.resizeDocks([self._queue_dock, self.alerts], [height * 7 // 10, height * 3 // 10], Qt.Orientation.Vertical)
        sidebar = SIDEBAR_PX
        case = max(self.case_dock.minimumWidth(), width * 27 // 100)
        self.resizeDocks([self._sidebar_dock, self._queue_dock, self.case_dock],
                         [sidebar, max(width - sidebar - case, 400), case], Qt.Orientation.Horizontal)

    # --- appearance and help -----------------------------------------------------------------

    def request_appearance(self, appearance: Appearance) -> None:
        """A new language, theme or text size: asked for at once, or after a prompt when a form is open.

        The window is rebuilt in the new appearance, which closes an action form being filled in;
        the operator decides whether to lose it.
        """
        if appearance == self.appearance:
            return
        form = self.case_dock.panel.form
        if form is None:
            self.appearance_requested.emit(appearance)
            return
        box = QMessageBox(QMessageBox.Icon.Question, translate("MainWindow", "Change the appearance"),
                          translate("MainWindow", "The form you are filling in will close. Change now?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("dialog.appearance")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.accepted.connect(lambda: self.appearance_requested.emit(appearance))
        box.open()  # never exec(): a nested loop would stall the feed
        self._restore_menu_checks()

    def _restore_menu_checks(self) -> None:
        """Until the change happens, the menus show what is in effect."""
        self.menus.themes[self.appearance.theme].setChecked(True)
        self.menus.languages[self.appearance.language].setChecked(True)

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.shortcuts_dialog is None or not isValid(self.shortcuts_dialog):
            self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()
        self.shortcuts_dialog.raise_()
        return self.shortcuts_dialog

    def show_about(self) -> QMessageBox:
        welcome = getattr(self.feed, "welcome", None)
        return about_box(self, hub=str(getattr(welcome, "hub", "") or ""), hub_url=self.feed.url)

    # --- closing ---------------------------------------------------------------------------

    def retire(self) -> None:
        """Close for good without ending the application (the window was replaced)."""
        self._retiring = True
        self.close()
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.stop()
        event.accept()
        if not self._retiring:
            self.close_requested.emit()


def _weak_listener(window: MainWindow) -> Any:
    """A connection listener that holds the window weakly and ignores it once it is gone."""
    ref = weakref.ref(window)

    def listener(_feed: object) -> None:
        target = ref()
        if target is not None and isValid(target):
            target.on_feed_changed()

    return listener
