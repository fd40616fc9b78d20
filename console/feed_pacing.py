"""The window's side of `backend_client.feed_pacer`: a drain and its paint in turns without a feed slice.

    drain_timer.timeout.connect(lambda: pace_drain(feed.pacer, drain, window))

Ten times a second the window drains the store into its model, which asks the view to repaint; the
paint comes in a later turn of the event loop. Left alone, a turn could hold a feed slice, the drain
and then (with the next turn's paint) another slice: the longest stalls at 20,000 events/s were
those sums. `pace_drain` holds the feed, runs the drain in a turn of its own (the next one when a
slice ran in this one), and lets the feed go two turns later, after the paint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from backend_client.feed_pacer import FeedPacer

SAME_TURN_S = 0.001
"""A frame applied this recently was applied in this turn of the event loop (a slice runs frame after frame)."""


def pace_drain(pacer: FeedPacer, drain: Callable[[], None], context: QObject) -> None:
    """Hold the feed, drain (now, or in the next turn if a slice just ran) and release the feed after the paint.

    The release is chained on timers of its own, not on `context`: a window closed meanwhile (an
    appearance change builds a new one over the same feed) never leaves the feed held."""
    pacer.hold()
    if pacer.applied_within(SAME_TURN_S):
        QTimer.singleShot(0, context, drain)
        _release_after_turns(pacer, 3)
    else:
        drain()
        _release_after_turns(pacer, 2)


def _release_after_turns(pacer: FeedPacer, turns: int) -> None:
    if turns <= 0:
        pacer.release()
    else:
        QTimer.singleShot(0, lambda: _release_after_turns(pacer, turns - 1))
