"""Response plans (预案): the shipped typhoon and rainstorm plans, their task matrix on the shipped
organisation, and every kind of mistake in a plan file named by file, line and field."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from hub.directory import Directory
from hub.emergency.plans import (
    Plan,
    PlanError,
    check_plans,
    default_plans_dir,
    expand,
    load_plan,
    load_plans,
    unassigned,
)
from hub.org.chart import OrgChart
from protocol import EMERGENCY_LEVEL_ORDER, EmergencyLevel, EmergencyType, Unit, UnitKind

SHIPPED_TYPES = (EmergencyType.TYPHOON, EmergencyType.RAINSTORM)

GOOD = """\
# a small plan
id = "test-plan"
type = "typhoon"
level = "II"
title_en = "Test plan"
title_zh = "测试预案"

[[task]]
id = "command-post"
title_en = "Open the command post"
title_zh = "开设指挥部"
unit_id = "B-SW"
within_min = 30

[[task]]
id = "low-lying"
title_en = "Check low-lying areas"
title_zh = "排查低洼地区"
unit_kind = "street_centre"
within_min = 120
report = ["points_checked", "people_at_risk"]
"""


@pytest.fixture(scope="module")
def units() -> list[Unit]:
    return list(OrgChart(Directory.load()).units.values())


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line number (from 1) of the nth line containing `needle`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return found[nth - 1]


def refused(tmp_path: Path, text: str) -> PlanError:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    error = caught.value
    assert "\n" not in str(error)
    at = f"{path}:{error.line}" if error.line else str(path)
    assert str(error) == (f"{at}: {error.field}: {error.message}" if error.field else f"{at}: {error.message}")
    return error


# --- the shipped plans ---------------------------------------------------------------------------


def test_every_shipped_plan_loads_and_each_type_and_level_has_one() -> None:
    book = load_plans()
    assert check_plans() == []
    assert len(book.plans) == len(list(default_plans_dir().glob("*.toml"))) == 8
    for kind in SHIPPED_TYPES:
        for level in EmergencyLevel:
            plan = book.for_(kind, level)
            assert plan is not None, (kind, level)
            assert (plan.type, plan.level) == (kind, level)
            assert plan.id == f"{kind.value}-{level.value}"
            assert book.get(plan.id) is plan
            assert Path(plan.path).name == f"{plan.id}.toml"
            assert plan.title_en and plan.title_zh
            assert all(t.title_en and t.title_zh for t in plan.tasks)
    assert book.for_(EmergencyType.FIRE, EmergencyLevel.LEVEL_I) is None
    assert book.get("no-such-plan") is None


def test_the_level_II_typhoon_plan_reads_as_the_issue_describes_it() -> None:
    plan = load_plans().for_(EmergencyType.TYPHOON, EmergencyLevel.LEVEL_II)
    assert plan is not None
    tasks = {t.id: t for t in plan.tasks}
    post = tasks["open-command-post"]
    assert (post.unit_id, post.unit_kind, post.within_min) == ("B-SW", None, 30)
    assert post.title_zh.startswith("开设")
    check = tasks["check-low-lying"]
    assert (check.unit_id, check.unit_kind, check.within_min) == (None, UnitKind.STREET_CENTRE, 120)
    assert "people_at_risk" in check.report and "低洼" in check.title_zh
    billboards = tasks["secure-billboards"]
    assert (billboards.unit_id, billboards.within_min) == ("B-CG", 240)
    assert "广告牌" in billboards.title_zh
    assert tasks["damage-report"].working_time


def test_higher_levels_have_more_tasks_and_no_later_deadlines() -> None:
    book = load_plans()
    for kind in SHIPPED_TYPES:
        plans = [book.for_(kind, level) for level in EMERGENCY_LEVEL_ORDER]  # IV first
        counts = [len(p.tasks) for p in plans if p is not None]
        assert counts == sorted(counts) and counts[0] < counts[-1], (kind, counts)
        for lower, higher in itertools.pairwise(plans):
            assert lower is not None and higher is not None
            before = {t.id: t for t in lower.tasks}
            for task in higher.tasks:
                same = before.get(task.id)
                if same is not None and same.working_time == task.working_time:
                    assert task.within_min <= same.within_min, (higher.id, task.id)


def test_no_grid_tasks_and_committee_tasks_only_at_level_I() -> None:
    for plan in load_plans().plans:
        kinds = {t.unit_kind for t in plan.tasks}
        assert UnitKind.GRID not in kinds, plan.id
        assert (UnitKind.COMMITTEE in kinds) == (plan.level is EmergencyLevel.LEVEL_I), plan.id


def test_every_shipped_task_reaches_a_unit_of_the_shipped_organisation(units: list[Unit]) -> None:
    for plan in load_plans().plans:
        assert unassigned(plan, units) == [], plan.id


def test_expanding_on_the_shipped_organisation_gives_one_task_per_street(units: list[Unit]) -> None:
    streets = sorted(u.id for u in units if u.kind is UnitKind.STREET_CENTRE)
    committees = [u for u in units if u.kind is UnitKind.COMMITTEE]
    assert len(streets) == 14
    book = load_plans()
    for plan in book.plans:
        per_kind = {UnitKind.STREET_CENTRE: len(streets), UnitKind.COMMITTEE: len(committees)}
        expected = sum(per_kind[t.unit_kind] if t.unit_kind else 1 for t in plan.tasks)
        assert len(expand(plan, units)) == expected, plan.id
    two = book.get("typhoon-II")
    assert two is not None
    pairs = expand(two, units)
    street_tasks = [t for t in two.tasks if t.unit_kind is UnitKind.STREET_CENTRE]
    assert len(street_tasks) == 4
    assert len(pairs) == (len(two.tasks) - 4) + 4 * 14 == 71
    # tasks in file order, the units of one task by id
    assert [t.id for t, _ in pairs] == [t.id for t in two.tasks for _ in range(14 if t.unit_kind else 1)]
    low_lying = [unit for task, unit in pairs if task.id == "check-low-lying"]
    assert low_lying == streets
    top = book.get("typhoon-I")
    assert top is not None
    assert sum(1 for task, _ in expand(top, units) if task.unit_kind is UnitKind.COMMITTEE) == len(committees)


def test_expand_skips_retired_and_missing_units_and_says_why(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, "p.toml", GOOD + """
[[task]]
id = "billboards"
title_en = "Secure billboards"
title_zh = "加固户外广告牌"
unit_id = "B-CG"
within_min = 240

