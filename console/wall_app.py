"""Start the video wall: the feed, the wall window full screen, nothing else.

    run_wall(args) -> exit status

Like the workstation, with no `hub_url` it starts the demo's hub with the simulator first,
with a `wall` account. The wall keeps its state in memory only (a restart takes a snapshot);
its page and pause are kept in QSettings so a restarted wall comes back where it was. It is
frameless and full screen on `--screen N` (0 = the primary), or spans the whole virtual
desktop of a wall controller with `--span`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from pathlib import Path
from typing import Protocol

import qasync
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication
from shiboken6 import isValid

from backend_client.connection import FeedConnection
from backend_client.hub_process import HubProcess
from backend_client.store import CaseStore
from console.app import _stop_on_sigint, db_url
from console.main_thread_gc import install as install_main_thread_gc
from console.preferences import Appearance
from console.workstation import apply_appearance
from views.wall.layout import DEFAULT_LAYOUT, LayoutError, WallLayout, load_layout
from views.wall.wall_window import WallWindow

log = logging.getLogger(__name__)

CLIENT_NAME = "cc-wall/0.1"


class WallArgs(Protocol):
    hub_url: str | None
    token: str | None
    lang: str | None
    db: str | None
    rate: float
    screen: int | None
    span: bool
    layout: str | None
    windowed: str | None


def read_layout(path: str | None) -> WallLayout:
    """The layout file given, or the shipped one; LayoutError says what is wrong and where."""
    return load_layout(Path(path) if path else DEFAULT_LAYOUT)


def wall_geometry(screens: list[QScreen], primary: QScreen, *, screen: int | None, span: bool) -> QRect:
    """Where the wall goes: one screen's geometry, or the union of all (a controller's virtual desktop)."""
    if span:
        area = QRect()
        for each in screens:
            area = area.united(each.geometry())
        return area
    if screen is None:
        return primary.geometry()
    if not 0 <= screen < len(screens):
        raise ValueError(f"--screen {screen}: this display has screens 0 to {len(screens) - 1}")
    return screens[screen].geometry()


def px_per_mm(layout: WallLayout, geometry: QRect, screen: QScreen) -> float:
    """Pixels per millimetre of the wall: from the layout's width when given, else the display's."""
    if layout.settings.width_mm > 0:
        return geometry.width() / layout.settings.width_mm
    return max(0.5, screen.physicalDotsPerInch() / 25.4)


def run_wall(args: WallArgs) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("websockets").setLevel(logging.WARNING)
    try:
        layout = read_layout(args.layout)
    except LayoutError as exc:
        print(f"wall: {exc}", file=sys.stderr)
        return 2
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("cc-wall")
    app.setOrganizationName("cc")
    app.setQuitOnLastWindowClosed(False)
    install_main_thread_gc(app)
    apply_appearance(app, Appearance(language=args.lang or layout.settings.language, theme="dark"))
    status: int = qasync.run(serve_wall(args, layout))
    return status


async def serve_wall(args: WallArgs, layout: WallLayout, *, shown: asyncio.Event | None = None) -> int:
    closing = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        _stop_on_sigint(closing, stack)  # first: a Ctrl+C at any later moment closes cleanly
        if args.hub_url is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-wall-demo-")))
            hub = await stack.enter_async_context(HubProcess(db_url(args.db, scratch), simulate=True, rate=args.rate,
                                                             account="wall-demo", role="wall"))
            url, token = hub.url, hub.token
            log.info("demo hub with the simulator at %s", url)
        else:
            url, token = args.hub_url, args.token or ""
        store = CaseStore()
        feed = FeedConnection(url, token, store, client_name=CLIENT_NAME)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        try:
            geometry = wall_geometry(screens, primary, screen=args.screen, span=args.span)
        except ValueError as exc:
            print(f"wall: {exc}", file=sys.stderr)
            return 2
        target = screens[args.screen] if args.screen is not None else primary
        window = WallWindow(store, layout, feed.health, px_per_mm=px_per_mm(layout, geometry, target),
                            settings=QSettings(), ask=feed.send_command)
        window.destroyed.connect(lambda *_: closing.set())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # WA_DeleteOnClose: after Ctrl+Q the window is gone, and stopping it again must not fail the exit
        stack.callback(lambda: window.stop() if isValid(window) else None)
        stack.push_async_callback(feed.close)
        if args.windowed:
            width, height = (int(v) for v in args.windowed.lower().split("x"))
            window.resize(width, height)
            window.show()
        else:
            window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            window.setGeometry(geometry)
            window.show()
            if not args.span:
                window.showFullScreen()
        window.setFocus()
        await feed.start()
        if shown is not None:
            shown.set()
        await closing.wait()
    return 0
