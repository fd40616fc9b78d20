"""Cyclic garbage is collected on the GUI thread's timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from console.main_thread_gc import CHECK_INTERVAL_MS, MainThreadCollector, after_busy_frame, install, settle


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> weakref.ref[Node]:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


@pytest.fixture
def collector(qapp: QApplication) -> Iterator[MainThreadCollector]:
    yield install(qapp)
    gc.unfreeze()


def test_a_worker_threads_allocations_collect_nothing_the_gui_thread_does(collector: MainThreadCollector) -> None:
    gone = cycle()
    kept: list[list[object]] = []
    worker = threading.Thread(target=lambda: kept.extend([] for _ in range(50_000)))  # would trigger a collection
    worker.start()
    worker.join()
    assert not gc.isenabled() and gone() is not None, "nothing collected off the GUI thread"
    assert collector.check() is not None
    assert gone() is None


def test_the_timer_collects_by_itself(qtbot: QtBot, collector: MainThreadCollector) -> None:
    gone = cycle()
    _garbage = [[] for _ in range(5_000)]  # past the young generation's threshold
    qtbot.waitUntil(lambda: gone() is None)


def test_settled_objects_are_out_of_the_collectors_sight(collector: MainThreadCollector) -> None:
    kept = [Node() for _ in range(1_000)]
    settle()
    assert gc.get_freeze_count() >= len(kept)
    gc.unfreeze()


def test_after_a_drain_the_next_collection_waits_half_an_interval_then_the_rhythm_resumes(
    qtbot: QtBot, collector: MainThreadCollector
) -> None:
    """A drain and its repaint fill a frame: a collection must not land in the same one."""
    timer = collector.findChild(QTimer)
    assert timer is not None and timer.interval() == CHECK_INTERVAL_MS
    after_busy_frame()
    assert timer.isActive() and timer.interval() == CHECK_INTERVAL_MS // 2
    assert timer.remainingTime() < CHECK_INTERVAL_MS * 0.6  # a coarse timer may add up to 5 %
    qtbot.waitUntil(lambda: timer.interval() == CHECK_INTERVAL_MS, timeout=2_000)  # checked, back to the rhythm
    assert timer.isActive()
