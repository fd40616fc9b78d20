"""Feed health → the banner's words: which kind, how old, how far behind, since when cached."""

from __future__ import annotations

from datetime import datetime

from backend_client.feed_health import FeedCondition, FeedHealth
from views.models.case_cells import CENTRE_ZONE
from widgets.feed_banner import FeedBanner

KIND: dict[FeedCondition, str | None] = {
    FeedCondition.LIVE: None,
    FeedCondition.CONNECTING: "connecting",
    FeedCondition.CACHED: "cached",
    FeedCondition.CATCHING_UP: "catching_up",
    FeedCondition.SILENT: "silent",
    FeedCondition.DOWN: "down",
    FeedCondition.STOPPED: "stopped",
}


def cached_time_text(epoch_s: float, now_s: float) -> str:
    """When the cache was current, in the centre's zone: "14:03" today, "11-23 14:03" before.

    >>> cached_time_text(1795500180.0, 1795500300.0)
    '14:03'
    """
    then = datetime.fromtimestamp(epoch_s, CENTRE_ZONE)
    same_day = then.date() == datetime.fromtimestamp(now_s, CENTRE_ZONE).date()
    return then.strftime("%H:%M" if same_day else "%m-%d %H:%M")


def show_health(banner: FeedBanner, feed: object, now_s: float) -> None:
    """Put the feed's health on the banner; a feed without `health()` (a test's stand-in) hides it."""
    if not callable(getattr(feed, "health", None)):
        banner.set_state(None)
        return
    health = feed.health()  # type: ignore[attr-defined]
    assert isinstance(health, FeedHealth)
    cached = cached_time_text(health.cached_at, now_s) if health.cached_at is not None else ""
    banner.set_state(KIND[health.condition], age_s=health.age_s, behind=health.events_behind, cached_at=cached,
                     detail=health.detail, waiting=health.pending_commands)
