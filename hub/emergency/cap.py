"""CAP 1.2 warnings in: a safe, validating parser, and China's four-colour signals read from it.

`parse_cap(data, source)` turns the bytes of one CAP message into a `CapAlert` or raises
`CapError` with one line naming the file and the reason. It never half-succeeds: every check
runs before anything is returned, so a caller that stores only what `parse_cap` returned
never stores part of a bad file.

Safety: the XML is parsed by defusedxml with DTDs forbidden, so entity expansion (billion
laughs) and external entities (XXE) are refused before any expansion happens; files over
`MAX_BYTES` are refused before parsing.

What is checked, per OASIS CAP 1.2:
* the root is `<alert>` in the CAP 1.2 namespace. CAP 1.1 (and any other namespace) is
  refused with a reason that says so: every sample and every agency feed we take is 1.2, and
  1.1 differs in details (certainty "Very Likely", no `<responseType>` "Avoid"/"AllClear")
  that a 1.2 validator would misjudge. A 1.1 source should be upgraded at its end.
* the alert's required elements (identifier, sender, sent, status, msgType, scope), each once,
  and their enumerations; identifier and sender without spaces, commas, '<' or '&';
* every date-time in CAP's form `2002-05-24T16:49:00-07:00`: seconds, no fraction, a ±hh:mm
  offset (no "Z", as the standard says);
* each `<info>`: at least one category, event, urgency, severity, certainty, and the
  enumerations of these and of responseType; eventCode/parameter pairs;
* each `<area>`: areaDesc; polygons (≥ 4 "lat,lon" points, closed, in range) and circles
  ("lat,lon radius", radius in km ≥ 0); geocodes. Points are stored as (lon, lat).
Elements of other namespaces (an XML signature) are ignored, as are CAP elements the console
does not use (web, contact, resource, altitude, …).

The chosen `<info>` block is the first in zh-CN, else the first in any zh, else the first in
en, else the first; an `<info>` without `<language>` is en-US, per the standard.

`signal_of(alert)` reads a China four-colour typhoon or rainstorm signal (blue IV, yellow III,
orange II, red I) from the eventCode `SIGNAL_CODE_NAME` (defined by this project, used in the
composed files of resources/cap/) or from the event/headline text; a foreign tropical-cyclone
warning gets a TYPHOON signal with its level from CAP severity. It answers None for anything
else, and for messages that must not suggest a plan: msgType Cancel (the hub treats a Cancel as
the cancellation of the warnings it references), Ack and Error; status Test, System and Draft;
a signal being lifted (解除).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_et  # type: ignore[import-untyped]  # (no stubs)

from protocol import EmergencyLevel, EmergencyType

__all__ = [
    "CAP_NAMESPACE",
    "MAX_BYTES",
    "SIGNAL_CODE_NAME",
    "CapAlert",
    "CapArea",
    "CapError",
    "CapInfo",
    "Signal",
    "parse_cap",
    "signal_of",
]

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_BYTES = 1024 * 1024
"""A CAP message is a few kilobytes; anything over 1 MiB is refused unread."""
SIGNAL_CODE_NAME = "CN-WarningSignal"
"""eventCode valueName of the composed Shanghai files: value `<typhoon|rainstorm>-<blue|yellow|orange|red>`."""

_P = "{" + CAP_NAMESPACE + "}"
_CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra",
              "CBRNE", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_BAD_ID_CHARS = re.compile(r"[\s,<&]")


class CapError(ValueError):
    """A CAP file refused: `str()` is one line, `FILE: WHERE: REASON` (file and where when known)."""

    def __init__(self, reason: str, source: str = "", where: str = "") -> None:
        self.reason = " ".join(reason.split())
        self.source = source
        self.where = where
        super().__init__(": ".join(part for part in (source, where, self.reason) if part))


@dataclass(frozen=True, slots=True)
class CapArea:
    desc: str
    polygons: tuple[tuple[tuple[float, float], ...], ...]
    """Each polygon's points as (lon, lat), closed (last == first); CAP writes them "lat,lon"."""
    circles: tuple[tuple[float, float, float], ...]
    """(lon, lat, radius_km)."""
    geocodes: tuple[tuple[str, str], ...]
    """(valueName, value)."""


