"""Translations: the console's own (.qm built from resources/i18n/*.ts) and Qt's standard ones.

Source strings are English; `zh_CN` loads `resources/i18n/console_zh_CN.qm`, compiled by
`tools/update_translations.sh` (pyside6-lupdate + pyside6-lrelease) and committed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("en", "zh_CN")
"""Languages the console ships; English is the source language (no file)."""


def qm_path(language: str) -> Path:
    return I18N_DIR / f"console_{language}.qm"


def install(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the translators for `language`; keep the returned list alive as long as the app.

    Raises ValueError for a language the console does not ship, and FileNotFoundError when
    its compiled file is missing (run tools/update_translations.sh).
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; the console ships {', '.join(LANGUAGES)}")
    QLocale.setDefault(QLocale(language))
    if language == "en":
        return []
    own = QTranslator(app)
    path = qm_path(language)
    if not own.load(str(path)):
        raise FileNotFoundError(f"no compiled translation at {path}; run tools/update_translations.sh")
    app.installTranslator(own)
    translators = [own]
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    standard = QTranslator(app)
    if standard.load(QLocale(language), "qtbase", "_", qt_dir):  # buttons of standard dialogs
        app.installTranslator(standard)
        translators.append(standard)
    else:
        log.info("no qtbase translation for %s in %s", language, qt_dir)
    return translators


def switch(app: QCoreApplication, installed: list[QTranslator], language: str) -> list[QTranslator]:
    """Take out the translators `installed` and put in those of `language`; the new list to keep.

    The new ones are loaded first: a missing file raises and leaves the old language in place.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; the console ships {', '.join(LANGUAGES)}")
    if language != "en" and not qm_path(language).exists():
        raise FileNotFoundError(f"no compiled translation at {qm_path(language)}; run tools/update_translations.sh")
    for translator in installed:
        app.removeTranslator(translator)
    return install(app, language)
