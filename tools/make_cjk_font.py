"""Make `resources/fonts/NotoSansSC-*-subset.otf`: the Chinese font the console ships.

The console must draw Chinese on a machine with no CJK font installed, so it ships a subset
of Noto Sans CJK SC (SIL OFL 1.1): every character of GB 2312 (6,763 hanzi, the set nearly all
mainland street, committee and category names use), ASCII and Latin-1, CJK and full-width
punctuation, and every other character found in the project's own text (translations,
reference data, simulator texts), so that nothing the console itself says falls back.

Usage (needs `pip install fonttools` and Debian's `fonts-noto-cjk` package, unpacked or
installed; `apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb x`):

    python tools/make_cjk_font.py --source-dir x/usr/share/fonts/opentype/noto
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "resources" / "fonts"
# Text files whose characters must all be in the font.
TEXT_GLOBS = ("resources/**/*.csv", "resources/**/*.ts", "resources/**/*.toml", "hub/**/*.py",
              "views/**/*.py", "console/**/*.py", "widgets/**/*.py")
WEIGHTS = ("Regular", "Bold")
SC_NAME = "Noto Sans CJK SC"


def gb2312_characters() -> set[str]:
    """Every character GB 2312 encodes (rows 0xA1–0xF7, cells 0xA1–0xFE)."""
    chars: set[str] = set()
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def project_characters() -> set[str]:
    chars: set[str] = set()
    for pattern in TEXT_GLOBS:
        for path in ROOT.glob(pattern):
            chars.update(path.read_text(encoding="utf-8", errors="ignore"))
    return {c for c in chars if ord(c) > 0x7F}


def unicodes() -> list[int]:
    ranges = [
        range(0x20, 0x7F),      # ASCII
        range(0xA0, 0x100),     # Latin-1
        range(0x2000, 0x2070),  # general punctuation
        range(0x2190, 0x2200),  # arrows
        range(0x2460, 0x2500),  # enclosed numbers
        range(0x25A0, 0x2600),  # geometric shapes (the level badges' shapes)
        range(0x3000, 0x3040),  # CJK punctuation
        range(0xFF00, 0xFFF0),  # full-width forms
    ]
    points = {p for r in ranges for p in r}
    points.update(ord(c) for c in gb2312_characters() | project_characters())
    return sorted(points)


def sc_font(collection: Path) -> object:
    """The Simplified Chinese member of a Noto Sans CJK collection."""
    for font in TTCollection(str(collection)).fonts:
        if font["name"].getDebugName(1) == SC_NAME:
            return font
    raise SystemExit(f"{collection}: no {SC_NAME!r} face")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", type=Path, required=True,
                        help="folder holding NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc")
    args = parser.parse_args(argv)
    points = unicodes()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for weight in WEIGHTS:
        font = sc_font(args.source_dir / f"NotoSansCJK-{weight}.ttc")
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.hinting = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=points)
        subsetter.subset(font)
        out = OUT_DIR / f"NotoSansSC-{weight}-subset.otf"
        font.save(str(out))  # type: ignore[attr-defined]
        print(f"{out.relative_to(ROOT)}: {len(points)} code points, {out.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
