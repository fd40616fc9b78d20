"""The wall's layout file (TOML): its settings, and pages of tiles that rotate like a playlist.

    [wall]
    language = "zh_CN"          # the wall's own language: "en" or "zh_CN"
    viewing_distance_m = 5.0    # the farthest seat; text is sized for it (ISO 11064: ~20 arcmin)
    width_mm = 4000             # the wall's physical width (controllers often report none); 0: ask Qt
    stale_after_s = 30          # the feed behind for longer than this: a full-screen "stale" overlay
    takeover_s = 20             # a critical item holds the wall this long, then rotation resumes
    takeover_categories = ["0105", "0301"]   # a case turning red in these categories takes over
    surge_per_10min = 60        # more new cases than this in 10 minutes takes over
    shift_px = 4                # burn-in: static elements drift by up to this many pixels

    [[page]]
    title = "District at a glance"
    dwell_s = 30
    columns = 3
    rows = 2
      [[page.tile]]
      kind = "map"                 # intake, backlog, rates, ranking, map, trend, hotspots
      col = 0
      row = 0
      colspan = 2
      rowspan = 2
      metric = "open"              # map: open | overdue; ranking: on_time | satisfaction | overdue | returns

A bad file raises `LayoutError` naming the file, the line and the field, and nothing of it is
used (the wall keeps the layout it has, or starts with the shipped default).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocol.toml_source import TomlFileError, TomlSource, decode_error_line

DEFAULT_LAYOUT = Path(__file__).resolve().parents[2] / "resources" / "wall" / "default.toml"

TILE_KINDS = ("intake", "backlog", "rates", "ranking", "map", "trend", "hotspots")
METRICS = {
    "map": ("open", "overdue"),
    "ranking": ("on_time", "satisfaction", "overdue", "returns"),
    "trend": ("intake_closures", "overdue"),
}
DEFAULT_METRIC = {"map": "open", "ranking": "on_time", "trend": "intake_closures"}
RANK_OF = ("units", "streets")
LANGUAGES = ("en", "zh_CN")


class LayoutError(TomlFileError):
    """A layout file that cannot be used: `str()` is one line with file, line and field."""


@dataclass(frozen=True)
class Tile:
    kind: str
    col: int
    row: int
    colspan: int = 1
    rowspan: int = 1
    metric: str = ""
    of: str = "units"
    """ranking: rank "units" or "streets"."""
    title: str = ""
    """Overrides the tile's own title (already in the wall's language)."""


@dataclass(frozen=True)
class Page:
    title: str
    dwell_s: float
    columns: int
    rows: int
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class WallSettings:
    language: str = "zh_CN"
    viewing_distance_m: float = 5.0
    width_mm: float = 0.0
    stale_after_s: float = 30.0
    takeover_s: float = 20.0
    takeover_categories: tuple[str, ...] = ()
    surge_per_10min: int = 60
    shift_px: int = 4


@dataclass(frozen=True)
class WallLayout:
    settings: WallSettings
    pages: tuple[Page, ...]
    source: str = ""
    page_titles: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "page_titles", tuple(p.title for p in self.pages))


def load_layout(path: Path | str = DEFAULT_LAYOUT) -> WallLayout:
    """Read and validate a layout file; `LayoutError` on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LayoutError(path, None, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(path, None, "", f"cannot be read ({exc})") from None
    return parse_layout(text, path)


def parse_layout(text: str, path: Path | str = "<layout>") -> WallLayout:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(path, decode_error_line(exc), "", f"not valid TOML: {exc}") from None
    lines = TomlSource(text)
    checker = _Checker(path, lines)
    unknown = set(data) - {"wall", "page"}
    if unknown:
        checker.fail(None, sorted(unknown)[0], "unknown section (expected [wall] and [[page]])", key=sorted(unknown)[0])
    settings = checker.settings(data.get("wall", {}))
    pages_data = data.get("page")
    if not isinstance(pages_data, list) or not pages_data:
        raise LayoutError(path, None, "page", "the layout needs at least one [[page]]")
    pages = tuple(checker.page(index, raw) for index, raw in enumerate(pages_data))
    return WallLayout(settings=settings, pages=pages, source=str(path))


class _Checker:
    def __init__(self, path: Path | str, lines: TomlSource) -> None:
        self.path = path
        self.lines = lines

    def fail(self, block: int | None, where: str, message: str, *, key: str | None = None) -> None:
        line = self.lines.key(key, block) if key else block
        raise LayoutError(self.path, line, where, message)

    def settings(self, raw: Any) -> WallSettings:
        if not isinstance(raw, dict):
            self.fail(None, "wall", "must be a table")
        block = self.lines.table("wall")
        known = {f for f in WallSettings.__dataclass_fields__}
        for name in raw:
            if name not in known:
                self.fail(block, f"wall.{name}", f"unknown setting (known: {', '.join(sorted(known))})", key=name)
        language = raw.get("language", "zh_CN")
        if language not in LANGUAGES:
            self.fail(block, "wall.language", f"must be one of {', '.join(LANGUAGES)}", key="language")
        numbers = {}
        for name, low in (("viewing_distance_m", 0.5), ("width_mm", 0.0), ("stale_after_s", 1.0),
                          ("takeover_s", 1.0), ("surge_per_10min", 1), ("shift_px", 0)):
            value = raw.get(name, getattr(WallSettings, name))
            if isinstance(value, bool) or not isinstance(value, int | float) or value < low:
                self.fail(block, f"wall.{name}", f"must be a number ≥ {low}", key=name)
            numbers[name] = value
        categories = raw.get("takeover_categories", [])
        if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
            self.fail(block, "wall.takeover_categories", "must be a list of category codes (strings)",
                      key="takeover_categories")
        return WallSettings(language=language, takeover_categories=tuple(categories),
                            surge_per_10min=int(numbers.pop("surge_per_10min")),
                            shift_px=int(numbers.pop("shift_px")), **numbers)

    def page(self, index: int, raw: Any) -> Page:
        block = self.lines.block("page", index)
        where = f"page[{index + 1}]"
        if not isinstance(raw, dict):
            self.fail(block, where, "must be a table")
        known = {"title", "dwell_s", "columns", "rows", "tile"}
        for name in raw:
            if name not in known:
                self.fail(block, f"{where}.{name}", f"unknown field (known: {', '.join(sorted(known))})", key=name)
        title = raw.get("title")
        if not isinstance(title, str) or not title.strip():
            self.fail(block, f"{where}.title", "a page needs a title", key="title")
        values = {}
        for name, default, low, high in (("dwell_s", 30, 3, 3600), ("columns", 3, 1, 6), ("rows", 2, 1, 4)):
            value = raw.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                self.fail(block, f"{where}.{name}", f"must be a number from {low} to {high}", key=name)
            values[name] = value
        tiles_raw = raw.get("tile")
        if not isinstance(tiles_raw, list) or not tiles_raw:
            self.fail(block, f"{where}.tile", "a page needs at least one [[page.tile]]")
        columns, rows = int(values["columns"]), int(values["rows"])
        tiles = tuple(self.tile(index, n, t, columns, rows) for n, t in enumerate(tiles_raw))
        taken: dict[tuple[int, int], int] = {}
        for n, tile in enumerate(tiles):
            for c in range(tile.col, tile.col + tile.colspan):
                for r in range(tile.row, tile.row + tile.rowspan):
                    if (c, r) in taken:
                        self.fail(self.lines.block("page.tile", n, ("page", index)), f"{where}.tile[{n + 1}]",
                                  f"overlaps tile {taken[(c, r)] + 1} at column {c}, row {r}")
                    taken[(c, r)] = n
        return Page(title=str(title), dwell_s=float(values["dwell_s"]), columns=columns, rows=rows, tiles=tiles)

    def tile(self, page: int, index: int, raw: Any, columns: int, rows: int) -> Tile:
        block = self.lines.block("page.tile", index, ("page", page))
        where = f"page[{page + 1}].tile[{index + 1}]"
        if not isinstance(raw, dict):
            self.fail(block, where, "must be a table")
        known = {"kind", "col", "row", "colspan", "rowspan", "metric", "of", "title"}
        for name in raw:
            if name not in known:
                self.fail(block, f"{where}.{name}", f"unknown field (known: {', '.join(sorted(known))})", key=name)
        kind = raw.get("kind")
        if kind not in TILE_KINDS:
            self.fail(block, f"{where}.kind", f"must be one of {', '.join(TILE_KINDS)}", key="kind")
        place = {}
        for name, default, high in (("col", None, columns - 1), ("row", None, rows - 1),
                                    ("colspan", 1, columns), ("rowspan", 1, rows)):
            value = raw.get(name, default)
            low = 0 if default is None else 1
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                self.fail(block, f"{where}.{name}", f"must be a whole number from {low} to {high}", key=name)
            place[name] = value
        if place["col"] + place["colspan"] > columns or place["row"] + place["rowspan"] > rows:
            self.fail(block, where, f"does not fit the page's {columns}×{rows} grid", key="colspan")
        metric = raw.get("metric", DEFAULT_METRIC.get(kind, ""))
        allowed = METRICS.get(kind, ("",))
        if metric not in allowed:
            self.fail(block, f"{where}.metric", f"for a {kind} tile must be one of {', '.join(allowed)}"
                      if allowed != ("",) else f"a {kind} tile takes no metric", key="metric")
        of = raw.get("of", "units")
        if of not in RANK_OF:
            self.fail(block, f"{where}.of", f"must be one of {', '.join(RANK_OF)}", key="of")
        title = raw.get("title", "")
        if not isinstance(title, str):
            self.fail(block, f"{where}.title", "must be text", key="title")
        return Tile(kind=kind, metric=metric, of=of, title=title, **place)
