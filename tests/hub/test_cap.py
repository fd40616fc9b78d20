"""CAP 1.2 warnings in: the parser on real agencies' files, the composed Shanghai signals, bad files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from hub.emergency.cap import (
    MAX_BYTES,
    SIGNAL_CODE_NAME,
    CapAlert,
    CapError,
    Signal,
    parse_cap,
    signal_of,
)
from protocol import EmergencyLevel, EmergencyType

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "cap"
BAD = SAMPLES / "bad"
COMPOSED = ROOT / "resources" / "cap"
SAMPLE_FILES = sorted(SAMPLES.glob("*.xml"))
COMPOSED_FILES = sorted(COMPOSED.glob("*.cap.xml"))


def load(path: Path) -> CapAlert:
    return parse_cap(path.read_bytes(), path.name)


def sample(name: str) -> CapAlert:
    return load(SAMPLES / name)


def composed(kind: str, colour: str) -> bytes:
    return (COMPOSED / f"shanghai_minhang_{kind}_{colour}.cap.xml").read_bytes()


# --- every shared sample parses -----------------------------------------------------------


def test_the_samples_are_all_there() -> None:
    assert len(SAMPLE_FILES) == 8
    assert len(COMPOSED_FILES) == 8


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_parses(path: Path) -> None:
    alert = load(path)
    assert alert.source == path.name
    assert alert.identifier and alert.sender
    assert alert.sent.tzinfo is not None
    assert alert.info is not None and alert.info in alert.infos
    assert not alert.composed
    for info in alert.infos:
        for area in info.areas:
            for polygon in area.polygons:
                assert len(polygon) >= 4 and polygon[0] == polygon[-1]


def test_canadian_bilingual_file_picks_english() -> None:
    alert = sample("eccc_canada_thunderstorm_bilingual.cap.xml")
    assert alert.identifier == "2.49.0.1.124.6bddbc91.2012"
    assert alert.msg_type == "Update"
    assert alert.references.startswith("cap@ec.gc.ca,2.49.0.1.124.a3f342a4.2012,")
    assert [i.language for i in alert.infos] == ["en-CA", "fr-CA"]
    info = alert.info
    assert info is not None
    assert info.language == "en-CA" and info.event == "thunderstorm"
    assert (info.urgency, info.severity, info.certainty) == ("Past", "Minor", "Observed")
    assert info.expires == datetime(2012, 5, 3, 0, 20, tzinfo=UTC)
    assert ("SAME", "SVA") in info.event_codes
    assert ("layer:EC-MSC-SMC:1.0:Alert_Type", "watch") in info.parameters
    windsor, chatham = info.areas
    assert windsor.desc == "Windsor - Leamington - Essex County"
    assert len(windsor.polygons[0]) == 17
    assert windsor.polygons[0][0] == (-82.9314, 42.3481)  # CAP's "lat,lon" stored as (lon, lat)
    assert len(windsor.geocodes) == 10 and windsor.geocodes[0] == ("layer:EC-MSC-SMC:1.0:CLC", "041420")
    assert len(chatham.polygons[0]) == 38
    assert signal_of(alert) is None


def test_taiwan_file_picks_chinese() -> None:
    alert = sample("taiwan_wra_reservoir_release_2014-05-14_zh-TW.cap.xml")  # starts with a UTF-8 BOM
    assert alert.identifier == "WRA_ReservoirWarn_201405142010"
    assert alert.sent == datetime(2014, 5, 14, 20, 10, tzinfo=timezone(timedelta(hours=8)))
    info = alert.info
    assert info is not None
    assert info.language == "zh-tw" and info.event == "水庫洩洪" and info.category == ("Infra",)
    assert info.areas[0].desc == "苗栗縣頭屋鄉"
    assert info.areas[0].geocodes == (("Taiwan_Geocode_100", "1000512"),)
    assert ("alert_color", "紅色") in info.parameters
    assert signal_of(alert) is None  # a red reservoir release is not a typhoon or rainstorm signal


def test_norwegian_file_prefers_english_to_norwegian() -> None:
    alert = sample("metno_gale_warning_yellow_2021-09-21.cap.xml")
    assert alert.info is not None and alert.info.language == "en-GB" and alert.info.event == "Gale"
    assert alert.info.onset == datetime(2021, 9, 21, 6, tzinfo=UTC)
    assert len(alert.info.areas[0].polygons[0]) == 7
    assert signal_of(alert) is None


def test_missing_language_is_en_us_and_prefixed_namespace_parses() -> None:
    oasis = sample("oasis_example_homeland_security_advisory.cap.xml")
    assert oasis.identifier == "43b080713727"
    assert oasis.info is not None and oasis.info.language == "en-US"
    assert oasis.info.areas[0].polygons == () and oasis.info.areas[0].geocodes == ()
    bom = sample("bom_australia_severe_thunderstorm_2019-01-16.cap.xml")  # cap:-prefixed elements
    assert bom.identifier == "AusBoM-IDN21033-2019-01-16T03:15:58+00:00"
    assert bom.info is not None and bom.info.language == "en-AU" and len(bom.info.areas[0].geocodes) == 7
    noaa = sample("noaa_wcatwc_tsunami_warning.cap.xml")
    assert noaa.info is not None and noaa.info.severity == "Extreme" and noaa.info.event == "Tsunami Warning"
    assert signal_of(noaa) is None  # a tsunami is no typhoon or rainstorm


def test_pagasa_typhoon_maps_by_severity_when_actual() -> None:
    data = (SAMPLES / "pagasa_tropical_cyclone_alert_2014-11-03.cap.xml").read_bytes()
    alert = parse_cap(data, "pagasa.xml")
    assert alert.status == "Test"
    assert alert.info is not None and alert.info.areas[0].polygons[0][:2] == ((120.0, 21.0), (130.0, 21.0))
    assert signal_of(alert) is None  # a Test message suggests nothing
    actual = parse_cap(data.replace(b"<status>Test</status>", b"<status>Actual</status>"), "pagasa.xml")
    signal = signal_of(actual)
    assert signal is not None
    assert (signal.type, signal.level, signal.colour_en) == (EmergencyType.TYPHOON, EmergencyLevel.LEVEL_IV, "blue")
    assert "severity Minor" in signal.reason and "not a China colour signal" in signal.reason


def test_mexican_tropical_storm_with_unknown_severity_suggests_nothing() -> None:
    alert = sample("smn_mexico_tropical_storm_vicente_2018-10-20.cap.xml")
    assert alert.info is not None and alert.info.language == "es-419" and alert.info.severity == "Unknown"
    assert len(alert.info.areas[0].polygons[0]) == 29  # points spread over several lines
    assert signal_of(alert) is None
    severe = parse_cap((SAMPLES / alert.source).read_bytes().replace(b"<severity>Unknown</severity>",
                                                                     b"<severity>Severe</severity>"))
    signal = signal_of(severe)
    assert signal is not None and signal.type is EmergencyType.TYPHOON and signal.level is EmergencyLevel.LEVEL_II


# --- the composed Shanghai signals ----------------------------------------------------------

LEVELS = {"blue": ("IV", "蓝色"), "yellow": ("III", "黄色"), "orange": ("II", "橙色"), "red": ("I", "红色")}


@pytest.mark.parametrize("kind", ["typhoon", "rainstorm"])
@pytest.mark.parametrize("colour", list(LEVELS))
def test_composed_shanghai_signal(kind: str, colour: str) -> None:
    name = f"shanghai_minhang_{kind}_{colour}.cap.xml"
    alert = parse_cap(composed(kind, colour), name)
    assert alert.composed and alert.source == name
    assert alert.status == "Actual" and alert.scope == "Public"
    assert alert.msg_type == ("Alert" if colour == "blue" else "Update")
    assert bool(alert.references) is (colour != "blue")
    assert [i.language for i in alert.infos] == ["zh-CN", "en-US"]
    info = alert.info
    assert info is not None and info.language == "zh-CN"
    zh_kind = {"typhoon": "台风", "rainstorm": "暴雨"}[kind]
    assert info.event == f"{zh_kind}{LEVELS[colour][1]}预警信号"
    assert "防御指南" in info.instruction
    assert info.severity == {"blue": "Minor", "yellow": "Moderate", "orange": "Severe", "red": "Extreme"}[colour]
    assert (SIGNAL_CODE_NAME, f"{kind}-{colour}") in info.event_codes
    minhang = info.areas[0]
    assert minhang.geocodes == (("GB/T 2260", "310112"),)
    polygon = minhang.polygons[0]
    assert len(polygon) == 12 and polygon[0] == polygon[-1]
    assert all(121.2 <= lon <= 121.6 and 30.95 <= lat <= 31.27 for lon, lat in polygon)
    if kind == "rainstorm":
        assert info.areas[1].circles == ((121.382, 31.113, 10.0),)
    assert info.effective == alert.sent and info.expires is not None and info.expires > alert.sent
    assert alert.infos[1].event == f"{kind.capitalize()} {colour.capitalize()} Warning"

    signal = signal_of(alert)
    assert signal == Signal(type=EmergencyType(kind), level=EmergencyLevel(LEVELS[colour][0]), colour_en=colour,
                            colour_zh=LEVELS[colour][1], reason=signal.reason if signal else "")
    assert signal is not None and SIGNAL_CODE_NAME in signal.reason


def test_signal_from_the_text_alone() -> None:
    """Without the project's eventCode, the event text names the signal, in Chinese or English."""
    data = composed("rainstorm", "orange").replace(SIGNAL_CODE_NAME.encode(), b"OtherCode")
    signal = signal_of(parse_cap(data))
    assert signal is not None and (signal.type, signal.level) == (EmergencyType.RAINSTORM, EmergencyLevel.LEVEL_II)
    assert "暴雨橙色预警信号" in signal.reason
    english_only = data.replace(b"<language>zh-CN</language>", b"<language>fr-FR</language>")
    english_only = english_only.replace("暴雨橙色预警信号".encode(), "暴雨".encode())
    alert = parse_cap(english_only)
    assert alert.info is not None and alert.info.language == "en-US"
    signal = signal_of(alert)
    assert signal is not None and signal.colour_en == "orange" and "Rainstorm Orange Warning" in signal.reason


