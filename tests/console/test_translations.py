"""Every source string of the console has its Simplified Chinese translation, compiled and loadable."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication

from console import i18n
from protocol import Channel
from views.models.labels import channel_text

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "console_zh_CN.ts"
SOURCE_DIRS = ("console", "views", "widgets")
GLOSSARY = {
    ("Labels", "Received"): "受理", ("Labels", "Registered"): "立案", ("Labels", "Dispatched"): "派遣",
    ("Labels", "Signed for"): "签收", ("Labels", "Handling"): "处置", ("Labels", "Feedback"): "反馈",
    ("Labels", "Verified"): "核查", ("Labels", "Closed"): "结案", ("Labels", "Called back"): "回访",
    ("CaseTableModel", "Serial no."): "流水号", ("CaseTableModel", "Street/town"): "街镇",
    ("CaseTableModel", "Channel"): "渠道", ("Labels", "12345 hotline"): "12345热线",
    ("Labels", "962000 hotline"): "962000热线", ("Labels", "Grid patrol"): "网格巡查",
    ("Labels", "Video patrol"): "视频巡查", ("Labels", "Mobile app"): "移动端App",
    ("Labels", "Transferred from 110"): "110转办",
}


def messages(path: Path) -> Iterator[tuple[str, str, ET.Element]]:
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            yield name, message.findtext("source") or "", translation


def test_every_message_of_the_ts_file_is_translated() -> None:
    found = list(messages(TS))
    assert len(found) > 40
    for context, source, translation in found:
        assert translation.get("type") is None, f"{context}: {source!r} is {translation.get('type')}"
        assert (translation.text or "").strip(), f"{context}: {source!r} has an empty translation"
        for placeholder in re.findall(r"%\d", source):
            assert placeholder in (translation.text or ""), f"{context}: {source!r} lost {placeholder}"


def test_the_glossary_words_are_used() -> None:
    table = {(context, source): translation.text for context, source, translation in messages(TS)}
    for key, word in GLOSSARY.items():
        assert table.get(key) == word, key


def test_no_source_string_in_the_code_lacks_a_translation(tmp_path: Path) -> None:
    """lupdate over the code into a copy of the .ts: a string new to the code comes out unfinished."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate is not installed beside this Python")
    probe = tmp_path / TS.name
    shutil.copy(TS, probe)
    sources = sorted(str(p.relative_to(ROOT)) for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py"))
    done = subprocess.run(
        [str(lupdate), *sources, "-ts", str(probe), "-locations", "none", "-no-obsolete"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    untranslated = [f"{c}: {s!r}" for c, s, t in messages(probe) if t.get("type") or not t.text]
    assert not untranslated, (
        f"translate in resources/i18n/console_zh_CN.ts, then run tools/update_translations.sh: {untranslated}"
    )


def _wrappers(tree: ast.Module) -> set[str]:
    """Names of functions that only pass their argument to `QCoreApplication.translate("Context", arg)`."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and len(node.body) >= 1 and isinstance(node.body[-1], ast.Return):
            call = node.body[-1].value
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "translate"
                    and len(call.args) == 2 and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[1], ast.Name)):
                names.add(node.name)
    return names


def test_no_string_hides_from_lupdate_behind_a_wrapper() -> None:
    """lupdate reads `translate("Ctx", "text")` and `QT_TRANSLATE_NOOP`; it cannot see `_tr("text")` through a
    helper, and such a string would stay English in Chinese while every check above passed."""
    hidden = []
    for path in sorted(p for d in SOURCE_DIRS for p in (ROOT / d).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrappers = _wrappers(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in wrappers
                    and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr))):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not hidden, f"write translate(\"Context\", \"text\") instead, so lupdate collects it: {hidden}"


def test_the_compiled_file_matches_the_ts_file(qapp: QApplication) -> None:
    translator = QTranslator()
    assert translator.load(str(i18n.qm_path("zh_CN"))), "run tools/update_translations.sh"
    for context, source, translation in messages(TS):
        assert translator.translate(context, source) == translation.text, (context, source)


def test_installing_zh_cn_translates_the_console(qapp: QApplication) -> None:
    translators = i18n.install(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("Labels", "Signed for") == "签收"
        assert channel_text(Channel.POLICE_110) == "110转办"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        i18n.install(qapp, "en")
    assert QCoreApplication.translate("Labels", "Signed for") == "Signed for"
    with pytest.raises(ValueError, match="unknown language"):
        i18n.install(qapp, "fr")
