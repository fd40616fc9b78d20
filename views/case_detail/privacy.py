"""Who sees a requester's phone number: the one rule, and the mask everyone else sees.

Duty officers call requesters back (回访) and commanders may have to reach one during an
incident, so both see the number. The video wall is public to the room, and an administrator
runs accounts and units, not cases: both see it masked. Masking keeps the first three and the
last four digits of the national number (`138****5678`), enough to tell two callers apart.

>>> mask_phone("+86 138 0013 5678"), mask_phone("021-6488 1234"), mask_phone("12345")
('138****5678', '021****1234', '1****')
>>> shown_phone("+86 138 0013 5678", Role.DUTY), shown_phone("+86 138 0013 5678", Role.WALL)
('+86 138 0013 5678', '138****5678')
"""

from __future__ import annotations

from protocol.enums import Role

PHONE_ROLES = frozenset({Role.DUTY, Role.COMMANDER})
"""Roles that see a requester's full phone number; every other role sees it masked."""


def may_see_phone(role: Role | None) -> bool:
    return role in PHONE_ROLES


def mask_phone(phone: str) -> str:
    """The number with its middle digits starred (country code 86 dropped)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.lstrip().startswith("+86") and len(digits) > 2:
        digits = digits[2:]
    if len(digits) <= 7:
        return digits[:1] + "*" * (len(digits) - 1)
    return f"{digits[:3]}****{digits[-4:]}"


def shown_phone(phone: str | None, role: Role | None) -> str | None:
    """What a holder of `role` is shown of `phone` (None when there is no number)."""
    if not phone:
        return None
    return phone if may_see_phone(role) else mask_phone(phone)
