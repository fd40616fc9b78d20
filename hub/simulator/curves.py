"""When requests arrive: one daily curve per channel, in the centre's local time.

Each channel is its own non-homogeneous Poisson process; their sum is the district's intake.
Modelling channels separately keeps the mix believable hour by hour: grid workers patrol in
working hours, hotlines carry an evening tail, 110 transfers (mostly noise) peak late evening.
Shapes are relative weights at the middle of each local hour (00:30, 01:30, … 23:30), joined
linearly; `DAILY_TOTAL` × share fixes each channel's expected requests per day.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from protocol.enums import Channel

CENTRE_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time. A fixed offset (no DST since 1991) so no tz database is needed."""

DAILY_TOTAL = 3_000.0
"""Requests a day at rate 1: Haidian's figure in the brief (~3,000 cases a day)."""

CHANNEL_SHARE: dict[Channel, float] = {
    Channel.HOTLINE_12345: 0.45,
    Channel.HOTLINE_962000: 0.10,
    Channel.GRID_PATROL: 0.25,
    Channel.VIDEO: 0.08,
    Channel.APP: 0.10,
    Channel.POLICE_110: 0.02,
}

_HOTLINE = (0.8, 0.5, 0.3, 0.25, 0.25, 0.35, 0.8, 2.0, 4.5, 6.5, 7.0, 6.2,
            4.2, 5.0, 6.3, 6.6, 6.2, 5.0, 3.6, 3.2, 3.0, 2.6, 2.0, 1.3)
SHAPES: dict[Channel, tuple[float, ...]] = {
    Channel.HOTLINE_12345: _HOTLINE,
    Channel.HOTLINE_962000: _HOTLINE,
    Channel.GRID_PATROL: (0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.2, 1.5, 5.0, 8.0, 8.5, 6.0,
                          2.0, 5.0, 8.0, 8.5, 7.0, 3.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0.1),
    Channel.VIDEO: (0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 1.0, 3.0, 5.0, 6.0, 6.0, 6.0,
                    5.0, 5.0, 6.0, 6.0, 6.0, 5.0, 4.0, 3.5, 3.0, 2.0, 1.0, 0.5),
    Channel.APP: (1.0, 0.6, 0.3, 0.2, 0.2, 0.3, 0.8, 2.5, 4.0, 5.0, 5.5, 5.0,
                  4.5, 4.5, 5.0, 5.0, 5.0, 4.8, 4.5, 5.0, 5.0, 4.5, 3.0, 1.8),
    Channel.POLICE_110: (3.0, 2.5, 1.5, 1.0, 0.7, 0.6, 0.8, 1.5, 2.5, 3.0, 3.0, 3.0,
                         3.0, 3.0, 3.0, 3.0, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 5.0, 4.0),
}


def local_hour(moment: datetime) -> float:
    """Hours since local midnight, fractional (e.g. 14.5 for 14:30 in Shanghai)."""
    local = moment.astimezone(CENTRE_TZ)
    return local.hour + local.minute / 60 + (local.second + local.microsecond / 1e6) / 3600


def _shape_at(shape: tuple[float, ...], hour: float) -> float:
    """Linear interpolation between knots at h+0.5, wrapping round midnight."""
    position = (hour - 0.5) % 24
    low = int(position)
    fraction = position - low
    return shape[low] * (1 - fraction) + shape[(low + 1) % 24] * fraction


def channel_rates(moment: datetime, rate: float = 1.0) -> dict[Channel, float]:
    """Expected arrivals per second of each channel at `moment`.

    The daily integral of a knot-interpolated curve equals the sum of its knots (hours), so
    dividing by that sum makes each channel total exactly its share of the daily figure.
    """
    hour = local_hour(moment)
    return {
        channel: DAILY_TOTAL * rate * share * _shape_at(SHAPES[channel], hour) / (sum(SHAPES[channel]) * 3600)
        for channel, share in CHANNEL_SHARE.items()
    }


def total_rate(moment: datetime, rate: float = 1.0) -> float:
    """Expected arrivals per second, all channels together."""
    return sum(channel_rates(moment, rate).values())


def expected_per_hour(rate: float = 1.0) -> list[float]:
    """Expected arrivals in each local hour 0..23 (for checks and the docs)."""
    day = datetime(2026, 1, 5, tzinfo=CENTRE_TZ)
    out = []
    for hour in range(24):
        # Simpson's rule is exact for a curve that is linear on each half hour.
        points = [day + timedelta(hours=hour, minutes=m) for m in (0, 15, 30, 45, 60)]
        values = [total_rate(p, rate) for p in points]
        out.append(3600 / 12 * (values[0] + 4 * values[1] + 2 * values[2] + 4 * values[3] + values[4]))
    return out
