"""The store's joint response as matrices: units × directives (acknowledgements) and units × tasks.

Pure functions of the store and the hub's time, so a test checks each cell without a screen
and the room redraws by handing the result to `widgets.ack_matrix.MatrixModel.set_matrix`.
Normal states are muted (acknowledged in time, waiting, done); colour marks what needs the
commander: late, missing, overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QCoreApplication

from backend_client.store import CaseStore
from protocol.emergency import Directive, Emergency, EmergencyTask, Receipt, Resource
from protocol.enums import EMERGENCY_LEVEL_ORDER, EmergencyStatus, TaskStatus
from protocol.events import Timer
from views.emergency.texts import TASK, TASK_OVERDUE, minutes_text, tr_em
from widgets.ack_matrix import Axis, MatrixCell

translate = QCoreApplication.translate

WAITING_KEY = 1e7
MISSING_KEY = 2e7
"""Sort keys: acknowledged cells sort by latency (seconds), then waiting, then missing."""


@dataclass
class Matrix:
    rows: list[Axis] = field(default_factory=list)
    columns: list[Axis] = field(default_factory=list)
    cells: dict[tuple[str, str], MatrixCell] = field(default_factory=dict)


@dataclass(frozen=True)
class AckCount:
    recipients: int
    acknowledged: int
    late: int
    missing: int
    """Not acknowledged and past the deadline."""


def active_emergencies(store: CaseStore) -> list[Emergency]:
    """The active responses, the one to show first: a real one before a drill, the highest level, the oldest."""
    return sorted((e for e in store.emergencies.values() if e.status is EmergencyStatus.ACTIVE),
                  key=lambda e: (e.exercise, -EMERGENCY_LEVEL_ORDER.index(e.level), e.declared_at))


def directives_of(store: CaseStore, emergency_id: str | None) -> list[Directive]:
    """The emergency's directives (or those outside any emergency, for None), oldest first."""
    return sorted((d for d in store.directives.values() if d.emergency_id == emergency_id),
                  key=lambda d: (d.issued_at, d.serial))


def resources_of(store: CaseStore, emergency_id: str | None) -> list[Resource]:
    """The emergency's resources, by id (none for no emergency)."""
    if emergency_id is None:
        return []
    return sorted((r for r in store.resources.values() if r.emergency_id == emergency_id), key=lambda r: r.id)


def receipts_of(store: CaseStore, directive: Directive) -> list[Receipt]:
    return [r for unit in directive.recipients if (r := store.receipts.get(f"{directive.id}/{unit}")) is not None]


def count_acks(store: CaseStore, directive: Directive, now: datetime) -> AckCount:
    receipts = receipts_of(store, directive)
    acked = [r for r in receipts if r.acknowledged_at is not None]
    late = sum(1 for r in acked if r.acknowledged_at is not None and r.acknowledged_at > directive.ack_due_at)
    missing = 0 if now < directive.ack_due_at else len(receipts) - len(acked)
    return AckCount(len(receipts), len(acked), late, missing)


def ack_cell(directive: Directive, receipt: Receipt, now: datetime) -> MatrixCell:
    if receipt.acknowledged_at is not None:
        latency = receipt.latency_s if receipt.latency_s is not None else \
            (receipt.acknowledged_at - directive.issued_at).total_seconds()
        text = minutes_text(latency)
        if receipt.reports:
            text = translate("Emergency", "%1 · reports: %2").replace("%1", text) \
                .replace("%2", str(len(receipt.reports)))
        tip = (translate("Emergency", "Acknowledged by %1 after %2")
               .replace("%1", receipt.acknowledged_by or receipt.unit_name).replace("%2", minutes_text(latency)))
        if receipt.reports:
            last = receipt.reports[-1]
            figures = ", ".join(f"{k} {v}" for k, v in sorted(last.numbers.items()))
            said = " · ".join(t for t in (figures, last.text) if t)
            tip += "\n" + translate("Emergency", "Latest report: %1").replace("%1", said)
        if receipt.acknowledged_at > directive.ack_due_at:
            late = translate("Emergency", "late · %1").replace("%1", text)
            return MatrixCell("late", late, "orange", "sla.orange", tip, latency)
        return MatrixCell("acknowledged", text, "check", "text.muted", tip, latency)
    reminded = (translate("Emergency", " · reminded %1×").replace("%1", str(receipt.reminded))
                if receipt.reminded else "")
    if now < directive.ack_due_at:
        left = (directive.ack_due_at - now).total_seconds()
        return MatrixCell("waiting", translate("Emergency", "waiting") + reminded, "ring", "text.muted",
                          translate("Emergency", "Due in %1").replace("%1", minutes_text(left)), WAITING_KEY + left)
    over = (now - directive.ack_due_at).total_seconds()
    tip = translate("Emergency", "Not acknowledged, %1 past the deadline").replace("%1", minutes_text(over))
    missing = translate("Emergency", "missing") + reminded
    return MatrixCell("missing", missing, "red", "sla.red", tip, MISSING_KEY + over)


