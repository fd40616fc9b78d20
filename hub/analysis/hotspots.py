"""Hot spots found automatically: cells whose count in a window is significantly above their own
history *and* part of a cluster of such excess among their neighbours.

For each cell of the study area (the hub's grids, or, when most cases fall outside them, the
cells that held a case in the period: the data's own extent):

1. **Its own history.** Expected count in the window μ = (cases in the history + ½) × window ÷
   history (the ½ keeps a cell with an empty history from expecting exactly nothing). One-sided
   Poisson test of the window's count against μ (`scipy.stats.poisson.sf`).
2. **Its neighbours.** Getis-Ord Gi* (Getis & Ord 1992, Ord & Getis 1995) of the standardised
   excess r = (count − μ) ÷ √μ, with binary weights over the cell and its eight neighbours
   (queen contiguity, the cell itself included): a z-score that is high where a cell and the
   cells around it are, together, above what their histories predict. p from the normal
   (`scipy.stats.norm.sf`). A district-wide rise is no hot spot: Gi* compares with the whole area.
3. Both p-values are corrected for testing every cell at once (Benjamini-Hochberg false discovery
   rate, `scipy.stats.false_discovery_control`). A hot spot has both corrected p-values under
   `alpha`, at least `min_cases` cases in the window and more than μ. Ranked by z.

**No history: the area's average cell instead.** A window whose history holds cases in fewer than
`MIN_HISTORY_WEEKS` of its weeks (or in fewer than all of them when the history is shorter) gives
each cell's own history nothing to say: every μ is the ½ pseudo-count, and any cell with a few
cases looks hundreds of times "its usual" (an imported file of one evening, a centre's first
weeks). Then μ is the study area's mean cell in the same window (cases in the window ÷ cells in the
area), the same for every cell: step 1 becomes a one-sided Poisson test of the cell's count
against that mean, step 2 is Gi* of (count − μ) ÷ √μ (Gi* of the counts themselves, since a z-score
does not change under a shift and a scale). Steps 3 and 4 are unchanged; the hot spots are
ranked by their count (the strongest Poisson evidence, μ being the same for all), and the answer
says `"baseline": "area"` (else `"history"`) and each reason begins "No history: compared with the
area's average cell". On an area of the cells the data touched, the mean is over those cells, so
empty land does not dilute it.

scipy rather than PySAL/esda: esda's `G_Local(star=True)` computes the same z, but it would bring
pandas, geopandas, shapely and scikit-learn into a hub that needs none of them; Gi* itself is one
closed formula over neighbour sums (a sparse weights matrix, `scipy.sparse`), and the statistics a
hand-written version would get wrong (Poisson tail, normal tail, FDR) are scipy's.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import sparse, stats

from hub.analysis.columns import CaseColumns, FloatArray, IntArray, cell_id, cell_key, cell_ring, key_xy

PSEUDO_COUNT = 0.5
NEIGHBOUR_OFFSETS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
MIN_HISTORY_WEEKS = 4
"""Weeks of the history that must hold a case for the cells' own histories to be the baseline."""
WEEK_S = 7 * 86400.0
MAX_CASE_IDS = 200
"""Case ids named per hot spot (the answer must fit a frame); `count` says how many there are."""


@dataclass(frozen=True)
class Area:
    keys: IntArray
    """The study area's cells, sorted (`cell_key`)."""
    kind: str
    """`grids` (the hub's) or `cells` (the lattice cells the data touched)."""


def study_area(grid_keys: IntArray, case_keys: IntArray) -> Area:
    """The hub's grids when they hold at least half of the cases, else the cells the cases touch."""
    grid_keys = np.unique(grid_keys)
    if len(grid_keys) and len(case_keys):
        inside = np.isin(case_keys, grid_keys).mean()
        if inside >= 0.5:
            return Area(grid_keys, "grids")
    return Area(np.unique(case_keys), "cells")


def queen_weights(keys: IntArray) -> sparse.csr_matrix:
    """Binary weights: each cell with itself and its (up to) eight neighbours in the area."""
    n = len(keys)
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    index = np.arange(n, dtype=np.int64)
    xs, ys = (keys // (1 << 20)), (keys % (1 << 20))
    for dx, dy in NEIGHBOUR_OFFSETS:
        shifted = (xs + dx) * (1 << 20) + (ys + dy)
        pos = np.searchsorted(keys, shifted)
        pos = np.minimum(pos, n - 1)
        hit = keys[pos] == shifted
        rows.append(index[hit])
        cols.append(pos[hit])
    r, c = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(n, n))


