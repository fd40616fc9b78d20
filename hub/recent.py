"""The most recent frames of the log in memory, so resuming clients rarely touch the disk.

Bounded by bytes, not by count: at ~1 KB a case frame, 100,000 frames held ~120 MB and
were a third of the hub's memory with 100,000 open cases. A client further behind than
the ring reads the log from the database instead (same bytes, one query per 1,000).
"""

from __future__ import annotations

from collections import deque
from itertools import islice


class RecentFrames:
    """A ring of the last frames of the log (at most `max_bytes`), ending at the hub's head."""

    def __init__(self, max_bytes: int, head_seq: int) -> None:
        self._frames: deque[bytes] = deque()
        self._bytes = 0
        self._max_bytes = max_bytes
        self._head = head_seq

    def extend(self, head_seq: int, frames: list[bytes]) -> None:
        self._frames.extend(frames)
        self._bytes += sum(len(f) for f in frames)
        while self._bytes > self._max_bytes and self._frames:
            self._bytes -= len(self._frames.popleft())
        self._head = head_seq

    @property
    def first_seq(self) -> int:
        """Seq of the oldest frame held (head + 1 when empty)."""
        return self._head - len(self._frames) + 1

    def after(self, seq: int, limit: int) -> list[bytes] | None:
        """Frames with `seq` greater than `seq` (at most `limit`), or None if not all held."""
        if seq + 1 < self.first_seq:
            return None
        start = seq + 1 - self.first_seq
        return list(islice(self._frames, start, start + limit))
