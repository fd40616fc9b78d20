"""Cases and KPIs out: cases as CSV rows or Open311 GeoReport v2 requests, KPIs per unit or per category.

Pure functions over `Case` values, shared by the hub's `python -m hub export` (over every case of
its log) and the console's File ▸ Export (over the cases its store holds), so both give the same
columns and the same figures. They write to an open text stream; opening the file, and saying
what went wrong when it cannot be written, is the caller's.

The KPIs (docs/data-import.md defines each):

- counted: every case except drills (`exercise_id`), rejected (不予立案) and merged (duplicate) ones;
- received: the cases counted, per unit (the case's responsible unit; "" when never dispatched) or
  per category;
- closed: those in status closed or called back; closed at the last step that closed it;
- closure rate: closed / received; on-time closure rate: closed on or before the overall limit's
  due instant / closed (a case with no limit counts as on time);
- handling time: closed at − received at, in hours, over the closed cases (median and mean);
- returns: the sum of the cases' returns (退单); satisfaction: satisfied / rated, blank when none
  was rated.
"""

from __future__ import annotations

import csv
import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, TextIO

from protocol.enums import CaseStatus
from protocol.events import Case

KpiBy = Literal["unit", "category"]
KPI_COLUMNS = ["key", "name", "received", "closed", "closure_rate", "closed_on_time", "on_time_closure_rate",
               "median_handling_hours", "mean_handling_hours", "returns", "rated", "satisfied", "satisfaction_rate"]
CASE_COLUMNS = ["id", "serial", "status", "received_at", "closed_at", "due_at", "category_code", "category_en",
                "category_zh", "unit_id", "unit_name", "street_code", "street_name", "address", "lon", "lat",
                "channel", "level", "returns", "satisfied", "description"]
_CLOSED = (CaseStatus.CLOSED, CaseStatus.CALLED_BACK)
_LEFT_OUT = (CaseStatus.REJECTED, CaseStatus.MERGED)


def closed_at(case: Case) -> datetime | None:
    """When the case was last closed, or None while it is not closed."""
    if case.status not in _CLOSED:
        return None
    for trace in reversed(case.history):
        if trace.status is CaseStatus.CLOSED:
            return trace.at
    return case.updated_at


def counted(case: Case) -> bool:
    return case.exercise_id is None and case.status not in _LEFT_OUT


@dataclass
class Kpi:
    key: str
    name: str
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    hours: list[float] = field(default_factory=list)
    returns: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, case: Case) -> None:
        self.received += 1
        self.returns += case.returns
        if case.satisfied is not None:
            self.rated += 1
            self.satisfied += int(case.satisfied)
        closed = closed_at(case)
        if closed is None:
            return
        self.closed += 1
        self.closed_on_time += int(case.overall is None or closed <= case.overall.due_at)
        self.hours.append((closed - case.received_at).total_seconds() / 3600)

    def row(self) -> list[object]:
        return [self.key, self.name, self.received, self.closed, _ratio(self.closed, self.received),
                self.closed_on_time, _ratio(self.closed_on_time, self.closed),
                f"{statistics.median(self.hours):.2f}" if self.hours else "",
                f"{statistics.fmean(self.hours):.2f}" if self.hours else "",
                self.returns, self.rated, self.satisfied, _ratio(self.satisfied, self.rated)]


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.4f}" if whole else ""


def kpis(cases: Iterable[Case], by: KpiBy) -> list[Kpi]:
    """KPIs per unit (`by="unit"`) or per category (`by="category"`), sorted by key."""
    table: dict[str, Kpi] = {}
    for case in cases:
        if not counted(case):
            continue
        if by == "unit":
            key, name = case.unit_id or "", case.unit_name or "(not dispatched)"
        else:
            key, name = case.category_code, case.category_en
        kpi = table.get(key)
        if kpi is None:
            kpi = table[key] = Kpi(key, name)
        kpi.add(case)
    return [table[k] for k in sorted(table)]


def _in_order(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda c: (c.received_at, c.serial))


def case_row(c: Case) -> list[object]:
    """One case as a row under CASE_COLUMNS (instants in UTC, RFC 3339)."""
    closed = closed_at(c)
    return [
        c.id, c.serial, c.status.value, c.received_at.isoformat(), closed.isoformat() if closed else "",
        c.overall.due_at.isoformat() if c.overall else "", c.category_code, c.category_en, c.category_zh,
        c.unit_id or "", c.unit_name or "", c.street_code, c.street_name, c.address, c.lon, c.lat,
        c.channel.value, c.level.value, c.returns, "" if c.satisfied is None else int(c.satisfied),
        c.description,
    ]


def open311(case: Case) -> dict[str, object]:
    """One GeoReport v2 service request; `x_cc_*` are this hub's extensions (street, id, unit)."""
    closed = closed_at(case)
    notes = next((t.note for t in reversed(case.history) if t.note), "")
    return {
        "service_request_id": case.serial, "status": "closed" if closed is not None or not counted(case) else "open",
        "status_notes": notes, "service_name": case.category_en, "service_code": case.category_code,
        "description": case.description, "agency_responsible": case.unit_name or "", "service_notice": "",
        "requested_datetime": case.received_at.isoformat(),
        "updated_datetime": (closed or case.updated_at).isoformat(),
        "expected_datetime": case.overall.due_at.isoformat() if case.overall else None,
        "address": case.address, "address_id": "", "zipcode": "", "lat": case.lat, "long": case.lon,
        "media_url": "", "x_cc_case_id": case.id, "x_cc_street": case.street_name, "x_cc_unit_id": case.unit_id or "",
    }


def write_kpis(out: TextIO, cases: Iterable[Case], by: KpiBy) -> int:
    """The KPIs as CSV (a header, one row per unit or category); returns the number of rows."""
    rows = kpis(cases, by)
    writer = csv.writer(out)
    writer.writerow(KPI_COLUMNS)
    for kpi in rows:
        writer.writerow(kpi.row())
    return len(rows)


def write_cases_csv(out: TextIO, cases: Iterable[Case]) -> int:
    """The cases as CSV, oldest first; returns the number of cases."""
    writer = csv.writer(out)
    writer.writerow(CASE_COLUMNS)
    count = 0
    for c in _in_order(cases):
        writer.writerow(case_row(c))
        count += 1
    return count


def write_open311(out: TextIO, cases: Iterable[Case]) -> int:
    """The cases as an Open311 GeoReport v2 JSON array, oldest first; returns the number of cases."""
    items = [open311(c) for c in _in_order(cases)]
    json.dump(items, out, ensure_ascii=False, indent=1)
    return len(items)
