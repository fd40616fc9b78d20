"""Settings for the whole suite: Qt renders offscreen unless told otherwise (CI has no display)."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def _settings_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """QSettings() of the console (layouts, saved filters, mute, appearance) go to a scratch folder,
    never to the settings of the person running the tests."""
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, folder)


@pytest.fixture(autouse=True)
def _gc_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """In a test with a QApplication: the shipped font at the base size, and cyclic garbage
    collected on the GUI thread only, as in the app.

    The hub of a test runs its database on a worker thread; a collection started there would
    destroy the previous test's widgets on it and leave their timers to fire into freed memory
    (console/main_thread_gc.py). At teardown the leftovers go on this thread, now.
    """
    if "qapp" not in request.fixturenames:
        yield
        return
    from console.fonts import apply_fonts
    from console.main_thread_gc import install

    qapp = request.getfixturevalue("qapp")
    apply_fonts(qapp)  # as the app does: the same glyphs and line heights whatever fonts the machine has
    collector = install(qapp)
    try:
        yield
    finally:
        gc.collect()
        collector.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say, next to the counts, how many tests were skipped, why, and how to run them: a skip must
    never pass unnoticed (the PostgreSQL suites name the variable that runs them)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        else:
            reason = str(report.longrepr)
        reasons[reason] = reasons.get(reason, 0) + 1
    if not reasons:
        return
    terminalreporter.section("what was skipped and why", sep="-")
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        terminalreporter.write_line(f"{count} skipped: {reason}")
