"""Translatable words of the joint response (context `Emergency`): types, levels, task states.

Marked with `QT_TRANSLATE_NOOP` so `pyside6-lupdate` collects them; `tr_em()` translates at
the time of the call, in the installed language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from protocol.enums import EMERGENCY_LEVEL_COLOUR, EmergencyLevel, EmergencyType, TaskStatus
from views.models.labels import QT_TRANSLATE_NOOP

TYPE: dict[EmergencyType, str] = {
    EmergencyType.TYPHOON: QT_TRANSLATE_NOOP("Emergency", "Typhoon"),
    EmergencyType.RAINSTORM: QT_TRANSLATE_NOOP("Emergency", "Rainstorm and flood"),
    EmergencyType.FIRE: QT_TRANSLATE_NOOP("Emergency", "Fire"),
    EmergencyType.EPIDEMIC: QT_TRANSLATE_NOOP("Emergency", "Epidemic"),
    EmergencyType.PUBLIC_SAFETY: QT_TRANSLATE_NOOP("Emergency", "Public safety"),
    EmergencyType.OTHER: QT_TRANSLATE_NOOP("Emergency", "Other"),
}

LEVEL: dict[EmergencyLevel, str] = {
    EmergencyLevel.LEVEL_IV: QT_TRANSLATE_NOOP("Emergency", "Level IV (blue)"),
    EmergencyLevel.LEVEL_III: QT_TRANSLATE_NOOP("Emergency", "Level III (yellow)"),
    EmergencyLevel.LEVEL_II: QT_TRANSLATE_NOOP("Emergency", "Level II (orange)"),
    EmergencyLevel.LEVEL_I: QT_TRANSLATE_NOOP("Emergency", "Level I (red)"),
}

TASK: dict[TaskStatus, str] = {
    TaskStatus.ASSIGNED: QT_TRANSLATE_NOOP("Emergency", "assigned"),
    TaskStatus.ACKNOWLEDGED: QT_TRANSLATE_NOOP("Emergency", "acknowledged"),
    TaskStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Emergency", "in progress"),
    TaskStatus.DONE: QT_TRANSLATE_NOOP("Emergency", "done"),
}

TASK_OVERDUE = QT_TRANSLATE_NOOP("Emergency", "overdue %1")
"""A task past its deadline and not done (not a status the unit reports: the clock's verdict).
Its cell reads "overdue 12 min · in progress": the word first, so a narrow column never cuts it."""

RESOURCE_KIND: dict[str, str] = {
    "team": QT_TRANSLATE_NOOP("Emergency", "Team"),
    "vehicle": QT_TRANSLATE_NOOP("Emergency", "Vehicles"),
    "pump": QT_TRANSLATE_NOOP("Emergency", "Pumps"),
    "sandbags": QT_TRANSLATE_NOOP("Emergency", "Sandbags"),
    "other": QT_TRANSLATE_NOOP("Emergency", "Other"),
}
"""`ResourceKind` values (protocol.emergency) and their words."""

RESOURCE_STATUS: dict[str, str] = {
    "standby": QT_TRANSLATE_NOOP("Emergency", "standing by"),
    "en_route": QT_TRANSLATE_NOOP("Emergency", "on the way"),
    "deployed": QT_TRANSLATE_NOOP("Emergency", "deployed"),
    "returned": QT_TRANSLATE_NOOP("Emergency", "returned"),
}
"""`ResourceStatus` values (protocol.emergency) and their words."""

STEP: dict[str, str] = {
    "declare": QT_TRANSLATE_NOOP("Emergency", "Declared"),
    "escalate": QT_TRANSLATE_NOOP("Emergency", "Escalated"),
    "deescalate": QT_TRANSLATE_NOOP("Emergency", "De-escalated"),
    "activate": QT_TRANSLATE_NOOP("Emergency", "Plan activated"),
    "close": QT_TRANSLATE_NOOP("Emergency", "Closed"),
    "assign": QT_TRANSLATE_NOOP("Emergency", "Lead and co-units assigned"),
    "check_in": QT_TRANSLATE_NOOP("Emergency", "Checked in at the centre"),
    "check_out": QT_TRANSLATE_NOOP("Emergency", "Checked out of the centre"),
}


LEVEL_SHAPE = {"blue": "●", "yellow": "◆", "orange": "▲", "red": "■"}
"""The shape a level's colour goes with in text (as `widgets.sla_glyph` draws them)."""


def tr_em(source: str) -> str:
    return QCoreApplication.translate("Emergency", source)


def type_text(kind: EmergencyType) -> str:
    return tr_em(TYPE.get(kind, kind.value))


def level_text(level: EmergencyLevel) -> str:
    return tr_em(LEVEL.get(level, level.value))


def level_colour(level: EmergencyLevel) -> str:
    """The timer level whose colour and shape the response level takes (four colours, 四色)."""
    return EMERGENCY_LEVEL_COLOUR[level].value


def minutes_text(seconds: float) -> str:
    """`45 s`, `12 min`, `3 h 05 min`: a latency or an age, short."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return QCoreApplication.translate("Emergency", "%1 s").replace("%1", str(int(seconds)))
    minutes = int(seconds // 60)
    if minutes < 60:
        return QCoreApplication.translate("Emergency", "%1 min").replace("%1", str(minutes))
    return (QCoreApplication.translate("Emergency", "%1 h %2 min")
            .replace("%1", str(minutes // 60)).replace("%2", f"{minutes % 60:02d}"))
