"""Trends per category and per area (street or town): this week against the weeks before.

"This week" is the 7 days up to the end of the analysis; the weeks before are the `weeks` spans
of 7 days before it. The change is this week's count against the mean of the weeks before, and
its significance a two-sided Poisson test of this week's count with that mean
(`scipy.stats.poisson`): a move that the usual week-to-week chance explains is marked as such.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from hub.analysis.columns import CaseColumns, FloatArray, IntArray

WEEK_S = 7 * 86400.0


def _weekly(labels: IntArray, t: FloatArray, end: float, weeks: int, n_labels: int) -> FloatArray:
    """counts[label, w]: w = 0 the oldest week before, `weeks` this week."""
    age = np.floor((end - t) / WEEK_S).astype(np.int64)  # 0: this week
    keep = (age >= 0) & (age <= weeks)
    column = weeks - age[keep]
    counts = np.zeros((n_labels, weeks + 1), dtype=np.float64)
    np.add.at(counts, (labels[keep], column), 1.0)
    return counts


def _rows(counts: FloatArray, codes: list[str], names: list[tuple[str, str]], limit: int,
          alpha: float) -> list[dict[str, object]]:
    before = counts[:, :-1].mean(axis=1)
    now = counts[:, -1]
    mean = np.maximum(before, 0.5 / counts.shape[1])
    upper = stats.poisson.sf(now - 1, mean)
    lower = stats.poisson.cdf(now, mean)
    p = np.minimum(1.0, 2 * np.minimum(upper, lower))
    shown = np.flatnonzero((now > 0) | (before > 0))
    order = shown[np.lexsort((-now[shown], p[shown]))][:limit]
    rows = []
    for i in order.tolist():
        change = None if before[i] == 0 else round(float((now[i] - before[i]) / before[i] * 100), 1)
        direction = "up" if now[i] > before[i] else "down" if now[i] < before[i] else "same"
        rows.append({
            "code": codes[i], "name_zh": names[i][0], "name_en": names[i][1], "this_week": int(now[i]),
            "weekly_before": round(float(before[i]), 2), "change_pct": change, "direction": direction,
            "p": float(p[i]), "significant": bool(p[i] < alpha), "weeks": [int(v) for v in counts[i]],
        })
    return rows


def find(cols: CaseColumns, end: float, *, weeks: int = 4, limit: int = 50, alpha: float = 0.05) -> dict[str, object]:
    categories = _weekly(cols.category, cols.t, end, weeks, len(cols.categories.codes))
    streets = _weekly(cols.street, cols.t, end, weeks, len(cols.streets.codes))
    return {
        "this_week": int(categories[:, -1].sum()) if len(categories) else 0,
        "weekly_before": round(float(categories[:, :-1].sum() / weeks), 2) if len(categories) else 0.0,
        "categories": _rows(categories, cols.categories.codes, cols.categories.names, limit, alpha),
        "areas": _rows(streets, cols.streets.codes, cols.streets.names, limit, alpha),
    }
