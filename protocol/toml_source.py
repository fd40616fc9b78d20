"""Where a value sits in a hand-edited TOML file, so an error can name its line (stdlib only).

`tomllib` gives values without positions. `TomlSource` finds them again in the text, well enough
for files people write by hand: the n-th `[[header]]` block (inside the n-th block of its parent),
a `[table]`, and a `key =` inside a block. Line numbers count from 1. The wall's layout and the
hub's response plans both use it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path


class TomlFileError(ValueError):
    """A hand-edited file that cannot be used: `str()` is one line `FILE:LINE: field: message`
    (no `:LINE` when the line is unknown, no `field: ` when there is none)."""

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        self.path, self.line, self.field, self.message = str(path), line, field, message
        at = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{at}: {field}: {message}" if field else f"{at}: {message}")


def decode_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    """The line tomllib's own error points at (its message says "at line N"), or None."""
    line = getattr(exc, "lineno", None)  # Python 3.14 and later keep it as an attribute
    if isinstance(line, int):
        return line
    found = re.search(r"line (\d+)", str(exc))
    return int(found.group(1)) if found else None


class TomlSource:
    """The lines of one TOML text, searched for table headers and keys."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def table(self, name: str) -> int | None:
        """The line of the first `[name]` or `[[name]]` header, or None."""
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(name) + r"\s*\]")
        return next((number for number, line in enumerate(self.lines, 1) if pattern.match(line)), None)

    def block(self, header: str, index: int, parent: tuple[str, int] | None = None) -> int | None:
        """The line of the `index`-th (from 0) `[[header]]`; with `parent` (its header and index),
        the `index`-th one after that parent block's header and before the parent's next one."""
        start = 0
        parent_pattern = None
        if parent is not None:
            found = self.block(*parent)
            if found is None:
                return None
            start = found
            parent_pattern = re.compile(r"^\s*\[\[\s*" + re.escape(parent[0]) + r"\s*\]\]")
        pattern = re.compile(r"^\s*\[\[\s*" + re.escape(header) + r"\s*\]\]")
        seen = -1
        for number, line in enumerate(self.lines[start:], start + 1):
            if pattern.match(line):
                seen += 1
                if seen == index:
                    return number
            elif parent_pattern is not None and parent_pattern.match(line):
                break  # the parent's next block: the one wanted is not in this parent
        return None

    def key(self, name: str, after: int | None) -> int | None:
        """The line of `name = …` in the block whose header is on line `after` (None: the top of
        the file, before any header); `after` itself when the key is not written there."""
        start = after or 0
        pattern = re.compile(r"^\s*" + re.escape(name) + r"\s*=")
        for number, line in enumerate(self.lines[start:], start + 1):
            if number > start + 1 and re.match(r"^\s*\[", line):
                break
            if pattern.match(line):
                return number
        return after
