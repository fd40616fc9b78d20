"""Response plans (预案): what each unit must do, and by when, once a response is activated.

One TOML file per emergency type and level, kept in `resources/plans/` and edited by admins
(`resources/plans/README.md` describes the format)::

    id = "typhoon-II"
    type = "typhoon"                # protocol.EmergencyType
    level = "II"                    # IV, III, II, I (protocol.EmergencyLevel)
    title_en = "Typhoon, level II response"
    title_zh = "防台风Ⅱ级应急响应"

    [[task]]
    id = "open-command-post"
    title_en = "Open the flood-control command post"
    title_zh = "开设防汛防台指挥部"
    unit_id = "B-SW"                # one unit by id, or …
    # unit_kind = "street_centre"   # … every active unit of one kind (exactly one of the two)
    within_min = 30                 # deadline after activation, 1..10080 minutes
    report = ["teams_deployed"]     # numbers the unit reports back (may be left out)
    working_time = false            # true: within_min counts working time, not the clock

Every problem of a file is a `PlanError` whose `str()` is one line `FILE:LINE: field: message`
(fields as `task[3].within_min`, tasks counted from 1). `load_plans` reads a folder and raises
the first problem it finds (files in name order, then plans that clash across files);
`check_plans` returns all of them, one per bad file, for an admin who fixes several at once.

Plans name units but are not checked against the organisation when loaded: units change with
events. `expand` turns a plan into (task, unit) pairs against the units of the moment, and
`unassigned` says which tasks found nobody and why.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from protocol import EmergencyLevel, EmergencyType, Unit, UnitKind
from protocol.toml_source import TomlFileError, TomlSource, decode_error_line

MAX_WITHIN_MIN = 7 * 24 * 60
"""The latest deadline a task may have: one week after activation."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_REPORT = re.compile(r"^[a-z][a-z0-9_]*$")
_PLAN_KEYS = ("id", "type", "level", "title_en", "title_zh", "task")
_TASK_KEYS = ("id", "title_en", "title_zh", "unit_id", "unit_kind", "within_min", "report", "working_time")
_E = TypeVar("_E", EmergencyType, EmergencyLevel, UnitKind)


class PlanError(TomlFileError):
    """A plan file that cannot be used: `str()` is one line `FILE:LINE: field: message`."""


@dataclass(frozen=True)
class PlanTask:
    """One task of a plan, for one unit (`unit_id`) or for every active unit of a kind (`unit_kind`)."""

    id: str
    title_en: str
    title_zh: str
    unit_id: str | None
    unit_kind: UnitKind | None
    within_min: int
    """Deadline in minutes after activation (1..10080)."""
    report: tuple[str, ...]
    """Names of the numbers the unit reports back, e.g. ("people_evacuated", "teams_deployed")."""
    working_time: bool = False
    """True: `within_min` counts working time of the centre's calendar; False: clock minutes."""


@dataclass(frozen=True)
class Plan:
    id: str
    type: EmergencyType
    level: EmergencyLevel
    title_en: str
    title_zh: str
    tasks: tuple[PlanTask, ...]
    path: str
    """The file the plan came from (for messages)."""


@dataclass(frozen=True)
class PlanBook:
    """The plans of one folder: at most one per (type, level), ids unique."""

    plans: tuple[Plan, ...]

    def for_(self, type: EmergencyType, level: EmergencyLevel) -> Plan | None:
        """The plan for an emergency of `type` at response `level`, or None when there is none."""
        return next((p for p in self.plans if p.type is type and p.level is level), None)

    def get(self, plan_id: str) -> Plan | None:
        return next((p for p in self.plans if p.id == plan_id), None)


@dataclass(frozen=True)
class Unassigned:
    """A task of a plan that no unit received, and why."""

    task: PlanTask
    reason: str


def default_plans_dir() -> Path:
    """`resources/plans` of the installed package (a checkout or a wheel alike)."""
    return Path(str(resources.files("resources").joinpath("plans")))


# --- loading -------------------------------------------------------------------------------------


def load_plan(path: Path) -> Plan:
    """Read and validate one plan file; `PlanError` on any problem."""
    return _read(Path(path))[0]


def load_plans(folder: Path | None = None) -> PlanBook:
    """Every `*.toml` plan of `folder` (default: the package's resources/plans).

    Raises the first `PlanError` (see `check_plans` for all of them): a bad file, or two plans
    with the same id or the same (type, level), naming both files.
    """
    plans, problems = _read_folder(folder)
    if problems:
        raise problems[0]
    return PlanBook(tuple(plans))


