"""Hypothesis strategies for every protocol Struct, built from its annotations (msgspec.inspect).

A value drawn here satisfies every constraint the code declares, so encoding it must succeed,
decoding the bytes must give it back, and the AsyncAPI payload schema must accept it.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from functools import cache
from typing import Any

import msgspec
from hypothesis import strategies as st
from protocol_docs import fields, message_types

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)

INSTANTS = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC))


def _text(t: msgspec.inspect.StrType) -> st.SearchStrategy[str]:
    low, high = t.min_length or 0, t.max_length if t.max_length is not None else 40
    if t.pattern is None:
        return st.text(min_size=low, max_size=min(high, 40))
    # The code validates with Python's `re.search`, the schema with ECMA-262 rules; draw only
    # strings both accept (no line breaks: Python's `$` also matches before a final newline).
    return st.from_regex(t.pattern, fullmatch=True, alphabet=string.printable.strip() + " ").filter(
        lambda s: low <= len(s) <= high and re.search(t.pattern, s) is not None
    )


def strategy_for(t: msgspec.inspect.Type) -> st.SearchStrategy[Any]:
    i = msgspec.inspect
    if isinstance(t, i.UnionType):
        return st.one_of([strategy_for(member) for member in t.types])
    if isinstance(t, i.NoneType):
        return st.none()
    if isinstance(t, i.StrType):
        return _text(t)
    if isinstance(t, i.IntType):
        low = t.ge if t.ge is not None else t.gt + 1 if t.gt is not None else -(2**53)
        high = t.le if t.le is not None else t.lt - 1 if t.lt is not None else 2**53
        return st.integers(low, high)
    if isinstance(t, i.FloatType):
        return st.floats(
            t.ge if t.ge is not None else t.gt,
            t.le if t.le is not None else t.lt,
            exclude_min=t.gt is not None,
            exclude_max=t.lt is not None,
            allow_nan=False,
            allow_infinity=False,
        )
    if isinstance(t, i.BoolType):
        return st.booleans()
    if isinstance(t, i.DateTimeType):
        return INSTANTS
    if isinstance(t, i.EnumType):
        return st.sampled_from(list(t.cls))
    if isinstance(t, i.StructType):
        return struct_strategy(t.cls)
    if isinstance(t, i.DictType):
        # `dict[str, Any]` (command args, results) holds any JSON; a typed dict holds its types.
        keys = st.text(max_size=8) if isinstance(t.key_type, i.AnyType) else strategy_for(t.key_type)
        values = JSON_VALUES if isinstance(t.value_type, i.AnyType) else strategy_for(t.value_type)
        return st.dictionaries(keys, values, max_size=4)
    if isinstance(t, i.ListType | i.VarTupleType):
        low = t.min_length or 0
        items = st.lists(strategy_for(t.item_type), min_size=low,
                         max_size=t.max_length if t.max_length is not None else max(low, 2))
        return items.map(tuple) if isinstance(t, i.VarTupleType) else items
    raise AssertionError(f"no strategy for {t!r}")


@cache
def struct_strategy(cls: type[msgspec.Struct]) -> st.SearchStrategy[msgspec.Struct]:
    """Instances of `cls`; an optional field is sometimes left to its default (or unset)."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for f in fields(cls).values():
        (required if f.required else optional)[f.name] = st.deferred(lambda f=f: strategy_for(f.type))
    return st.fixed_dictionaries(required, optional=optional).map(lambda kwargs: cls(**kwargs))


def message_of_type(wire_type: str) -> st.SearchStrategy[msgspec.Struct]:
    cls, _ = message_types()[wire_type]
    return struct_strategy(cls)


def any_message() -> st.SearchStrategy[msgspec.Struct]:
    return st.one_of([message_of_type(name) for name in sorted(message_types())])
