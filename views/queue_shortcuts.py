"""The queue's keys, in one table: what the queue does with them and what the help shows.

A letter pressed on the queue (no modifier) asks for an action on the current case:
`DispatchQueue.action_requested(action, case_id)`. The action names are the drill-down's
(`views/case_detail/offer.py` keys), which decides whether the case and the role allow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt

from views.models.labels import QT_TRANSLATE_NOOP


@dataclass(frozen=True, slots=True)
class Shortcut:
    keys: str
    """As the help shows them (portable text, e.g. "Ctrl+F")."""
    label: str
    """English source text (context `Shortcuts`); `text()` gives it translated."""
    action: str | None = None
    """The action a letter key asks for; None for navigation and the like."""
    key: Qt.Key | None = None

    def text(self) -> str:
        return QCoreApplication.translate("Shortcuts", self.label)


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("Up / Down", QT_TRANSLATE_NOOP("Shortcuts", "Previous / next case")),
    Shortcut("Page Up / Page Down", QT_TRANSLATE_NOOP("Shortcuts", "One screen up / down")),
    Shortcut("Home / End", QT_TRANSLATE_NOOP("Shortcuts", "First / last case")),
    Shortcut("Enter", QT_TRANSLATE_NOOP("Shortcuts", "Open the case")),
    Shortcut("Ctrl+F", QT_TRANSLATE_NOOP("Shortcuts", "Search serial no., address and description")),
    Shortcut("Esc", QT_TRANSLATE_NOOP("Shortcuts", "In the search box: clear it and go back to the queue")),
    Shortcut("Alt+1 … Alt+9, Alt+0",
             QT_TRANSLATE_NOOP("Shortcuts", "Show a queue (in the order of the sidebar; Alt+0 the tenth)")),
    Shortcut("R", QT_TRANSLATE_NOOP("Shortcuts", "Register"), "register", Qt.Key.Key_R),
    Shortcut("D", QT_TRANSLATE_NOOP("Shortcuts", "Dispatch"), "dispatch", Qt.Key.Key_D),
    Shortcut("A", QT_TRANSLATE_NOOP("Shortcuts", "Arbitrate a returned case"), "arbitrate", Qt.Key.Key_A),
    Shortcut("V", QT_TRANSLATE_NOOP("Shortcuts", "Verify the unit's feedback"), "verify", Qt.Key.Key_V),
    Shortcut("C", QT_TRANSLATE_NOOP("Shortcuts", "Call back the requester"), "callback", Qt.Key.Key_C),
    Shortcut("U", QT_TRANSLATE_NOOP("Shortcuts", "Urge the unit"), "urge", Qt.Key.Key_U),
    Shortcut("S", QT_TRANSLATE_NOOP("Shortcuts", "Supervise"), "supervise", Qt.Key.Key_S),
    Shortcut("P", QT_TRANSLATE_NOOP("Shortcuts", "Pause, or resume a paused case"), "pause", Qt.Key.Key_P),
    Shortcut("E", QT_TRANSLATE_NOOP("Shortcuts", "Escalate one loop up"), "escalate", Qt.Key.Key_E),
    Shortcut("F2", QT_TRANSLATE_NOOP("Shortcuts", "The intake desk: a new call")),
    Shortcut("K", QT_TRANSLATE_NOOP("Shortcuts", "In Orders: acknowledge the selected directive")),
    Shortcut("Ctrl+Shift+S", QT_TRANSLATE_NOOP("Shortcuts", "In Alerts: shelve the selected alert for a while")),
    Shortcut("Ctrl+Shift+H / Ctrl+Shift+T", QT_TRANSLATE_NOOP("Shortcuts", "Hand over the shift / take it over")),
    Shortcut("Ctrl+Shift+A", QT_TRANSLATE_NOOP("Shortcuts", "Analysis: hot spots, recurring problems, trends")),
)
"""Every key of the queue and its sidebar, then the desks' own, in the order the help lists them."""

ACTION_KEYS: dict[Qt.Key, str] = {s.key: s.action for s in SHORTCUTS if s.key is not None and s.action is not None}
"""Letter → action name, for `DispatchQueue.keyPressEvent`."""
