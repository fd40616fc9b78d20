"""File ▸ Export of the console: the cases it holds, or their KPIs, to a file, with no Qt.

The columns and the figures are `protocol.exports`' (the hub's `python -m hub export` uses the
same functions over every case of its log). The file is written beside its destination under a
temporary name and renamed over it only when complete, so a failed export (a full disk, a folder
that cannot be written) leaves whatever was at the destination as it was, and no half file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

from protocol import exports
from protocol.events import Case


class ExportKind(StrEnum):
    CASES_CSV = "cases_csv"
    CASES_OPEN311 = "cases_open311"
    KPIS_BY_UNIT = "kpis_by_unit"
    KPIS_BY_CATEGORY = "kpis_by_category"


SUFFIX = {ExportKind.CASES_CSV: "csv", ExportKind.CASES_OPEN311: "json",
          ExportKind.KPIS_BY_UNIT: "csv", ExportKind.KPIS_BY_CATEGORY: "csv"}
STEM = {ExportKind.CASES_CSV: "cases", ExportKind.CASES_OPEN311: "cases_open311",
        ExportKind.KPIS_BY_UNIT: "kpis_by_unit", ExportKind.KPIS_BY_CATEGORY: "kpis_by_category"}


def _read_umask() -> int:
    mask = os.umask(0)  # the only way to read it; done once, at import, before any export thread runs
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def export(path: Path, kind: ExportKind, cases: Iterable[Case]) -> int:
    """Write `cases` (or their KPIs) to `path` as `kind` says; the number of cases or KPI rows written.

    Raises OSError when the file cannot be written; `path` is then untouched.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            if kind is ExportKind.CASES_CSV:
                count = exports.write_cases_csv(out, cases)
            elif kind is ExportKind.CASES_OPEN311:
                count = exports.write_open311(out, cases)
            else:
                count = exports.write_kpis(out, cases, "unit" if kind is ExportKind.KPIS_BY_UNIT else "category")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes it 0600; an export is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return count
