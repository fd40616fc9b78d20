"""File ▸ Export in the duty window, installed by one call: `install_export(window)`.

Four choices before Quit: the cases as CSV, the cases as Open311 GeoReport v2 JSON, the KPIs
per unit and per category as CSV, over the cases this console holds (all of the centre's, or a
unit desk's scope). Columns and figures are those of `python -m hub export` (both use
`protocol.exports`). A save dialog (opened with open(): the feed keeps running) asks where; the
file is written off the GUI thread (backend_client/exports.py: complete or not at all) and the
status bar says what was written. When the file cannot be written a dialog says why, and on
closing it the save dialog comes back at the same name to choose another place.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu, QMessageBox
from shiboken6 import isValid

from backend_client.exports import STEM, SUFFIX, ExportKind, export
from backend_client.store import CaseStore

translate = QCoreApplication.translate
log = logging.getLogger(__name__)
FOLDER_KEY = "export/folder"
"""The folder of the last export, kept in the window's QSettings."""
MESSAGE_MS = 10_000
_WRITER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="cc-export")
"""A plain Python thread of our own rather than qasync's default executor (QThreads, which would outlive the
loop as QObjects for the collector to find: console/main_thread_gc.py)."""


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    kind: ExportKind
    count: int = 0
    error: str | None = None


class ExportHook(QObject):
    """Signal: `finished(ExportResult)` once a file is written or has failed."""

    finished = Signal(object)

    def __init__(self, window: QMainWindow, store: CaseStore, settings: QSettings) -> None:
        super().__init__(window)
        self.window, self.store, self.settings = window, store, settings
        self.dialog: QFileDialog | None = None
        self.error_box: QMessageBox | None = None
        self.busy = False
        self.menu = QMenu(translate("Export", "&Export"), window)
        self.menu.setObjectName("menu.export")
        self.actions: dict[ExportKind, QAction] = {}
        for kind, text in (
            (ExportKind.CASES_CSV, translate("Export", "&Cases as CSV…")),
            (ExportKind.CASES_OPEN311, translate("Export", "Cases as &Open311 GeoReport v2 (JSON)…")),
            (None, ""),
            (ExportKind.KPIS_BY_UNIT, translate("Export", "KPIs per &unit (CSV)…")),
            (ExportKind.KPIS_BY_CATEGORY, translate("Export", "KPIs per c&ategory (CSV)…")),
        ):
            if kind is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose(k))
            self.actions[kind] = action
        self.menu.aboutToShow.connect(self._enable)
        quit_action = getattr(getattr(window, "menus", None), "quit", None)
        file_menu = next((m for a in window.menuBar().actions()
                          if isinstance(m := a.menu(), QMenu) and quit_action in m.actions()), None)
        if file_menu is not None and quit_action is not None:  # File ▸ Export, then Quit below a line
            file_menu.insertMenu(quit_action, self.menu)
            file_menu.insertSeparator(quit_action)
        else:
            window.menuBar().addMenu(self.menu)

    def _enable(self) -> None:
        for action in self.actions.values():
            action.setEnabled(not self.busy)

    # --- where to -------------------------------------------------------------------------------

    def _folder(self) -> str:
        saved = self.settings.value(FOLDER_KEY)
        if isinstance(saved, str) and Path(saved).is_dir():
            return saved
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return documents or str(Path.home())

    def choose(self, kind: ExportKind, proposed: Path | None = None) -> QFileDialog:
        """The save dialog for `kind`, at `proposed` or at a dated name in the last export's folder."""
        titles = {
            ExportKind.CASES_CSV: translate("Export", "Export the cases as CSV"),
            ExportKind.CASES_OPEN311: translate("Export", "Export the cases as Open311 GeoReport v2 JSON"),
            ExportKind.KPIS_BY_UNIT: translate("Export", "Export the KPIs per unit as CSV"),
            ExportKind.KPIS_BY_CATEGORY: translate("Export", "Export the KPIs per category as CSV"),
        }
        suffix = SUFFIX[kind]
        if proposed is None:
            proposed = Path(self._folder()) / f"{STEM[kind]}_{datetime.now():%Y-%m-%d}.{suffix}"
        folder = proposed.parent
        while not folder.is_dir() and folder != folder.parent:  # after a failure: the nearest folder there is
            folder = folder.parent
        dialog = QFileDialog(self.window, titles[kind], str(folder))
        dialog.setObjectName("dialog.export")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(suffix)
        dialog.setNameFilters([
            translate("Export", "CSV files (*.csv)") if suffix == "csv" else translate("Export", "JSON files (*.json)"),
            translate("Export", "All files (*)"),
        ])
        dialog.selectFile(proposed.name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name, k=kind: self.write(k, Path(name)))
        self.dialog = dialog
        dialog.open()  # never exec(): a nested loop would stall the feed
        return dialog

    # --- writing --------------------------------------------------------------------------------

    def write(self, kind: ExportKind, path: Path) -> None:
        """Write the cases held now to `path`, off the GUI thread when the event loop runs."""
        cases = list(self.store.cases())  # the store's cases are immutable: the list is a consistent copy
        self.busy = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:
            self._done(kind, path, _run(path, kind, cases))
            return
        future = asyncio.wrap_future(_WRITER.submit(_run, path, kind, cases), loop=loop)
        future.add_done_callback(lambda f: self._done(kind, path, f.result()) if isValid(self) else None)

    def _done(self, kind: ExportKind, path: Path, outcome: int | str) -> None:
        self.busy = False
        if isinstance(outcome, str):
            result = ExportResult(path, kind, error=outcome)
            self._show_error(result)
        else:
            result = ExportResult(path, kind, count=outcome)
            self.settings.setValue(FOLDER_KEY, str(path.parent))
            self.window.statusBar().showMessage(done_text(result), MESSAGE_MS)
        self.finished.emit(result)

    def _show_error(self, result: ExportResult) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, translate("Export", "Export failed"),
                          translate("Export", "%1 could not be written: %2.")
                          .replace("%1", str(result.path)).replace("%2", result.error or ""),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("dialog.export_failed")
        box.setInformativeText(translate("Export", "Nothing was changed at that place, and the console still holds "
                                                   "every case. Choose another place to save the file."))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self.choose(result.kind, result.path))
        self.error_box = box
        box.open()


def done_text(result: ExportResult) -> str:
    if result.kind in (ExportKind.CASES_CSV, ExportKind.CASES_OPEN311):
        text = translate("Export", "Exported %1 cases to %2")
    elif result.kind is ExportKind.KPIS_BY_UNIT:
        text = translate("Export", "Exported the KPIs of %1 units to %2")
    else:
        text = translate("Export", "Exported the KPIs of %1 categories to %2")
    return text.replace("%1", str(result.count)).replace("%2", str(result.path))


def _run(path: Path, kind: ExportKind, cases: list[Any]) -> int | str:
    """The export on a worker thread: the count, or why the file could not be written."""
    try:
        return export(path, kind, cases)
    except OSError as exc:
        return exc.strerror or str(exc)
    except Exception as exc:  # a fault of ours: still said in the dialog, and the destination is untouched
        log.exception("export to %s failed", path)
        return repr(exc)


def install_export(window: QMainWindow) -> ExportHook:
    settings = getattr(window, "settings", None)
    return ExportHook(window, getattr(window, "store"),  # noqa: B009
                      settings if isinstance(settings, QSettings) else QSettings())

