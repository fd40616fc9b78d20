"""Driving the drill-down against a real hub: open the panel, act through its forms, wait for the feed.

Also `drive_long_history`, which takes one case round the loop the long way (returned twice,
arbitrated, paused, extension refused then approved, verification failed, requester not
satisfied, reopened…), used by the tests and by the screenshot script.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from backend_client.connection import FeedConnection
from backend_client.store import CaseStore
from hub.embedded import EmbeddedHub
from protocol import CaseStatus
from tests.console.conftest import until_called, until_signal
from views.case_detail import CaseDetailPanel
from views.case_detail.form_base import ActionForm

NOISE = "06028"
"""噪声扰民 (noise nuisance): routed by rule to a unit, 24 working hours."""

Fill = Callable[[ActionForm], None]


def case_fields(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "channel": "hotline_12345", "category_code": NOISE, "street_code": "310112001",
        "description": "夜间工地施工噪音扰民，持续到凌晨两点", "address": "江川路街道 永德路 188 弄 工地",
        "lon": 121.4132, "lat": 31.0181, "requester_phone": "+86 138 0013 5678",
    }
    args.update(overrides)
    return args


@contextlib.asynccontextmanager
async def opened_panel(hub: EmbeddedHub, qtbot: QtBot, token: str | None = None,
                       language: str = "en") -> AsyncIterator[tuple[FeedConnection, CaseDetailPanel]]:
    """A feed connected to `hub` (as the hub's duty account unless `token`) and a panel on its store."""
    store = CaseStore()
    feed = FeedConnection(hub.url, token or hub.token, store)
    panel = CaseDetailPanel(store, feed, language=language)
    qtbot.addWidget(panel)
    panel.resize(760, 900)
    panel.show()
    await feed.start()
    try:
        await until_called(feed.add_listener, lambda: feed.role is not None and feed.session.caught_up,
                           "the feed is live")
        yield feed, panel
    finally:
        panel.stop()
        await feed.close()


@contextlib.asynccontextmanager
async def hub_and_panel(tmp_path: Path, qtbot: QtBot, clock: Callable[[], datetime] | None = None
                        ) -> AsyncIterator[tuple[EmbeddedHub, FeedConnection, CaseDetailPanel]]:
    """A real hub (no simulator) on a scratch SQLite file, and a duty officer's panel on it."""
    async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False, clock=clock) as hub, \
            opened_panel(hub, qtbot) as (feed, panel):
        yield hub, feed, panel


async def create(feed: FeedConnection, **overrides: Any) -> str:
    result = await feed.send_command("case.create", case_fields(**overrides))
    assert result.ok and result.result is not None, result
    return str(result.result["id"])


async def show(panel: CaseDetailPanel, case_id: str) -> None:
    """Show a case (as the queue does) and wait until the panel shows it: the store may get it later."""
    panel.show_case(case_id)
    await until_signal(panel.redrawn, lambda: panel.case is not None and panel.case.id == case_id,
                       f"case {case_id} in the panel")


async def act(panel: CaseDetailPanel, key: str, fill: Fill | None = None,
              shown: Callable[[], bool] | None = None) -> None:
    """Take an offered action through its form and wait until the hub accepted it and the feed showed it
    (`shown`, when given, says what the feed's change looks like on the panel)."""
    assert key in panel.offered_keys(), f"{key} not offered; offered: {panel.offered_keys()}"
    case = panel.case
    assert case is not None
    before = (case.version, len(panel.store.supervision.get(case.id, [])))
    form = panel.open_action(key)
    assert form is not None
    if fill is not None:
        fill(form)
    answers: list[tuple[str, bool, str]] = []
    panel.command_answered.connect(lambda *a: answers.append(a))
    assert form.submit(), form.message.text()
    await until_signal(panel.command_answered, lambda: bool(answers), f"the hub's answer to {key}")
    assert answers[0][1], f"{key} refused: {answers[0][2]}"

    def moved() -> bool:
        now = panel.case
        return now is not None and (now.version, len(panel.store.supervision.get(now.id, []))) != before

    await until_signal(panel.redrawn, shown or moved, f"the feed's change after {key}")


async def unit_step(feed: FeedConnection, panel: CaseDetailPanel, name: str, **args: Any) -> None:
    """A step the unit takes at its own desk (sign, start, return, feedback…), sent straight to the hub."""
    case = panel.case
    assert case is not None
    result = await feed.send_command(name, {"id": case.id, **args})
    assert result.ok, result
    await until_signal(panel.redrawn, lambda: panel.case is not None and panel.case.version > case.version,
                       f"the feed's change after {name}")


