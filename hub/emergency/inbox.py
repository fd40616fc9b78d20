"""A watched folder of CAP files (`python -m hub serve --cap-inbox DIR`).

Every `interval_s` the inbox lists `DIR/*.xml` and takes each file whose size and modification
time have not changed since the previous look (a file still being written waits; writers that
can should write under another name and rename to `.xml`). Each file is received like
`warning.receive`, as the account `cap-inbox`: an accepted file (or one already received) moves
to `DIR/done/`, a refused one to `DIR/rejected/` with `NAME.reason.txt` beside it. Nothing is
deleted, and a file is stored whole or not at all (one transaction); a hub stopped between the
commit and the move receives the file again at its next start, as a duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from hub.emergency.cap import MAX_BYTES
from hub.engine.batch import Outcome

log = logging.getLogger(__name__)

INTERVAL_S = 2.0
INBOX_ACCOUNT = "cap-inbox"

Receive = Callable[[str, str], Awaitable[Outcome]]
"""(XML text, file name) → the outcome of `warning.receive`."""


@dataclass(frozen=True)
class Taken:
    """One file the inbox dealt with."""

    name: str
    accepted: bool
    message: str
    """The warning id when accepted, the reason when refused."""
    moved_to: Path


class CapInbox:
    def __init__(self, folder: Path, receive: Receive, interval_s: float = INTERVAL_S) -> None:
        self.folder = Path(folder)
        self.receive = receive
        self.interval_s = interval_s
        self.done = self.folder / "done"
        self.rejected = self.folder / "rejected"
        self._last: dict[str, tuple[int, int]] = {}
        self._task: asyncio.Task[None] | None = None

    def prepare(self) -> None:
        """Make the folder and its `done/` and `rejected/` (OSError when that is not possible)."""
        for folder in (self.folder, self.done, self.rejected):
            folder.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        self.prepare()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="cap-inbox")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.poll()
            except OSError as exc:  # the folder went away or became unreadable: say so, keep watching
                log.error("CAP inbox %s: %s", self.folder, exc)
            await asyncio.sleep(self.interval_s)

    async def poll(self) -> list[Taken]:
        """Take every file that has stayed the same since the previous poll."""
        now: dict[str, tuple[int, int]] = {}
        for path in sorted(self.folder.glob("*.xml")):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                if path.is_file():
                    now[path.name] = (stat.st_size, stat.st_mtime_ns)
        ready = [name for name, mark in now.items() if self._last.get(name) == mark]
        self._last = {name: mark for name, mark in now.items() if name not in ready}
        taken = []
        for name in ready:
            taken.append(await self._take(self.folder / name))
        return taken

    async def _take(self, path: Path) -> Taken:
        outcome: Outcome | None = None
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                reason = f"{path.name}: file too large: {size:,} bytes, the limit is {MAX_BYTES:,} (1 MiB)"
            else:
                outcome = await self.receive(path.read_bytes().decode("utf-8-sig"), path.name)
                reason = "" if outcome.ok else outcome.error.message if outcome.error else "refused"
        except UnicodeDecodeError as exc:
            reason = f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        if outcome is not None and outcome.ok:
            warning_id = str((outcome.result or {}).get("id", ""))
            target = _free(self.done / path.name)
            path.replace(target)
            log.info("CAP inbox: %s accepted as %s", path.name, warning_id)
            return Taken(path.name, True, warning_id, target)
        target = _free(self.rejected / path.name)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
        path.replace(target)
        log.warning("CAP inbox: %s rejected: %s", path.name, reason)
        return Taken(path.name, False, reason, target)


def _free(target: Path) -> Path:
    """`target`, or `NAME.1.xml`, `NAME.2.xml`… when a file of that name is already there."""
    n = 0
    candidate = target
    while candidate.exists():
        n += 1
        candidate = target.with_name(f"{target.stem}.{n}{target.suffix}")
    return candidate
