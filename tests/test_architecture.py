"""The import rules of docs/architecture.md hold by themselves."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_packages_without_qt_import_with_qt_unavailable() -> None:
    """What napari's `headless` job proves: the hub and client core run with no Qt at all."""
    code = textwrap.dedent(
        """
        import sys
        for name in ("PySide6", "pyqtgraph", "qasync"):
            sys.modules[name] = None  # any import of these now fails
        import protocol, hub.core, hub.server, hub.embedded, hub.__main__
        import backend_client.connection, backend_client.session, backend_client.store
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr
