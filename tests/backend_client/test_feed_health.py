"""How current the screen is, from plain values: each condition an operator must tell apart."""

from __future__ import annotations

from typing import Any

import pytest

from backend_client.feed_health import FeedCondition, assess
from backend_client.session import ConnectionState

BASE: dict[str, Any] = dict(
    state=ConnectionState.LIVE, welcomed=True, caught_up=True, now=1000.0, last_heard=998.0, fresh_since=998.0,
    cached_at=None, confirmed=True, head_seq=50, last_seq=50, silent_after_s=15.0, pending_commands=0,
)


@pytest.mark.parametrize(
    ("changes", "condition", "age", "lagging"),
    [
        ({}, FeedCondition.LIVE, 2.0, False),
        ({"last_heard": 980.0, "fresh_since": 980.0}, FeedCondition.SILENT, 20.0, True),
        ({"caught_up": False, "last_seq": 40}, FeedCondition.CATCHING_UP, 2.0, True),
        ({"state": ConnectionState.BACKOFF, "welcomed": False, "fresh_since": 867.0}, FeedCondition.DOWN, 133.0,
         False),
        ({"state": ConnectionState.CONNECTING, "welcomed": False, "fresh_since": None, "last_heard": None},
         FeedCondition.CONNECTING, None, False),
        ({"state": ConnectionState.BACKOFF, "welcomed": False, "cached_at": 1.7e9, "confirmed": False,
          "fresh_since": 400.0}, FeedCondition.CACHED, 600.0, False),
        ({"state": ConnectionState.STOPPED, "welcomed": False}, FeedCondition.STOPPED, 2.0, False),
    ],
)
def test_each_condition(changes: dict[str, Any], condition: FeedCondition, age: float | None, lagging: bool) -> None:
    health = assess(**(BASE | changes))
    assert health.condition is condition
    assert health.age_s == age
    assert health.lagging is lagging
    assert health.trusted is (condition is FeedCondition.LIVE)


def test_catching_up_counts_the_events_still_to_apply() -> None:
    health = assess(**(BASE | {"caught_up": False, "head_seq": 2_234, "last_seq": 1_000}))
    assert health.events_behind == 1_234


def test_the_cache_time_is_reported_only_while_the_hub_has_not_confirmed_it() -> None:
    stale = assess(**(BASE | {"caught_up": False, "cached_at": 1.7e9, "confirmed": False}))
    assert stale.cached_at == 1.7e9
    assert assess(**(BASE | {"cached_at": 1.7e9, "confirmed": True})).cached_at is None


@pytest.mark.parametrize("module", ["backend_client.feed_health", "backend_client.command_tracker"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
