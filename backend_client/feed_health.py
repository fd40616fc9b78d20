"""How much the data on screen can be trusted right now, decided from plain values (no I/O).

`FeedConnection.health()` fills the arguments; the console turns the answer into a banner.
A quiet feed and a dead one look the same from the events alone, so the connection also
pings the hub: `last_heard` is the last frame *or* pong, and a connection that has heard
nothing for `silent_after_s` is SILENT even though its socket still looks open.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from backend_client.session import ConnectionState


class FeedCondition(Enum):
    LIVE = "live"
    """Connected, caught up, heard from recently: the data is current."""
    CONNECTING = "connecting"
    """Nothing shown yet: no cache and no hub so far."""
    CACHED = "cached"
    """Showing the local cache from an earlier run; the hub has not confirmed it yet."""
    CATCHING_UP = "catching_up"
    """Connected, receiving what was missed (replay or snapshot)."""
    SILENT = "silent"
    """Connected, but no frame and no pong for `silent_after_s`: the hub or the line is stuck."""
    DOWN = "down"
    """Not connected; reconnecting with backoff. The data is as old as `age_s`."""
    STOPPED = "stopped"
    """Not connected and not trying again (e.g. the token was refused): the operator must act."""


@dataclass(frozen=True, slots=True)
class FeedHealth:
    condition: FeedCondition
    age_s: float | None
    """Seconds since the data shown was last known to be current; None when it never was."""
    events_behind: int = 0
    """While catching up: events between what is applied and the hub's head at `welcome`."""
    cached_at: float | None = None
    """Epoch seconds when the cache shown was written (only while CACHED or catching up from it)."""
    pending_commands: int = 0
    """Commands given and not yet answered by the hub."""
    detail: str = ""
    fault: str = ""
    """An unexpected error of this console ended the last connection (in words); "" once caught up again."""
    unreadable_events: int = 0
    """Events of a known type this console could not read and skipped: what is shown may be incomplete."""

    @property
    def lagging(self) -> bool:
        """Connected, yet the screen is behind the hub (catching up, or the hub went quiet)."""
        return self.condition in (FeedCondition.CATCHING_UP, FeedCondition.SILENT)

    @property
    def trusted(self) -> bool:
        return self.condition is FeedCondition.LIVE


def assess(
    *, state: ConnectionState, welcomed: bool, caught_up: bool, now: float, last_heard: float | None,
    fresh_since: float | None, cached_at: float | None, confirmed: bool, head_seq: int, last_seq: int,
    silent_after_s: float, pending_commands: int = 0, detail: str = "", fault: str = "",
    unreadable_events: int = 0,
) -> FeedHealth:
    """Classify the feed (all times on one monotonic clock except `cached_at`, epoch seconds).

    >>> assess(state=ConnectionState.BACKOFF, welcomed=False, caught_up=False, now=200.0, last_heard=60.0,
    ...        fresh_since=67.0, cached_at=None, confirmed=True, head_seq=9, last_seq=9,
    ...        silent_after_s=15.0).age_s
    133.0
    """
    stale_cache = cached_at is not None and not confirmed
    age = None if fresh_since is None else max(0.0, now - fresh_since)
    behind = 0
    if state is ConnectionState.STOPPED:
        condition = FeedCondition.STOPPED
    elif welcomed and not caught_up:
        condition, behind = FeedCondition.CATCHING_UP, max(0, head_seq - last_seq)
    elif welcomed:
        heard_age = None if last_heard is None else max(0.0, now - last_heard)
        silent = heard_age is not None and heard_age > silent_after_s
        condition = FeedCondition.SILENT if silent else FeedCondition.LIVE
        age = age if silent else heard_age
    elif stale_cache:
        condition = FeedCondition.CACHED
    elif fresh_since is None:
        condition = FeedCondition.CONNECTING
    else:
        condition = FeedCondition.DOWN
    return FeedHealth(condition, age, behind, cached_at if stale_cache else None, pending_commands, detail,
                      fault if condition is not FeedCondition.LIVE else "", unreadable_events)
