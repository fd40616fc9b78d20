"""The duty workstation's window, and its rebuild when the operator changes the appearance.

    station = Workstation(app, store, feed, settings=QSettings(), appearance=load(settings))
    station.close_requested.connect(closing.set)
    station.show()

A change of language, theme or text size reaches many widgets that drew their texts, colours
and row heights once (translated labels, brushes from the theme's tokens, rows sized from the
font). Rather than teach each of them to redo it, the window is built anew over the same
store, feed connection and alert book, in the new appearance, with the old one's layout,
queue and current case: the operator sees the same screen, changed, in a fraction of a
second, and nothing that came from the hub is lost (the alert book outlives windows).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QSettings, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from backend_client.alerts import DISCIPLINED, AlertBook
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console import i18n, preferences
from console.fonts import apply_fonts
from console.main_thread_gc import settle
from console.main_window import MainWindow
from console.preferences import Appearance
from console.status_bar import FeedLike
from widgets.theme import apply_theme

_installed: list[QTranslator] = []
"""The translators on the application now (kept alive here: Qt does not own them)."""


def apply_appearance(app: QApplication, appearance: Appearance) -> None:
    """Theme, fonts and translators of `appearance` on `app`.

    Raises ValueError or FileNotFoundError for a language the console cannot load; the
    language in place then stays (the theme and fonts are already applied).
    """
    apply_theme(app, appearance.theme)
    apply_fonts(app, appearance.font_scale)
    _installed[:] = i18n.switch(app, list(_installed), appearance.language)


class Workstation(QObject):
    """Owns the main window of the duty screen; signals `close_requested()` when the operator closes it."""

    close_requested = Signal()
    rebuilt = Signal(object)
    """The new `MainWindow`, after an appearance change."""

    def __init__(self, app: QApplication, store: CaseStore, feed: FeedLike, *, settings: QSettings,
                 appearance: Appearance) -> None:
        super().__init__(app)
        self.app = app
        self.store = store
        self.feed = feed
        self.settings = settings
        self.appearance = appearance
        self.alert_book = AlertBook(store, policy=DISCIPLINED)
        self._was_live = False
        self._settled_loads = 0
        """`store.loads` at the last settle: the snapshots the collector no longer looks at."""
        feed.add_listener(self._on_feed_changed)
        self.window = self._build()
        self.window.restore_layout()

    def _on_feed_changed(self, _feed: object) -> None:
        """Caught up with the hub after a snapshot: the state just loaded is the one to keep, so take
        it out of the garbage collector's sight (console/main_thread_gc.py).

        Only after a load, not after every resume by replay: a freeze also takes whatever else is
        alive then (a dialog open at that moment) out of the collector's sight for good, and a
        replay brings no new mass of objects to hide."""
        live = self.feed.state is ConnectionState.LIVE
        if live and not self._was_live and self.store.loads != self._settled_loads:
            self._settled_loads = self.store.loads
            settle()
        self._was_live = live

    def _build(self) -> MainWindow:
        window = MainWindow(self.store, self.feed, appearance=self.appearance, alert_book=self.alert_book,
                            settings=self.settings)
        window.close_requested.connect(self.close_requested.emit)
        window.appearance_requested.connect(self.change_appearance)
        return window

    def show(self) -> None:
        self.window.show()

    def change_appearance(self, appearance: Appearance) -> None:
        """Apply `appearance` to the application, keep it for the next start, rebuild the window."""
        if appearance == self.appearance:
            return
        try:
            apply_appearance(self.app, appearance)
        except (ValueError, FileNotFoundError) as exc:  # a language whose file is missing: stay as we are
            self.window.status.showMessage(str(exc), 10_000)
            appearance = replace(appearance, language=self.appearance.language)
            if appearance == self.appearance:
                return
        self.appearance = appearance
        preferences.save(self.settings, self.appearance)
        old = self.window
        old.save_layout()
        case_id = old.queue.current_case_id()
        queue_kind = old.sidebar.current_kind()
        search = old.sidebar.search.text()
        old.stop()
        self.window = new = self._build()
        new.restore_layout()
        new.sidebar.restore_selection(queue_kind, search)
        new.show()
        new.model.refresh()
        if case_id is not None:
            new.queue.select_case(case_id)
        old.retire()
        self.rebuilt.emit(new)

    def stop(self) -> None:
        self.feed.remove_listener(self._on_feed_changed)
        self.window.stop()
        self.alert_book.close()