@dataclass(frozen=True, slots=True)
class CapInfo:
    language: str
    category: tuple[str, ...]
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str
    instruction: str
    sender_name: str
    effective: datetime | None
    onset: datetime | None
    expires: datetime | None
    event_codes: tuple[tuple[str, str], ...]
    parameters: tuple[tuple[str, str], ...]
    areas: tuple[CapArea, ...]


@dataclass(frozen=True, slots=True)
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: str
    info: CapInfo | None
    """The chosen block (zh-CN, any zh, en, the first); None when the message has no `<info>`."""
    infos: tuple[CapInfo, ...]
    composed: bool
    """True when the alert's `<note>` starts with "Composed" (the demo's files, not an authority's)."""
    source: str


@dataclass(frozen=True, slots=True)
class Signal:
    """A warning that suggests a response plan: the commander confirms or dismisses it."""

    type: EmergencyType
    level: EmergencyLevel
    colour_en: str
    colour_zh: str
    reason: str


# --- parsing -------------------------------------------------------------------------------


def parse_cap(data: bytes, source: str = "") -> CapAlert:
    """Parse and validate one CAP 1.2 message; raise CapError (one line: file, where, reason)."""
    try:
        return _parse(data, source)
    except CapError as exc:
        if exc.source == source:
            raise
        raise CapError(exc.reason, source, exc.where) from None


def _parse(data: bytes, source: str) -> CapAlert:
    if len(data) > MAX_BYTES:
        raise CapError(f"file too large: {len(data):,} bytes, the limit is {MAX_BYTES:,} (1 MiB)")
    if not data.strip():
        raise CapError("empty file")
    try:
        root: Element = safe_et.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (safe_et.DTDForbidden, safe_et.EntitiesForbidden, safe_et.ExternalReferenceForbidden) as exc:
        raise CapError(f"refused: the file declares entities/DTD ({type(exc).__name__})") from None
    except ParseError as exc:
        line, column = exc.position
        raise CapError(f"not well-formed XML at line {line}, column {column}: {_parse_message(exc)}") from None
    _check_root(root)
    fields = _group(root)
    identifier = _identifier(fields, "identifier")
    sender = _identifier(fields, "sender")
    sent = _datetime(fields, "sent", "", required=True)
    assert sent is not None
    status = _enum(fields, "status", STATUSES, "")
    msg_type = _enum(fields, "msgType", MSG_TYPES, "")
    scope = _enum(fields, "scope", SCOPES, "")
    references = _text(fields, "references", "")
    note = _text(fields, "note", "")
    infos = tuple(_info(el, f"info[{i}]") for i, el in enumerate(fields.get("info", ())))
    return CapAlert(identifier=identifier, sender=sender, sent=sent, status=status, msg_type=msg_type,
                    scope=scope, references=references, info=_choose(infos), infos=infos,
                    composed=note.startswith("Composed"), source=source)


def _parse_message(exc: ParseError) -> str:
    text = str(exc)
    return text.split(":", 1)[0] if ": line " in text else text


def _check_root(root: Element) -> None:
    tag = root.tag
    if tag == _P + "alert":
        return
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "alert":
        raise CapError(f"root element is <{local}>, not a CAP <alert>")
    if namespace == _CAP_11:
        raise CapError(f"CAP 1.1 is not accepted: the namespace must be {CAP_NAMESPACE} (CAP 1.2)")
    shown = repr(namespace) if namespace else "no namespace"
    raise CapError(f"wrong namespace: {shown}, expected {CAP_NAMESPACE} (CAP 1.2)")


def _group(parent: Element) -> dict[str, list[Element]]:
    """The CAP children of an element by local name, in document order; other namespaces are left out."""
    out: dict[str, list[Element]] = {}
    for child in parent:
        tag = child.tag
        if isinstance(tag, str) and tag.startswith(_P):
            out.setdefault(tag[len(_P):], []).append(child)
    return out