def test_cancel_test_and_lifted_suggest_nothing_but_exercise_does() -> None:
    data = composed("typhoon", "red")
    assert signal_of(parse_cap(data.replace(b"<msgType>Update</msgType>", b"<msgType>Cancel</msgType>"))) is None
    for status in (b"Test", b"Draft", b"System"):
        assert signal_of(parse_cap(data.replace(b"<status>Actual</status>", b"<status>" + status + b"</status>"))) \
            is None
    lifted = data.replace("闵行区气象台发布".encode(), "闵行区气象台解除".encode())
    assert signal_of(parse_cap(lifted)) is None
    drill = signal_of(parse_cap(data.replace(b"<status>Actual</status>", b"<status>Exercise</status>")))
    assert drill is not None and drill.level is EmergencyLevel.LEVEL_I


# --- bad files are refused with their reason ------------------------------------------------

BAD_FILES = {
    "billion_laughs_entities.xml": ["refused", "entities/DTD"],
    "xxe_external_entity.xml": ["refused", "entities/DTD"],
    "not_xml.xml": ["not well-formed XML", "line 1"],
    "empty.xml": ["empty"],
    "wrong_namespace.xml": ["wrong namespace", "http://example.org/not-cap"],
    "cap_1_1_namespace.xml": ["CAP 1.1"],
    "missing_identifier.xml": ["missing <identifier>"],
    "bad_sent_date.xml": ["<sent>", "2026-09-15 06:00"],
    "bad_severity.xml": ["info[0]", "<severity>", "High"],
    "polygon_three_points.xml": ["info[0]: area[0]: polygon[0]", "3 points"],
    "info_without_event.xml": ["info[0]", "missing <event>"],
}


