"""An action the hub does not answer in time: the form that sent it and the problem banner say so,
and say that nothing is lost or done twice (the connection sends it again; tests/backend_client/
test_connection_faults.py shows that part against a hub that loses commands)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from protocol import CaseStatus
from tests.console.test_main_window import FakeFeed
from tests.store.store_helpers import case
from views.case_detail import form_base
from views.case_detail.forms import make_form
from views.case_detail.offer import BY_KEY


def test_a_form_waiting_past_the_answer_timeout_says_the_action_is_kept_and_sent_again(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(form_base, "ANSWER_TIMEOUT_S", 0.05)
    form = make_form(BY_KEY["sign"], case(1, status=CaseStatus.DISPATCHED), units=[], language="en", candidates=[])
    qtbot.addWidget(form)
    form.show()
    form.set_sending(True)
    assert form.message.text() == "Sending…"
    qtbot.waitUntil(lambda: "No answer from the hub for 0.05 s" in form.message.text())
    assert "sent again" in form.message.text() and "only once" in form.message.text()
    assert not form.send_button.isEnabled(), "still waiting: not sent a second time by hand"
    form.show_refusal("case MH2026-000001 is at version 3, not 2")
    assert form.message.text().startswith("✕ Refused by the hub") and form.send_button.isEnabled()


def test_the_problem_banner_shows_actions_without_an_answer_until_they_are_answered(qtbot: QtBot) -> None:
    feed = FakeFeed()
    feed.overdue_commands = 2  # type: ignore[attr-defined]
    win = MainWindow(CaseStore(), feed, language="en")
    qtbot.addWidget(win)
    win.show()
    feed.set(ConnectionState.LIVE)
    win._tick()
    [text] = win.problems.texts()
    assert text.startswith("2 action(s) sent to the hub have had no answer for 15 s or more")
    assert "applied once" in text and win.problems.isVisible()
    feed.overdue_commands = 0  # type: ignore[attr-defined]
    win._tick()
    assert win.problems.texts() == [] and not win.problems.isVisible()
