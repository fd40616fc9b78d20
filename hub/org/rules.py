"""Routing by the three determinations (三定): which unit owns a (category, place), and why.

A rule names a category (a full code, a class prefix such as `06`, or `*`), a street/town code
or `*`, a target and its basis: by law (法定) or by agreement (商定). The target is a unit id,
or one of the place's own units: `street` (the street/town sub-centre), `committee` or `grid`.
The most specific rule wins (longest category prefix, then a named street, then file order).
Where no rule applies the centre designates (指定) a unit by hand.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from hub.directory import DirectoryError
from protocol import Basis

PLACE_TARGETS = ("street", "committee", "grid")
_COLUMNS = ("rule_id", "category", "street", "target", "basis", "note_zh", "note_en")


@dataclass(frozen=True, slots=True)
class RoutingRule:
    rule_id: str
    category: str
    """A category code, a prefix of one, or `*`."""
    street: str
    """A street/town code or `*`."""
    target: str
    basis: Basis
    note_zh: str
    note_en: str

    def matches(self, category_code: str, street_code: str) -> bool:
        return (self.category == "*" or category_code.startswith(self.category)) and (
            self.street in ("*", street_code)
        )

    @property
    def specificity(self) -> tuple[int, int]:
        return (0 if self.category == "*" else len(self.category), 0 if self.street == "*" else 1)


_MATCHES_KEPT = 4096
"""(category, street) pairs whose rule a table keeps; a centre has a few hundred categories and streets in use."""


class RuleTable:
    def __init__(self, rules: list[RoutingRule]) -> None:
        # Stable sort: equal specificity keeps file order.
        self.rules: tuple[RoutingRule, ...] = tuple(sorted(rules, key=lambda r: r.specificity, reverse=True))
        self._found: dict[tuple[str, str], RoutingRule | None] = {}
        """The rule of each pair asked before: every register asks, and a scan tried ~20 rules (~8 us)."""

    def match(self, category_code: str, street_code: str) -> RoutingRule | None:
        key = (category_code, street_code)
        try:
            return self._found[key]
        except KeyError:
            pass
        found = next((r for r in self.rules if r.matches(category_code, street_code)), None)
        if len(self._found) >= _MATCHES_KEPT:
            self._found.clear()
        self._found[key] = found
        return found


def load_rules(path: Path, known_units: set[str], streets: set[str]) -> RuleTable:
    """Read a rule file; any bad line is a DirectoryError naming the file and line."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DirectoryError(f"{path.name}: missing columns {', '.join(missing)}")
            rules: list[RoutingRule] = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                rules.append(_rule(path.name, line, row, seen, known_units, streets))
    except OSError as exc:
        raise DirectoryError(f"{path}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DirectoryError(f"{path.name}: not UTF-8 ({exc.reason})") from exc
    return RuleTable(rules)


def _rule(name: str, line: int, row: dict[str, str], seen: set[str], units: set[str],
          streets: set[str]) -> RoutingRule:
    where = f"{name} line {line}"
    values = {k: (row.get(k) or "").strip() for k in _COLUMNS}
    if not values["rule_id"] or values["rule_id"] in seen:
        raise DirectoryError(f"{where}: rule_id empty or repeated ({values['rule_id']!r})")
    seen.add(values["rule_id"])
    if values["category"] != "*" and not values["category"].isdigit():
        raise DirectoryError(f"{where}: category must be a code, a code prefix or '*', not {values['category']!r}")
    if values["street"] != "*" and values["street"] not in streets:
        raise DirectoryError(f"{where}: unknown street/town code {values['street']!r}")
    if values["target"] not in PLACE_TARGETS and values["target"] not in units:
        raise DirectoryError(f"{where}: unknown target unit {values['target']!r} "
                             f"(a unit id, or one of {', '.join(PLACE_TARGETS)})")
    if values["basis"] not in (Basis.LAW.value, Basis.AGREEMENT.value):
        raise DirectoryError(f"{where}: basis must be 'law' (法定) or 'agreement' (商定), not {values['basis']!r}")
    return RoutingRule(values["rule_id"], values["category"], values["street"], values["target"],
                       Basis(values["basis"]), values["note_zh"], values["note_en"])
