"""Where this workstation keeps its own state: the outbox and the snapshot cache, one folder per hub.

The folder is per hub (and per demo database) because an outbox must never be replayed at
another hub, and a cache of another hub's log is useless there. Base folder: `--data-dir`,
else Qt's per-user AppDataLocation (e.g. `~/.local/share/cc/cc-console`). The demo keeps
its state beside its database (`<db>.console/`), or in its scratch folder when it has none.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from backend_client.outbox import Outbox
from backend_client.snapshot_cache import SnapshotCache

OUTBOX_FILE = "outbox.sqlite"
CACHE_FILE = "snapshot.sqlite"


def base_dir(option: str | None) -> Path:
    """`--data-dir` when given, else the per-user application data folder."""
    if option:
        return Path(option).expanduser()
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location or Path.home() / ".cc-console")


def profile_name(key: str) -> str:
    """A folder name for one hub: readable, and unique through a hash of the whole key.

    >>> profile_name("wss://hub.example.cn:8443/feed")
    'hub.example.cn_8443-b25f82a4b3'
    """
    readable = re.sub(r"^[a-z]+://", "", key).split("/")[0]
    readable = re.sub(r"[^0-9A-Za-z.-]+", "_", readable).strip("_")[:40] or "hub"
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"


def state_dir(*, hub_url: str | None, data_dir: str | None, demo_db: str | None, scratch: Path | None) -> Path:
    """The folder of this run's outbox and cache (see the module's docstring)."""
    if hub_url is not None:
        return base_dir(data_dir) / profile_name(hub_url)
    if data_dir:
        return base_dir(data_dir) / profile_name(f"demo {demo_db or 'scratch'}")
    if demo_db is not None and "://" not in demo_db:
        path = Path(demo_db).expanduser().resolve()
        return path.with_name(path.name + ".console")
    if demo_db is not None:
        return base_dir(None) / profile_name(f"demo {demo_db}")
    assert scratch is not None, "a demo without a database runs in a scratch folder"
    return scratch / "console"


@dataclass
class LocalState:
    folder: Path
    outbox: Outbox
    cache: SnapshotCache

    @classmethod
    def open(cls, folder: Path) -> LocalState:
        """Open (or create) both files; a damaged one is moved aside and reported, never fatal."""
        return cls(folder, Outbox(folder / OUTBOX_FILE), SnapshotCache(folder / CACHE_FILE))

    @property
    def problems(self) -> list[str]:
        return [problem for problem in (self.outbox.problem, self.cache.problem) if problem]

    def close(self) -> None:
        self.outbox.close()
        self.cache.close()
