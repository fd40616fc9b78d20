"""A cold start from the snapshot cache: the window paints the full queue before most cases are decoded,
and a start ends with every case decoded and whole (the console finishes the load right after that paint)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import msgspec
import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.snapshot_cache import CachedState, SnapshotCache
from backend_client.store import CaseStore
from console.app import OPENING_VIEW, serve
from console.local_state import CACHE_FILE, base_dir, profile_name
from console.main_window import MainWindow
from protocol import CaseStatus
from protocol.enums import OPEN_STATUSES
from protocol.events import Trace
from tests.backend_client.test_snapshot_lazy import cases
from tests.console.conftest import WAIT_S, run
from tests.store.store_helpers import T0

HUB = "ws://127.0.0.1:9/feed"
"""No hub answers there: the console stays on its cache."""


@dataclass
class Args:
    data_dir: str
    hub_url: str | None = HUB
    token: str | None = "t"
    lang: str = "en"
    db: str | None = None
    rate: float = 1.0


def test_the_window_paints_the_cached_queue_before_the_rest_is_decoded(qtbot: QtBot, tmp_path: Path) -> None:
    held = cases()
    cache = SnapshotCache(tmp_path / CACHE_FILE)
    cache.save(CachedState("L", 9, 1000.0, held))
    store = CaseStore()
    store.set_view(OPENING_VIEW)
    assert cache.load_into(store, defer_history=True) is not None
    window = MainWindow(store, FeedConnection(HUB, "t", store), language="en",
                        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    assert not window.grab().isNull()
    open_count = sum(1 for c in held if c.status in OPEN_STATUSES)
    first = window.model.data(window.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert store.loading, "nothing the window built or painted read every case (the intake desk included)"
    assert window.model.rowCount() == open_count
    assert store.finish_load() and not store.loading
    window.model.refresh()
    assert window.model.rowCount() == open_count
    assert window.model.data(window.model.index(0, 0), Qt.ItemDataRole.DisplayRole) == first
    cache.close()


def test_a_start_from_the_cache_shows_every_case_whole_once_the_window_is_up(
        qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path) -> None:
    history = (Trace(at=T0, actor="hotline", action="create", status=CaseStatus.RECEIVED),)
    held = [msgspec.structs.replace(c, history=history) for c in cases()]
    folder = base_dir(str(tmp_path)) / profile_name(HUB)
    folder.mkdir(parents=True)
    cache = SnapshotCache(folder / CACHE_FILE)
    cache.save(CachedState("L", 9, 1000.0, held, hub_url=HUB))
    cache.close()

    async def main() -> int:
        shown = asyncio.Event()
        serving = asyncio.ensure_future(serve(Args(data_dir=str(tmp_path)), shown=shown))
        await asyncio.wait_for(shown.wait(), WAIT_S)
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        assert len(windows) == 1
        window = windows[0]
        store = window.store
        assert not store.loading and len(store) == len(held)
        assert [store.get(c.id) for c in held] == held  # histories restored: every case whole
        assert window.model.rowCount() == sum(1 for c in held if c.status in OPEN_STATUSES)
        window.close()
        return await asyncio.wait_for(serving, WAIT_S)

    assert run(qloop, main()) == 0