def gi_star(values: FloatArray, weights: sparse.csr_matrix) -> FloatArray:
    """Getis-Ord Gi* z-scores of `values` (weights include each cell itself)."""
    n = len(values)
    if n < 3:
        return np.zeros(n)
    mean = values.mean()
    s = math.sqrt(max(float((values**2).mean() - mean**2), 0.0))
    if s == 0.0:
        return np.zeros(n)
    local = weights @ values
    w = np.asarray(weights.sum(axis=1)).ravel()
    s1 = np.asarray(weights.multiply(weights).sum(axis=1)).ravel()
    denominator = s * np.sqrt(np.maximum((n * s1 - w**2) / (n - 1), 1e-12))
    result: FloatArray = (local - mean * w) / denominator
    return result


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    history_start: float

    @property
    def ratio(self) -> float:
        return (self.end - self.start) / (self.start - self.history_start)

    @property
    def history_weeks(self) -> int:
        """The history's weeks (the last one may be partial), counted back from the window's start."""
        return max(1, math.ceil((self.start - self.history_start) / WEEK_S - 1e-9))


def has_history(t: FloatArray, window: Window) -> bool:
    """Whether the history's cases `t` fall in enough of its weeks to predict each cell's window."""
    weeks = np.unique(np.floor((window.start - t) / WEEK_S).astype(np.int64))
    return len(weeks) >= min(MIN_HISTORY_WEEKS, window.history_weeks)


def find(cols: CaseColumns, grid_keys: IntArray, window: Window, *, category: int | None = None,
         alpha: float = 0.05, min_cases: int = 3, limit: int = 30) -> dict[str, object]:
    """The hot spots of `window` over its history: the `analysis.hotspots` answer (without the period)."""
    chosen = (cols.t >= window.history_start) & (cols.t < window.end)
    if category is not None:
        chosen &= cols.category == category
    rows = np.flatnonzero(chosen)
    area = study_area(grid_keys, cols.key[rows])
    keys = area.keys
    n = len(keys)
    summary: dict[str, object] = {"area": area.kind, "cells": n, "alpha": alpha, "min_cases": min_cases}
    if n == 0:
        return {**summary, "baseline": "history", "window_cases": 0, "history_cases": 0, "hotspots": []}
    pos = np.searchsorted(keys, cols.key[rows])
    pos_clipped = np.minimum(pos, n - 1)
    in_area = keys[pos_clipped] == cols.key[rows]
    rows, pos = rows[in_area], pos_clipped[in_area]
    recent = cols.t[rows] >= window.start
    count = np.bincount(pos[recent], minlength=n).astype(np.float64)
    history = np.bincount(pos[~recent], minlength=n).astype(np.float64)
    own_history = has_history(cols.t[rows[~recent]], window)
    if own_history:
        expected = (history + PSEUDO_COUNT) * window.ratio
    else:  # the area's average cell in the same window (at least the pseudo-count's share)
        expected = np.full(n, max(float(count.sum()) / n, PSEUDO_COUNT * window.ratio))
    summary["baseline"] = "history" if own_history else "area"
    p_time = stats.poisson.sf(count - 1, expected)
    excess = (count - expected) / np.sqrt(expected)
    weights = queen_weights(keys)
    z = gi_star(excess, weights)
    p_space = stats.norm.sf(z)
    q_time = stats.false_discovery_control(p_time, method="bh")
    q_space = stats.false_discovery_control(p_space, method="bh")
    hot = np.flatnonzero((q_time < alpha) & (q_space < alpha) & (count >= min_cases) & (count > expected))
    rank = -z[hot] if own_history else -(count[hot] + 1e-3 * np.tanh(z[hot]))
    hot = hot[np.argsort(rank, kind="stable")][:limit]
    neighbour_count = weights @ count - count
    neighbour_expected = weights @ expected - expected
    sizes = np.asarray(weights.sum(axis=1)).ravel()
    history_weeks = (window.start - window.history_start) / (7 * 86400)
    window_days = (window.end - window.start) / 86400
    found = []
    for i in hot.tolist():
        members = rows[recent & (pos == i)]
        members = members[np.argsort(-cols.t[members], kind="stable")]
        x, y = key_xy(int(keys[i]))
        found.append(_hot_spot(cols, members, x, y, count=int(count[i]), expected=float(expected[i]),
                               history=int(history[i]), history_weeks=history_weeks, window_days=window_days,
                               neighbours=(int(neighbour_count[i]), float(neighbour_expected[i]), int(sizes[i]) - 1),
                               z=float(z[i]), p=(float(p_time[i]), float(p_space[i])),
                               q=(float(q_time[i]), float(q_space[i])), cells=n, own_history=own_history))
    return {**summary, "window_cases": int(count.sum()), "history_cases": int(history.sum()),
            "hotspots": found}


