"""Read docs/protocol.md and docs/asyncapi.yaml, and describe the protocol Structs by introspection.

Shared by the tests in this folder (pytest puts the folder on `sys.path`). Every "what the
code says" here is derived from `protocol` itself — its catalogues, Struct fields and
annotations — never from a list written in the tests.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import msgspec
import yaml

import protocol

ROOT = Path(__file__).resolve().parents[2]
PROTOCOL_MD = ROOT / "docs" / "protocol.md"
ASYNCAPI_YAML = ROOT / "docs" / "asyncapi.yaml"
OFFICIAL_SCHEMA = ROOT / "tests" / "data" / "asyncapi-3.0.0-schema.json"

CLIENT = "client"
HUB = "hub"

# --- the code side ------------------------------------------------------------------------


def tag_of(cls: type[msgspec.Struct]) -> str | None:
    """The wire `type` of a tagged Struct, else None."""
    config = cls.__struct_config__
    return config.tag if config.tag_field is not None else None  # type: ignore[return-value]


def message_types() -> dict[str, tuple[type[msgspec.Struct], str]]:
    """Every wire `type` of this protocol version → (Struct, sender)."""
    out: dict[str, tuple[type[msgspec.Struct], str]] = {}
    for name, cls in protocol.CLIENT_MESSAGE_TYPES.items():
        out[name] = (cls, CLIENT)
    for name, cls in protocol.SERVER_MESSAGE_TYPES.items():
        out[name] = (cls, HUB)
    for name, cls in protocol.EVENT_TYPES.items():
        out[name] = (cls, HUB)
    return out


def fields(cls: type[msgspec.Struct]) -> dict[str, msgspec.inspect.Field]:
    """Fields by wire name, in declaration order (the `type` tag is not a field)."""
    names = [f.encode_name for f in msgspec.structs.fields(cls)]
    info = msgspec.inspect.type_info(cls)
    assert isinstance(info, msgspec.inspect.StructType)
    by_name = {f.encode_name: f for f in info.fields}
    assert list(by_name) == names
    return by_name


def _walk(t: msgspec.inspect.Type) -> Iterator[msgspec.inspect.Type]:
    yield t
    if isinstance(t, msgspec.inspect.UnionType):
        for member in t.types:
            yield from _walk(member)
    elif isinstance(t, msgspec.inspect.ListType | msgspec.inspect.SetType | msgspec.inspect.VarTupleType):
        yield from _walk(t.item_type)
    elif isinstance(t, msgspec.inspect.DictType):
        yield from _walk(t.key_type)
        yield from _walk(t.value_type)


def reachable(roots: Iterable[type[msgspec.Struct]]) -> tuple[dict[str, type[msgspec.Struct]], set[type[enum.Enum]]]:
    """Structs (by class name) and enums used by the fields of `roots`, transitively."""
    structs: dict[str, type[msgspec.Struct]] = {}
    enums: set[type[enum.Enum]] = set()
    todo = list(roots)
    while todo:
        cls = todo.pop()
        for f in fields(cls).values():
            for t in _walk(f.type):
                if isinstance(t, msgspec.inspect.StructType) and t.cls.__name__ not in structs:
                    structs[t.cls.__name__] = t.cls
                    todo.append(t.cls)
                elif isinstance(t, msgspec.inspect.EnumType):
                    enums.add(t.cls)
    return structs, enums


def roots() -> list[type[msgspec.Struct]]:
    return [cls for cls, _ in message_types().values()] + list(protocol.COMMAND_ARGS.values())


def nested_structs() -> dict[str, type[msgspec.Struct]]:
    """Structs that appear inside messages but are not messages: Case, Timer, Limits, ..."""
    structs, _ = reachable(roots())
    top = set(roots())
    return {name: cls for name, cls in structs.items() if cls not in top}


def all_enums() -> dict[str, type[enum.Enum]]:
    _, enums = reachable(roots())
    return {e.__name__: e for e in enums}


def wire_required(cls: type[msgspec.Struct], field: msgspec.inspect.Field, sender: str) -> bool:
    """True when the field is on every frame: required, or written by the hub's encoder anyway."""
    if field.required:
        return True
    return sender == HUB and not cls.__struct_config__.omit_defaults


