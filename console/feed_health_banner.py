"""Feed health → the banner's words: which kind, how old, how far behind, since when cached.

And the workstation's lasting problems → the problem banner's lines: actions not saved to disk
(the outbox fell back to memory, or a write failed) and events this console could not read.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from backend_client.connection import ANSWER_TIMEOUT_S
from backend_client.feed_health import FeedCondition, FeedHealth
from views.models.case_cells import CENTRE_ZONE
from widgets.feed_banner import FeedBanner, ProblemBanner

translate = QCoreApplication.translate

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
                     detail=health.detail, waiting=health.pending_commands, fault=health.fault)


def problem_lines(feed: object) -> list[tuple[str, str]]:
    """The lasting problems of this workstation as (sentence, tooltip): they stay until their cause goes.

    The outbox in memory (its file could not be opened or made) stays until the file works
    again (`Outbox.retry_file`); a failed write until a later one succeeds; events that could
    not be read until the console is restarted (it needs an update); actions the hub has not answered in
    time until their answers come."""
    lines: list[tuple[str, str]] = []
    outbox = getattr(feed, "outbox", None)
    problem = str(getattr(outbox, "problem", None) or "")
    if getattr(outbox, "in_memory", False):
        lines.append((translate(
            "ProblemBanner",
            "Actions are not being saved on this workstation (its outbox file cannot be used): an action the hub "
            "has not yet answered is lost if the console closes. Have the disk or folder fixed; this notice stays "
            "until the file works."), problem))
    elif getattr(outbox, "write_failed", False):
        lines.append((translate(
            "ProblemBanner",
            "An action could not be saved on this workstation's disk: if the console closes before the hub "
            "answers it, it is lost. Have the disk checked."), problem))
    overdue = int(getattr(feed, "overdue_commands", 0) or 0)
    if overdue:
        lines.append((translate(
            "ProblemBanner",
            "%1 action(s) sent to the hub have had no answer for %2 s or more: they are sent again and will be "
            "applied once. If this stays, the hub may be stuck: call its administrator.")
            .replace("%1", QLocale().toString(overdue)).replace("%2", f"{ANSWER_TIMEOUT_S:g}"),
            translate("ProblemBanner", "The hub answers every action it receives; sending one again is safe, the "
                      "hub acts on it only once.")))
    unreadable = getattr(feed, "unreadable", None)
    if unreadable is not None and unreadable.count:
        sentence = translate(
            "ProblemBanner",
            "%1 event(s) from the hub could not be read and were skipped (the last: %2, seq %3): cases may be "
            "shown out of date. This console may need an update; restart it after updating.")
        tip = str(unreadable.reason)
        lines.append((sentence.replace("%1", QLocale().toString(int(unreadable.count)))
                      .replace("%2", str(unreadable.last_type)).replace("%3", str(unreadable.last_seq)), tip))
    return lines


def show_problems(banner: ProblemBanner, feed: object) -> None:
    banner.set_problems(problem_lines(feed))