def check_plans(folder: Path | None = None) -> list[PlanError]:
    """Every problem of the plans of `folder`: the first of each bad file, then the clashes."""
    return _read_folder(folder)[1]


def _read_folder(folder: Path | None) -> tuple[list[Plan], list[PlanError]]:
    folder = Path(folder) if folder is not None else default_plans_dir()
    if not folder.is_dir():
        return [], [PlanError(folder, None, "", "no such folder")]
    plans: list[Plan] = []
    problems: list[PlanError] = []
    by_id: dict[str, Plan] = {}
    by_case: dict[tuple[EmergencyType, EmergencyLevel], Plan] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            plan, source = _read(path)
        except PlanError as exc:
            problems.append(exc)
            continue
        first = by_id.get(plan.id)
        if first is not None:
            problems.append(PlanError(path, source.key("id", None), "id",
                                      f"plan id {plan.id!r} is already used by {first.path}"))
            continue
        first = by_case.get((plan.type, plan.level))
        if first is not None:
            problems.append(PlanError(path, source.key("level", None), "level",
                                      f"{first.path} is already the plan for {plan.type.value} at level "
                                      f"{plan.level.value} (one plan per type and level)"))
            continue
        by_id[plan.id] = by_case[(plan.type, plan.level)] = plan
        plans.append(plan)
    return plans, problems


