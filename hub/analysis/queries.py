"""The analysis queries on the feed: `analysis.hotspots`, `analysis.recurring`, `analysis.trends`.

They run inside the writer's transaction like every command (answered once per id, audited) and
read the committed cases the hub holds in memory. The columns of those cases are read once per
commit (`_Cache`): an analyst paging through the three views, or a wall asking every few minutes,
pays only for the statistics. An account scoped to a unit (a street's desk) analyses the cases it
may act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

import numpy as np

from hub.analysis import hotspots, recurring, trends
from hub.analysis.columns import CaseColumns, cell_key, grid_xy, iso, read
from hub.engine.batch import Batch, Outcome
from protocol import (
    OPEN_STATUSES,
    AnalysisHotspotsArgs,
    AnalysisRecurringArgs,
    AnalysisTrendsArgs,
    Case,
)

DAY_S = 86400.0
InScope = Callable[[str, Case], bool]


class AnalysisQueries:
    def __init__(self, grid_ids: Callable[[], Iterable[str]], in_scope: InScope) -> None:
        self._grid_ids = grid_ids
        self._in_scope = in_scope
        self._cached: tuple[int, CaseColumns] | None = None

    # --- the queries -------------------------------------------------------------------

    def hotspots(self, batch: Batch, args: AnalysisHotspotsArgs, scope: str | None = None) -> Outcome:
        cols = self.columns(batch, scope)
        category = _category(cols, args.category_code)
        end = _end(cols, args.until, batch)
        window = hotspots.Window(start=end - args.window_days * DAY_S, end=end,
                                 history_start=end - (args.window_days + args.history_days) * DAY_S)
        keys = [xy for xy in (grid_xy(g) for g in self._grid_ids()) if xy is not None]
        grid_keys = cell_key(np.asarray([k[0] for k in keys], dtype=np.int64),
                             np.asarray([k[1] for k in keys], dtype=np.int64))
        found = hotspots.find(cols, grid_keys, window, category=category,
                              alpha=args.alpha, min_cases=args.min_cases)
        return Outcome(result={"window_start": iso(window.start), "until": iso(window.end),
                               "history_start": iso(window.history_start), "category_code": args.category_code,
                               "method": "getis-ord-gi*+poisson, fdr-bh", **found}, kept=False)

    def recurring(self, batch: Batch, args: AnalysisRecurringArgs, scope: str | None = None) -> Outcome:
        cols = self.columns(batch, scope)
        category = _category(cols, args.category_code)
        end = _end(cols, args.until, batch)
        start = end - args.days * DAY_S
        found = recurring.find(cols, start, end, by_address=args.by_address,
                               category=category,
                               min_count=args.min_count, limit=args.limit)
        return Outcome(result={"since": iso(start), "until": iso(end),
                               "place": "address" if args.by_address else "grid", **found}, kept=False)

    def trends(self, batch: Batch, args: AnalysisTrendsArgs, scope: str | None = None) -> Outcome:
        cols = self.columns(batch, scope)
        end = _end(cols, args.until, batch)
        found = trends.find(cols, end, weeks=args.weeks, limit=args.limit)
        return Outcome(result={"week_start": iso(end - 7 * DAY_S), "until": iso(end), "weeks": args.weeks,
                               **found}, kept=False)

    # --- shared ------------------------------------------------------------------------

    def columns(self, batch: Batch, scope: str | None) -> CaseColumns:
        """The committed cases as columns (cached until the next commit; never cached for a scope)."""
        pending = batch.changed or batch.synced
        cases: Iterable[Case] = (
            {**batch.cases, **batch.synced, **batch.changed}.values() if pending else batch.cases.values()
        )
        if scope is not None:
            return read((c for c in cases if self._in_scope(scope, c)), OPEN_STATUSES)
        if not pending and self._cached is not None and self._cached[0] == batch.next_seq:
            return self._cached[1]
        cols = read(cases, OPEN_STATUSES)
        if not pending:
            self._cached = (batch.next_seq, cols)
        return cols


def _category(cols: CaseColumns, code: str | None) -> int | None:
    """The category's number in the columns (-1: no case of it); None for every category."""
    if code is None:
        return None
    return cols.categories.index.get(code, -1)


def _end(cols: CaseColumns, until: datetime | None, batch: Batch) -> float:
    """The end of the analysis: `until`, else just after the latest case, else now."""
    if until is not None:
        return until.timestamp()
    latest = cols.latest
    return latest + 1.0 if latest is not None else batch.now.timestamp()


__all__ = ["AnalysisQueries"]