[[task]]
id = "grids"
title_en = "Walk every grid"
title_zh = "网格巡查"
unit_kind = "grid"
within_min = 60
"""))
    units = [
        Unit(id="S2", name="街道二", kind=UnitKind.STREET_CENTRE, parent_id="MH"),
        Unit(id="S1", name="街道一", kind=UnitKind.STREET_CENTRE, parent_id="MH"),
        Unit(id="S3", name="街道三（撤销）", kind=UnitKind.STREET_CENTRE, parent_id="MH", active=False),
        Unit(id="B-SW", name="区水务局", kind=UnitKind.BUREAU, parent_id="MH", active=False),
        Unit(id="G1", name="网格（撤销）", kind=UnitKind.GRID, parent_id="C1", active=False),
    ]
    assert [(t.id, u) for t, u in expand(plan, units)] == [("low-lying", "S1"), ("low-lying", "S2")]
    missing = unassigned(plan, units)
    assert [(m.task.id, m.reason) for m in missing] == [
        ("command-post", "unit B-SW is retired"),
        ("billboards", "unit B-CG does not exist"),
        ("grids", "no active unit of kind grid"),
    ]


def test_a_small_plan_loads_with_defaults(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path, "mine.toml", GOOD))
    assert isinstance(plan, Plan)
    assert (plan.id, plan.type, plan.level) == ("test-plan", EmergencyType.TYPHOON, EmergencyLevel.LEVEL_II)
    first, second = plan.tasks
    assert (first.unit_id, first.unit_kind, first.report, first.working_time) == ("B-SW", None, (), False)
    assert (second.unit_id, second.unit_kind) == (None, UnitKind.STREET_CENTRE)
    assert second.report == ("points_checked", "people_at_risk")


# --- mistakes, each with file, line and field ---------------------------------------------------


def test_an_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    text = GOOD.replace('title_en = "Check low-lying areas"', 'titel_en = "Check low-lying areas"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "titel_en"), "task[2].titel_en")
    assert "did you mean 'title_en'?" in error.message
    text = GOOD.replace("level =", "levle =")
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "levle"), "levle")
    text = GOOD.replace("[[task]]", "[[tasks]]", 1)
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "[[tasks]]"), "tasks")
    assert "did you mean 'task'?" in error.message


def test_a_bad_level_lists_the_allowed_ones(tmp_path: Path) -> None:
    text = GOOD.replace('level = "II"', 'level = "V"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, 'level = "V"'), "level")
    assert error.message == "'V' is not one of IV, III, II, I"
    text = GOOD.replace('unit_kind = "street_centre"', 'unit_kind = "street"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "unit_kind"), "task[2].unit_kind")
    assert "street_centre" in error.message and "committee" in error.message


def test_a_duplicate_task_id_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace('id = "low-lying"', 'id = "command-post"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, 'id = "command-post"', 2), "task[2].id")
    assert "duplicate task id 'command-post' (also task[1])" in error.message


def test_a_task_needs_exactly_one_of_unit_id_and_unit_kind(tmp_path: Path) -> None:
    text = GOOD.replace('unit_kind = "street_centre"', 'unit_kind = "street_centre"\nunit_id = "S310112001"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "unit_kind"), "task[2].unit_kind")
    assert "not both" in error.message
    text = GOOD.replace('unit_id = "B-SW"\n', "")
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "[[task]]"), "task[1].unit_id")
    assert "unit_kind" in error.message


def test_a_deadline_must_be_in_range(tmp_path: Path) -> None:
    text = GOOD.replace("within_min = 120", "within_min = -5")
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "within_min = -5"), "task[2].within_min")
    assert str(error) == (f"{tmp_path / 'bad.toml'}:{error.line}: task[2].within_min: "
                          "must be a whole number of minutes from 1 to 10080, not -5")
    for bad in ("0", "10081", "30.5", '"30"', "true"):
        text = GOOD.replace("within_min = 30", f"within_min = {bad}")
        error = refused(tmp_path, text)
        assert (error.line, error.field) == (line_of(text, f"within_min = {bad}"), "task[1].within_min")


def test_missing_keys_and_wrong_types_are_named(tmp_path: Path) -> None:
    text = GOOD.replace('title_zh = "测试预案"\n', "")
    error = refused(tmp_path, text)
    assert (error.field, error.message) == ("title_zh", "missing (required)")
    text = GOOD.replace("within_min = 30\n", "")
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "[[task]]"), "task[1].within_min")
    text = GOOD.replace('report = ["points_checked", "people_at_risk"]', 'report = "points_checked"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "report ="), "task[2].report")
    text = GOOD.replace('report = ["points_checked", "people_at_risk"]', 'report = ["a", "a"]')
    assert "'a' is listed twice" in refused(tmp_path, text).message
    text = GOOD.replace("within_min = 30", 'within_min = 30\nworking_time = "yes"')
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "working_time"), "task[1].working_time")
    text = GOOD.replace('title_en = "Test plan"', "title_en = 5")
    error = refused(tmp_path, text)
    assert (error.line, error.field) == (line_of(text, "title_en = 5"), "title_en")
    error = refused(tmp_path, GOOD.split("[[task]]")[0])
    assert (error.field, error.message) == ("task", "a plan needs at least one [[task]]")


def test_malformed_toml_gives_tomllibs_own_line(tmp_path: Path) -> None:
    text = GOOD.replace("within_min = 120", "within_min = ")
    error = refused(tmp_path, text)
    assert error.line == line_of(text, "within_min = ", 2)
    assert error.field == "" and error.message.startswith("not valid TOML")


def test_two_plans_for_the_same_type_and_level_are_refused_naming_both_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", GOOD)
    second_text = GOOD.replace('id = "test-plan"', 'id = "other-plan"')
    second = write(tmp_path, "b.toml", second_text)
    with pytest.raises(PlanError) as caught:
        load_plans(tmp_path)
    error = caught.value
    assert (error.path, error.line, error.field) == (str(second), line_of(second_text, "level ="), "level")
    assert str(first) in str(error) and str(second) in str(error)
    assert "typhoon at level II" in error.message
    second.write_text(GOOD.replace('level = "II"', 'level = "I"'), encoding="utf-8")
    with pytest.raises(PlanError, match=r"b\.toml:2: id: plan id 'test-plan' is already used by .*a\.toml"):
        load_plans(tmp_path)


def test_check_plans_reports_every_bad_file_and_load_plans_the_first(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD.replace('level = "II"', 'level = "V"'))
    write(tmp_path, "b.toml", GOOD.replace("within_min = 30", "within_min = 0"))
    write(tmp_path, "c.toml", GOOD.replace('level = "II"', 'level = "III"'))
    write(tmp_path, "README.md", "not a plan")
    problems = check_plans(tmp_path)
    assert [(Path(p.path).name, p.field) for p in problems] == [("a.toml", "level"), ("b.toml", "task[1].within_min")]
    with pytest.raises(PlanError) as caught:
        load_plans(tmp_path)
    assert str(caught.value) == str(problems[0])
    with pytest.raises(PlanError, match="no such folder"):
        load_plans(tmp_path / "missing")
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "missing.toml")
