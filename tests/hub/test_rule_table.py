"""The routing table's answer for a (category, street) pair, asked once per register, is kept."""

from __future__ import annotations

import itertools

import pytest

from hub.org import rules
from hub.org.rules import RoutingRule, RuleTable
from protocol import Basis


def _rule(rule_id: str, category: str, street: str) -> RoutingRule:
    return RoutingRule(rule_id, category, street, "street", Basis.LAW, "", "")


TABLE = [_rule("any", "*", "*"), _rule("class-06", "06", "*"), _rule("06-in-s1", "06", "s1"),
         _rule("0601", "0601", "*"), _rule("0601-in-s2", "0601", "s2"), _rule("07-in-s1", "07", "s1")]
PAIRS = list(itertools.product(["0601", "0602", "0701", "0801"], ["s1", "s2", "s3"]))


def _scan(category: str, street: str) -> str:
    best = max((r for r in TABLE if r.matches(category, street)), key=lambda r: r.specificity)
    return best.rule_id


def test_the_most_specific_rule_every_time_a_pair_is_asked() -> None:
    table = RuleTable(TABLE)
    for _ in range(3):  # asked again, the kept answers are the same
        for category, street in PAIRS:
            found = table.match(category, street)
            assert found is not None and found.rule_id == _scan(category, street), (category, street)


def test_a_table_without_a_rule_for_a_pair_keeps_answering_none() -> None:
    table = RuleTable([_rule("0601", "0601", "*")])
    assert [table.match("0701", "s1") for _ in range(2)] == [None, None]
    assert table.match("0601", "s1") is not None


def test_answers_stay_right_once_the_kept_pairs_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "_MATCHES_KEPT", 5)
    table = RuleTable(TABLE)
    for _ in range(2):
        for category, street in PAIRS:
            found = table.match(category, street)
            assert found is not None and found.rule_id == _scan(category, street)
    assert len(table._found) <= 5