def _text(fields: dict[str, list[Element]], name: str, where: str, *, required: bool = False) -> str:
    found = fields.get(name)
    if not found:
        if required:
            raise CapError(f"missing <{name}>", where=where)
        return ""
    if len(found) > 1:
        raise CapError(f"more than one <{name}>", where=where)
    text = (found[0].text or "").strip()
    if required and not text:
        raise CapError(f"empty <{name}>", where=where)
    return text


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _identifier(fields: dict[str, list[Element]], name: str) -> str:
    text = _text(fields, name, "", required=True)
    if _BAD_ID_CHARS.search(text):
        raise CapError(f"bad <{name}> {_shown(text)}: spaces, commas, '<' and '&' are not allowed")
    return text


def _enum(fields: dict[str, list[Element]], name: str, allowed: tuple[str, ...], where: str) -> str:
    text = _text(fields, name, where, required=True)
    if text not in allowed:
        raise CapError(f"bad <{name}> {_shown(text)}: expected one of {', '.join(allowed)}", where=where)
    return text


def _datetime(fields: dict[str, list[Element]], name: str, where: str, *, required: bool = False) -> datetime | None:
    text = _text(fields, name, where, required=required)
    if not text:
        return None
    if _DATETIME.fullmatch(text) is None:
        raise CapError(f"bad <{name}> {_shown(text)}: expected a CAP date-time like 2002-05-24T16:49:00-07:00 "
                       "(whole seconds, a ±hh:mm offset, no Z)", where=where)
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise CapError(f"bad <{name}> {_shown(text)}: {exc}", where=where) from None


def _pairs(elements: list[Element], name: str, where: str) -> tuple[tuple[str, str], ...]:
    out = []
    for i, element in enumerate(elements):
        here = f"{where}: {name}[{i}]" if where else f"{name}[{i}]"
        fields = _group(element)
        value_name = _text(fields, "valueName", here, required=True)
        if "value" not in fields:
            raise CapError("missing <value>", where=here)
        out.append((value_name, _text(fields, "value", here)))
    return tuple(out)


def _info(element: Element, where: str) -> CapInfo:
    fields = _group(element)
    categories = []
    for category in fields.get("category", ()):
        text = (category.text or "").strip()
        if text not in CATEGORIES:
            raise CapError(f"bad <category> {_shown(text)}: expected one of {', '.join(CATEGORIES)}", where=where)
        categories.append(text)
    if not categories:
        raise CapError("missing <category>", where=where)
    event = _text(fields, "event", where, required=True)
    for response in fields.get("responseType", ()):
        text = (response.text or "").strip()
        if text not in RESPONSE_TYPES:
            raise CapError(f"bad <responseType> {_shown(text)}: expected one of {', '.join(RESPONSE_TYPES)}",
                           where=where)
    urgency = _enum(fields, "urgency", URGENCIES, where)
    severity = _enum(fields, "severity", SEVERITIES, where)
    certainty = _enum(fields, "certainty", CERTAINTIES, where)
    return CapInfo(
        language=_text(fields, "language", where) or "en-US",
        category=tuple(categories), event=event, urgency=urgency, severity=severity, certainty=certainty,
        headline=_text(fields, "headline", where), description=_text(fields, "description", where),
        instruction=_text(fields, "instruction", where), sender_name=_text(fields, "senderName", where),
        effective=_datetime(fields, "effective", where), onset=_datetime(fields, "onset", where),
        expires=_datetime(fields, "expires", where),
        event_codes=_pairs(fields.get("eventCode", []), "eventCode", where),
        parameters=_pairs(fields.get("parameter", []), "parameter", where),
        areas=tuple(_area(el, f"{where}: area[{i}]") for i, el in enumerate(fields.get("area", ()))),
    )


