"""The centre chooses what the hub does by itself at each level (remind / urge / supervise)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hub.engine.batch import Batch
from hub.engine.sla import LevelChange as Due
from hub.engine.supervision import AUTOMATIC, level_changes, parse_automatic
from protocol import Case, CaseStatus, Channel, SlaLevel, SupervisionAction, SupervisionRecorded

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def dispatched_case() -> Case:
    return Case(id="c1", serial="MH2026-000001", version=3, status=CaseStatus.DISPATCHED, received_at=NOW,
                updated_at=NOW, channel=Channel.HOTLINE_12345, category_code="06036", category_zh="乱堆杂物",
                category_en="clutter", street_code="310112001", street_name="江川路街道", address="", description="",
                lon=121.4, lat=31.0, unit_id="S310112001", unit_name="江川路街道城运分中心")


def actions(rules: dict[SlaLevel, SupervisionAction], level: SlaLevel) -> list[SupervisionAction]:
    batch = Batch(now=NOW + timedelta(hours=1), next_seq=1, cases={"c1": dispatched_case()}, counters={})
    outcome = level_changes(batch, [Due("c1", "overall", SlaLevel.BLUE, level, NOW)], rules)
    return [e.data.action for e in outcome.events if isinstance(e, SupervisionRecorded)]


def test_the_default_supervises_on_red_and_a_centre_may_choose_otherwise() -> None:
    assert actions(AUTOMATIC, SlaLevel.RED) == [SupervisionAction.SUPERVISE]
    custom = parse_automatic("orange=remind, red=account")
    assert actions(custom, SlaLevel.YELLOW) == []
    assert actions(custom, SlaLevel.ORANGE) == [SupervisionAction.REMIND]
    assert actions(custom, SlaLevel.RED) == [SupervisionAction.ACCOUNT]
    assert actions(parse_automatic("off"), SlaLevel.RED) == []


@pytest.mark.parametrize("spec", ["red", "purple=urge", "red=shout", "blue=remind"])
def test_a_bad_rule_is_refused_with_the_reason(spec: str) -> None:
    with pytest.raises(ValueError, match=r"LEVEL=ACTION|blue"):
        parse_automatic(spec)
