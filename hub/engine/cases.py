"""Case commands: receive a request (`case.create`) and move a case along its loop."""

from __future__ import annotations

import uuid
from datetime import UTC
from zoneinfo import ZoneInfo

from hub.directory import Directory
from hub.engine.batch import Batch, Outcome
from hub.engine.steps import step_timer
from hub.engine.timers import overall_timer
from protocol import Case, CaseCreateArgs, CaseCreated, CaseStatus, ErrorCode

CENTRE_ZONE = ZoneInfo("Asia/Shanghai")


class CaseEngine:
    """Validates case commands against the directory and produces their events."""

    def __init__(self, directory: Directory, centre_code: str = "MH") -> None:
        self.directory = directory
        self.centre_code = centre_code

    def create(self, batch: Batch, args: CaseCreateArgs, actor: str) -> Outcome:
        street = self.directory.streets.get(args.street_code)
        if street is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown street code {args.street_code!r}")
        category = self.directory.categories.get(args.category_code)
        if category is None:
            return Outcome.refuse(ErrorCode.INVALID_ARGS, f"unknown category code {args.category_code!r}")
        committee_name = None
        if args.committee_code is not None:
            committee = self.directory.committees.get(args.committee_code)
            if committee is None or committee.street_code != street.code:
                return Outcome.refuse(
                    ErrorCode.INVALID_ARGS,
                    f"committee {args.committee_code!r} is not in street {street.code}",
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
            committee_code=args.committee_code,
            committee_name=committee_name,
            grid_id=args.grid_id,
            address=args.address,
            description=args.description,
            lon=args.lon,
            lat=args.lat,
            requester_phone=args.requester_phone,
            urgent=args.urgent,
            overall=overall_timer(received, category.overall_limit_hours, category.working_time),
            step=step_timer(CaseStatus.RECEIVED, received),
            exercise_id=args.exercise_id,
        )
        batch.put(case)
        event = CaseCreated(seq=batch.take_seq(), ts=batch.now, data=case)
        return Outcome(result={"id": case.id, "serial": case.serial, "seq": event.seq}, events=[event])
