"""Fixtures for console tests: one qasync loop per async test, and condition waits on signals.

pytest-qt does not know qasync, so async tests are plain test functions that run their
coroutine on the `qloop` fixture (`run(qloop, main())`). Inside a coroutine nothing calls
`qtbot.wait*`, `QTest.qWait` or `processEvents` (on PySide6 6.11 + qasync 0.28 that loses
the other task and the test hangs): waits are futures resolved by signals or callbacks,
each under a timeout that fails the test with what it was waiting for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication

T = TypeVar("T")

WAIT_S = 15.0
"""Upper bound on any wait; a test waits for its condition, and this only turns a hang into a failure."""


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    """A qasync loop for one test, closed after it.

    At teardown, errors the loop swallowed fail the test, and so do tasks left running
    (after they are cancelled, so the next test starts clean).
    """
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a window must not stop the loop
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    errors: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: errors.append(context))
    try:
        yield loop
    finally:
        leftovers = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in leftovers:
            task.cancel()
        if leftovers:
            loop.run_until_complete(asyncio.gather(*leftovers, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
    for context in errors:
        message = context.get("message")
        raise AssertionError(f"the event loop reported an error: {message}") from context.get("exception")
    assert not leftovers, f"tasks left running after the test: {[task.get_name() for task in leftovers]}"


def run(loop: qasync.QEventLoop, coroutine: Coroutine[Any, Any, T], timeout: float = 4 * WAIT_S) -> T:
    """Run a test's coroutine to its end on the qasync loop.

    An exception raised in a Qt slot meanwhile is caught by pytest-qt and fails the test.
    """
    return loop.run_until_complete(asyncio.wait_for(coroutine, timeout))


async def until_signal(
    signal: SignalInstance, condition: Callable[[], bool], what: str, timeout: float = WAIT_S
) -> None:
    """Wait until `condition()` holds, checking it now and after each emission of `signal`."""
    if condition():
        return
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def check(*_args: object) -> None:
        if not future.done() and condition():
            future.set_result(None)

    signal.connect(check)
    try:
        await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None
    finally:
        signal.disconnect(check)


async def until_called(
    register: Callable[[Callable[[Any], None]], None], condition: Callable[[], bool], what: str,
    timeout: float = WAIT_S,
) -> None:
    """Like `until_signal` for a plain callback registry (e.g. `FeedConnection.add_listener`)."""
    if condition():
        return
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    active = True

    def check(_source: object) -> None:
        if active and not future.done() and condition():
            future.set_result(None)

    register(check)
    try:
        await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for: {what}") from None
    finally:
        active = False
