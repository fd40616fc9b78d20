"""Case commands: receive a request (`case.create`) and move a case along its loop."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC
from zoneinfo import ZoneInfo

from hub.directory import Directory
from hub.engine.batch import Batch, Outcome
from hub.engine.steps import step_timer
from hub.engine.timers import overall_timer
from protocol import Case, CaseCreateArgs, CaseCreated, CaseStatus, ErrorCode
from protocol.events import KnownEvent

CENTRE_ZONE = ZoneInfo("Asia/Shanghai")

Locate = Callable[[float, float], "tuple[str, str] | None"]
"""(lon, lat) → (grid id, committee code) of the grid holding the point, or None."""
Link = Callable[[Batch, Case], "tuple[Case, list[KnownEvent]]"]
"""A new case → the case as published (e.g. with its `emergency_id`) and the events that follow its
`case.created` in the same transaction (the linked emergency's `emergency.changed`)."""


class CaseEngine:
    """Validates case commands against the directory and produces their events."""

    def __init__(self, directory: Directory, centre_code: str = "MH", locate: Locate | None = None,
                 link: Link | None = None) -> None:
        self.directory = directory
        self.centre_code = centre_code
        self.locate = locate
        self.link = link
        """Links a case received inside an active emergency's area to it (hub/emergency/linking.py)."""

    def create(self, batch: Batch, args: CaseCreateArgs, actor: str) -> Outcome:
        street = self.directory.streets.get(args.street_code)
        if street is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown street code {args.street_code!r}")
        category = self.directory.categories.get(args.category_code)
        if category is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown category code {args.category_code!r}")
        committee_code, grid_id = args.committee_code, args.grid_id
        found = self.locate(args.lon, args.lat) if self.locate is not None else None
        if found is not None and found[1] in self.directory.committees:
            # The point's grid, and its committee when the caller named none (all approximate areas).
            grid_id = grid_id or found[0]
            if committee_code is None and self.directory.committees[found[1]].street_code == street.code:
                committee_code = found[1]
        committee_name = None
        if committee_code is not None:
            committee = self.directory.committees.get(committee_code)
            if committee is None or committee.street_code != street.code:
                return Outcome.refuse(
                    ErrorCode.INVALID_ARGS,
                    f"committee {committee_code!r} is not in street {street.code}",
                )
            committee_name = committee.name
        received = (args.received_at or batch.now).astimezone(UTC)  # the wire and the log are UTC
        if received > batch.now:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, "received_at is in the future")
        year = received.astimezone(CENTRE_ZONE).year
        number = batch.bump_counter(f"serial:{self.centre_code}:{year}")
        case = Case(
            id=uuid.uuid4().hex[:16],
            serial=f"{self.centre_code}{year}-{number:06d}",
            version=1,
            status=CaseStatus.RECEIVED,
            received_at=received,
            updated_at=batch.now,
            channel=args.channel,
            category_code=category.code,
            category_zh=category.name_zh,
            category_en=category.name_en,
            street_code=street.code,
            street_name=street.name,
            committee_code=committee_code,
            committee_name=committee_name,
            grid_id=grid_id,
            address=args.address,
            description=args.description,
            lon=args.lon,
            lat=args.lat,
            requester_phone=args.requester_phone,
            urgent=args.urgent,
            overall=overall_timer(received, category.overall_limit_hours, category.working_time,
                                  thresholds=category.thresholds),
            step=step_timer(CaseStatus.RECEIVED, received, category=category),
            exercise_id=args.exercise_id,
        )
        seq = batch.take_seq()
        linked: list[KnownEvent] = []
        if self.link is not None:
            case, linked = self.link(batch, case)
        batch.put(case)
        event = CaseCreated(seq=seq, ts=batch.now, data=case)
        return Outcome(result={"id": case.id, "serial": case.serial, "seq": event.seq}, events=[event, *linked])
