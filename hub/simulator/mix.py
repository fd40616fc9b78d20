"""Which categories each channel brings, which are urgent, and how a caller's details look.

The category weights in categories.csv give the district-wide frequency; each channel bends it:
110 transfers are mostly noise and neighbour nuisances, grid patrols find broken facilities and
street disorder, video cameras see parking and stalls but cannot hear noise.
"""

from __future__ import annotations

import random

from hub.directory import Category, Committee, Street
from hub.simulator.texts import PLACES
from protocol.enums import Channel

_COMPONENT_CLASSES = ("01", "02", "03", "04", "05")
"""GB/T 47678.5 matters 01–05 are facility (component) problems."""

_COMPONENT = "component"
AFFINITY: dict[Channel, dict[str, float]] = {
    Channel.HOTLINE_12345: {"06028": 1.3, "08001": 1.3, "06027": 1.5, "01001": 1.3, _COMPONENT: 0.8, "07001": 0.5},
    Channel.HOTLINE_962000: {"06028": 1.3, "08001": 1.3, "06027": 1.5, "06001": 1.5, _COMPONENT: 0.8},
    Channel.GRID_PATROL: {
        _COMPONENT: 2.5, "07001": 3.0, "09001": 2.0, "09005": 2.0, "09006": 2.0, "06010": 1.5, "06011": 1.5,
        "06036": 1.5, "06042": 1.5, "06012": 2.0, "06041": 1.5, "06028": 0.1, "08001": 0.3, "06027": 0.3,
    },
    Channel.VIDEO: {
        _COMPONENT: 0.5, "09009": 4.0, "09010": 2.0, "09011": 2.0, "09001": 3.0, "09005": 3.0, "09006": 3.0,
        "06010": 2.0, "06036": 2.0, "06014": 3.0, "06029": 2.0, "06028": 0.0, "08001": 0.0, "06027": 0.3,
        "06041": 0.0, "06030": 0.5,
    },
    Channel.APP: {"09009": 1.5, "09011": 1.5, "06013": 1.5, "01037": 1.3, "06028": 0.8},
    Channel.POLICE_110: {
        "06028": 8.0, "08001": 5.0, "06029": 2.0, "09012": 3.0, "09009": 1.5, "10002": 3.0, "01011": 4.0,
        "02014": 2.0, _COMPONENT: 0.3, "*": 0.2,
    },
}
"""Multipliers of a category's weight per channel; "*" is the default for unlisted categories."""

NIGHT_CATEGORIES = {"06028": 3.0, "08001": 2.5, "06029": 3.0, "06027": 1.5}
"""Night-time nuisances: their weight is multiplied in the late evening and small hours."""

URGENT_SHARE: dict[str, float] = {
    "01001": 0.25, "01002": 0.25, "01003": 0.25, "01023": 0.25, "01011": 0.5, "01004": 0.1,
    "02014": 0.3, "04002": 0.08, "06013": 0.03, "06014": 0.1, "09012": 0.15, "10002": 0.5,
}
"""Share of requests flagged urgent, for hazardous categories only (open manholes, gas, cables)."""

PHONE_CHANNELS = frozenset({Channel.HOTLINE_12345, Channel.HOTLINE_962000, Channel.APP})
_PREFIXES = ("139", "138", "137", "136", "135", "158", "159", "150", "186", "189", "177", "133", "181")


def affinity(channel: Channel, category: Category) -> float:
    """How much more (or less) often this channel brings this category than the district mix."""
    table = AFFINITY[channel]
    if category.code in table:
        return table[category.code]
    if category.code[:2] in _COMPONENT_CLASSES and _COMPONENT in table:
        return table[_COMPONENT]
    return table.get("*", 1.0)


def is_night(local_hour: float) -> bool:
    """20:00–02:00 local: when noise, barbecues and night works draw complaints."""
    return local_hour >= 20 or local_hour < 2


def night_factor(code: str, local_hour: float) -> float:
    """Weight multiplier of a category at this local hour (night nuisances rise at night)."""
    return NIGHT_CATEGORIES.get(code, 1.0) if is_night(local_hour) else 1.0


def phone(rng: random.Random) -> str:
    """A mobile number whose middle four digits are 0000: reads as masked, fits the protocol."""
    return f"{rng.choice(_PREFIXES)}0000{rng.randrange(10_000):04d}"


def short_name(committee: Committee) -> str:
    """华江新村第一居委会 → 华江新村; 光华村村委会 → 光华村; 瓶安路居委会 → 瓶安路."""
    name = committee.name
    for suffix in ("村民委员会", "居民委员会", "村委会", "居委会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if "第" in name[1:] and name.rstrip("一二三四五六七八九十").endswith("第"):
        name = name[: name.rindex("第")]
    return name


def address(rng: random.Random, street: Street, committee: Committee | None) -> str:
    """A believable address: house number on the committee's estate, road or village group."""
    if committee is None:
        return f"{street.name}{rng.choice(PLACES)}附近"
    area = short_name(committee)
    if rng.random() < 0.3:
        return f"{street.name}{area}{rng.choice(PLACES)}附近"
    if committee.name.endswith("村委会") and area.endswith("村"):
        return f"{street.name}{area}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
    return f"{street.name}{area}{rng.randint(1, 220)}号"
