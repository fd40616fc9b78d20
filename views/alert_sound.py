"""The alerts' sounds: one per priority (critical, high), a mute kept in the settings.

Where a sound comes from, in order: Qt Multimedia (`QSoundEffect`) when it loads and has an
audio output; else a system player found on the PATH (`pw-play`, `paplay`, `aplay`, `afplay`),
started detached so it never blocks the feed; else, on Windows, `winsound`. Where none of them
can sound (offscreen, a server with no sound card, Qt Multimedia missing libpulse and no
player), the alerts are silent and `silent_reason` says why: the alerts panel shows it on
screen for as long as it lasts, not only in the log. Every request to sound is still counted
and signalled (`requested`), so the panel behaves and is tested the same way.
"""

from __future__ import annotations

import importlib
import logging
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QSettings, QUrl, Signal

from backend_client.alerts import Priority

log = logging.getLogger(__name__)

SOUNDS_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
SOUND_FILES = {Priority.CRITICAL: "alert_critical.wav", Priority.HIGH: "alert_high.wav"}
"""Normal alerts make no sound."""
MUTED_KEY = "alerts/muted"
PLAYER_COMMANDS = ("pw-play", "paplay", "aplay", "afplay")
"""System players tried, in order, where Qt Multimedia cannot sound: PipeWire, PulseAudio, ALSA, macOS."""

IS_WINDOWS = sys.platform == "win32"

Player = Callable[[Priority], None]

_silence_logged = False


class AlertSound(QObject):
    """Signals: `requested(int)` with the priority each time a sound is due and not muted."""

    requested = Signal(int)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._player: Player | None = None
        self._probed = False
        self.silent_reason: str | None = None
        """Why no alert can be heard on this machine (translated), or None when they can."""
        self.backend = ""
        """What sounds: "qt", a player command's name, "winsound", or "" when silent."""

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
        player = self.probe()
        if player is not None:
            player(priority)
        return True

    def probe(self) -> Player | None:
        """Find what can sound (once); sets `backend` and `silent_reason`."""
        if not self._probed:
            self._probed = True
            self._player, self.backend, why = _find_player(self)
            if self._player is None:
                self.silent_reason = why
                _log_silence(why)
        return self._player


def _find_player(parent: QObject) -> tuple[Player | None, str, str]:
    """(player, backend name, why silent): the first way of sounding this machine offers."""
    qt_player, qt_problem = _qt_player(parent)
    if qt_player is not None:
        return qt_player, "qt", ""
    command = next((found for name in PLAYER_COMMANDS if (found := shutil.which(name))), None)
    if command is not None:
        return _command_player(command), Path(command).name, ""
    if IS_WINDOWS:
        return _winsound_player(), "winsound", ""
    why = QCoreApplication.translate(
        "AlertSound", "Alerts are silent: {problem}, and no sound player ({players}) was found").format(
        problem=qt_problem, players=", ".join(PLAYER_COMMANDS))
    return None, "", why


def _qt_player(parent: QObject) -> tuple[Player | None, str]:
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except ImportError:  # the module, or a library it needs (libpulse), is missing
        return None, QCoreApplication.translate("AlertSound", "Qt Multimedia cannot load")
    if not QMediaDevices.audioOutputs():
        return None, QCoreApplication.translate("AlertSound", "Qt finds no audio output")
    effects: dict[Priority, Any] = {}
    for priority, name in SOUND_FILES.items():
        effect = QSoundEffect(parent)
        effect.setSource(QUrl.fromLocalFile(str(SOUNDS_DIR / name)))
        effect.setVolume(0.8)
        effects[priority] = effect
    return (lambda priority: effects[priority].play()), ""


def _command_player(command: str) -> Player:
    def play(priority: Priority) -> None:
        started, _pid = QProcess.startDetached(command, [str(SOUNDS_DIR / SOUND_FILES[priority])])
        if not started:
            log.warning("could not start %s to sound an alert", command)
    return play


def _winsound_player() -> Player:
    winsound: Any = importlib.import_module("winsound")  # Windows only (typeshed hides it elsewhere)

    flags = winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT

    def play(priority: Priority) -> None:
        winsound.PlaySound(str(SOUNDS_DIR / SOUND_FILES[priority]), flags)
    return play


def _log_silence(why: str) -> None:
    global _silence_logged
    if not _silence_logged:
        _silence_logged = True
        log.warning("%s", why)


def _as_bool(value: object) -> bool:
    """QSettings gives back 'true'/'false' strings from INI files and bools from others."""
    if isinstance(value, str):
        return value.lower() in ("true", "1", "yes")
    return bool(value)
