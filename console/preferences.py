"""The operator's appearance choices (language, theme, font size), kept in QSettings.

    appearance = load(settings)                    # what the last session chose, or the defaults
    save(settings, replace(appearance, theme="light"))

A value in the settings file that the console does not know (edited by hand, from another
version) is ignored for the default, never an error: the console must start.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings

from console.i18n import LANGUAGES
from widgets.theme import THEMES

FONT_SCALES = (0.85, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
"""The steps of View ▸ Font size; 1.0 is the console's base size."""

_PREFIX = "appearance"


@dataclass(frozen=True, slots=True)
class Appearance:
    language: str = "en"
    """One of `console.i18n.LANGUAGES`."""
    theme: str = "dark"
    """One of `widgets.theme.THEMES`: dark for night shifts and the wall, light by day."""
    font_scale: float = 1.0
    """One of `FONT_SCALES`."""

    def scaled(self, steps: int) -> Appearance:
        """The next larger (+1) or smaller (-1) font size, kept within `FONT_SCALES`; 0 resets."""
        if steps == 0:
            return Appearance(self.language, self.theme, 1.0)
        index = FONT_SCALES.index(self.font_scale) if self.font_scale in FONT_SCALES else FONT_SCALES.index(1.0)
        index = min(max(index + steps, 0), len(FONT_SCALES) - 1)
        return Appearance(self.language, self.theme, FONT_SCALES[index])


def load(settings: QSettings, *, language: str | None = None) -> Appearance:
    """The saved appearance; `language` (from the command line) wins over the saved one."""
    saved_language = str(settings.value(f"{_PREFIX}/language", "en"))
    theme = str(settings.value(f"{_PREFIX}/theme", "dark"))
    try:
        scale = float(str(settings.value(f"{_PREFIX}/font_scale", 1.0)))
    except ValueError:
        scale = 1.0
    return Appearance(
        language=language or (saved_language if saved_language in LANGUAGES else "en"),
        theme=theme if theme in THEMES else "dark",
        font_scale=scale if scale in FONT_SCALES else 1.0,
    )


def save(settings: QSettings, appearance: Appearance) -> None:
    settings.setValue(f"{_PREFIX}/language", appearance.language)
    settings.setValue(f"{_PREFIX}/theme", appearance.theme)
    settings.setValue(f"{_PREFIX}/font_scale", appearance.font_scale)
    settings.sync()