def default_of(field: msgspec.inspect.Field) -> tuple[bool, Any]:
    """(has a default a decoder fills in, that default as JSON builtins: a tuple is the array it travels as)."""
    if field.default_factory is not msgspec.NODEFAULT:
        return True, msgspec.json.decode(msgspec.json.encode(field.default_factory()))
    if field.default is msgspec.NODEFAULT or field.default is msgspec.UNSET:
        return False, None
    return True, msgspec.json.decode(msgspec.json.encode(field.default))


def code_alts(t: msgspec.inspect.Type) -> frozenset[tuple[Any, ...]]:
    """A field's type as a set of alternatives, comparable with `schema_alts`."""
    i = msgspec.inspect
    if isinstance(t, i.UnionType):
        return frozenset().union(*(code_alts(member) for member in t.types))
    if isinstance(t, i.NoneType):
        return frozenset({("null",)})
    if isinstance(t, i.StrType):
        return frozenset({("string", t.min_length, t.max_length, t.pattern)})
    if isinstance(t, i.IntType):
        assert t.multiple_of is None, t
        return frozenset({("integer", t.ge, t.le, t.gt, t.lt)})
    if isinstance(t, i.FloatType):
        assert t.multiple_of is None, t
        return frozenset({("number", t.ge, t.le, t.gt, t.lt)})
    if isinstance(t, i.BoolType):
        return frozenset({("boolean",)})
    if isinstance(t, i.DateTimeType):
        return frozenset({("instant",)})
    if isinstance(t, i.EnumType):
        return frozenset({("enum", t.cls.__name__)})
    if isinstance(t, i.StructType):
        return frozenset({("struct", t.cls.__name__)})
    if isinstance(t, i.DictType):
        return frozenset({("object",)})
    if isinstance(t, i.ListType | i.VarTupleType):  # a tuple travels as an array, like a list
        return frozenset({("array", code_alts(t.item_type))})
    raise AssertionError(f"no wire description for {t!r}; teach tests/protocol/protocol_docs.py")


# --- docs/asyncapi.yaml ---------------------------------------------------------------------


