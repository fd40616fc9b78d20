"""The analysis view in the duty window on a real hub: Ctrl+Shift+A opens it, the planted surge is the
one hot spot (on the map, with its reason), its cases open in the case drill-down; recurring problems
and trends are listed; a wall's hot-spot tile shows the same hot spot."""

from __future__ import annotations

from pathlib import Path

import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from tests.console.conftest import run, until_called, until_signal
from tests.hub.analysis_seed import seed


def test_the_surge_is_the_hot_spot_and_its_cases_open_in_the_drill_down(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub:
            field = await seed(hub, surge=25)
            assert field.surge_grid is not None
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = MainWindow(store, feed, language="en",
                                settings=QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
            qtbot.addWidget(window)
            window.show()
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE
                                   and store.geography is not None, "live, with the hub's map")
                hook = window.analysis
                assert hook.open_action.shortcut().toString() == "Ctrl+Shift+A"
                assert "Analysis" in hook.menu.title().replace("&", "")
                hook.open_action.trigger()
                view = hook.view
                assert view is not None and view.isVisible() and not view.isModal()
                await until_signal(view.answered, lambda: None not in (view.hot, view.recurring, view.trends),
                                   "the three analyses")
                assert view.hot is not None
                assert [s.cell for s in view.hot.hotspots] == [field.surge_grid.id]
                assert view.hot_table.rowCount() == 1
                assert view.hot_table.item(0, 1).text() == field.surge_grid.id
                assert "cases in the last 7 days" in view.reason.text()
                # The map shows the hot spot, numbered, and the selected one.
                assert view.map.cell_count == 1 and [m.text for m in view.map.markers] == ["1"]
                # The cases behind it, from the console's store, newest first; Enter opens one.
                shown = view.hot_cases.case_ids()
                assert set(field.surge_ids) <= set(shown)
                view.hot_cases.setFocus()
                view.hot_cases.selectRow(2)
                QTest.keyClick(view.hot_cases, Qt.Key.Key_Return)
                assert window.case_dock.panel.case is not None
                assert window.case_dock.panel.case.id == shown[2]
                assert window.case_dock.windowTitle().endswith(window.case_dock.panel.case.serial)
                # Recurring problems: the surge's category at its grid is listed, with its cases.
                view.tabs.setCurrentIndex(1)
                assert view.recurring is not None
                row = next(n for n, i in enumerate(view.recurring.items)
                           if (i.place, i.category_code) == (field.surge_grid.id, field.surge))
                assert view.recurring.items[row].count == 25
                assert view.recurring_table.item(row, 2).text() == field.surge_grid.id
                view.recurring_table.selectRow(row)
                assert set(view.recurring_cases.case_ids()) == set(field.surge_ids)
                # Trends: the surge's category rose, significantly, and says so in words.
                assert view.trends is not None
                top = view.trends.categories[0]
                assert top.code == field.surge and top.significant
                assert "significant" in view.category_trends.item(0, 4).text()
                # By address: the address planted four times.
                view.place_choice.setCurrentIndex(1)
                await until_signal(view.answered, lambda: view.recurring is not None
                                   and view.recurring.place == "address", "recurring problems by address")
                assert field.repeated_address in [i.place for i in view.recurring.items]
            finally:
                window.stop()
                await feed.close()

    run(qloop, main())
