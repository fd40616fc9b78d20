"""The organisation chart the engine works with: units, grids, routing rules and the duty rota.

`OrgChart` is the engine's `OrgPort`. It starts from the seed (hub/org/seed.py) and follows every
`unit.changed` and `rota.changed` event of the log, its own and those another hub wrote, through
`apply()`: the log stays the truth, and a restart folds the same events again.

The three loops come from the parent chain: grids and committees are the micro loop, the street
sub-centre the small loop, the district centre (and the bureaus under it) the big loop. Escalation
goes one loop up. Readers run on the writer's thread and the event loop; `apply()` swaps whole
dicts, so a reader sees the chart before or after a change, never half of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from hub.directory import Directory, default_data_dir
from hub.org import grids as grid_cells
from hub.org.rules import RoutingRule, RuleTable, load_rules
from hub.org.seed import DISTRICT_CENTRE, committee_unit, seed_units, street_centre
from protocol import Basis, Case, RotaDay, Routing, Unit, UnitKind

RULES_FILE = "routing_rules.csv"
POLICE = "P-MH"
_MICRO = (UnitKind.GRID, UnitKind.COMMITTEE)
_PARENT_KIND = {
    UnitKind.GRID: UnitKind.COMMITTEE,
    UnitKind.COMMITTEE: UnitKind.STREET_CENTRE,
    UnitKind.STREET_CENTRE: UnitKind.DISTRICT_CENTRE,
}
"""The parent chain of the three loops is fixed; bureaus and member units may nest freely."""
_BASIS_ZH = {Basis.LAW: "法定", Basis.AGREEMENT: "商定", Basis.DESIGNATION: "指定"}
_BASIS_EN = {Basis.LAW: "by law", Basis.AGREEMENT: "by agreement", Basis.DESIGNATION: "designated"}


class OrgChart:
    def __init__(self, directory: Directory, data_dir: Path | None = None) -> None:
        folder = data_dir or default_data_dir()
        self.directory = directory
        self.grids = grid_cells.generate(directory)
        self.seed = {u.id: u for u in seed_units(directory, self.grids, folder)}
        self.units: dict[str, Unit] = dict(self.seed)
        self.rota: dict[str, RotaDay] = {}
        self.rules: RuleTable = load_rules(folder / RULES_FILE, set(self.units), set(directory.streets))

    # --- following the log ---------------------------------------------------------------

    def apply(self, units: Iterable[Unit] = (), rota: Iterable[RotaDay] = ()) -> None:
        """Take units and rota days from events (idempotent: the same event twice changes nothing)."""
        units, rota = list(units), list(rota)
        if units:
            self.units = {**self.units, **{u.id: u for u in units}}
        if rota:
            self.rota = {**self.rota, **{d.date: d for d in rota}}

    # --- checks for admin commands -------------------------------------------------------

    def problem_with(self, unit: Unit, pending: dict[str, Unit] | None = None) -> str | None:
        """Why `unit` cannot be stored (with `pending` units stored alongside), or None."""
        known = {**self.units, **(pending or {})}
        if unit.kind is UnitKind.DISTRICT_CENTRE:
            if unit.parent_id is not None:
                return "the district centre has no parent"
        elif unit.parent_id is None:
            return f"unit {unit.id} needs a parent (one of the existing units)"
        parent = known.get(unit.parent_id or "")
        wanted = _PARENT_KIND.get(unit.kind)
        if parent is not None and wanted is not None and parent.kind is not wanted:
            return f"a {unit.kind.value} belongs under a {wanted.value}, not under {parent.id} ({parent.kind.value})"
        seen = {unit.id}
        parent_id = unit.parent_id
        while parent_id is not None:
            parent = known.get(parent_id)
            if parent is None:
                return f"unknown parent unit {parent_id!r}"
            if not parent.active:
                return f"parent unit {parent_id} is retired"
            if parent.id in seen:
                return f"unit {unit.id} would be its own ancestor (through {parent.id})"
            seen.add(parent.id)
            parent_id = parent.parent_id
        if unit.street_code is not None and unit.street_code not in self.directory.streets:
            return f"unknown street/town code {unit.street_code!r}"
        return None

    def children(self, unit_id: str) -> list[str]:
        return [u.id for u in self.units.values() if u.parent_id == unit_id and u.active]

    # --- OrgPort -------------------------------------------------------------------------

    def unit_name(self, unit_id: str) -> str | None:
        unit = self.units.get(unit_id)
        return unit.name if unit is not None and unit.active else None

    def escalation_target(self, case: Case) -> str | None:
        owner = self.units.get(case.unit_id or "")
        if owner is None or owner.kind in _MICRO:
            return street_centre(owner.street_code if owner and owner.street_code else case.street_code)
        if owner.kind is UnitKind.DISTRICT_CENTRE:
            return None
        return DISTRICT_CENTRE

    def suggest(self, case: Case) -> Routing | None:
        rule = self.rules.match(case.category_code, case.street_code)
        if rule is None:
            return None
        unit_id = self._target(rule, case)
        name = self.unit_name(unit_id)
        if name is None:  # the rule's unit was retired: the centre designates
            return None
        grid = case.grid_id or grid_cells.grid_id(case.lon, case.lat)
        place_zh = f"{case.street_name}{case.committee_name or ''}，网格{grid}"
        place_en = f"{case.street_name}{', ' + case.committee_name if case.committee_name else ''}, grid {grid}"
        return Routing(
            unit_id=unit_id, unit_name=name, basis=rule.basis, rule_id=rule.rule_id,
            explanation_en=f"Rule {rule.rule_id} ({_BASIS_EN[rule.basis]}): {rule.note_en}. Place: {place_en}",
            explanation_zh=f"规则{rule.rule_id}（{_BASIS_ZH[rule.basis]}）：{rule.note_zh}。位置：{place_zh}",
        )

    def _target(self, rule: RoutingRule, case: Case) -> str:
        street = street_centre(case.street_code)
        if rule.target == "committee" and case.committee_code:
            committee = committee_unit(case.committee_code)
            return committee if self.unit_name(committee) else street
        if rule.target == "grid":
            grid = case.grid_id or grid_cells.grid_id(case.lon, case.lat)
            return grid if self.unit_name(grid) else street
        if rule.target in ("street", "committee"):
            return street
        return rule.target

    def police_unit(self) -> str:
        return POLICE

    def in_scope(self, scope_unit: str, case: Case) -> bool:
        """A desk acts on cases its unit (or a unit under it) owns or co-handles, or on its ground."""
        owners = [case.unit_id, *case.co_unit_ids] if case.unit_id else list(case.co_unit_ids)
        if any(scope_unit in self.ancestry(owner) for owner in owners):
            return True
        ground = [street_centre(case.street_code)]
        if case.committee_code:
            ground.append(committee_unit(case.committee_code))
        if case.grid_id:
            ground.append(case.grid_id)
        return scope_unit in ground

    def ancestry(self, unit_id: str) -> list[str]:
        """The unit and its parents up to the top."""
        chain: list[str] = []
        current: str | None = unit_id
        while current is not None and current not in chain:
            chain.append(current)
            unit = self.units.get(current)
            current = unit.parent_id if unit else None
        return chain

    def all_units(self) -> list[tuple[str, str]]:
        return sorted((u.id, u.name) for u in self.units.values() if u.active)

    def locate(self, lon: float, lat: float) -> tuple[str, str] | None:
        """(grid id, committee code) of a point inside the district, or None outside every grid."""
        grid = self.grids.get(grid_cells.grid_id(lon, lat))
        return (grid.id, grid.committee_code) if grid is not None else None
