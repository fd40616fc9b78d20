"""Whether the store runs compiled: the mypyc build of `tools/build_native.py`, used only while current.

The build compiles `COMPILED` into `_native/` beside this file, with a manifest of what it was made
from: the interpreter, and the SHA-256 of every source of this package and of `protocol` (the
compiled code was checked against their types). `use_native` puts `_native/` first on the
package's path only when the manifest matches the sources as they are now, so a source edited
after a build runs as Python until the next build, never as the older compiled code.
`CC_PURE_PYTHON=1` in the environment keeps the store pure Python.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import sys
import sysconfig
from pathlib import Path
from typing import Any

COMPILED = ("case_store", "queues", "sorted_rows", "compact", "sort_keys")
"""The modules an event's apply runs through (the rest of the package is called once per drain or load)."""
GROUP = "backend_client.store.compiled"
"""mypyc's name for the build: the compiled code itself is the extension `GROUP_LIBRARY`; each of
`COMPILED` is a small extension that loads its part of it."""
GROUP_LIBRARY = GROUP + "__mypyc"
NATIVE_DIR = Path(__file__).resolve().parent / "_native"
MANIFEST = NATIVE_DIR / "manifest.json"
PURE_PYTHON_ENV = "CC_PURE_PYTHON"

log = logging.getLogger(__name__)


def _sources() -> list[Path]:
    store = Path(__file__).resolve().parent
    protocol = store.parent.parent / "protocol"
    return sorted([*store.glob("*.py"), *protocol.glob("*.py")])


def current_manifest() -> dict[str, Any]:
    """What a build of the sources as they are now would record."""
    root = Path(__file__).resolve().parent.parent.parent
    return {
        "python": sys.implementation.cache_tag,
        "extension_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "modules": list(COMPILED),
        "sources": {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                    for path in _sources()},
    }


class Manifest:
    """The manifest file of `_native/`."""

    @staticmethod
    def write(manifest: dict[str, Any]) -> None:
        MANIFEST.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")

    @staticmethod
    def read() -> dict[str, Any] | None:
        try:
            loaded: Any = json.loads(MANIFEST.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return loaded if isinstance(loaded, dict) else None


def fresh_build() -> bool:
    """`_native/` holds a build of the current sources for this interpreter."""
    recorded = Manifest.read()
    if recorded is None or recorded != current_manifest():
        return False
    suffix = recorded["extension_suffix"]
    names = [*COMPILED, GROUP_LIBRARY.rsplit(".", 1)[1]]
    return all((NATIVE_DIR / f"{name}{suffix}").is_file() for name in names)


def use_native(package_path: list[str]) -> bool:
    """Put `_native/` first on the store package's `package_path` if its build is current and loads."""
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0") or not fresh_build():
        return False
    package_path.insert(0, str(NATIVE_DIR))
    try:
        importlib.import_module(GROUP_LIBRARY)
    except ImportError as error:
        package_path.remove(str(NATIVE_DIR))
        log.warning("the compiled store does not load (%s): it runs as Python", error)
        return False
    return True


def described(native: bool) -> str:
    """How the store runs, in words (benchmark results say it beside their figures)."""
    return ("compiled (mypyc, tools/build_native.py)" if native
            else "Python (no current compiled build, or CC_PURE_PYTHON=1)")
