"""The main window's menus: File, View (panels, layout, theme, text size, language), Help.

Every choice of appearance goes out as one `Appearance` through `on_appearance`; the window
host (`console.workstation`) applies it to the application and rebuilds the window, so
nothing here has to know which widget caches a colour or a font.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from console.preferences import FONT_SCALES, Appearance

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}
"""Each language in its own words (never translated: the operator must find their own)."""


translate = QCoreApplication.translate


@dataclass(slots=True)
class WindowMenus:
    """The actions a test or the window needs to reach by name."""

    quit: QAction
    reset_layout: QAction
    themes: dict[str, QAction]
    languages: dict[str, QAction]
    font_larger: QAction
    font_smaller: QAction
    font_reset: QAction
    shortcuts: QAction
    about: QAction
    panels: list[QAction]


def build_menus(
    window: QMainWindow,
    appearance: Appearance,
    docks: list[QDockWidget],
    *,
    on_quit: Callable[[], object],
    on_reset_layout: Callable[[], None],
    on_appearance: Callable[[Appearance], None],
    on_shortcuts: Callable[[], object],
    on_about: Callable[[], object],
) -> WindowMenus:
    bar = window.menuBar()
    file_menu = bar.addMenu(translate("Menus", "&File"))
    quit_action = file_menu.addAction(translate("Menus", "&Quit"))
    quit_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
    quit_action.triggered.connect(on_quit)

    view = bar.addMenu(translate("Menus", "&View"))
    panels_menu = view.addMenu(translate("Menus", "&Panels"))
    panels = []
    for dock in docks:
        toggle = dock.toggleViewAction()  # its text is the dock's title, translated with it
        panels_menu.addAction(toggle)
        panels.append(toggle)
    reset = view.addAction(translate("Menus", "&Reset layout"))
    reset.setToolTip(translate("Menus", "Put every panel back where the console first placed it"))
    reset.triggered.connect(on_reset_layout)
    view.addSeparator()

    theme_menu = view.addMenu(translate("Menus", "&Theme"))
    themes = {
        "dark": _choice(theme_menu, translate("Menus", "&Dark (night shift, wall)"), appearance.theme == "dark"),
        "light": _choice(theme_menu, translate("Menus", "&Light (day shift)"), appearance.theme == "light"),
    }
    _exclusive(theme_menu, themes.values())
    for name, action in themes.items():
        action.triggered.connect(lambda _checked=False, n=name: on_appearance(replace(appearance, theme=n)))

    text_menu = view.addMenu(translate("Menus", "Text &size"))
    larger = text_menu.addAction(translate("Menus", "&Larger"))
    larger.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn), QKeySequence("Ctrl+=")])
    larger.setEnabled(appearance.font_scale < FONT_SCALES[-1])
    larger.triggered.connect(lambda: on_appearance(appearance.scaled(+1)))
    smaller = text_menu.addAction(translate("Menus", "&Smaller"))
    smaller.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
    smaller.setEnabled(appearance.font_scale > FONT_SCALES[0])
    smaller.triggered.connect(lambda: on_appearance(appearance.scaled(-1)))
    normal = text_menu.addAction(translate("Menus", "&Normal size"))
    normal.setShortcut(QKeySequence("Ctrl+0"))
    normal.setEnabled(appearance.font_scale != 1.0)
    normal.triggered.connect(lambda: on_appearance(appearance.scaled(0)))
    text_menu.addSeparator()
    current = text_menu.addAction(translate("Menus", "Now: %1 %").replace("%1", f"{appearance.font_scale * 100:.0f}"))
    current.setEnabled(False)

    language_menu = view.addMenu(translate("Menus", "&Language"))
    languages = {code: _choice(language_menu, name, appearance.language == code)
                 for code, name in LANGUAGE_NAMES.items()}
    _exclusive(language_menu, languages.values())
    for code, action in languages.items():
        action.triggered.connect(lambda _checked=False, c=code: on_appearance(replace(appearance, language=c)))

    help_menu = bar.addMenu(translate("Menus", "&Help"))
    shortcuts = help_menu.addAction(translate("Menus", "&Keyboard shortcuts"))
    shortcuts.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    shortcuts.triggered.connect(on_shortcuts)
    about = help_menu.addAction(translate("Menus", "&About"))
    about.triggered.connect(on_about)
    return WindowMenus(quit_action, reset, themes, languages, larger, smaller, normal, shortcuts, about, panels)


def _choice(menu: QMenu, text: str, checked: bool) -> QAction:
    action = menu.addAction(text)
    action.setCheckable(True)
    action.setChecked(checked)
    return action


def _exclusive(menu: QMenu, actions: Iterable[QAction]) -> None:
    group = QActionGroup(menu)
    group.setExclusive(True)
    for action in actions:
        group.addAction(action)
