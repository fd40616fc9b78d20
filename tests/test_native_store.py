"""The case store compiled with mypyc (`backend_client/store/native.py`, `tools/build_native.py`).

Where the build is there (`make` builds it; a machine without a C compiler has none), the suite runs the
compiled store: these tests check that it is the compiled one, that a source edited after the build is
never shadowed by the older build, that `CC_PURE_PYTHON=1` keeps the store in Python, and that the store's
own tests pass in pure Python too (the rest of the suite has just run them compiled).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import backend_client.store as store_package
from backend_client.store import case_store
from backend_client.store.native import COMPILED, NATIVE_DIR, PURE_PYTHON_ENV, fresh_build

ROOT = Path(__file__).resolve().parents[1]
built = pytest.mark.skipif(not fresh_build(), reason="no current compiled store here (`make native` builds it)")
"""The build is made by `make test` before the suite; with no C compiler there is none to check."""

WHICH = ("import backend_client.store as s, backend_client.store.case_store as c, backend_client.store.queues as q; "
         "print(s.NATIVE, c.__file__.endswith('.py'), q.__file__.endswith('.py'))")


def importing(tree: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter importing the store from `tree`; it prints: compiled?, sources of two modules."""
    return subprocess.run([sys.executable, "-c", WHICH], cwd=tree, env=env or pure_env(False),
                          capture_output=True, text=True, timeout=60, check=True)


def loaded_in(tree: Path, env: dict[str, str] | None = None) -> str:
    return importing(tree, env).stdout.strip()


def pure_env(pure: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in (PURE_PYTHON_ENV, "PYTHONPATH")}
    if pure:
        env[PURE_PYTHON_ENV] = "1"
    return env


def copy_of_the_store(tmp_path: Path) -> Path:
    """`backend_client` (the store and its build) and `protocol` in a tree of their own."""
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "protocol", tmp_path / "protocol", ignore=ignore)
    (tmp_path / "backend_client").mkdir()
    shutil.copy(ROOT / "backend_client" / "__init__.py", tmp_path / "backend_client")
    shutil.copytree(ROOT / "backend_client" / "store", tmp_path / "backend_client" / "store", ignore=ignore)
    return tmp_path


@built
def test_the_suite_runs_the_compiled_store_where_it_is_built() -> None:
    assert os.environ.get(PURE_PYTHON_ENV, "") in ("", "0")
    assert store_package.NATIVE
    assert Path(case_store.__file__ or "").parent == NATIVE_DIR
    assert sorted(p.name.split(".")[0] for p in NATIVE_DIR.glob("*.so") if "__mypyc" not in p.name) == sorted(COMPILED)


@built
def test_a_source_edited_after_the_build_runs_as_python(tmp_path: Path) -> None:
    tree = copy_of_the_store(tmp_path)
    assert loaded_in(tree) == "True False False"  # the copied build matches the copied sources
    edited = tree / "backend_client" / "store" / "sort_keys.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited after the build\n", encoding="utf-8")
    assert loaded_in(tree) == "False True True"  # every compiled module, not only the edited one
    edited.write_text((ROOT / "backend_client" / "store" / "sort_keys.py").read_text(encoding="utf-8"),
                      encoding="utf-8")
    assert loaded_in(tree) == "True False False"  # the same sources again: the build is current again


@built
def test_a_changed_message_type_stops_the_build_too(tmp_path: Path) -> None:
    """The compiled code was checked against `protocol`'s types: an edit there makes it stale as well."""
    tree = copy_of_the_store(tmp_path)
    events = tree / "protocol" / "events.py"
    events.write_text(events.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert loaded_in(tree) == "False True True"


@built
def test_pure_python_on_request() -> None:
    assert loaded_in(ROOT, pure_env(True)) == "False True True"


@built
def test_a_build_that_cannot_load_is_passed_over(tmp_path: Path) -> None:
    """A broken extension (a disk error, another machine's build) leaves the store in Python, with a warning."""
    tree = copy_of_the_store(tmp_path)
    native = tree / "backend_client" / "store" / "_native"
    group = next(native.glob("compiled__mypyc*.so"))
    group.write_bytes(b"not an extension")
    done = importing(tree)
    assert done.stdout.strip() == "False True True"
    assert "the compiled store does not load" in done.stderr


@built
@pytest.mark.timeout(600)
def test_the_store_tests_pass_in_pure_python() -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/store"],
                          cwd=ROOT, env=pure_env(True), capture_output=True, text=True, timeout=580)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