def note(text: str) -> Fill:
    def fill(form: ActionForm) -> None:
        box = getattr(form, "note", None) or getattr(form, "reason")  # noqa: B009
        box.setPlainText(text)
    return fill


def choose(yes: bool, text: str = "") -> Fill:
    def fill(form: ActionForm) -> None:
        (getattr(form, "yes") if yes else getattr(form, "no")).setChecked(True)  # noqa: B009
        if text:
            getattr(form, "note").setPlainText(text)  # noqa: B009
    return fill


def lead(unit_id: str, text: str = "", co_units: tuple[str, ...] = ()) -> Fill:
    def fill(form: ActionForm) -> None:
        picker = getattr(form, "picker")  # noqa: B009
        assert picker.set_lead(unit_id), f"{unit_id} not in the picker"
        for co in co_units:
            assert picker.check_co_unit(co), f"{co} not in the co-unit list"
        if text:
            getattr(form, "note").setPlainText(text)  # noqa: B009
    return fill


async def drive_long_history(hub: EmbeddedHub, feed: FeedConnection, panel: CaseDetailPanel,
                             advance: Callable[[float], Awaitable[None]]) -> str:
    """One case the long way round; `advance(minutes)` moves the hub's clock between steps."""
    case_id = await create(feed)
    await show(panel, case_id)
    await until_signal(panel.redrawn, lambda: bool(panel.store.org_units), "the organisation for the pickers")
    await advance(12)
    await act(panel, "register", note("属实，工地夜间施工"))
    case = panel.case
    assert case is not None and case.routing is not None
    suggested = case.routing.unit_id
    await advance(9)
    await act(panel, "dispatch", lead(suggested, "请今晚派员到场", co_units=("B-HB",)))
    await advance(41)
    await unit_step(feed, panel, "case.return", reason="夜间施工噪声需执法权限，街道无法处置")
    await advance(6)
    await act(panel, "designate", lead("B-CG", "中心指定城管执法先行处置"))
    await advance(22)
    await unit_step(feed, panel, "case.return", reason="夜间施工许可归建管委，非本单位职责")
    await advance(15)
    await act(panel, "arbitrate", lead("B-CG", "中心裁定：夜间施工噪声由城管执法查处"))
    await advance(18)
    await unit_step(feed, panel, "case.sign")
    await unit_step(feed, panel, "case.start", note="已派执法队员")
    await advance(30)
    await act(panel, "pause", note("市民要求次日白天再联系"))
    await advance(600)
    await act(panel, "resume", note("已联系上市民"))
    await unit_step(feed, panel, "case.extension_request", hours=48, reason="需协调住建部门联合执法")
    await advance(20)
    await act(panel, "extension_decide", choose(False, "时限内可完成，不予延期"))
    await act(panel, "urge", note("请加快处置"))
    await unit_step(feed, panel, "case.extension_request", hours=24, reason="施工单位负责人外出，需再约谈")
    await advance(35)
    await act(panel, "extension_decide", choose(True, "同意延期24小时"))
    await advance(300)
    await unit_step(feed, panel, "case.feedback", result="已约谈施工单位，承诺22点后停工")
    await advance(95)
    await act(panel, "verify", choose(False, "网格员夜间复查仍在施工"))
    await advance(240)
    await unit_step(feed, panel, "case.feedback", result="已开具整改通知书并现场监督停工")
    await advance(60)
    await act(panel, "verify", choose(True, "网格员复查已停工"))
    await advance(180)
    await act(panel, "callback", choose(False, "市民反映周末仍有夜间施工"))
    await unit_step(feed, panel, "case.feedback", result="周末安排执法队员夜间巡查，已立案处罚")
    await advance(45)
    await act(panel, "verify", choose(True, "复查属实"))
    await advance(120)
    await act(panel, "callback", choose(True, "市民表示满意"))
    case = panel.case
    assert case is not None and case.status is CaseStatus.CALLED_BACK
    return case_id


def clock_at(start: datetime) -> tuple[list[datetime], Callable[[], datetime]]:
    now = [start]
    return now, lambda: now[0]


async def advance_hub(hub: EmbeddedHub, now: list[datetime], minutes: float) -> None:
    """Move the hub's clock on and let its timekeeper act on what fell due."""
    now[0] += timedelta(minutes=minutes)
    if hub.hub.timekeeper is not None:
        hub.hub.timekeeper.poke()
