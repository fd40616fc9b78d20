"""One case from a phone call to a satisfied call-back, through the console's screens only.

The call-taker types the call at the intake desk and sends it to the suggested unit in one key;
the unit's desk returns it once (not ours), the centre dispatches it again, the unit signs for
it, starts with a photo of the scene and reports back with a photo of the result; the centre
verifies and calls the requester back. Every step is a form of a real screen on a real hub.
"""

from __future__ import annotations

from pathlib import Path

import qasync
from pytestqt.qtbot import QtBot

from hub import auth
from hub.embedded import EmbeddedHub
from protocol import CaseStatus, Role
from tests.console.case_detail_helpers import act, choose, lead, note, opened_panel, show
from tests.console.conftest import run, until_signal
from tests.console.test_case_photos import camera_photo, open_with_photos, send
from tests.console.test_intake_desk import answer, desk_on, fill


def test_a_call_goes_round_the_whole_loop_on_the_desks_screens(
    qloop: qasync.QEventLoop, qtbot: QtBot, tmp_path: Path
) -> None:
    async def main() -> None:
        async with EmbeddedHub(f"sqlite:///{tmp_path / 'hub.db'}", simulate=False) as hub, \
                desk_on(hub, qtbot) as (_intake_feed, intake):
            await fill(intake)
            await until_signal(intake.refreshed, lambda: intake.routing is not None, "the suggested unit")
            mode, ok, message = await answer(intake, "Ctrl+Shift+Enter")
            assert (mode, ok) == ("dispatch", True), message
            await until_signal(intake.refreshed, lambda: any(
                c.status is CaseStatus.DISPATCHED for c in intake.store.cases()), "the call dispatched")
            case = next(c for c in intake.store.cases() if c.status is CaseStatus.DISPATCHED)
            unit = case.unit_id
            assert unit is not None and case.routing is not None and case.routing.unit_id == unit
            token = auth.add_user(hub.hub.engine, "unit-desk", Role.DUTY, unit_id=unit)

            async with opened_panel(hub, qtbot) as (_centre_feed, centre), \
                    opened_panel(hub, qtbot, token=token) as (_unit_feed, desk):
                desk.store.set_scope(unit)  # as the window does from welcome
                await show(desk, case.id)
                await act(desk, "return", note("井盖归属排水公司，不属本单位"),
                          shown=lambda: desk.case is None)  # a case returned leaves the unit's desk
                assert case.id not in desk.store, "the hub no longer sends the unit a case it returned"
                await show(centre, case.id)
                await until_signal(centre.redrawn, lambda: centre.case is not None and centre.case.returns == 1,
                                   "the return at the centre")
                await act(centre, "dispatch", lead(unit, "经核实属本单位，请处置"))

                await until_signal(desk.redrawn, lambda: desk.case is not None
                                   and desk.case.status is CaseStatus.DISPATCHED, "the case back at the unit")
                await act(desk, "sign", note("已签收"))
                form = await open_with_photos(desk, "start", [camera_photo(tmp_path / "before.png", 1600, 1200)])
                form.note.setPlainText("已到现场")
                accepted, refusal = await send(desk, form)
                assert accepted, refusal
                await until_signal(desk.redrawn, lambda: desk.case is not None
                                   and desk.case.status is CaseStatus.HANDLING, "handling")
                form = await open_with_photos(desk, "feedback", [camera_photo(tmp_path / "after.png", 1600, 1200)])
                form.result.setPlainText("已更换垃圾桶，清理完毕")
                accepted, refusal = await send(desk, form)
                assert accepted, refusal
                await until_signal(desk.redrawn, lambda: desk.photos.count == 2, "both photos on the unit's desk")

                await until_signal(centre.redrawn, lambda: centre.case is not None
                                   and centre.case.status is CaseStatus.FEEDBACK, "the report back at the centre")
                assert centre.photos.count == 2, "the centre sees the before and after photos"
                await act(centre, "verify", choose(True, "现场核实已整改"))
                await act(centre, "callback", choose(True, "市民满意"))
                done = centre.case
                assert done is not None and done.status is CaseStatus.CALLED_BACK and done.satisfied is True
                steps = [t.action for t in done.history]
                for step in ("dispatch", "return", "sign", "start", "feedback", "verify", "callback"):
                    assert any(s.startswith(step) for s in steps), (step, steps)
                assert {t.actor for t in done.history if t.action in ("return", "sign", "start", "feedback")} \
                    == {"unit-desk"}, "the unit's steps were taken at the unit's desk"

    run(qloop, main())
