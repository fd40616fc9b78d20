"""Per-category limits: a safety hazard must be signed for in 15 minutes and turns yellow at 40 %;
an ordinary matter keeps the centre's 30 minutes and 50 %. A bad value in the file stops the hub
with the line named."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from hub.directory import Directory, DirectoryError, default_data_dir
from hub.embedded import EmbeddedHub
from tests.hub.conftest import case_args, run_hub
from tests.hub.test_closed_loop import case_of, desk

MANHOLE = "01001"  # 供水井盖异常
LOOSE_ITEMS = "06036"  # 乱堆杂物


def test_a_hazard_has_its_own_sign_limit_and_thresholds_and_a_plain_matter_the_defaults(db_url: str) -> None:
    async def scenario(hub: EmbeddedHub) -> None:
        d = await desk(hub)
        steps = {}
        for category in (MANHOLE, LOOSE_ITEMS):
            cid = (await d.ok("case.create", **case_args(hub, category_code=category)))["id"]
            await d.ok("case.register", id=cid)
            await d.ok("case.dispatch", id=cid, unit_id=case_of(hub, cid).routing.unit_id)
            steps[category] = case_of(hub, cid).step
        hazard, plain = steps[MANHOLE], steps[LOOSE_ITEMS]
        assert hazard.due_at - hazard.started_at == timedelta(minutes=15)
        assert hazard.yellow_at - hazard.started_at == timedelta(minutes=6)
        assert hazard.orange_at - hazard.started_at == timedelta(minutes=10, seconds=30)
        assert plain.due_at - plain.started_at == timedelta(minutes=30)
        assert plain.yellow_at - plain.started_at == timedelta(minutes=15)

    run_hub(db_url, scenario)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [("yellow_at", "0.9", "yellow_at 0.9 is after orange_at 0.7"),
     ("sign_limit_minutes", "zero", "sign_limit_minutes")],
)
def test_a_bad_category_option_names_the_file_and_line(tmp_path: Path, column: str, value: str, words: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    path = folder / "categories.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DirectoryError, match="line 2") as error:
        Directory.load(folder)
    assert words in str(error.value)
