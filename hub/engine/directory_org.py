"""A minimal organisation from the directory alone: the district centre, one sub-centre per
street/town, and the police. Used until a full org chart (units, grids, rules) is loaded,
and by tests of the loop that need no more.
"""

from __future__ import annotations

from hub.directory import Directory
from protocol import Basis, Case, Routing

DISTRICT_CENTRE = "MH"
POLICE = "P-MH"


class DirectoryOrg:
    def __init__(self, directory: Directory) -> None:
        self.names = {DISTRICT_CENTRE: f"{directory.district.name}城市运行管理中心", POLICE: "公安闵行分局"}
        for street in directory.streets.values():
            self.names[f"S{street.code}"] = f"{street.name}城运分中心"

    def unit_name(self, unit_id: str) -> str | None:
        return self.names.get(unit_id)

    def escalation_target(self, case: Case) -> str | None:
        if case.unit_id is None or case.unit_id.startswith(("C", "G")):
            return f"S{case.street_code}"
        if case.unit_id == DISTRICT_CENTRE:
            return None
        return DISTRICT_CENTRE

    def suggest(self, case: Case) -> Routing | None:
        unit = f"S{case.street_code}"
        name = self.names.get(unit)
        if name is None:
            return None
        return Routing(unit_id=unit, unit_name=name, basis=Basis.AGREEMENT, rule_id="territorial",
                       explanation_en=f"Territorial default: {case.street_name} handles matters on its ground",
                       explanation_zh=f"属地默认：{case.street_name}负责辖区事项")

    def police_unit(self) -> str:
        return POLICE

    def in_scope(self, scope_unit: str, case: Case) -> bool:
        return case.unit_id == scope_unit or scope_unit == f"S{case.street_code}"

    def all_units(self) -> list[tuple[str, str]]:
        return sorted(self.names.items())