def _area(element: Element, where: str) -> CapArea:
    fields = _group(element)
    desc = _text(fields, "areaDesc", where, required=True)
    polygons = tuple(_polygon((el.text or "").strip(), f"{where}: polygon[{i}]")
                     for i, el in enumerate(fields.get("polygon", ())))
    circles = tuple(_circle((el.text or "").strip(), f"{where}: circle[{i}]")
                    for i, el in enumerate(fields.get("circle", ())))
    return CapArea(desc=desc, polygons=polygons, circles=circles,
                   geocodes=_pairs(fields.get("geocode", []), "geocode", where))


def _number(text: str, what: str, where: str) -> float:
    if _NUMBER.fullmatch(text) is None:
        raise CapError(f"{what} {_shown(text)} is not a decimal number", where=where)
    value = float(text)
    if not math.isfinite(value):  # pragma: no cover - the pattern admits only finite numbers
        raise CapError(f"{what} {_shown(text)} is not finite", where=where)
    return value


def _point(text: str, where: str) -> tuple[float, float]:
    """A CAP "lat,lon" pair as (lon, lat), WGS 84, in range."""
    lat_text, comma, lon_text = text.partition(",")
    if not comma or "," in lon_text:
        raise CapError(f"point {_shown(text)} is not 'lat,lon'", where=where)
    lat = _number(lat_text, "latitude", where)
    lon = _number(lon_text, "longitude", where)
    if not -90.0 <= lat <= 90.0:
        raise CapError(f"latitude {lat} out of range -90..90 (CAP writes 'lat,lon')", where=where)
    if not -180.0 <= lon <= 180.0:
        raise CapError(f"longitude {lon} out of range -180..180", where=where)
    return lon, lat


def _polygon(text: str, where: str) -> tuple[tuple[float, float], ...]:
    points = tuple(_point(token, where) for token in text.split())
    if len(points) < 4:
        raise CapError(f"polygon has {len(points)} points: CAP needs at least 4, the last equal to the first",
                       where=where)
    if points[0] != points[-1]:
        raise CapError("polygon is not closed: the last point must equal the first", where=where)
    return points


def _circle(text: str, where: str) -> tuple[float, float, float]:
    parts = text.split()
    if len(parts) != 2:
        raise CapError(f"circle {_shown(text)} is not 'lat,lon radius'", where=where)
    lon, lat = _point(parts[0], where)
    radius = _number(parts[1], "circle radius", where)
    if radius < 0:
        raise CapError(f"circle radius {radius} is negative", where=where)
    return lon, lat, radius


def _choose(infos: tuple[CapInfo, ...]) -> CapInfo | None:
    if not infos:
        return None
    languages = [info.language.lower() for info in infos]
    for wanted in (_is_zh_cn, _is_zh, _is_en):
        for info, language in zip(infos, languages, strict=True):
            if wanted(language):
                return info
    return infos[0]


def _is_zh_cn(language: str) -> bool:
    return language == "zh-cn" or language.startswith(("zh-cn-", "zh-hans"))


def _is_zh(language: str) -> bool:
    return language == "zh" or language.startswith("zh-")


def _is_en(language: str) -> bool:
    return language == "en" or language.startswith("en-")


# --- China's four-colour signals -----------------------------------------------------------

_COLOURS: dict[str, tuple[EmergencyLevel, str]] = {
    "blue": (EmergencyLevel.LEVEL_IV, "蓝色"),
    "yellow": (EmergencyLevel.LEVEL_III, "黄色"),
    "orange": (EmergencyLevel.LEVEL_II, "橙色"),
    "red": (EmergencyLevel.LEVEL_I, "红色"),
}
_LEVEL_COLOUR = {level: colour for colour, (level, _) in _COLOURS.items()}
_ZH_COLOURS = {"蓝": "blue", "藍": "blue", "黄": "yellow", "黃": "yellow", "橙": "orange", "红": "red", "紅": "red"}
_TYPES = {"typhoon": EmergencyType.TYPHOON, "rainstorm": EmergencyType.RAINSTORM}
_ZH_TYPES = {"台风": "typhoon", "颱風": "typhoon", "台風": "typhoon", "暴雨": "rainstorm"}
_ZH_SIGNAL = re.compile(r"(台风|颱風|台風|暴雨)(蓝|藍|黄|黃|橙|红|紅)色预?警")
_EN_SIGNAL = re.compile(r"\b(typhoon|rainstorm)\s+(blue|yellow|orange|red)\b"
                        r"|\b(blue|yellow|orange|red)\s+(typhoon|rainstorm)\b", re.IGNORECASE)