@cache
def asyncapi() -> dict[str, Any]:
    loaded = yaml.safe_load(ASYNCAPI_YAML.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def resolve(doc: dict[str, Any], ref: str) -> Any:
    """Follow a local JSON pointer such as `#/components/schemas/Case`."""
    assert ref.startswith("#/"), f"only local references are used: {ref}"
    node: Any = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and set(node) == {"$ref"}:
        node = resolve(doc, node["$ref"])
    return node


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def schema_alts(node: dict[str, Any], doc: dict[str, Any]) -> frozenset[tuple[Any, ...]]:
    """A property schema as a set of alternatives, comparable with `code_alts`."""
    schemas = doc["components"]["schemas"]
    if "$ref" in node:
        name = ref_name(node["$ref"])
        target = schemas[name]
        if "enum" in target:
            return frozenset({("enum", name)})
        if target.get("format") == "date-time":
            return frozenset({("instant",)})
        if target.get("type") == "object" and "properties" in target:
            return frozenset({("struct", name)})
        return schema_alts(target, doc)
    for combinator in ("oneOf", "anyOf"):
        if combinator in node:
            return frozenset().union(*(schema_alts(sub, doc) for sub in node[combinator]))
    if "allOf" in node and "type" not in node:
        assert len(node["allOf"]) == 1, f"allOf of one schema only: {node}"
        return schema_alts(node["allOf"][0], doc)
    kinds = node.get("type")
    assert kinds is not None, f"property schema without a type: {node}"
    out: set[tuple[Any, ...]] = set()
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if kind == "null":
            out.add(("null",))
        elif kind == "string":
            if node.get("format") == "date-time":
                out.add(("instant",))
            else:
                out.add(("string", node.get("minLength"), node.get("maxLength"), node.get("pattern")))
        elif kind in ("integer", "number"):
            bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
            out.add((kind, *(node.get(bound) for bound in bounds)))
        elif kind in ("boolean", "object"):
            out.add((kind,))
        elif kind == "array":
            out.add(("array", schema_alts(node["items"], doc)))
        else:
            raise AssertionError(f"unexpected JSON type {kind!r}")
    return frozenset(out)


def schema_problems(cls: type[msgspec.Struct], name: str, sender: str, doc: dict[str, Any]) -> list[str]:
    """Differences between a Struct and `components/schemas/<name>`; empty when they agree."""
    schema = doc["components"]["schemas"].get(name)
    if schema is None:
        return [f"components/schemas/{name} is missing"]
    problems: list[str] = []
    props: dict[str, Any] = schema.get("properties", {})
    code = fields(cls)
    tag = tag_of(cls)
    expected = set(code) | ({"type"} if tag else set())
    for missing in sorted(expected - set(props)):
        problems.append(f"{name}: field `{missing}` of {cls.__name__} is not in the schema")
    for extra in sorted(set(props) - expected):
        problems.append(f"{name}: schema property `{extra}` is not a field of {cls.__name__}")
    if tag and "type" in props and props["type"].get("const", (props["type"].get("enum") or [None])[0]) != tag:
        problems.append(f"{name}: `type` must be the constant {tag!r}")
    required = {n for n, f in code.items() if wire_required(cls, f, sender)} | ({"type"} if tag else set())
    if set(schema.get("required", [])) != required:
        problems.append(f"{name}: required is {sorted(schema.get('required', []))}, the code says {sorted(required)}")
    if cls.__struct_config__.forbid_unknown_fields and schema.get("additionalProperties") is not False:
        problems.append(f"{name}: {cls.__name__} forbids unknown fields; say additionalProperties: false")
    for field_name, field in code.items():
        if field_name not in props:
            continue
        prop = props[field_name]
        want, got = code_alts(field.type), schema_alts(prop, doc)
        if want != got:
            problems.append(f"{name}.{field_name}: schema allows {sorted(got)}, the code {sorted(want)}")
        has_default, default = default_of(field)
        if has_default and "$ref" not in prop:
            if "default" not in prop:
                problems.append(f"{name}.{field_name}: give `default: {json.dumps(default)}`")
            elif prop["default"] != default or type(prop["default"]) is not type(default):
                problems.append(f"{name}.{field_name}: default {prop['default']!r}, the code {default!r}")
        if not has_default and "default" in prop:
            problems.append(f"{name}.{field_name}: the code has no default, the schema says {prop['default']!r}")
    return problems


def message_schema_name(doc: dict[str, Any], wire_type: str) -> str | None:
    """Name of the payload schema of the message whose `name` is `wire_type`."""
    for message in doc["components"]["messages"].values():
        message = deref(doc, message)
        if message.get("name") == wire_type:
            return ref_name(message["payload"]["$ref"])
    return None


def command_schemas(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Command name → the `allOf` entry of the Command schema that types its `args`."""
    out: dict[str, dict[str, Any]] = {}
    for entry in doc["components"]["schemas"]["Command"].get("allOf", []):
        out[entry["if"]["properties"]["name"]["const"]] = entry
    return out


# --- docs/protocol.md ---------------------------------------------------------------------------


@cache
def protocol_md() -> str:
    return PROTOCOL_MD.read_text(encoding="utf-8")


_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@dataclass
class Block:
    info: str
    text: str
    line: int
    section: str


@dataclass
class Heading:
    level: int
    title: str
    line: int


def _lines_outside_fences(md: str) -> Iterator[tuple[int, str, bool]]:
    fence: str | None = None
    for number, line in enumerate(md.splitlines(), 1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
            yield number, line, True
            continue
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            yield number, line, True
            continue
        yield number, line, False


def headings(md: str) -> list[Heading]:
    out = []
    for number, line, fenced in _lines_outside_fences(md):
        match = None if fenced else _HEADING.match(line)
        if match:
            out.append(Heading(len(match.group(1)), match.group(2), number))
    return out


def section(md: str, title: str, level: int = 2) -> str:
    """Text of the heading `title` (exact) up to the next heading of the same or a higher level."""
    lines = md.splitlines()
    found = [h for h in headings(md) if h.level == level and h.title == title]
    assert len(found) == 1, f"expected one heading {'#' * level} {title} in docs/protocol.md, found {len(found)}"
    start = found[0].line
    end = next((h.line - 1 for h in headings(md) if h.line > start and h.level <= level), len(lines))
    return "\n".join(lines[start:end])


def subsections(text: str, level: int = 3) -> dict[str, str]:
    """Sub-sections whose heading is a single code span, by its content: `### `hello`` → 'hello'."""
    out: dict[str, str] = {}
    lines = text.splitlines()
    hs = headings(text)
    for h in hs:
        if h.level != level:
            continue
        name = only_code(h.title)
        assert name is not None, f"heading {h.title!r}: name it with one code span"
        end = next((g.line - 1 for g in hs if g.line > h.line and g.level <= level), len(lines))
        out[name] = "\n".join(lines[h.line : end])
    return out


def code_spans(text: str) -> list[str]:
    spans = []
    for match in _CODE_SPAN.finditer(text):
        content = match.group(2)
        if content.startswith(" ") and content.endswith(" ") and content.strip():
            content = content[1:-1]
        spans.append(content)
    return spans


def only_code(cell: str) -> str | None:
    """The content of a cell that is exactly one code span, else None."""
    match = _CODE_SPAN.fullmatch(cell.strip())
    return code_spans(cell)[0] if match else None


def _split_row(line: str) -> list[str]:
    line = line.strip()
    assert line.startswith("|")
    line = line[1:-1] if line.endswith("|") and not line.endswith("\\|") else line[1:]
    cells: list[str] = []
    current = ""
    code = 0
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "`":
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            run = j - i
            if code == 0:
                code = run
            elif code == run:
                code = 0
            current += line[i:j]
            i = j
            continue
        if ch == "\\" and line[i + 1 : i + 2] == "|":
            current += "|"
            i += 2
            continue
        if ch == "|" and not code:
            cells.append(current.strip())
            current = ""
        else:
            current += ch
        i += 1
    cells.append(current.strip())
    return cells


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every pipe table outside code blocks, as rows keyed by the header cells."""
    out: list[list[dict[str, str]]] = []
    block: list[str] = []
    for _, line, fenced in [*_lines_outside_fences(text), (0, "", False)]:
        if not fenced and line.strip().startswith("|"):
            block.append(line)
            continue
        if len(block) >= 2:
            header = _split_row(block[0])
            assert set(block[1].replace("|", "").strip()) <= set("-: "), f"not a table: {block[:2]}"
            rows = []
            for row in block[2:]:
                cells = _split_row(row)
                assert len(cells) == len(header), f"row has {len(cells)} cells, header {len(header)}: {row}"
                rows.append(dict(zip(header, cells, strict=True)))
            out.append(rows)
        block = []
    return out


def first_table(text: str) -> list[dict[str, str]]:
    found = tables(text)
    assert found, "no table in this section"
    return found[0]


def fenced_blocks(md: str) -> list[Block]:
    """Every fenced code block with its info string and the h2 it sits in."""
    out: list[Block] = []
    current_h2 = ""
    info: str | None = None
    start = 0
    body: list[str] = []
    for number, line, fenced in _lines_outside_fences(md):
        if not fenced:
            match = _HEADING.match(line)
            if match and len(match.group(1)) == 2:
                current_h2 = match.group(2)
            continue
        if info is None:
            info = _FENCE.match(line).group(2).strip()  # type: ignore[union-attr]
            start = number
            body = []
        elif _FENCE.match(line) and not _FENCE.match(line).group(2).strip():  # type: ignore[union-attr]
            out.append(Block(info, "\n".join(body), start, current_h2))
            info = None
        else:
            body.append(line)
    return out


@dataclass
class Frame:
    sender: str  # CLIENT, HUB, or "client-bad"
    text: str
    line: int
    section: str

    def __str__(self) -> str:
        return f"docs/protocol.md:{self.line} ({self.sender})"


def example_frames(md: str | None = None) -> list[Frame]:
    """Frames in ```json client / ```json hub / ```text client-bad blocks, in document order."""
    frames = []
    for block in fenced_blocks(md if md is not None else protocol_md()):
        words = block.info.split()
        if words[1:2] in (["client"], ["hub"], ["client-bad"]):
            frames.append(Frame(words[1], block.text, block.line, block.section))
    return frames


def md_type_cell_problems(field: msgspec.inspect.Field, cell: str) -> list[str]:
    """The Type cell of a field table must say what the code's annotation says."""
    problems = []
    alts = code_alts(field.type)
    if (("null",) in alts) != bool(re.search(r"\bnull\b", cell)):
        problems.append(f"`{field.name}`: type cell {cell!r} must say 'null' exactly when null is allowed")
    for alt in alts:
        kind = alt[0]
        if kind in ("enum", "struct"):
            if f"`{alt[1]}`" not in cell:
                problems.append(f"`{field.name}`: type cell {cell!r} must name `{alt[1]}`")
        elif kind == "array":
            if "array" not in cell:
                problems.append(f"`{field.name}`: type cell {cell!r} must say 'array'")
            for item in alt[1]:
                if item[0] in ("enum", "struct") and f"`{item[1]}`" not in cell:
                    problems.append(f"`{field.name}`: type cell {cell!r} must name `{item[1]}`")
        elif kind in ("string", "integer", "number", "boolean", "instant", "object"):
            if kind not in cell:
                problems.append(f"`{field.name}`: type cell {cell!r} must say {kind!r}")
            bounds = list(alt[1:])
            # Numbers: (ge, le, gt, lt); an exclusive bound is written "> x" / "< x".
            prefixes = ["", "", "> ", "< "] if kind in ("integer", "number") else [""] * len(bounds)
            for prefix, bound in zip(prefixes, bounds, strict=True):
                if bound is None:
                    continue
                text = prefix + (bound if isinstance(bound, str) else f"{bound:g}")
                if text not in cell:
                    problems.append(f"`{field.name}`: type cell {cell!r} must give the bound {text!r}")
    return problems


def md_table_problems(
    cls: type[msgspec.Struct],
    rows: list[dict[str, str]],
    sender: str,
    *,
    skip_type_of: frozenset[str] = frozenset(),
    shared_envelope: bool = False,
) -> list[str]:
    """Differences between a Struct and a field table (| Field | Type | Presence | Meaning |)."""
    problems: list[str] = []
    by_name: dict[str, dict[str, str]] = {}
    for row in rows:
        name = only_code(row["Field"])
        if name is None:
            problems.append(f"field cell {row['Field']!r} must be one code span")
            continue
        by_name[name] = row
    code = fields(cls)
    tag = tag_of(cls)
    expected = set(code) | ({"type"} if tag or "type" in by_name else set())
    for missing in sorted(expected - set(by_name)):
        problems.append(f"field `{missing}` of {cls.__name__} is not in the table")
    for extra in sorted(set(by_name) - expected):
        problems.append(f"table row `{extra}` is not a field of {cls.__name__}")
    if tag and not shared_envelope and "type" in by_name and f'"{tag}"' not in by_name["type"]["Type"]:
        problems.append(f'`type` row must give the constant "{tag}"')
    for name, field in code.items():
        row = by_name.get(name)
        if row is None:
            continue
        if name not in skip_type_of:
            problems += md_type_cell_problems(field, row["Type"])
        presence = row["Presence"]
        always = wire_required(cls, field, sender)
        first = presence.split()[0].strip(",;").lower() if presence else ""
        if sender == CLIENT:
            want = "required" if always else "optional"
            if first != want:
                problems.append(f"`{name}`: presence {presence!r} must start with {want!r}")
        elif always != (first == "always"):
            problems.append(f"`{name}`: presence {presence!r} must {'' if always else 'not '}start with 'always'")
        has_default, default = default_of(field)
        default_text = f"`{json.dumps(default, ensure_ascii=False)}`"
        if has_default and "default " + default_text not in presence:
            problems.append(f"`{name}`: presence {presence!r} must say 'default {default_text}'")
        if not has_default and "default" in presence:
            problems.append(f"`{name}`: presence {presence!r} names a default the code does not have")
    return problems
