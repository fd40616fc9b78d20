"""Translatable names of the feed's closed vocabularies (status, channel, role, timer level).

The source strings are marked with `QT_TRANSLATE_NOOP` so `pyside6-lupdate` collects them
(context `Labels`); `text()` translates at the time of the call, in the installed language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from protocol.enums import CaseStatus, Channel, Role


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark `source` for `pyside6-lupdate` (it reads the call by name) and return it, typed."""
    return source


STATUS: dict[CaseStatus, str] = {
    CaseStatus.RECEIVED: QT_TRANSLATE_NOOP("Labels", "Received"),
    CaseStatus.REGISTERED: QT_TRANSLATE_NOOP("Labels", "Registered"),
    CaseStatus.DISPATCHED: QT_TRANSLATE_NOOP("Labels", "Dispatched"),
    CaseStatus.SIGNED: QT_TRANSLATE_NOOP("Labels", "Signed for"),
    CaseStatus.HANDLING: QT_TRANSLATE_NOOP("Labels", "Handling"),
    CaseStatus.FEEDBACK: QT_TRANSLATE_NOOP("Labels", "Feedback"),
    CaseStatus.VERIFIED: QT_TRANSLATE_NOOP("Labels", "Verified"),
    CaseStatus.CLOSED: QT_TRANSLATE_NOOP("Labels", "Closed"),
    CaseStatus.CALLED_BACK: QT_TRANSLATE_NOOP("Labels", "Called back"),
    CaseStatus.REJECTED: QT_TRANSLATE_NOOP("Labels", "Rejected"),
    CaseStatus.MERGED: QT_TRANSLATE_NOOP("Labels", "Merged"),
}

CHANNEL: dict[Channel, str] = {
    Channel.HOTLINE_12345: QT_TRANSLATE_NOOP("Labels", "12345 hotline"),
    Channel.HOTLINE_962000: QT_TRANSLATE_NOOP("Labels", "962000 hotline"),
    Channel.GRID_PATROL: QT_TRANSLATE_NOOP("Labels", "Grid patrol"),
    Channel.VIDEO: QT_TRANSLATE_NOOP("Labels", "Video patrol"),
    Channel.APP: QT_TRANSLATE_NOOP("Labels", "Mobile app"),
    Channel.POLICE_110: QT_TRANSLATE_NOOP("Labels", "Transferred from 110"),
}

ROLE: dict[Role, str] = {
    Role.WALL: QT_TRANSLATE_NOOP("Labels", "Video wall"),
    Role.DUTY: QT_TRANSLATE_NOOP("Labels", "Duty officer"),
    Role.COMMANDER: QT_TRANSLATE_NOOP("Labels", "Commander"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Labels", "Administrator"),
    Role.SUPERVISOR: QT_TRANSLATE_NOOP("Labels", "Supervisor"),
}

LEVEL: dict[str, str] = {
    "blue": QT_TRANSLATE_NOOP("Labels", "Blue: in time"),
    "yellow": QT_TRANSLATE_NOOP("Labels", "Yellow: past 50% of the time limit"),
    "orange": QT_TRANSLATE_NOOP("Labels", "Orange: past 80% of the time limit"),
    "red": QT_TRANSLATE_NOOP("Labels", "Red: overdue"),
}


def text(source: str) -> str:
    """Translate one of the source strings above."""
    return QCoreApplication.translate("Labels", source)


def status_text(status: CaseStatus) -> str:
    return text(STATUS.get(status, status.value))


def channel_text(channel: Channel) -> str:
    return text(CHANNEL.get(channel, channel.value))


def role_text(role: Role) -> str:
    return text(ROLE.get(role, role.value))


def level_text(level: str) -> str:
    return text(LEVEL.get(level, level))