def _read(path: Path) -> tuple[Plan, TomlSource]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(path, None, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(path, None, "", f"cannot be read ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(path, decode_error_line(exc), "", f"not valid TOML: {exc}") from None
    source = TomlSource(text)
    return _Checker(path, source).plan(data), source


class _Checker:
    def __init__(self, path: Path, source: TomlSource) -> None:
        self.path = path
        self.source = source

    def fail(self, block: int | None, field: str, message: str, key: str | None = None) -> NoReturn:
        line = self.source.key(key, block) if key else block
        raise PlanError(self.path, line, field, message)

    def unknown(self, raw: dict[str, Any], known: tuple[str, ...], block: int | None, prefix: str) -> None:
        for name in raw:
            if name in known:
                continue
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
            line = self.source.key(name, block)
            if block is None and line is None:
                line = self.source.table(name)  # a misspelt [[task]] header
            raise PlanError(self.path, line, f"{prefix}{name}", f"unknown key{hint}")

    def text(self, raw: dict[str, Any], name: str, block: int | None, field: str) -> str:
        if name not in raw:
            self.fail(block, field, "missing (required)")
        value = raw[name]
        if not isinstance(value, str) or not value.strip():
            self.fail(block, field, "must be non-empty text", key=name)
        return value.strip()

    def ident(self, raw: dict[str, Any], name: str, block: int | None, field: str) -> str:
        value = self.text(raw, name, block, field)
        if not _ID.match(value):
            self.fail(block, field, f"{value!r} is not an id (letters, digits, '-', '_', '.'; no spaces)", key=name)
        return value

    def choice(self, raw: dict[str, Any], name: str, enum: type[_E], block: int | None, field: str) -> _E:
        value = raw.get(name)
        if name not in raw:
            self.fail(block, field, "missing (required)")
        allowed = [member.value for member in enum]
        if not isinstance(value, str) or value not in allowed:
            self.fail(block, field, f"{value!r} is not one of {', '.join(allowed)}", key=name)
        return enum(value)

    def plan(self, data: dict[str, Any]) -> Plan:
        self.unknown(data, _PLAN_KEYS, None, "")
        plan_id = self.ident(data, "id", None, "id")
        kind = self.choice(data, "type", EmergencyType, None, "type")
        level = self.choice(data, "level", EmergencyLevel, None, "level")
        title_en = self.text(data, "title_en", None, "title_en")
        title_zh = self.text(data, "title_zh", None, "title_zh")
        raw_tasks = data.get("task")
        if not isinstance(raw_tasks, list) or not raw_tasks:
            self.fail(self.source.table("task"), "task", "a plan needs at least one [[task]]")
        tasks: list[PlanTask] = []
        seen: dict[str, int] = {}
        for index, raw in enumerate(raw_tasks):
            task = self.task(index, raw)
            if task.id in seen:
                self.fail(self.source.block("task", index), f"task[{index + 1}].id",
                          f"duplicate task id {task.id!r} (also task[{seen[task.id]}])", key="id")
            seen[task.id] = index + 1
            tasks.append(task)
        return Plan(id=plan_id, type=kind, level=level, title_en=title_en, title_zh=title_zh,
                    tasks=tuple(tasks), path=str(self.path))

    def task(self, index: int, raw: Any) -> PlanTask:
        block = self.source.block("task", index)
        where = f"task[{index + 1}]"
        if not isinstance(raw, dict):
            self.fail(block, where, "must be a table ([[task]])")
        self.unknown(raw, _TASK_KEYS, block, f"{where}.")
        task_id = self.ident(raw, "id", block, f"{where}.id")
        title_en = self.text(raw, "title_en", block, f"{where}.title_en")
        title_zh = self.text(raw, "title_zh", block, f"{where}.title_zh")
        unit_id: str | None = None
        unit_kind: UnitKind | None = None
        if "unit_id" in raw and "unit_kind" in raw:
            self.fail(block, f"{where}.unit_kind", "give unit_id or unit_kind, not both", key="unit_kind")
        if "unit_id" in raw:
            unit_id = self.text(raw, "unit_id", block, f"{where}.unit_id")  # ids of the organisation are free text
        elif "unit_kind" in raw:
            unit_kind = self.choice(raw, "unit_kind", UnitKind, block, f"{where}.unit_kind")
        else:
            self.fail(block, f"{where}.unit_id", "missing: give unit_id (one unit) or unit_kind (every unit of a kind)")
        if "within_min" not in raw:
            self.fail(block, f"{where}.within_min", "missing (required)")
        within = raw["within_min"]
        if isinstance(within, bool) or not isinstance(within, int) or not 1 <= within <= MAX_WITHIN_MIN:
            self.fail(block, f"{where}.within_min",
                      f"must be a whole number of minutes from 1 to {MAX_WITHIN_MIN}, not {within!r}", key="within_min")
        report = raw.get("report", [])
        if not isinstance(report, list) or not all(isinstance(r, str) and _REPORT.match(r) for r in report):
            self.fail(block, f"{where}.report",
                      "must be a list of names in lower case with '_' (e.g. [\"people_evacuated\"])", key="report")
        if len(set(report)) != len(report):
            twice = next(r for r in report if report.count(r) > 1)
            self.fail(block, f"{where}.report", f"{twice!r} is listed twice", key="report")
        working_time = raw.get("working_time", False)
        if not isinstance(working_time, bool):
            self.fail(block, f"{where}.working_time", "must be true or false", key="working_time")
        return PlanTask(id=task_id, title_en=title_en, title_zh=title_zh, unit_id=unit_id, unit_kind=unit_kind,
                        within_min=within, report=tuple(report), working_time=working_time)


# --- activation ----------------------------------------------------------------------------------


def expand(plan: Plan, units: Iterable[Unit]) -> list[tuple[PlanTask, str]]:
    """The task matrix of `plan`: (task, unit id) pairs, tasks in file order, units by id.

    A task with `unit_id` gives that unit when it exists and is active; a task with `unit_kind`
    gives every active unit of that kind. Tasks that give nobody are left out here; `unassigned`
    lists them with the reason.
    """
    by_id = {u.id: u for u in units}
    ordered = sorted(by_id.values(), key=lambda u: u.id)
    pairs: list[tuple[PlanTask, str]] = []
    for task in plan.tasks:
        if task.unit_id is not None:
            unit = by_id.get(task.unit_id)
            if unit is not None and unit.active:
                pairs.append((task, unit.id))
        else:
            pairs.extend((task, u.id) for u in ordered if u.active and u.kind is task.unit_kind)
    return pairs


def unassigned(plan: Plan, units: Iterable[Unit]) -> list[Unassigned]:
    """The tasks of `plan` that `expand` gives to no unit, in file order, each with why."""
    by_id = {u.id: u for u in units}
    kinds = {u.kind for u in by_id.values() if u.active}
    missing: list[Unassigned] = []
    for task in plan.tasks:
        if task.unit_id is not None:
            unit = by_id.get(task.unit_id)
            if unit is None:
                missing.append(Unassigned(task, f"unit {task.unit_id} does not exist"))
            elif not unit.active:
                missing.append(Unassigned(task, f"unit {task.unit_id} is retired"))
        elif task.unit_kind not in kinds:
            kind = task.unit_kind.value if task.unit_kind else "?"
            missing.append(Unassigned(task, f"no active unit of kind {kind}"))
    return missing
