"""The similar open cases beside the form, each with its key to merge the call into it (Ctrl+1 …).

The hub has no command that attaches a call to a case: merging here creates the call as its
own case (so it keeps its serial and trace) and closes it at once as a duplicate of the chosen
one (`case.merge`). The line above the list says so, in the operator's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from protocol.enums import Role
from views.case_detail.privacy import shown_phone
from views.case_detail.style import muted
from views.intake.similar import Similar
from views.models.labels import status_text

translate = QCoreApplication.translate


def age_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    if minutes < 60:
        return translate("SimilarList", "%1 min ago").replace("%1", str(max(minutes, 0)))
    if minutes < 48 * 60:
        return translate("SimilarList", "%1 h ago").replace("%1", str(minutes // 60))
    return translate("SimilarList", "%1 d ago").replace("%1", str(minutes // 1440))


class SimilarList(QFrame):
    """Signals: `merge_requested(str)` with the id of the case to merge the call into."""

    merge_requested = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intake.similar")
        self.language = language
        self.shown: list[Similar] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self)
        self.title.setObjectName("intake.similar_title")
        outer.addWidget(self.title)
        self.explain = QLabel(translate(
            "SimilarList", "Merge: the call is recorded as its own case and closed at once as a duplicate of the "
            "open case, which keeps the work (the hub attaches no call to a case)."), self)
        self.explain.setWordWrap(True)
        muted(self.explain)
        outer.addWidget(self.explain)
        self.rows = QWidget(self)
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        outer.addWidget(self.rows)
        self.buttons: list[QPushButton] = []
        self.set_similar([], role=None, now=datetime.now().astimezone(), unit_name=lambda u: u)

    def set_similar(self, found: Sequence[Similar], *, role: Role | None, now: datetime,
                    unit_name: Callable[[str], str]) -> None:
        self.shown = list(found)
        while (item := self.grid.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        self.title.setText(translate("SimilarList", "Similar open cases (%1): same category, same place, last 30 days")
                           .replace("%1", str(len(found))))
        self.explain.setVisible(bool(found))
        if not found:
            empty = QLabel(translate("SimilarList", "None: this call is new."), self.rows)
            muted(empty)
            self.grid.addWidget(empty, 0, 0)
            return
        for n, similar in enumerate(found):
            case = similar.case
            where = [translate("SimilarList", "same address")] if similar.same_address else []
            if similar.same_grid:
                where.append(translate("SimilarList", "same grid"))
            if similar.distance_m is not None:
                where.append(translate("SimilarList", "%1 m away").replace("%1", f"{similar.distance_m:.0f}"))
            owner = unit_name(case.unit_id) if case.unit_id else ""
            phone = shown_phone(case.requester_phone, role)
            lines = [
                f"<b>{_escape(case.serial)}</b> · "
                + _escape(f"{status_text(case.status)}{' · ' + owner if owner else ''}"
                          f" · {age_text((now - case.received_at).total_seconds())}"),
                f"{case.address or case.street_name} · {' · '.join(where)}",
                (case.description[:80] + ("…" if len(case.description) > 80 else ""))
                + (f" · ☎ {phone}" if phone else ""),
            ]
            label = QLabel("<br>".join(_escape(line) if i else line for i, line in enumerate(lines)), self.rows)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setObjectName(f"intake.similar.{n}")
            button = QPushButton(translate("SimilarList", "Merge into this (Ctrl+%1)").replace("%1", str(n + 1)),
                                 self.rows)
            button.setObjectName(f"intake.merge.{n}")
            button.setToolTip(translate("SimilarList", "Record the call and close it as a duplicate of %1")
                              .replace("%1", case.serial))
            button.clicked.connect(partial(self.merge_requested.emit, case.id))
            self.grid.addWidget(label, n, 0)
            self.grid.addWidget(button, n, 1, Qt.AlignmentFlag.AlignTop)
            self.buttons.append(button)

    def request(self, index: int) -> bool:
        """The n-th shown case's merge (its key); False when there is none."""
        if 0 <= index < len(self.shown) and self.isEnabled():
            self.merge_requested.emit(self.shown[index].case.id)
            return True
        return False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
