"""Before Qt starts: say plainly what a real window is missing, instead of a Qt stack trace.

Qt's xcb platform plugin aborts the process with a long message when a system library is
missing. On Linux we look for each library it needs first and name the package to install.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

# library soname stem -> Debian/Ubuntu package that provides it
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-randr": "libxcb-randr0",
    "xcb-xkb": "libxcb-xkb1",
    "EGL": "libegl1",
    "GL": "libgl1",
    "fontconfig": "libfontconfig1",
}


def missing_for_window() -> str | None:
    """None when a window can open; otherwise one line saying what to do."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc")) or not sys.platform.startswith("linux"):
        return None
    if platform.startswith("wayland") or (not platform and os.environ.get("WAYLAND_DISPLAY")):
        return None
    if not os.environ.get("DISPLAY"):
        return ("no display: run inside a desktop session (DISPLAY is not set), or set "
                "QT_QPA_PLATFORM=offscreen to run without a window")
    missing = sorted({pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None})
    if missing:
        return ("a real window needs system libraries that are not installed; on Debian/Ubuntu: "
                f"sudo apt-get install {' '.join(missing)}")
    return None
