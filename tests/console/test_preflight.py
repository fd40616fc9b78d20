"""Before Qt starts: the packages named for a real window are those whose libraries are missing."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from console.preflight import XCB_LIBRARIES, missing_for_window


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is for Linux desktops")
def test_a_window_without_its_libraries_is_told_which_packages_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    missing = sorted({pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None})
    told = missing_for_window()
    if not missing:
        assert told is None
    else:
        assert told is not None and told.endswith(f"sudo apt-get install {' '.join(missing)}")


def test_offscreen_and_no_display_need_no_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert missing_for_window() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if sys.platform.startswith("linux"):
        told = missing_for_window()
        assert told is not None and "DISPLAY" in told
