"""The desk's three tables, column by column: header, text, sort key (context `Supervision`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from protocol.enums import SupervisionAction
from views.case_detail.texts import SUPERVISION, tr_text
from views.models.case_cells import NO_VALUE, local_text
from views.models.labels import status_text
from views.supervision.record import Entry
from views.supervision.risk import ACTION_RANK, LEVEL_RANK, AtRisk, UnitRank
from views.supervision.table_model import Column

translate = QCoreApplication.translate


def level_word(level: str) -> str:
    return {"red": translate("Supervision", "Overdue"), "orange": translate("Supervision", "Orange"),
            "yellow": translate("Supervision", "Yellow"), "blue": translate("Supervision", "In time")}[level]


def reasons_text(row: AtRisk) -> str:
    """`returned 2× · reopened` (the level has its own column)."""
    words = []
    if "returned" in row.reasons:
        words.append(translate("Supervision", "returned %1×").replace("%1", str(row.case.returns)))
    if "reopened" in row.reasons:
        words.append(translate("Supervision", "reopened"))
    return " · ".join(words)


def supervision_word(action: SupervisionAction | None) -> str:
    return tr_text(SUPERVISION[action]) if action is not None else ""


def supervised_text(row: AtRisk) -> str:
    """`3 · Supervised` (how many records, the heaviest rung), or nothing."""
    return f"{row.supervised} · {supervision_word(row.heaviest)}" if row.supervised else ""


def at_risk_columns(language: str) -> list[Column[AtRisk]]:
    zh = language.startswith("zh")
    return [
        Column(translate("Supervision", "Level"), lambda r: level_word(r.case.level.value),
               lambda r: LEVEL_RANK[r.case.level], level=lambda r: r.case.level.value),
        Column(translate("Supervision", "Serial"), serial_text, lambda r: r.case.serial),
        Column(translate("Supervision", "Why at risk"), reasons_text, lambda r: r.weight[1:]),
        Column(translate("Supervision", "Unit"), lambda r: r.case.unit_name or NO_VALUE,
               lambda r: r.case.unit_name or ""),
        Column(translate("Supervision", "Status"), lambda r: status_text(r.case.status), lambda r: r.case.status.value),
        Column(translate("Supervision", "Category"), lambda r: (r.case.category_zh if zh else r.case.category_en)
               or r.case.category_code, lambda r: r.case.category_code),
        Column(translate("Supervision", "Street"), lambda r: r.case.street_name, lambda r: r.case.street_name),
        Column(translate("Supervision", "Supervision"), supervised_text,
               lambda r: (ACTION_RANK[r.heaviest] if r.heaviest else -1, r.supervised)),
        Column(translate("Supervision", "Received"), lambda r: local_text(r.case.received_at),
               lambda r: r.case.received_at),
    ]


def on_time_text(unit: UnitRank) -> str:
    return f"{100 * unit.closed_on_time / unit.closed:.0f} %" if unit.closed else NO_VALUE


def unit_columns() -> list[Column[UnitRank]]:
    return [
        Column(translate("Supervision", "Unit"), lambda u: u.unit_name, lambda u: u.unit_name),
        Column(translate("Supervision", "Overdue now"), lambda u: str(u.overdue_now), lambda u: u.overdue_now,
               level=lambda u: "red" if u.overdue_now else None, align_right=True),
        Column(translate("Supervision", "Returned"), lambda u: str(u.returned), lambda u: u.returned,
               align_right=True),
        Column(translate("Supervision", "At risk"), lambda u: str(u.at_risk), lambda u: u.at_risk, align_right=True),
        Column(translate("Supervision", "Supervised"), lambda u: str(u.supervised), lambda u: u.supervised,
               align_right=True),
        Column(translate("Supervision", "On time"), on_time_text,
               lambda u: u.closed_on_time / u.closed if u.closed else -1.0, align_right=True),
        Column(translate("Supervision", "Received"), lambda u: str(u.received), lambda u: u.received,
               align_right=True),
    ]


def record_key(entry: Entry, index: int) -> str:
    """A record's row key: its `seq`, or its place among those from the cache (they have none)."""
    return str(entry.seq) if entry.seq is not None else f"cached-{index}"


def serial_text(row: AtRisk) -> str:
    """The serial; a drill's case says so first (a drill is never mistaken for reality)."""
    return (translate("Supervision", "DRILL") + " · " if row.case.exercise_id else "") + row.case.serial


def record_columns(serial_of: dict[str, str], unit_name_of: dict[str, str]) -> list[Column[Entry]]:
    """`serial_of` and `unit_name_of` are read at each redraw (the panel refills them)."""
    return [
        Column(translate("Supervision", "When"), lambda e: local_text(e.at) if e.at else NO_VALUE,
               lambda e: e.seq or 0),
        Column(translate("Supervision", "Action"), lambda e: supervision_word(e.record.action),
               lambda e: ACTION_RANK[e.record.action]),
        Column(translate("Supervision", "Case"), lambda e: serial_of.get(e.record.case_id, e.record.case_id),
               lambda e: serial_of.get(e.record.case_id, e.record.case_id)),
        Column(translate("Supervision", "Unit"),
               lambda e: unit_name_of.get(e.record.unit_id or "", e.record.unit_id or NO_VALUE),
               lambda e: e.record.unit_id or ""),
        Column(translate("Supervision", "By"), lambda e: translate("Supervision", "hub (automatic)")
               if e.record.automatic else e.record.actor, lambda e: e.record.actor),
        Column(translate("Supervision", "Note"), lambda e: e.record.note, lambda e: e.record.note),
    ]
