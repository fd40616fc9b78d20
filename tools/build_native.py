#!/usr/bin/env python3
"""Compile the console's case store with mypyc, beside its pure-Python sources (optional).

    python tools/build_native.py [--check]

The store's apply runs once per feed event on the GUI thread; compiled, it takes less CPU (figures in
docs/architecture.md: "The store is compiled where it can be"). The extension modules go to
`backend_client/store/_native/` with a manifest of the sources they were made from;
`backend_client/store/__init__.py` puts that folder first on the package's path only while every
source still matches the manifest, so an edited source is never shadowed by an older build.
Without a C compiler, or with `CC_PURE_PYTHON=1` in the environment, the store runs as Python.

`--check` prints whether the folder holds a build of the current sources (exit 0) or not (exit 1).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend_client.store.native import (  # noqa: E402
    COMPILED,
    GROUP,
    NATIVE_DIR,
    Manifest,
    current_manifest,
    fresh_build,
)


def build() -> int:
    """Compile `COMPILED` into a scratch folder and move the extensions into `NATIVE_DIR`."""
    from mypyc.build import mypycify
    from setuptools import Distribution

    store = ROOT / "backend_client" / "store"
    manifest = current_manifest()
    with tempfile.TemporaryDirectory(prefix="cc-native-") as scratch:
        here = os.getcwd()
        os.chdir(ROOT)  # mypyc names modules by their paths from here
        try:
            # the project's mypy settings, less the warning about sections for modules not built here
            sources = [str((store / f"{name}.py").relative_to(ROOT)) for name in COMPILED]
            modules = mypycify(["--no-warn-unused-configs", *sources],
                               group_name=GROUP, opt_level="3", target_dir=str(Path(scratch) / "c"))
            # a bare distribution: setup() would read the project's pyproject.toml, which this is not
            dist = Distribution({"name": "cc-native-store", "ext_modules": modules})
            dist.script_args = ["--quiet", "build_ext", "--build-lib", str(Path(scratch) / "lib"),
                                "--build-temp", str(Path(scratch) / "tmp")]
            dist.parse_command_line()
            dist.run_commands()
        finally:
            os.chdir(here)
        built = Path(scratch) / "lib" / "backend_client" / "store"
        shutil.rmtree(NATIVE_DIR, ignore_errors=True)
        NATIVE_DIR.mkdir(parents=True)
        for extension in built.iterdir():
            shutil.move(str(extension), NATIVE_DIR / extension.name)
    Manifest.write(manifest)
    print(f"compiled {', '.join(COMPILED)} into {NATIVE_DIR.relative_to(ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether the build is current")
    args = parser.parse_args(argv)
    if args.check:
        current = fresh_build()
        print("the compiled store is current" if current else "no current compiled store: it runs as Python")
        return 0 if current else 1
    return build()


if __name__ == "__main__":
    raise SystemExit(main())
