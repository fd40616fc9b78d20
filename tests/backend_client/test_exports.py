"""The console's export writes a file whole or not at all: an export that fails half way leaves the
file that was there as it was, and no partial file beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from backend_client.exports import ExportKind, export
from protocol import Case
from tests.store.store_helpers import case


def test_a_failed_export_leaves_the_previous_file_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "cases.csv"
    assert export(target, ExportKind.CASES_CSV, [case(n) for n in range(5)]) == 5
    before = target.read_bytes()
    assert before.count(b"\n") == 6 and b"MH2026-000004" in before

    def failing() -> Iterator[Case]:
        yield from (case(n) for n in range(100, 103))
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        export(target, ExportKind.CASES_CSV, failing())
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["cases.csv"]


def test_kpis_per_category_of_the_cases_given(tmp_path: Path) -> None:
    target = tmp_path / "k.csv"
    assert export(target, ExportKind.KPIS_BY_CATEGORY, [case(n) for n in range(14)]) == 7
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("key,name,received,closed,closure_rate")
    assert lines[1].split(",")[:4] == ["0000", "Noise", "2", "0"]
