"""The console against a real hub: the demo's hub process + simulator + FeedConnection + MainWindow."""

from __future__ import annotations

from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.hub_process import HubProcess
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.directory import Directory
from protocol.enums import OPEN_STATUSES
from tests.console.conftest import run, until_called, until_signal
from tests.hub.conftest import CASE_ARGS
from views.models.case_table_model import TIME_LEFT_COLUMN
from views.models.roles import SLA_LEVEL_ROLE


def test_the_queue_fills_from_the_simulator_and_shows_a_created_case(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        db = f"sqlite:///{tmp_path / 'hub.db'}"
        async with HubProcess(db, simulate=True, rate=1.0, seed=7, backfill_hours=2.0) as hub:
            store = CaseStore()
            feed = FeedConnection(hub.url, hub.token, store)
            window = MainWindow(store, feed, language="en")
            qtbot.addWidget(window)
            window.show()
            model = window.model
            await feed.start()
            try:
                await until_called(feed.add_listener, lambda: feed.state is ConnectionState.LIVE, "live")
                await until_signal(model.applied, lambda: model.rowCount() >= 5, "the simulator's cases")
                assert window.status.state_label.text().endswith("Live")

                category = next(iter(Directory.load().categories))
                args = {**CASE_ARGS, "category_code": category, "description": "井盖缺失 e2e",
                        "channel": "grid_patrol"}
                result = await feed.send_command("case.create", args)
                assert result.ok and result.result is not None, result.error
                case_id = str(result.result["id"])
                await until_signal(model.applied, lambda: model.row_of(case_id) >= 0, "the new case's row")

                row = model.row_of(case_id)
                case = store.get(case_id)
                assert case is not None and case.description == "井盖缺失 e2e"
                texts = [model.index(row, column).data() for column in range(model.columnCount())]
                assert texts[0] == result.result["serial"] == case.serial
                assert texts[2:6] == [case.category_en, case.street_name, "Grid patrol", "Received"]
                assert model.index(row, TIME_LEFT_COLUMN).data(SLA_LEVEL_ROLE) == "blue"
                assert texts[TIME_LEFT_COLUMN].endswith("min") or " d " in texts[TIME_LEFT_COLUMN]
                # The default queue is "All open": every case from receipt to verification, none closed.
                open_cases = sum(1 for c in store.cases() if c.status in OPEN_STATUSES)
                assert model.rowCount() == open_cases
                assert [model.case_id(r) for r in range(model.rowCount())] == list(store.order)
            finally:
                window.close()
                await feed.close()

    run(qloop, main())