_LIFTED = re.compile(r"解除|\b(?:lifted|cancel(?:l)?ed|all clear)\b", re.IGNORECASE)
_CYCLONE = re.compile(r"typhoon|tropical\s+(?:cyclone|storm|depression)|hurricane|cicl[oó]n\s+tropical"
                      r"|tormenta\s+tropical|hurac[aá]n|台风|颱風|台風|热带气旋|熱帶氣旋", re.IGNORECASE)
_SEVERITY_LEVEL = {
    "Minor": EmergencyLevel.LEVEL_IV,
    "Moderate": EmergencyLevel.LEVEL_III,
    "Severe": EmergencyLevel.LEVEL_II,
    "Extreme": EmergencyLevel.LEVEL_I,
}
_SIGNALLING_STATUSES = ("Actual", "Exercise")


def _signal(kind: str, colour: str, reason: str) -> Signal:
    level, colour_zh = _COLOURS[colour]
    return Signal(type=_TYPES[kind], level=level, colour_en=colour, colour_zh=colour_zh, reason=reason)


def signal_of(alert: CapAlert) -> Signal | None:
    """The plan a warning suggests (type and level), or None: a warning kept with no plan suggested.

    None for a Cancel (the hub cancels the referenced warnings instead), an Ack or an Error, for
    status Test, System or Draft (an Exercise does suggest: the hub shows it as a drill), and for
    a signal being lifted (解除). Then, in the chosen `<info>` first and the others after: the
    eventCode `SIGNAL_CODE_NAME`; a Chinese or English signal name in the event or headline
    (`台风蓝色预警信号`, `Rainstorm Orange Warning`). Last, a tropical-cyclone warning of another
    country maps to TYPHOON by CAP severity (Minor IV … Extreme I; Unknown suggests nothing).
    """
    if alert.msg_type not in ("Alert", "Update") or alert.status not in _SIGNALLING_STATUSES:
        return None
    if alert.info is None:
        return None
    infos = (alert.info, *(info for info in alert.infos if info is not alert.info))
    if any(_LIFTED.search(f"{info.event} {info.headline}") for info in infos):
        return None
    for info in infos:
        for name, value in info.event_codes:
            if name == SIGNAL_CODE_NAME:
                kind, _, colour = value.strip().lower().partition("-")
                if kind in _TYPES and colour in _COLOURS:
                    return _signal(kind, colour, f"China four-colour signal: eventCode {name}={value.strip()}")
    for info in infos:
        for text in (info.event, info.headline):
            zh = _ZH_SIGNAL.search(text)
            if zh is not None:
                return _signal(_ZH_TYPES[zh.group(1)], _ZH_COLOURS[zh.group(2)],
                               f"China four-colour signal in the text: {text}")
            en = _EN_SIGNAL.search(text)
            if en is not None:
                kind = (en.group(1) or en.group(4)).lower()
                colour = (en.group(2) or en.group(3)).lower()
                return _signal(kind, colour, f"China four-colour signal in the text: {text}")
    chosen = alert.info
    if any(_CYCLONE.search(f"{info.event} {info.headline}") for info in infos):
        level = _SEVERITY_LEVEL.get(chosen.severity)
        if level is None:
            return None
        colour = _LEVEL_COLOUR[level]
        return Signal(type=EmergencyType.TYPHOON, level=level, colour_en=colour, colour_zh=_COLOURS[colour][1],
                      reason=f"tropical-cyclone warning, not a China colour signal: level {level.value} from "
                             f"CAP severity {chosen.severity} ({chosen.event})")
    return None
