"""The district directory: official units load, the boundary and the approximate partition hold,
and every broken file is reported as one DirectoryError naming the file and line."""

from __future__ import annotations

import csv
import json
import random
import shutil
from pathlib import Path

import pytest

from hub.directory import Directory, DirectoryError, default_data_dir

MINHANG_STREETS = {
    "310112001": "江川路街道", "310112006": "古美街道", "310112008": "新虹街道", "310112009": "浦锦街道",
    "310112101": "莘庄镇", "310112102": "七宝镇", "310112103": "颛桥镇", "310112106": "华漕镇",
    "310112107": "虹桥镇", "310112108": "梅陇镇", "310112110": "吴泾镇", "310112112": "马桥镇",
    "310112114": "浦江镇", "310112501": "莘庄工业区",
}
# The standard's matters (GB/T 47678.5-2026, table C.1), shipped with the tests: tests/data/SOURCES.md.
STANDARD_MATTERS = Path(__file__).resolve().parents[1] / "data" / "gbt47678_5_matters.csv"


@pytest.fixture(scope="module")
def directory() -> Directory:
    return Directory.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data files, for breaking one at a time."""
    folder = tmp_path / "data"
    shutil.copytree(default_data_dir(), folder)
    return folder


def test_the_fourteen_streets_load_with_their_official_codes(directory: Directory) -> None:
    assert (directory.district.code, directory.district.name) == ("310112", "闵行区")
    assert {code: street.name for code, street in directory.streets.items()} == MINHANG_STREETS


def test_every_committee_belongs_to_a_street_and_sits_in_its_area(directory: Directory) -> None:
    assert len(directory.committees) == 596
    for committee in directory.committees.values():
        assert committee.code.startswith(committee.street_code)
        assert directory.contains(*committee.seed)
        assert directory.street_of(*committee.seed).code == committee.street_code
    assert sum(len(directory.committees_in(code)) for code in directory.streets) == 596


def test_categories_are_a_curated_subset_with_sensible_limits(directory: Directory) -> None:
    categories = directory.categories
    assert 25 <= len(categories) <= 40
    for category in categories.values():
        assert category.weight > 0
        hours = category.overall_limit_hours * (3 if category.working_time else 1)
        assert 2 <= hours <= 5 * 24, category
    by_weight = sorted(categories.values(), key=lambda c: c.weight, reverse=True)
    assert {c.name_zh for c in by_weight[:3]} >= {"噪声扰民", "机动车乱停放"}
    assert not categories["01011"].working_time  # a gas manhole cannot wait for office hours


def test_category_codes_and_names_are_the_standards_own(directory: Directory) -> None:
    with STANDARD_MATTERS.open(encoding="utf-8") as handle:
        matters = {row["code"]: row for row in csv.DictReader(handle) if row["kind"] == "matter"}
    assert len(matters) == 250  # the whole of table C.1 as transcribed
    for code, category in directory.categories.items():
        assert code in matters, f"category {code} is not a matter of GB/T 47678.5"
        assert matters[code]["name_zh"] == category.name_zh, code


def test_contains_knows_inside_outside_and_the_hole(directory: Directory) -> None:
    assert directory.contains(121.3760, 31.1117)  # the district's label point
    assert not directory.contains(121.0, 31.0)
    assert not directory.contains(121.48, 31.20)  # in the notch between the two arms (Xuhui)
    holes = [ring for polygon in directory.boundary for ring in polygon[1:]]
    assert holes, "the shipped boundary has one small hole"
    hole = holes[0]
    centre = (sum(p[0] for p in hole[:-1]) / (len(hole) - 1), sum(p[1] for p in hole[:-1]) / (len(hole) - 1))
    assert not directory.contains(*centre)


def test_multipolygon_with_a_hole_and_no_seed_file(data_copy: Path) -> None:
    square = [[121.0, 31.0], [121.2, 31.0], [121.2, 31.2], [121.0, 31.2], [121.0, 31.0]]
    hole = [[121.05, 31.05], [121.15, 31.05], [121.15, 31.15], [121.05, 31.15], [121.05, 31.05]]
    island = [[121.5, 31.0], [121.6, 31.0], [121.6, 31.1], [121.5, 31.0]]
    geometry = {"type": "MultiPolygon", "coordinates": [[square, hole], [island]]}
    (data_copy / "minhang_boundary.geojson").write_text(json.dumps({"type": "Feature", "geometry": geometry}))
    (data_copy / "street_seeds.csv").unlink()
    directory = Directory.load(data_copy)
    assert directory.contains(121.01, 31.01) and directory.contains(121.58, 31.01)
    assert not directory.contains(121.1, 31.1)  # in the hole
    assert not directory.contains(121.3, 31.1)  # between the polygons
    for street in directory.streets.values():
        assert directory.contains(*street.seed)


def test_street_and_committee_of_a_point_agree(directory: Directory) -> None:
    rng = random.Random(7)
    for _ in range(500):
        point = directory.random_point(rng)
        street = directory.street_of(*point)
        committee = directory.committee_of(*point)
        assert committee is not None and committee.street_code == street.code


def test_the_partition_puts_streets_roughly_where_they_are(directory: Directory) -> None:
    """Hand-placed approximate centres: Huacao in the north-west lobe, Pujiang east of the river."""
    assert directory.street_of(121.27, 31.24).name == "华漕镇"
    assert directory.street_of(121.54, 31.02).name == "浦江镇"
    assert directory.street_of(121.36, 31.00).name == "马桥镇"


def _rewrite(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "words"),
    [
        ("categories.csv", 5, ",working", ",workday", "limit_kind 'workday'"),
        ("categories.csv", 3, ",14,", ",many,", "weight 'many'"),
        ("categories.csv", 7, "01023,", "01001,", "appears twice"),
        ("minhang_units.csv", 20, ",310112001,", ",310112999,", "unknown street"),
        ("minhang_units.csv", 4, "street_town", "town", "level 'town'"),
        ("street_seeds.csv", 3, "121.3850", "122.3850", "outside the district"),
    ],
)
def test_a_bad_csv_row_names_file_and_line(data_copy: Path, file: str, line: int, old: str, new: str,
                                           words: str) -> None:
    _rewrite(data_copy / file, line, old, new)
    with pytest.raises(DirectoryError) as caught:
        Directory.load(data_copy)
    message = str(caught.value)
    assert file in message and f"line {line}:" in message and words in message


def test_a_short_csv_row_and_a_missing_column(data_copy: Path) -> None:
    path = data_copy / "categories.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines[:9], "06099,matter,x", *lines[9:]]) + "\n", encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"categories\.csv, line 10: wrong number of fields"):
        Directory.load(data_copy)
    path.write_text(lines[0].replace(",weight", ",wt") + "\n", encoding="utf-8")
    with pytest.raises(DirectoryError, match=r"categories\.csv, line 1: header lacks column\(s\) weight"):
        Directory.load(data_copy)


def test_missing_and_undecodable_files(data_copy: Path) -> None:
    (data_copy / "categories.csv").write_bytes("code\n\xff".encode("latin-1"))
    with pytest.raises(DirectoryError, match=r"categories\.csv: not UTF-8"):
        Directory.load(data_copy)
    (data_copy / "minhang_units.csv").unlink()
    with pytest.raises(DirectoryError, match=r"minhang_units\.csv: file not found"):
        Directory.load(data_copy)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",,}]}', "line 3 column"),
        ('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [121, 31]}}', "not a Polygon"),
        ('{"type": "Polygon", "coordinates": [[[121, 31], [122, 31], [121, 31]]]}', "fewer than 4 positions"),
        ('{"type": "Polygon", "coordinates": [[[121, 31], [122, "x"], [122, 32], [121, 31]]]}',
         "ring 0, position 1: not a [lon, lat] pair"),
        ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"adcode": "1"}},'
         ' {"type": "Feature", "properties": {"adcode": "2"}}]}', "no feature has properties.adcode 310112"),
    ],
)
def test_bad_geojson_names_the_file_and_place(data_copy: Path, text: str, words: str) -> None:
    (data_copy / "minhang_boundary.geojson").write_text(text, encoding="utf-8")
    with pytest.raises(DirectoryError) as caught:
        Directory.load(data_copy)
    assert "minhang_boundary.geojson" in str(caught.value) and words in str(caught.value)
