"""The emergency banner on the duty screens: which response is on, at what level, the latest directive.

While an emergency is active every duty screen says so across its top, in the level's colour
with its shape and word (never colour alone), a drill marked as a drill; with the latest
directive of the response, so the centre's staff know what the command post has ordered.
Hidden when no emergency is active.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from backend_client.store import CaseStore
from views.case_detail.style import tint
from views.emergency.matrices import active_emergencies, directives_of
from views.emergency.texts import LEVEL_SHAPE, level_colour, level_text, minutes_text, type_text

translate = QCoreApplication.translate



def waiting_line(waiting: int) -> str:
    return translate("Emergency", "⚑ %1 directive(s) for this desk to acknowledge: see Orders") \
        .replace("%1", str(waiting))


def banner_text(store: CaseStore, now: datetime, waiting: int = 0) -> tuple[str, str] | None:
    """(text, colour token) for the active emergencies, the highest level first, and the directives waiting
    for this desk's acknowledgement; None when there is neither."""
    active = active_emergencies(store)
    if not active:
        return (waiting_line(waiting), "sla.orange") if waiting else None
    top = active[0]
    colour = level_colour(top.level)
    drill = translate("Emergency", "DRILL") + " · " if top.exercise else ""
    text = (translate("Emergency", "%1 %2%3 emergency response · %4 · %5 · for %6")
            .replace("%1", LEVEL_SHAPE[colour]).replace("%2", drill).replace("%3", type_text(top.type))
            .replace("%4", level_text(top.level)).replace("%5", f"{top.serial} {top.title}")
            .replace("%6", minutes_text((now - top.declared_at).total_seconds())))
    directives = directives_of(store, top.id)
    if directives:
        latest = directives[-1]
        text += "\n" + (translate("Emergency", "Latest directive %1: %2")
                        .replace("%1", latest.serial).replace("%2", latest.text))
    if len(active) > 1:
        text += "  " + translate("Emergency", "(+%1 more)").replace("%1", str(len(active) - 1))
    if waiting:
        text += "\n" + waiting_line(waiting)
    return text, f"sla.{colour}"


class EmergencyBanner(QLabel):
    def __init__(self, store: CaseStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner.emergency")
        self.store = store
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the window's full width
        bold = QFont(self.font())
        bold.setBold(True)
        self.setFont(bold)
        self.setContentsMargins(8, 4, 8, 4)
        self._seen: tuple[int, int, int] = (-1, -1, -1)
        self.waiting = 0
        self.hide()

    def set_waiting(self, waiting: int) -> None:
        """How many directives wait for this desk's acknowledgement (the orders panel counts them)."""
        self.waiting = waiting

    def refresh(self, now: datetime) -> None:
        """Redraw when the response changed, and once a minute for the elapsed time."""
        seen = (self.store.emergency_version, int(now.timestamp() // 60), self.waiting)
        if seen == self._seen:
            return
        self._seen = seen
        shown = banner_text(self.store, now, self.waiting)
        if shown is None:
            self.hide()
            return
        text, token = shown
        self.setText(text)
        tint(self, token)
        self.setStyleSheet("QLabel#banner\\.emergency { border: 2px solid palette(window-text); }")
        self.show()
