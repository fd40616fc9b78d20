"""The seeded stream of simulated citizen requests (arrival time, `case.create` arguments).

Arrivals are drawn hour by hour, each clock hour from its own generator seeded by (seed, rate,
hour). So the stream is a pure function of the seed: any window [start, end) holds exactly the
requests that a longer run covering it would hold there, whatever the order or size of the
windows a driver asks for, and a restarted hub does not replay or skip requests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from hub.directory import Category, Directory
from hub.simulator import mix
from hub.simulator.curves import channel_rates, local_hour, total_rate
from hub.simulator.lifecycle import Step, next_steps
from hub.simulator.texts import PLACES, TEMPLATES, generic
from protocol.commands import CaseCreateArgs
from protocol.enums import Channel

_HOUR = timedelta(hours=1)


class Simulator:
    """Believable requests for the directory's district: ~3,000 a day at rate 1."""

    def __init__(self, directory: Directory, seed: int = 1, rate: float = 1.0) -> None:
        if not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"rate must be a positive number, not {rate!r}")
        self.directory = directory
        self.seed = seed
        self.rate = rate
        self._categories = [c for c in directory.categories.values() if c.weight > 0]
        self._cumulative: dict[tuple[Channel, bool], list[float]] = {}

    def arrivals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, CaseCreateArgs]]:
        """Requests arriving in [start, end), in time order, with their arrival time in UTC.

        `args.received_at` is left unset: a driver sending in real time lets the hub stamp it,
        one back-filling the past sets it to the arrival time.
        """
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must carry a time zone")
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        hour = start.replace(minute=0, second=0, microsecond=0)
        while hour < end:
            for moment, args in self._hour(hour):
                if start <= moment < end:
                    yield moment, args
            hour += _HOUR

    def next_steps(self, received_at: datetime, case_key: int | str, category_code: str,
                   urgent: bool = False) -> list[Step]:
        """The planned path of one created case (see `lifecycle.next_steps`)."""
        category = self.directory.categories.get(category_code)
        return next_steps(received_at, f"{self.seed}:{case_key}", category, urgent)

    def _hour(self, hour: datetime) -> list[tuple[datetime, CaseCreateArgs]]:
        """One clock hour of arrivals: a Poisson process thinned to the daily curve."""
        rng = random.Random(f"arrivals:{self.seed}:{self.rate!r}:{int(hour.timestamp())}")
        # The curve is linear between half hours, so its peak in the hour is at one of these.
        peak = max(total_rate(hour + _HOUR * k / 2, self.rate) for k in range(3))
        out: list[tuple[datetime, CaseCreateArgs]] = []
        offset = 0.0
        while True:
            offset += rng.expovariate(peak)
            if offset >= 3600:
                return out
            moment = hour + timedelta(seconds=offset)
            rates = channel_rates(moment, self.rate)
            if rng.random() * peak >= sum(rates.values()):
                continue
            (channel,) = rng.choices(list(rates), weights=list(rates.values()))
            out.append((moment, self._request(rng, moment, channel)))

    def _request(self, rng: random.Random, moment: datetime, channel: Channel) -> CaseCreateArgs:
        category = self._category(rng, channel, local_hour(moment))
        lon, lat = self._point(rng)
        street = self.directory.street_of(lon, lat)
        committee = self.directory.committee_of(lon, lat)
        template = rng.choice(TEMPLATES.get(category.code) or (generic(category.name_zh),))
        prefix = "110转办：" if channel is Channel.POLICE_110 else ""  # how transfers read in the queue
        with_phone = channel in mix.PHONE_CHANNELS and rng.random() >= 0.05  # 5 % withhold their number
        return CaseCreateArgs(
            channel=channel,
            category_code=category.code,
            street_code=street.code,
            committee_code=committee.code if committee else None,
            description=prefix + template.format(place=rng.choice(PLACES)),
            address=mix.address(rng, street, committee),
            lon=lon,
            lat=lat,
            requester_phone=mix.phone(rng) if with_phone else None,
            urgent=rng.random() < mix.URGENT_SHARE.get(category.code, 0.0),
        )

    def _category(self, rng: random.Random, channel: Channel, hour: float) -> Category:
        key = (channel, mix.is_night(hour))
        if key not in self._cumulative:
            weights = [c.weight * mix.affinity(channel, c) * mix.night_factor(c.code, hour)
                       for c in self._categories]
            if sum(weights) <= 0:
                weights = [c.weight for c in self._categories]
            self._cumulative[key] = list(accumulate(weights))
        (category,) = rng.choices(self._categories, cum_weights=self._cumulative[key])
        return category

    def _point(self, rng: random.Random) -> tuple[float, float]:
        """A point inside the district, rounded to ~0.1 m, re-drawn if rounding left the polygon."""
        while True:
            lon, lat = self.directory.random_point(rng)
            lon, lat = round(lon, 6), round(lat, 6)
            if self.directory.contains(lon, lat):
                return lon, lat
