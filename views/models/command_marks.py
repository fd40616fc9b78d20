"""Marks on the queue's rows for the operator's own commands: on their way, or refused.

A thin reader of `backend_client.command_tracker.CommandTracker`: `poll()` compares the
tracker's `version` (one int per drain) and, only when it moved, rebuilds the marks and says
which cases to repaint. A refusal is shown in the hub's own words (ux.md: "a refused command
says why in the hub's words, next to the row it concerns") until the operator gives another
command on the case or dismisses it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from backend_client.command_tracker import CommandTracker, Refusal
from views.models.labels import QT_TRANSLATE_NOOP

_SENDING = QT_TRANSLATE_NOOP("CommandMarks", "⧗ sending")
_REFUSED = QT_TRANSLATE_NOOP("CommandMarks", "⚠ refused")
_SENDING_TIP = QT_TRANSLATE_NOOP("CommandMarks", "Not yet confirmed by the hub: %1")
_REFUSED_TIP = QT_TRANSLATE_NOOP("CommandMarks", "The hub refused %1 (%2): %3")

COMMAND_NAMES: dict[str, str] = {
    "case.register": QT_TRANSLATE_NOOP("CommandMarks", "register"),
    "case.reject": QT_TRANSLATE_NOOP("CommandMarks", "reject"),
    "case.merge": QT_TRANSLATE_NOOP("CommandMarks", "merge"),
    "case.dispatch": QT_TRANSLATE_NOOP("CommandMarks", "dispatch"),
    "case.sign": QT_TRANSLATE_NOOP("CommandMarks", "sign for"),
    "case.return": QT_TRANSLATE_NOOP("CommandMarks", "return"),
    "case.arbitrate": QT_TRANSLATE_NOOP("CommandMarks", "arbitrate"),
    "case.start": QT_TRANSLATE_NOOP("CommandMarks", "start handling"),
    "case.feedback": QT_TRANSLATE_NOOP("CommandMarks", "feedback"),
    "case.verify": QT_TRANSLATE_NOOP("CommandMarks", "verify"),
    "case.callback": QT_TRANSLATE_NOOP("CommandMarks", "call back"),
    "case.escalate": QT_TRANSLATE_NOOP("CommandMarks", "escalate"),
    "case.transfer": QT_TRANSLATE_NOOP("CommandMarks", "transfer"),
    "case.pause": QT_TRANSLATE_NOOP("CommandMarks", "suspend"),
    "case.resume": QT_TRANSLATE_NOOP("CommandMarks", "resume"),
    "case.extension_request": QT_TRANSLATE_NOOP("CommandMarks", "request an extension"),
    "case.extension_decide": QT_TRANSLATE_NOOP("CommandMarks", "decide on the extension"),
    "case.supervise": QT_TRANSLATE_NOOP("CommandMarks", "supervise"),
    "alert.ack": QT_TRANSLATE_NOOP("CommandMarks", "acknowledge the alert"),
}
"""Command → what the operator did, in words (unknown commands show their protocol name)."""

ERROR_CODES: dict[str, str] = {
    "conflict": QT_TRANSLATE_NOOP("CommandMarks", "someone acted first"),
    "forbidden": QT_TRANSLATE_NOOP("CommandMarks", "not allowed"),
    "illegal_state": QT_TRANSLATE_NOOP("CommandMarks", "not possible in this state"),
    "not_found": QT_TRANSLATE_NOOP("CommandMarks", "not found"),
    "invalid_args": QT_TRANSLATE_NOOP("CommandMarks", "invalid input"),
    "unknown_command": QT_TRANSLATE_NOOP("CommandMarks", "unknown command"),
    "internal": QT_TRANSLATE_NOOP("CommandMarks", "hub error"),
}
"""The hub's error code in words; the hub's own message follows it."""


translate = QCoreApplication.translate
def _tr(source: str) -> str:
    return QCoreApplication.translate("CommandMarks", source)


def command_text(name: str) -> str:
    source = COMMAND_NAMES.get(name)
    return _tr(source) if source is not None else name


def refusal_tooltip(refusal: Refusal) -> str:
    """E.g. "The hub refused register (someone acted first): case MH2026-000001 is at version 2, …"."""
    code = ERROR_CODES.get(refusal.code)
    return (_tr(_REFUSED_TIP).replace("%1", command_text(refusal.command))
            .replace("%2", _tr(code) if code is not None else refusal.code).replace("%3", refusal.message))


class CommandMarks:
    """Per-case marks read from a tracker (or none at all without one)."""

    def __init__(self, tracker: CommandTracker | None) -> None:
        self.tracker = tracker
        self._version = -1
        self._pending: frozenset[str] = frozenset()
        self._refused: frozenset[str] = frozenset()

    def poll(self) -> set[str]:
        """Cases whose mark may have changed since the last poll (empty: nothing to repaint)."""
        tracker = self.tracker
        if tracker is None or tracker.version == self._version:
            return set()
        self._version = tracker.version
        before = self._pending | self._refused
        self._pending = tracker.pending_case_ids()
        self._refused = tracker.refused_case_ids()
        return set(before | self._pending | self._refused)

    def refused(self, case_id: str) -> bool:
        return case_id in self._refused

    def suffix(self, case_id: str) -> str:
        """Text after the status: "⧗ sending", "⚠ refused", or ""."""
        if case_id in self._pending:
            return _tr(_SENDING)
        if case_id in self._refused:
            return _tr(_REFUSED)
        return ""

    def tooltip(self, case_id: str) -> str | None:
        tracker = self.tracker
        if tracker is None:
            return None
        if case_id in self._pending:
            names = ", ".join(command_text(command.name) for command in tracker.pending(case_id))
            return _tr(_SENDING_TIP).replace("%1", names) if names else None
        if case_id in self._refused:
            refusal = tracker.refusal(case_id)
            return refusal_tooltip(refusal) if refusal is not None else None
        return None

    def samples(self) -> list[str]:
        """The marks' texts, for sizing the status column."""
        return [_tr(_SENDING), _tr(_REFUSED)]
