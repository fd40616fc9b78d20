"""The analysis view's Units tab on a real hub holding the imported Baltimore sample: per agency,
received, closed, closure rate, on-time closure rate, median handling time and returns, the same
figures as `python -m hub export kpis` of the same database."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import qasync
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from hub.embedded import EmbeddedHub
from resources import __file__ as resources_init
from tests.console.conftest import run, until_called, until_signal

SAMPLES = Path(resources_init).parent / "data" / "service_requests"


def _hub(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "hub", *args], check=True, capture_output=True, text=True)


def _pct(ratio: str) -> str:
    return f"{Decimal(ratio) * 100:.2f} %" if ratio else "—"


def test_the_units_tab_shows_each_agencys_on_time_closure_rate_as_the_export_does(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    db = tmp_path / "baltimore.db"
    _hub("import", str(SAMPLES / "baltimore_311_sample.csv"), "--mapping", str(SAMPLES / "baltimore.toml"),
         "--rejects", str(tmp_path / "rejects.csv"), "--no-progress", "--db", str(db))
    _hub("export", "kpis", str(tmp_path / "kpis.csv"), "--db", str(db))
    with (tmp_path / "kpis.csv").open(encoding="utf-8", newline="") as handle:
        exported = {row["key"]: row for row in csv.DictReader(handle)}
    assert len(exported) > 3
    received = sum(int(r["received"]) for r in exported.values())
    with sqlite3.connect(db) as conn:
        held = int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])

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
                                   and len(store) == held, "live, holding every imported case")
                window.analysis.open_action.trigger()
                view = window.analysis.view
                assert view is not None
                await until_signal(view.answered, lambda: None not in (view.hot, view.recurring, view.trends),
                                   "the three analyses")
                assert view.tabs.tabText(3).replace("&", "") == "Units"
                view.tabs.setCurrentIndex(3)
                assert view.units.isVisible()
                header = [view.units.table.horizontalHeaderItem(c).text()
                          for c in range(view.units.table.columnCount())]
                assert header == ["Unit", "Received", "Closed", "Closure rate", "On-time closure rate",
                                  "Median handling time", "Returns"]
                shown = view.units.rows()
                assert set(shown) == set(exported)
                for key, row in exported.items():
                    median = row["median_handling_hours"]
                    assert shown[key] == [
                        row["name"] if key else "(not dispatched)", row["received"], row["closed"],
                        _pct(row["closure_rate"]), _pct(row["on_time_closure_rate"]),
                        f"{median} h" if median else "—", row["returns"],
                    ], key
                # Busiest agency first; the note counts the cases the figures are over.
                counts = [int(view.units.rows()[k][1].replace(",", "")) for k in shown]
                assert counts == sorted(counts, reverse=True)
                assert f"over the {received:,} cases this console holds" in view.units.note.text()
                # Some agency closes late: the rates are not all 100 % (the sample's due dates are real).
                assert any(_pct(r["on_time_closure_rate"]) not in ("100.00 %", "—") for r in exported.values())
            finally:
                window.stop()
                await feed.close()

    run(qloop, main())
