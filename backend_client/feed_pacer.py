"""Gives the screen its turns while the feed applies events on the GUI thread.

The feed, the store and the screen share one thread (qasync). Frames that arrive together are
applied together: websockets hands over, without a pause, every frame one read brought (asyncio
reads up to 256 KiB at a time: ~800 events, 15-20 ms of applying), so a burst or a catch-up held the
window for as long as it took. `FeedConnection` asks its pacer before each frame:

* a *slice* of applying lasts at most `slice_s`; then the feed gives the event loop one turn
  (timers, input, paints run) and goes on with the frames still queued. Nothing is dropped or
  reordered: the frames wait in websockets' queue;
* the screen may *hold* the feed while it drains the store and paints what changed
  (`console.feed_pacing.pace_drain`): then the drain, its paint and a slice of the feed
  fall in separate turns instead of one turn doing all three (issue 15: the longest stall at
  20,000 events/s was a slice + a drain + a paint).

No Qt here: the screen calls `hold()` and `release()`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

SLICE_S = 0.005
"""How long the feed applies frames before the event loop gets a turn (5 ms: a third of a frame at 60 Hz)."""


class FeedPacer:
    """When the feed gives the event loop a turn: after `slice_s` of applying, and while the screen holds it.

    A slice ends when the event loop has had a turn since it began (the feed waited for data, or gave way):
    a callback queued at its start marks that; a clock alone could not tell a wait from a preemption."""

    def __init__(self, slice_s: float = SLICE_S, clock: Callable[[], float] = time.perf_counter) -> None:
        self.slice_s = slice_s
        self._clock = clock
        self._slice_start = 0.0
        self._turned = True
        self._held = False
        self._released: asyncio.Future[None] | None = None
        self.turns_given = 0
        """Turns the feed gave the event loop in the middle of queued frames (a slice ended, or held)."""
        self.applied_at = float("-inf")
        """`clock()` when the feed last applied a frame (`applied()`)."""

    @property
    def held(self) -> bool:
        return self._held

    def hold(self) -> None:
        """No frame is applied until `release()` (the screen drains and paints meanwhile)."""
        self._held = True

    def release(self) -> None:
        self._held = False
        waiting = self._released
        if waiting is not None and not waiting.done():
            waiting.set_result(None)

    def due(self) -> bool:
        """Before a frame, on the event loop: whether the feed should give the loop a turn first."""
        if self._held:
            return True
        if self._turned:  # the loop ran since this slice began: the feed waited, a new slice starts
            self._begin()
            return False
        return self._clock() - self._slice_start >= self.slice_s

    def applied(self) -> None:
        """After a frame (or a slice of them) was applied."""
        self.applied_at = self._clock()

    def applied_within(self, seconds: float) -> bool:
        """Whether the feed applied a frame in the last `seconds`: in this very turn of the loop, for a short span."""
        return self._clock() - self.applied_at < seconds

    async def give_way(self) -> None:
        """One turn of the event loop, or as many as pass until `release()` while held; a new slice then."""
        self.turns_given += 1
        if self._held:
            self._released = asyncio.get_running_loop().create_future()
            try:
                await self._released
            finally:
                self._released = None
        else:
            await asyncio.sleep(0)
        self._begin()

    def new_slice(self) -> None:
        """A slice starts now (for a feeder that knows the loop just had its turn: a Qt timer's slot)."""
        self._slice_start = self._clock()
        self._turned = False

    def _begin(self) -> None:
        self.new_slice()
        asyncio.get_running_loop().call_soon(self._mark_turn)

    def _mark_turn(self) -> None:
        self._turned = True
