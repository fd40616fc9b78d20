"""The drill-down: what it offers per state and role, the phone number per role, forms that refuse
before sending, and every action through a real hub until the feed shows the change."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QDockWidget
from pytestqt.qtbot import QtBot

from backend_client.session import ConnectionState
from backend_client.store import CaseStore
from console.main_window import MainWindow
from protocol import CaseFlag, CaseStatus, CommandResult, Role, loop_rules
from protocol.loop_rules import ALLOWED, state_refusal
from tests.console.case_detail_helpers import (
    act,
    advance_hub,
    clock_at,
    create,
    drive_long_history,
    hub_and_panel,
    lead,
    note,
    opened_panel,
    show,
    unit_step,
)
from tests.console.conftest import run, until_signal
from tests.console.test_main_window import FakeFeed
from tests.store.store_helpers import case, created
from views.case_detail import CaseDetailPanel, geo, privacy, related
from views.case_detail.form_base import FormError
from views.case_detail.forms import ChoiceForm, ExtensionForm, ReasonForm, make_form
from views.case_detail.offer import BY_KEY, offered
from views.case_detail.timeline import LATE_ROLE, TIME

PHONE = "+86 138 0013 5678"
DUTY_RECEIVED = ["register", "merge", "reject", "transfer", "pause", "escalate", "remind", "urge"]


class Desk:
    """The feed as far as the panel reads it, with every command it was asked to send."""

    def __init__(self, role: Role | None) -> None:
        self.role = role
        self.server_skew_s = 0.0
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def send_command(self, name: str, args: dict[str, Any], *, command_id: str | None = None
                           ) -> CommandResult:
        self.sent.append((name, args))
        return CommandResult(id=command_id or "c", ok=True)


def keys(status: CaseStatus, role: Role | None, **fields: Any) -> list[str]:
    return [spec.key for spec in offered(case(1, status=status, **fields), role)]


@pytest.mark.parametrize("module", [loop_rules, privacy, related, geo], ids=lambda m: m.__name__)
def test_docstring_examples(module: Any) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --- what is offered ---------------------------------------------------------------------------


def test_a_received_case_offers_the_duty_officer_intake_and_nothing_of_the_units() -> None:
    assert keys(CaseStatus.RECEIVED, Role.DUTY) == DUTY_RECEIVED
    assert keys(CaseStatus.RECEIVED, Role.COMMANDER) == [*DUTY_RECEIVED, "supervise", "account"]


def test_the_wall_and_an_unknown_role_are_offered_nothing_in_any_state() -> None:
    for status in CaseStatus:
        assert keys(status, Role.WALL) == [] and keys(status, None) == []


@pytest.mark.parametrize(("status", "fields", "expected"), [
    (CaseStatus.REGISTERED, {}, ["merge", "dispatch", "designate", "transfer", "pause", "escalate"]),
    (CaseStatus.REGISTERED, {"flags": [CaseFlag.ARBITRATION], "returns": 2},
     ["merge", "arbitrate", "transfer", "pause", "escalate"]),
    (CaseStatus.DISPATCHED, {}, ["pause", "escalate"]),
    (CaseStatus.HANDLING, {"paused_at": datetime(2026, 11, 24, tzinfo=UTC), "flags": [CaseFlag.PAUSED]},
     ["resume", "escalate"]),
    (CaseStatus.HANDLING, {"extension_hours": 24.0}, ["extension_decide", "pause", "escalate"]),
    (CaseStatus.FEEDBACK, {}, ["verify", "pause", "escalate"]),
    (CaseStatus.CLOSED, {}, ["callback"]),
    (CaseStatus.CALLED_BACK, {}, []),
    (CaseStatus.MERGED, {}, []),
])
def test_each_state_offers_exactly_the_steps_the_loop_allows(status: CaseStatus, fields: dict[str, Any],
                                                             expected: list[str]) -> None:
    supervision = ["remind", "urge"] if status in ALLOWED["escalate"] else []
    assert keys(status, Role.DUTY, **fields) == [*expected, *supervision]


@pytest.mark.parametrize(("status", "fields", "units_own"), [
    (CaseStatus.DISPATCHED, {}, ["sign", "return"]),
    (CaseStatus.SIGNED, {}, ["start", "feedback", "extension_request"]),
    (CaseStatus.HANDLING, {}, ["feedback", "extension_request"]),
    (CaseStatus.HANDLING, {"extension_hours": 24.0}, ["feedback"]),  # one request at a time
    (CaseStatus.FEEDBACK, {}, []),
])
def test_a_units_desk_is_offered_its_own_steps_and_the_centre_is_not(
    status: CaseStatus, fields: dict[str, Any], units_own: list[str]
) -> None:
    at_desk = [spec.key for spec in offered(case(1, status=status, **fields), Role.DUTY, unit_desk=True)]
    at_centre = keys(status, Role.DUTY, **fields)
    assert [k for k in at_desk if k not in at_centre] == units_own
    assert not {"sign", "return", "start", "feedback", "extension_request"} & set(at_centre)


def test_the_units_forms_ask_for_what_the_hub_needs(qtbot: QtBot) -> None:
    handling = case(1, status=CaseStatus.HANDLING)
    form = make_form(BY_KEY["extension_request"], handling, units=[], language="en", candidates=[])
    assert isinstance(form, ExtensionForm)
    qtbot.addWidget(form)
    with pytest.raises(FormError):
        form.collect()  # no reason
    form.reason.setPlainText("Parts on order from the supplier")
    form.hours.setValue(48)
    assert form.arguments()["hours"] == 48 and form.arguments()["reason"] == "Parts on order from the supplier"
    returned = make_form(BY_KEY["return"], case(1, status=CaseStatus.DISPATCHED), units=[], language="en",
                         candidates=[])
    qtbot.addWidget(returned)
    with pytest.raises(FormError):
        returned.collect()
    signed = make_form(BY_KEY["sign"], case(1, status=CaseStatus.DISPATCHED), units=[], language="en", candidates=[])
    qtbot.addWidget(signed)
    assert signed.collect() == {}


# --- the phone number by role ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "shown"), [
    (Role.DUTY, PHONE), (Role.COMMANDER, PHONE), (Role.WALL, "138****5678"), (Role.ADMIN, "138****5678"),
    (None, "138****5678"),
])
def test_the_requesters_number_is_masked_unless_the_role_calls_back(qtbot: QtBot, role: Role | None,
                                                                    shown: str) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, requester_phone=PHONE)))
    panel = CaseDetailPanel(store, Desk(role))
    qtbot.addWidget(panel)
    panel.show_case("id00001")
    text = panel.summary.text_of("requester")
    assert text.startswith(shown + " ")
    if shown != PHONE:
        assert "0013" not in text and "masked for this role" in text
    panel.stop()


# --- forms refuse before sending ---------------------------------------------------------------


def test_an_empty_reject_reason_is_refused_on_the_form_and_nothing_is_sent(qtbot: QtBot) -> None:
    store = CaseStore()
    store.apply(created(1, case(1)))
    desk = Desk(Role.DUTY)
    panel = CaseDetailPanel(store, desk)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_case("id00001")
    assert panel.offered_keys() == DUTY_RECEIVED
    form = panel.open_action("reject")
    assert isinstance(form, ReasonForm)
    form.reason.setPlainText("   \n ")
    with qtbot.assertNotEmitted(form.submitted):
        form.send_button.click()
    assert form.message.isVisible() and form.message.text() == "✕ A reason is required."
    form.reason.setPlainText("重" * (form.reason.limit + 1))
    assert not form.submit() and form.message.text().startswith("✕ Too long: 2001 characters, at most 2000")
    assert desk.sent == []
    verify_like = panel.open_action("register")
    assert verify_like is not None and panel.form is verify_like, "another action replaces the open form"
    assert panel.open_action("verify") is None, "not offered on a received case: no form"
    panel.stop()


def test_a_verification_needs_a_choice_and_a_failure_needs_a_note(qtbot: QtBot) -> None:
    store = CaseStore()
    store.apply(created(1, case(1, status=CaseStatus.FEEDBACK)))
    panel = CaseDetailPanel(store, Desk(Role.DUTY))
    qtbot.addWidget(panel)
    panel.show_case("id00001")
    form = panel.open_action("verify")
    assert isinstance(form, ChoiceForm)
    assert not form.submit() and "Choose one" in form.message.text()
    form.no.setChecked(True)
    assert not form.submit() and form.message.text() == "✕ Say what is still wrong."
    form.note.setPlainText("现场仍有垃圾")
    assert form.arguments() == {"id": "id00001", "version": 1, "passed": False, "note": "现场仍有垃圾"}
    panel.stop()


# --- against a real hub --------------------------------------------------------------------------


def test_a_long_story_through_the_drill_down_reaches_the_hub_step_by_step(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    """Register, dispatch with a co-unit, designate, arbitrate, pause, resume, refuse and approve an
    extension, urge, verify failed and passed, call back unsatisfied and satisfied: each from its form."""
    now, clock = clock_at(datetime(2026, 11, 24, 13, 40, tzinfo=UTC))

    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot, clock) as (hub, feed, panel):
            tester = QAbstractItemModelTester(panel.timeline_model,
                                              QAbstractItemModelTester.FailureReportingMode.Fatal)
            case_id = await drive_long_history(hub, feed, panel, lambda m: advance_hub(hub, now, m))
            shown = panel.case
            assert shown is not None and shown.id == case_id and shown.satisfied is True
            hub_case = hub.hub.writer.cases[case_id]
            assert shown.version == hub_case.version and shown.history == hub_case.history
            model = panel.timeline_model
            assert model.rowCount() == len(shown.history) + 1 == 23
            steps = [model.index(r, 1).data() for r in range(model.rowCount())]
            assert steps[:4] == ["Received", "Registered", "Dispatched", "Returned"]
            assert steps[-3:] == ["Feedback", "Verified: passed", "Called back: satisfied"]
            assert "Verified: failed" in steps and "Called back: not satisfied" in steps
            assert steps.count("Extension requested") == 2 and "Extension refused" in steps
            late = [r for r in range(model.rowCount()) if model.index(r, TIME).data(LATE_ROLE)]
            assert [steps[r] for r in late] == ["Returned"], "signed for after 41 of 30 minutes"
            assert model.index(late[0], TIME).data() == "41 min · 11 min late"
            assert panel.summary.text_of("lead").startswith("区城管执法局 · designated by the centre")
            assert panel.supervision.topLevelItemCount() == 1
            assert panel.supervision.topLevelItem(0).text(0) == "Urged"
            assert panel.offered_keys() == [], "called back: nothing left for the centre"
            assert tester is not None

    run(qloop, main())


def test_long_histories_scroll_and_show_their_latest_step(qloop: qasync.QEventLoop, qtbot: QtBot,
                                                          tmp_path: Path) -> None:
    now, clock = clock_at(datetime(2026, 11, 24, 13, 40, tzinfo=UTC))

    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot, clock) as (hub, feed, panel):
            panel.resize(560, 640)
            await drive_long_history(hub, feed, panel, lambda m: advance_hub(hub, now, m))
            view = panel.timeline
            bar = view.verticalScrollBar()
            assert bar.maximum() > 0, "23 steps do not fit: the timeline scrolls"
            assert bar.value() == bar.maximum(), "it follows the newest step"
            last = panel.timeline_model.index(panel.timeline_model.rowCount() - 1, 0)
            assert view.viewport().rect().intersects(view.visualRect(last))

    run(qloop, main())


def test_reject_merge_transfer_escalate_and_the_hubs_refusal_on_the_form(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (_hub, feed, panel):
            rejected = await create(feed, description="咨询公交线路")
            await show(panel, rejected)
            await act(panel, "reject", note("非受理范围，已告知拨打交通热线"))
            assert panel.case is not None and panel.case.status is CaseStatus.REJECTED

            first = await create(feed)
            second = await create(feed, description="同一工地又在夜间施工", requester_phone=None)
            await show(panel, second)
            await until_signal(panel.redrawn, lambda: first in {r.case.id for r in panel.related},
                               "the first complaint listed as related")
            assert panel.related_list.topLevelItem(0).text(0) == "Same address"
            form = panel.open_action("merge")
            assert form is not None
            target = getattr(form, "target")  # noqa: B009
            assert target.currentData() == first, "the only open duplicate is picked already"
            panel.close_form()
            await act(panel, "merge")
            assert panel.case is not None and panel.case.status is CaseStatus.MERGED
            assert panel.case.duplicate_of == first

            police = await create(feed, description="有人在小区门口打架")
            await show(panel, police)
            await act(panel, "transfer", note("治安事件，转110"))
            assert panel.case is not None and CaseFlag.TRANSFERRED_110 in panel.case.flags

            await show(panel, first)
            await act(panel, "register")
            await act(panel, "escalate", note("居委协调不了，提交街镇"))
            assert panel.case is not None and panel.case.unit_id == "S310112001"
            await act(panel, "escalate", note("街镇协调不了，提交区中心"))
            assert panel.case is not None and panel.case.unit_id == "MH"
            form = panel.open_action("escalate")  # the state allows it; only the hub knows there is no level above
            assert isinstance(form, ReasonForm)
            form.reason.setPlainText("再升级")
            answers: list[tuple[str, bool, str]] = []
            panel.command_answered.connect(lambda *a: answers.append(a))
            assert form.submit()
            await until_signal(panel.command_answered, lambda: bool(answers), "the hub's refusal")
            assert not answers[0][1]
            assert form.isVisible() and form.message.text().startswith("✕ Refused by the hub: case ")
            assert form.message.text().endswith("is already at the district centre")
            assert form.send_button.isEnabled(), "corrected, it may be sent again"

    run(qloop, main())


def test_a_commander_supervises_and_holds_to_account_a_duty_officer_cannot(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (hub, feed, duty_panel):
            case_id = await create(feed)
            await show(duty_panel, case_id)
            await act(duty_panel, "register")
            routing = duty_panel.case.routing if duty_panel.case else None
            assert routing is not None
            await act(duty_panel, "dispatch", lead(routing.unit_id))
            assert "supervise" not in duty_panel.offered_keys()
            await act(duty_panel, "remind", note("请尽快签收"))
            commander = hub.add_user("chief", Role.COMMANDER)
            async with opened_panel(hub, qtbot, token=commander) as (_cfeed, panel):
                await show(panel, case_id)
                assert {"supervise", "account"} <= set(panel.offered_keys())
                form = panel.open_action("supervise")
                assert form is not None and not form.submit(), "formal supervision needs a note"
                panel.close_form()
                await act(panel, "supervise", note("今日17点前办结并反馈"))
                await act(panel, "account", note("连续超期，启动问效"))
                await until_signal(duty_panel.redrawn, lambda: duty_panel.supervision.topLevelItemCount() == 3,
                                   "the duty officer's panel shows the commander's supervision")
                records = duty_panel.store.supervision[case_id]
                assert [r.action.value for r in records] == ["remind", "supervise", "account"]
                assert duty_panel.supervision.topLevelItem(2).text(0) == "Held to account"
                assert duty_panel.supervision.topLevelItem(2).text(1) == "chief"
                assert records[2].unit_id == routing.unit_id
                # A console that joined later starts from a snapshot, which carries no supervision.
                assert [r.action.value for r in panel.store.supervision[case_id]] == ["supervise", "account"]

    run(qloop, main())


def test_the_wall_is_offered_no_action_and_sees_the_number_masked(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (hub, feed, duty_panel):
            case_id = await create(feed)
            await show(duty_panel, case_id)
            assert duty_panel.offered_keys() == DUTY_RECEIVED
            async with opened_panel(hub, qtbot, token=hub.add_user("wall-1", Role.WALL)) as (wall, panel):
                await show(panel, case_id)
                assert wall.role is Role.WALL
                assert panel.offered_keys() == [] and not panel.actions_box.isVisible()
                assert panel.no_actions.text() == "This role only watches: no actions."
                assert panel.open_action("register") is None
                assert panel.summary.text_of("requester").startswith("138****5678 ")
                refused = await wall.send_command("case.register", {"id": case_id})
                assert not refused.ok and refused.error is not None and refused.error.code.value == "forbidden"

    run(qloop, main())


def test_what_the_console_does_not_offer_the_hub_refuses_in_the_same_words(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with hub_and_panel(tmp_path, qtbot) as (_hub, feed, panel):
            case_id = await create(feed)
            await show(panel, case_id)
            await act(panel, "pause", note("等待市民补充材料"))
            shown = panel.case
            assert shown is not None
            for step in ("pause", "dispatch", "verify", "extension_decide"):
                assert step not in panel.offered_keys()
                why = state_refusal(step, shown)
                answer = await feed.send_command(f"case.{step}", {"id": case_id, **_minimal(step)})
                assert not answer.ok and answer.error is not None
                assert (answer.error.code.value, answer.error.message) == ("illegal_state", why)
            await unit_step(feed, panel, "case.resume")
            assert "pause" in panel.offered_keys() and "resume" not in panel.offered_keys()

    run(qloop, main())


def _minimal(step: str) -> dict[str, Any]:
    return {"dispatch": {"unit_id": "MH"}, "verify": {"passed": True}, "extension_decide": {"approve": True}}.get(
        step, {"reason": "x"} if step == "pause" else {})



# --- in the main window ----------------------------------------------------------------------------


def test_the_queues_current_case_opens_in_the_case_dock_and_a_related_case_goes_back_to_the_queue(
    qtbot: QtBot,
) -> None:
    store = CaseStore()
    for n in range(1, 6):
        store.apply(created(n, case(n, address="莘庄 莘松路 1 号" if n in (2, 4) else f"路 {n} 号")))
    feed = FakeFeed()
    window = MainWindow(store, feed, language="en")
    qtbot.addWidget(window)
    window.show()
    window.model.refresh()
    dock = window.findChild(QDockWidget, "dock.case")
    assert dock is window.case_dock
    panel = window.case_dock.panel
    assert panel.case is None and panel.stack.currentWidget() is panel.empty
    assert window.queue.select_case("id00002")
    assert panel.case is not None and panel.case.id == "id00002"
    assert window.case_dock.windowTitle() == "Case MH2026-000002"
    assert panel.offered_keys() == [], "the hub has not said who we are yet"
    feed.set(ConnectionState.LIVE, role=Role.DUTY)
    panel.refresh()
    assert panel.offered_keys() == DUTY_RECEIVED
    assert panel.related_list.topLevelItem(0).text(1) == "MH2026-000004"
    panel.related_list.setCurrentItem(panel.related_list.topLevelItem(0))
    panel.related_list.setFocus()
    QTest.keyClick(panel.related_list, Qt.Key.Key_Return)
    assert window.queue.current_case_id() == "id00004" and panel.case is not None and panel.case.id == "id00004"
    window.stop()
