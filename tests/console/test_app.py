"""The console's startup path: the demo (its own hub process) runs until its window closes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.app import db_url, serve
from console.main_window import MainWindow
from tests.console.conftest import WAIT_S, run, until_signal


@dataclass
class Args:
    hub_url: str | None = None
    token: str | None = None
    lang: str = "en"
    db: str | None = None
    rate: float = 1.0


def test_db_url_takes_a_url_a_path_or_nothing(tmp_path: Path) -> None:
    assert db_url("postgresql+psycopg://u@h/db", tmp_path) == "postgresql+psycopg://u@h/db"
    relative = db_url("demo.db", tmp_path)
    assert relative.startswith("sqlite:////") and relative.endswith("/demo.db")
    assert db_url(None, tmp_path) == f"sqlite:///{tmp_path / 'demo-hub.db'}"


def test_the_demo_serves_until_the_window_closes(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> int:
        shown = asyncio.Event()
        serving = asyncio.ensure_future(serve(Args(db=str(tmp_path / "hub.db")), shown=shown))
        await asyncio.wait_for(shown.wait(), WAIT_S)
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        window = windows[0]
        await until_signal(window.model.applied, lambda: window.model.rowCount() > 0, "the simulator's cases")
        assert window.status.hub_label.text().startswith("Hub ws://127.0.0.1:")
        window.close()
        return await asyncio.wait_for(serving, WAIT_S)

    assert run(qloop, main()) == 0