def ack_matrix(store: CaseStore, emergency_id: str | None, now: datetime) -> Matrix:
    """Units × the emergency's directives; a unit that was not a recipient has a blank cell."""
    matrix = Matrix()
    names: dict[str, str] = {}
    for directive in directives_of(store, emergency_id):
        count = count_acks(store, directive, now)
        matrix.columns.append(Axis(directive.id, f"{directive.serial}\n{count.acknowledged}/{count.recipients}",
                                   directive.text))
        for receipt in receipts_of(store, directive):
            names.setdefault(receipt.unit_id, receipt.unit_name)
            matrix.cells[(receipt.unit_id, directive.id)] = ack_cell(directive, receipt, now)
    matrix.rows = [Axis(unit, name) for unit, name in sorted(names.items(), key=lambda kv: kv[0])]
    return matrix


def timer_level(timer: Timer, now: datetime) -> str:
    if now >= timer.due_at:
        return "red"
    if now >= timer.orange_at:
        return "orange"
    return "yellow" if now >= timer.yellow_at else "blue"


def task_cell(task: EmergencyTask, now: datetime) -> MatrixCell:
    """A task's cell: done (in time or late), overdue, or its status with the time left.

    A task past its deadline and not done is `overdue`: state, the word first in its text (so a
    narrow column cuts the status, not the verdict) and the red level's square with "!".
    """
    status = tr_em(TASK.get(task.status, task.status.value))
    figures = ", ".join(f"{k} {v}" for k, v in sorted(task.numbers.items()))
    tip = " · ".join(t for t in (status, figures, task.note) if t)
    if task.status is TaskStatus.DONE:
        late = task.done_at is not None and task.done_at > task.timer.due_at
        if late:
            return MatrixCell("done_late", translate("Emergency", "done late"), "check", "sla.orange", tip, 1.0)
        return MatrixCell("done", status, "check", "text.muted", tip, 0.0)
    left = (task.timer.due_at - now).total_seconds()
    if left <= 0:
        overdue = tr_em(TASK_OVERDUE).replace("%1", minutes_text(-left))
        return MatrixCell("overdue", f"{overdue} · {status}", "red", "sla.red", f"{overdue} · {tip}", 1e6 + left)
    level = timer_level(task.timer, now)
    text = f"{status} · " + translate("Emergency", "%1 left").replace("%1", minutes_text(left))
    if level == "blue":
        shape = "dot" if task.status is TaskStatus.IN_PROGRESS else "ring"
        return MatrixCell(task.status.value, text, shape, "text.muted", tip, 1e6 + left)
    return MatrixCell(task.status.value, text, level, f"sla.{level}", tip, 1e6 + left)


def task_matrix(store: CaseStore, emergency_id: str, now: datetime, *, language: str = "en") -> Matrix:
    """Units × the plans' tasks of one emergency; tasks by deadline (the earliest first), units by id."""
    matrix = Matrix()
    names: dict[str, str] = {}
    columns: dict[str, tuple[datetime, Axis]] = {}
    for task in (t for t in store.tasks.values() if t.emergency_id == emergency_id):
        title = task.title_zh if language.startswith("zh") else task.title_en
        held = columns.get(task.task_key)
        if held is None or task.timer.due_at < held[0]:
            columns[task.task_key] = (task.timer.due_at, Axis(task.task_key, two_lines(title), title))
        names.setdefault(task.unit_id, task.unit_name)
        matrix.cells[(task.unit_id, task.task_key)] = task_cell(task, now)
    matrix.columns = [axis for _due, axis in sorted(columns.values(), key=lambda c: (c[0], c[1].id))]
    matrix.rows = [Axis(unit, name) for unit, name in sorted(names.items(), key=lambda kv: kv[0])]
    return matrix


def two_lines(title: str, width: int = 26) -> str:
    """A column header of at most two lines of about `width` characters (CJK counts double), cut with "…"."""
    lines, line, used = [], "", 0
    for word in title.replace("；", "； ").replace("，", "， ").split(" ") if " " in title else list(title):
        size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in word)
        if used + size > width and line:
            lines.append(line.rstrip())
            line, used = "", 0
            if len(lines) == 2:
                break
        line += word + (" " if " " in title else "")
        used += size + (1 if " " in title else 0)
    if len(lines) < 2 and line:
        lines.append(line.rstrip())
    text = "\n".join(lines)
    return text if text.replace("\n", " ").replace("  ", " ").strip() == title.strip() else text + "…"


def plan_progress(store: CaseStore, emergency_id: str, now: datetime) -> tuple[int, int, int]:
    """(done, total, overdue) of the emergency's tasks."""
    tasks = [t for t in store.tasks.values() if t.emergency_id == emergency_id]
    done = sum(1 for t in tasks if t.status is TaskStatus.DONE)
    overdue = sum(1 for t in tasks if t.status is not TaskStatus.DONE and now >= t.timer.due_at)
    return done, len(tasks), overdue