def test_every_bad_file_is_listed() -> None:
    assert sorted(p.name for p in BAD.iterdir() if p.suffix == ".xml") == sorted(BAD_FILES)


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_is_refused_with_its_reason(name: str) -> None:
    with pytest.raises(CapError) as caught:
        parse_cap((BAD / name).read_bytes(), name)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{name}: ")
    assert caught.value.source == name
    for word in BAD_FILES[name]:
        assert word in message, message


def test_file_over_one_mib_is_refused_unread() -> None:
    data = composed("typhoon", "blue")
    padded = data.replace(b"</alert>", b"<!--" + b"x" * MAX_BYTES + b"--></alert>")
    with pytest.raises(CapError, match=r"big.xml: file too large: .* the limit is 1,048,576"):
        parse_cap(padded, "big.xml")


VALID = composed("rainstorm", "yellow")


@pytest.mark.parametrize(("old", "new", "words"), [
    (b"<scope>Public</scope>", b"<scope>Everyone</scope>", ["<scope>", "Everyone"]),
    (b"<status>Actual</status>", b"", ["missing <status>"]),
    (b"<msgType>Update</msgType>", b"<msgType>Update</msgType><msgType>Alert</msgType>", ["more than one <msgType>"]),
    (b"<sent>2026-07-08T14:05:00+08:00</sent>", b"<sent>2026-07-08T14:05:00Z</sent>", ["<sent>", "no Z"]),
    (b"<sent>2026-07-08T14:05:00+08:00</sent>", b"<sent>2026-07-08T14:05:00.5+08:00</sent>", ["<sent>"]),
    (b"<sent>2026-07-08T14:05:00+08:00</sent>", b"<sent>2026-13-08T14:05:00+08:00</sent>", ["<sent>", "month"]),
    (b"<identifier>composed.", b"<identifier>composed ", ["<identifier>", "spaces"]),
    (b"<category>Met</category>", b"<category>Weather</category>", ["info[0]", "<category>"]),
    (b"<certainty>Likely</certainty>", b"<certainty>Very Likely</certainty>", ["<certainty>"]),
    (b"<urgency>Expected</urgency>", b"", ["info[0]", "missing <urgency>"]),
    (b"<expires>2026-07-08T20:05:00+08:00</expires>", b"<expires>tonight</expires>", ["info[0]", "<expires>"]),
    (b"31.241,121.240 30.982", b"31.241,121.240 91.0,121.3 30.982", ["polygon[0]", "latitude 91.0 out of range"]),
    (b"31.241,121.240 30.982", b"31.241;121.240 30.982", ["polygon[0]", "not 'lat,lon'"]),
    (b"31.248,121.242 31.241,121.240</polygon>", b"31.248,121.242</polygon>", ["polygon[0]", "not closed"]),
    (b"<circle>31.113,121.382 10</circle>", b"<circle>31.113,121.382</circle>", ["area[1]: circle[0]"]),
    (b"<circle>31.113,121.382 10</circle>", b"<circle>31.113,121.382 -3</circle>", ["circle", "negative"]),
    (b"<circle>31.113,121.382 10</circle>", b"<circle>31.113,121.382 nan</circle>", ["radius", "not a decimal"]),
    (b"<areaDesc>", b"<areaName>", ["not well-formed XML", "line"]),
    (b"<value>310112</value>", b"", ["geocode[0]", "missing <value>"]),
])
def test_validation_names_the_fault(old: bytes, new: bytes, words: list[str]) -> None:
    assert old in VALID
    with pytest.raises(CapError) as caught:
        parse_cap(VALID.replace(old, new, 1), "rain.xml")
    for word in words:
        assert word in str(caught.value), str(caught.value)


def test_alert_without_info_and_info_choice() -> None:
    head, _, _ = VALID.partition(b"  <info>")
    ack = parse_cap(head.replace(b"<msgType>Update</msgType>", b"<msgType>Ack</msgType>") + b"</alert>\n")
    assert ack.info is None and ack.infos == () and signal_of(ack) is None
    # zh-CN preferred over another zh placed first; any zh over en.
    zh_tw = VALID.replace(b"<language>en-US</language>", b"<language>zh-TW</language>")
    swapped = parse_cap(zh_tw.replace(b"<language>zh-CN</language>", b"<language>en-GB</language>"))
    assert swapped.info is not None and swapped.info.language == "zh-TW"
    both = parse_cap(VALID.replace(b"<language>en-US</language>", b"<language>zh-HK</language>"))
    assert both.info is not None and both.info.language == "zh-CN"
