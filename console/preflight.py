"""Before Qt starts: say plainly what a real window is missing, instead of a Qt stack trace.

Qt's xcb platform plugin aborts the process with a long message when a system library is
missing. On Linux we look for each library it needs first and name the package to install.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable

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
    installed = _installed()
    missing = sorted({pkg for lib, pkg in XCB_LIBRARIES.items() if not installed(lib)})
    if missing:
        return ("a real window needs system libraries that are not installed; on Debian/Ubuntu: "
                f"sudo apt-get install {' '.join(missing)}")
    return None


def _installed() -> Callable[[str], bool]:
    """Whether a library (by its soname stem, e.g. "xcb-cursor") is installed.

    One `ldconfig -p` for all of them: `ctypes.util.find_library` runs it once per library, and
    gcc and ld as well for one it does not find (~70 ms of a start for these twelve here). Where
    there is no ldconfig, `find_library` it is.
    """
    ldconfig = shutil.which("ldconfig") or next(
        (path for path in ("/sbin/ldconfig", "/usr/sbin/ldconfig") if os.path.exists(path)), None)
    if ldconfig is not None:
        try:
            listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=10,
                                     env={**os.environ, "LC_ALL": "C"}).stdout
        except (OSError, subprocess.SubprocessError):
            listing = ""
        names = {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}
        if names:
            return lambda stem: any(name.startswith(f"lib{stem}.so") for name in names)
    return lambda stem: ctypes.util.find_library(stem) is not None
