"""What the soaks read of a process from Linux /proc: its resident set, its CPU time, and the trend of its RSS.

Shared by bench/wall_soak.py and bench/soak.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB (Linux /proc)."""
    text = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {key: int(fields[name].split()[0]) / 1024 for key, name in (("rss_mb", "VmRSS"), ("peak_mb", "VmHWM"))}


def proc_cpu_s(pid: int) -> float:
    """User + system CPU time of another process, in seconds (Linux /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def slope_mb_per_min(samples: list[dict[str, Any]]) -> float | None:
    """Least-squares slope of RSS over time."""
    if len(samples) < 2:
        return None
    ts = [s["t_s"] / 60 for s in samples]
    ys = [s["rss_mb"] for s in samples]
    mt, my = sum(ts) / len(ts), sum(ys) / len(ys)
    den = sum((t - mt) ** 2 for t in ts)
    return round(sum((t - mt) * (y - my) for t, y in zip(ts, ys, strict=True)) / den, 3) if den else None
