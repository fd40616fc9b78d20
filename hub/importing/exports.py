"""Cases and KPIs out of the hub's log to files: `python -m hub export`.

The columns and the figures are `protocol.exports`' (the console's File ▸ Export uses the same
functions over the cases it holds); this module opens the file and says when it cannot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from hub.errors import HubError
from protocol import exports
from protocol.events import Case
from protocol.exports import CASE_COLUMNS, KPI_COLUMNS, Kpi, KpiBy, closed_at, counted, kpis, open311

__all__ = ["CASE_COLUMNS", "KPI_COLUMNS", "Kpi", "KpiBy", "closed_at", "counted", "kpis", "open311",
           "write_cases_csv", "write_kpis", "write_open311"]


def write_kpis(path: Path, cases: Iterable[Case], by: KpiBy) -> int:
    return _write(path, lambda out: exports.write_kpis(out, cases, by))


def write_cases_csv(path: Path, cases: Iterable[Case]) -> int:
    return _write(path, lambda out: exports.write_cases_csv(out, cases))


def write_open311(path: Path, cases: Iterable[Case]) -> int:
    return _write(path, lambda out: exports.write_open311(out, cases))


def _write(path: Path, write: Callable[[TextIO], int]) -> int:
    try:
        out = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise HubError(f"{path}: cannot write ({exc.strerror})") from None
    with out:
        return write(out)
