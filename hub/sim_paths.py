"""How the simulator turns a planned status into the duty desk's commands, taking every
path of the loop now and then: returns and arbitration, escalation, pauses, extensions,
failed verification and reopening after an unhappy call-back.

Shares are per case and seeded, so the same seed replays the same story.
"""

from __future__ import annotations

import random
from typing import Any

from protocol import Case, CaseStatus

Step = tuple[str, dict[str, Any]]

RETURN_ONCE = 0.06
RETURN_TWICE = 0.02
ESCALATE = 0.02
PAUSE = 0.03
EXTENSION = 0.05
EXTENSION_APPROVED = 0.7
VERIFY_FAILS = 0.08
UNSATISFIED = 0.12


def commands_for(case: Case, status: CaseStatus, rng: random.Random, merge_into: str | None) -> list[Step]:
    """The commands that take `case` to `status`, with the occasional detour."""
    cid = {"id": case.id}
    if status is CaseStatus.REGISTERED:
        return [("case.register", cid)]
    if status is CaseStatus.REJECTED:
        return [("case.reject", {**cid, "reason": "诉求不属实或信息不全"})]
    if status is CaseStatus.MERGED:
        if merge_into is None:
            return [("case.reject", {**cid, "reason": "重复诉求"})]
        return [("case.merge", {**cid, "into": merge_into})]
    if status is CaseStatus.DISPATCHED:
        unit = case.routing.unit_id if case.routing else "MH"
        dispatch = ("case.dispatch", {**cid, "unit_id": unit})
        roll = rng.random()
        if roll < RETURN_TWICE:
            back = ("case.return", {**cid, "reason": "非本单位职责"})
            return [dispatch, back, dispatch, back, ("case.arbitrate", {**cid, "unit_id": unit, "note": "中心裁定"})]
        if roll < RETURN_TWICE + RETURN_ONCE:
            return [dispatch, ("case.return", {**cid, "reason": "权属不清"}), dispatch]
        return [dispatch]
    if status is CaseStatus.SIGNED:
        steps: list[Step] = [("case.sign", cid)]
        if rng.random() < ESCALATE:
            steps.append(("case.escalate", {**cid, "reason": "需上级协调"}))
            steps.append(("case.sign", cid))
        return steps
    if status is CaseStatus.HANDLING:
        steps = [("case.start", cid)]
        if rng.random() < PAUSE:
            steps += [("case.pause", {**cid, "reason": "等待市民补充材料"}), ("case.resume", cid)]
        if rng.random() < EXTENSION:
            steps += [("case.extension_request", {**cid, "hours": 8, "reason": "需多部门协同"}),
                      ("case.extension_decide", {**cid, "approve": rng.random() < EXTENSION_APPROVED})]
        return steps
    if status is CaseStatus.FEEDBACK:
        return [("case.feedback", {**cid, "result": "已处置完毕"})]
    if status is CaseStatus.VERIFIED:
        if rng.random() < VERIFY_FAILS:
            return [("case.verify", {**cid, "passed": False, "note": "现场核查未整改到位"}),
                    ("case.feedback", {**cid, "result": "已整改"}), ("case.verify", {**cid, "passed": True})]
        return [("case.verify", {**cid, "passed": True})]
    if status is CaseStatus.CLOSED:
        if rng.random() < UNSATISFIED:
            return [("case.callback", {**cid, "satisfied": False, "note": "市民表示不满意"}),
                    ("case.feedback", {**cid, "result": "再次处置"}), ("case.verify", {**cid, "passed": True}),
                    ("case.callback", {**cid, "satisfied": rng.random() < 0.5})]
        return [("case.callback", {**cid, "satisfied": True})]
    return []
