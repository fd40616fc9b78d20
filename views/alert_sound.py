"""The alerts' sounds: one per priority (critical, high), a mute kept in the settings.

Qt Multimedia is optional. It is imported on first use; where it is missing, or has no audio
output (offscreen, a server with no sound card, missing libpulse), the alerts stay silent and
the console says so once in its log. Nothing else changes: every request to sound is still
counted and signalled (`requested`), so the panel behaves and is tested the same way.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, QUrl, Signal

from backend_client.alerts import Priority

log = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
SOUND_FILES = {Priority.CRITICAL: "alert_critical.wav", Priority.HIGH: "alert_high.wav"}
"""Normal alerts make no sound."""
MUTED_KEY = "alerts/muted"

_silence_logged = False


class AlertSound(QObject):
    """Signals: `requested(int)` with the priority each time a sound is due and not muted."""

    requested = Signal(int)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._effects: dict[Priority, Any] | None = None

    @property
    def muted(self) -> bool:
        return _as_bool(self._settings.value(MUTED_KEY, False))

    def set_muted(self, muted: bool) -> None:
        self._settings.setValue(MUTED_KEY, muted)
        self._settings.sync()

    def play(self, priority: Priority) -> bool:
        """Sound the priority's alert; False when muted or the priority has no sound."""
        if self.muted or priority not in SOUND_FILES:
            return False
        self.requested.emit(int(priority))
        effect = self._load().get(priority)
        if effect is not None:
            effect.play()
        return True

    def _load(self) -> dict[Priority, Any]:
        if self._effects is None:
            self._effects = _make_effects(self)
        return self._effects


def _make_effects(parent: QObject) -> dict[Priority, Any]:
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError as exc:  # the module, or a library it needs (libpulse), is missing
        _log_silence(f"Qt Multimedia is unavailable ({exc})")
        return {}
    if not QMediaDevices.audioOutputs():
        _log_silence("no audio output")
        return {}
    effects: dict[Priority, Any] = {}
    for priority, name in SOUND_FILES.items():
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(SOUNDS_DIR / name)))
        effect.setVolume(0.8)
        effects[priority] = effect
    return effects


def _log_silence(why: str) -> None:
    global _silence_logged
    if not _silence_logged:
        _silence_logged = True
        log.warning("alerts will be silent: %s", why)


def _as_bool(value: object) -> bool:
    """QSettings gives back 'true'/'false' strings from INI files and bools from others."""
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
