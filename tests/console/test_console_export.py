"""File ▸ Export in the duty window: on a real hub holding the imported Baltimore sample, the console's
four exports (cases as CSV and as Open311 JSON, KPIs per unit and per category) are the same files,
byte for byte, as `python -m hub export` of the same database; a place that cannot be written is said
in a dialog and the save dialog comes back, with nothing lost."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QLineEdit, QMenu
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from backend_client.connection import FeedConnection
from backend_client.exports import ExportKind
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.export_hook import ExportHook, ExportResult
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from resources import __file__ as resources_init
from tests.console.conftest import WAIT_S, run, until_called, until_signal

SAMPLES = Path(resources_init).parent / "data" / "service_requests"
CLI_ARGS = {
    ExportKind.CASES_CSV: ("cases", "cases.csv"),
    ExportKind.CASES_OPEN311: ("cases", "cases.json", "--format", "open311"),
    ExportKind.KPIS_BY_UNIT: ("kpis", "kpis_by_unit.csv"),
    ExportKind.KPIS_BY_CATEGORY: ("kpis", "kpis_by_category.csv", "--by", "category"),
}


async def _gone(dialog: QDialog) -> None:
    """A dialog, once answered, is deleted (WA_DeleteOnClose): none is left behind in the window."""
    if not isValid(dialog):
        return
    deleted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    dialog.destroyed.connect(lambda *_: None if deleted.done() else deleted.set_result(None))
    try:
        await asyncio.wait_for(deleted, WAIT_S)
    except TimeoutError:
        raise AssertionError("the dialog was not deleted once answered") from None


def _type_name(dialog: QFileDialog, path: Path) -> None:
    """What an operator does: type the file's full path in the name field (then Save)."""
    field = dialog.findChild(QLineEdit, "fileNameEdit")
    assert field is not None
    field.setText(str(path))


def _hub(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "hub", *args], check=True, capture_output=True, text=True).stdout


async def _export_through_the_dialog(hook: ExportHook, kind: ExportKind, path: Path) -> ExportResult:
    results: list[ExportResult] = []
    hook.finished.connect(results.append)
    try:
        hook.actions[kind].trigger()
        dialog = hook.dialog
        assert dialog is not None and dialog.isVisible()
        _type_name(dialog, path)
        dialog.accept()
        await until_signal(hook.finished, lambda: bool(results), f"the export to {path.name}")
        await _gone(dialog)
    finally:
        hook.finished.disconnect(results.append)
    return results[0]


def test_the_consoles_exports_are_the_hubs_exports_of_the_same_cases(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = tmp_path / "baltimore.db"
    _hub("import", str(SAMPLES / "baltimore_311_sample.csv"), "--mapping", str(SAMPLES / "baltimore.toml"),
         "--rejects", str(tmp_path / "rejects.csv"), "--no-progress", "--db", str(db))
    cli = tmp_path / "cli"
    cli.mkdir()
    for what, name, *more in CLI_ARGS.values():
        _hub("export", what, str(cli / name), *more, "--db", str(db))
    imported = (cli / "cases.csv").read_text(encoding="utf-8").count("\n") - 1
    assert imported > 1000

    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{db}", simulate=False) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = MainWindow(store, feed, language="en",
                                settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            window.show()
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE
                                   and len(store) == imported, "live, holding every imported case")
                hook = window.export
                # File ▸ Export, above Quit, with its four choices.
                file_menu = next(m for a in window.menuBar().actions()
                                 if isinstance(m := a.menu(), QMenu) and window.menus.quit in m.actions())
                assert hook.menu.menuAction() in file_menu.actions()
                assert file_menu.actions().index(hook.menu.menuAction()) < file_menu.actions().index(window.menus.quit)
                assert [a.text().replace("&", "") for a in hook.actions.values()] == [
                    "Cases as CSV…", "Cases as Open311 GeoReport v2 (JSON)…", "KPIs per unit (CSV)…",
                    "KPIs per category (CSV)…"]
                out = tmp_path / "console"
                out.mkdir()
                for kind, (_what, name, *_more) in CLI_ARGS.items():
                    result = await _export_through_the_dialog(hook, kind, out / name)
                    assert result.error is None, result
                    assert (out / name).read_bytes() == (cli / name).read_bytes(), name
                    assert str(out / name) in window.statusBar().currentMessage()
                assert window.statusBar().currentMessage().startswith("Exported the KPIs of")

                # A place that cannot be written: said in a dialog; closing it brings the save dialog back.
                blocked = out / "cases.csv" / "cases.csv"  # its folder is a file
                result = await _export_through_the_dialog(hook, ExportKind.CASES_CSV, blocked)
                assert result.error is not None
                box = hook.error_box
                assert box is not None and box.isVisible()
                assert str(blocked) in box.text() and "could not be written" in box.text()
                assert "still holds every case" in box.informativeText()
                assert (out / "cases.csv").read_bytes() == (cli / "cases.csv").read_bytes()  # untouched
                assert not list(out.glob(".*.part"))
                first_dialog = hook.dialog
                box.accept()
                await _gone(box)
                assert hook.dialog is not None and hook.dialog is not first_dialog and hook.dialog.isVisible()
                assert hook.dialog.selectedFiles()[0].endswith("cases.csv")
                assert hook.dialog.directory().absolutePath() == str(out)  # the nearest folder that exists
                again = out / "elsewhere.csv"
                _type_name(hook.dialog, again)
                results: list[ExportResult] = []
                hook.finished.connect(results.append)
                last = hook.dialog
                last.accept()
                await until_signal(hook.finished, lambda: bool(results), "the export to another place")
                await _gone(last)
                assert results[0].error is None and results[0].count == imported, results[0]
                assert results[0].path == again, results[0]
                assert again.read_bytes() == (cli / "cases.csv").read_bytes()
            finally:
                window.stop()
                await feed.close()

    run(qloop, main())