def confidence(q_time: float, q_space: float) -> int:
    worst = max(q_time, q_space)
    return 99 if worst < 0.01 else 95 if worst < 0.05 else 90


def _hot_spot(cols: CaseColumns, members: IntArray, x: int, y: int, *, count: int, expected: float,
              history: int, history_weeks: float, window_days: float, neighbours: tuple[int, float, int], z: float,
              p: tuple[float, float], q: tuple[float, float], cells: int,
              own_history: bool = True) -> dict[str, object]:
    streets = Counter(int(s) for s in cols.street[members])
    street = streets.most_common(1)[0][0]
    categories = Counter(int(c) for c in cols.category[members])
    top = [{"code": cols.categories.codes[c], "name_zh": cols.categories.names[c][0],
            "name_en": cols.categories.names[c][1], "count": k} for c, k in categories.most_common(3)]
    level = confidence(*q)
    weekly = history / history_weeks if history_weeks > 0 else 0.0
    ratio = count / expected if expected > 0 else math.inf
    lead = top[0]
    n_days = f"{window_days:g}"
    around, around_expected, k = neighbours
    local, local_expected = count + around, expected + around_expected
    if own_history:
        against_en = (f"{count} cases in the last {n_days} days where its own history predicts {expected:.1f} "
                      f"({history} in the {history_weeks:g} weeks before, {weekly:.1f} a week): "
                      f"{ratio:.1f}× its usual. ")
        against_zh = (f"近{n_days}天{count}件，按其自身以往应约{expected:.1f}件（此前{history_weeks:g}周共{history}件，"
                      f"每周{weekly:.1f}件），为平常的{ratio:.1f}倍；")
    else:
        against_en = (f"No history: compared with the area's average cell. {count} cases in the last {n_days} days "
                      f"where the area's {cells} cells average {expected:.1f}: {ratio:.1f}× the average "
                      f"(the {history_weeks:g} weeks before hold too few cases to predict it). ")
        against_zh = (f"无历史数据：与区域内平均网格比较。近{n_days}天{count}件，"
                      f"区域{cells}个网格平均{expected:.1f}件，"
                      f"为平均的{ratio:.1f}倍（此前{history_weeks:g}周案件太少，无法据以预测）；")
    reason_en = (
        against_en +
        f"With its {k} neighbouring cells: {local} against {local_expected:.1f} expected (Gi* z = {z:.1f}). "
        f"Mostly {lead['name_en']} ({lead['count']}). "
        f"Significant at {level}% after correcting for the {cells} cells tested."
    )
    reason_zh = (
        against_zh +
        f"连同周边{k}个网格共{local}件，预期{local_expected:.1f}件"
        f"（Gi* z = {z:.1f}）。以{lead['name_zh']}为主（{lead['count']}件）。"
        f"经对{cells}个网格的多重检验校正，置信度{level}%。"
    )
    lon, lat = (x + 0.5) / 100, (y + 0.5) / 100
    return {
        "cell": cell_id(x, y), "street_code": cols.streets.codes[street], "street_name": cols.streets.names[street][0],
        "lon": round(lon, 4), "lat": round(lat, 4), "ring": cell_ring(x, y), "count": count,
        "expected": round(expected, 2), "history": history, "neighbours_count": neighbours[0],
        "neighbours_expected": round(neighbours[1], 2), "neighbours": neighbours[2], "z": round(z, 2),
        "p_time": p[0], "p_space": p[1],
        "q_time": q[0], "q_space": q[1], "confidence": level, "top_categories": top,
        "case_ids": [cols.ids[int(r)] for r in members[:MAX_CASE_IDS]], "reason_en": reason_en,
        "reason_zh": reason_zh,
    }


__all__ = ["Window", "cell_key", "find", "gi_star", "queen_weights", "study_area"]
