"""Seeded, reproducible simulated citizen requests for the demo and for load tests.

`Simulator(directory, seed, rate).arrivals(start, end)` yields (arrival time in UTC,
`CaseCreateArgs`) in time order, ~3,000 a day at rate 1 following a daily curve in Shanghai
time; `next_steps(...)` plans how a created case then moves along the closed loop.
No Qt, no I/O: the hub's driver decides when and how to send.
"""

from hub.simulator.curves import CENTRE_TZ, DAILY_TOTAL, expected_per_hour
from hub.simulator.generator import Simulator
from hub.simulator.lifecycle import Step, limit_seconds, next_steps

__all__ = ["CENTRE_TZ", "DAILY_TOTAL", "Simulator", "Step", "expected_per_hour", "limit_seconds", "next_steps"]
