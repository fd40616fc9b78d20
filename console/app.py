"""Start the console: one QApplication, one qasync loop, the feed, the main window.

    run(args) -> exit status

With no `hub_url`, an embedded hub with the simulator starts first on a free loopback
port (the demo). The workstation's own state (console/local_state.py) is opened before the
window: the snapshot cache fills the queue at once (stale until the feed catches up), and the
outbox's unanswered commands go out after the hub's `welcome`.

The loop is qasync's (`qasync.run`); the application does not quit when its last window
closes: closing the main window sets an event, the coroutine shuts the feed and the hub
down, and returning from it ends the loop. Nothing here runs a nested event loop (no
`exec()` of dialogs inside coroutines).
"""

from __future__ import annotations

import gc

_collecting = gc.isenabled()
gc.disable()  # for the imports below: see the end of them

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Protocol  # noqa: E402

import qasync  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backend_client.cache_keeper import CacheKeeper  # noqa: E402
from backend_client.connection import FeedConnection  # noqa: E402
from backend_client.store import CaseFilter, CaseStore  # noqa: E402
from console import preferences  # noqa: E402
from console.local_state import LocalState, state_dir  # noqa: E402
from console.main_thread_gc import install as install_main_thread_gc  # noqa: E402
from console.main_thread_gc import settle  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from console.preferences import Appearance  # noqa: E402
from console.workstation import Workstation, apply_appearance  # noqa: E402

# The console's imports make ~300,000 objects that live as long as the process (modules, classes,
# functions). With the collector on, its young generation filled every 700 of them and ~430 passes
# ran during the imports, ever longer ones over the older generations: ~0.2 s of a cold start (of
# ~0.85 s of imports, CPU here). Paused, then frozen out of later collections as `settle()` does
# after a load: about 900 objects of garbage cycles among them are kept, and no pass walks the rest.
gc.freeze()
if _collecting:
    gc.enable()

if TYPE_CHECKING:
    from console.room_window import RoomWindow
    from console.supervision_window import SupervisionWindow

log = logging.getLogger(__name__)

CLIENT_NAME = "cc-console/0.1"
OPENING_VIEW = CaseFilter()
"""The queue a duty window opens on (the sidebar starts on All open, no search words). Set before the
cache fills the store, the window's own `set_filter` finds it in place: a start sorts 100,000 cases
once instead of all of them for the store and then the open ones again for the window (~45 ms here).
Any other choice only costs that sort again."""
PROBLEM_SHOWN_MS = 20_000


class ConsoleArgs(Protocol):
    hub_url: str | None
    token: str | None
    lang: str | None
    """None: the language the operator chose last time (View ▸ Language), English at first."""
    db: str | None
    rate: float


def prepare_application(appearance: Appearance | str | None = "en", *, lang: str | None = None) -> QApplication:
    """The QApplication in `appearance` (or just a language): theme, fonts, translations (made once).

    None: the appearance the operator chose last time, with `lang` winning (read once the
    application's names are set, which is where QSettings looks)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("cc-console")
    app.setOrganizationName("cc")
    app.setQuitOnLastWindowClosed(False)
    install_main_thread_gc(app)  # a QObject must never be collected on a worker thread
    if appearance is None:
        appearance = saved_appearance(lang)
    apply_appearance(app, appearance if isinstance(appearance, Appearance) else Appearance(language=appearance))
    return app


def saved_appearance(lang: str | None) -> Appearance:
    """What the operator chose last time, with `--lang` (when given) winning."""
    return preferences.load(QSettings(), language=lang)


def db_url(db: str | None, scratch: Path) -> str:
    """A SQLAlchemy URL for the embedded hub: as given, a file path, or a scratch file."""
    if db is None:
        return f"sqlite:///{scratch / 'demo-hub.db'}"
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def run(args: ConsoleArgs) -> int:
    """Run the console until its window is closed (or SIGINT); returns the exit status."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("websockets").setLevel(logging.WARNING)  # one line per connection is noise here
    prepare_application(None, lang=args.lang)
    status: int = qasync.run(serve(args))
    return status


async def serve(args: ConsoleArgs, *, shown: asyncio.Event | None = None) -> int:
    """The console's life on the running qasync loop; `shown` is set once the window is up."""
    closing = asyncio.Event()
    room = bool(getattr(args, "room", False))
    supervision = bool(getattr(args, "supervision", False))
    async with contextlib.AsyncExitStack() as stack:
        _stop_on_sigint(closing, stack)  # first: a Ctrl+C at any later moment closes cleanly
        scratch: Path | None = None
        if args.hub_url is None:
            from backend_client.hub_process import HubProcess  # the demo only

            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cc-demo-")))
            account, role = ("commander-demo", "commander") if room else ("duty-demo", "duty")
            if supervision:
                account, role = "supervisor-demo", "supervisor"
            hub = await stack.enter_async_context(HubProcess(db_url(args.db, scratch), simulate=True,
                                                             rate=args.rate, account=account, role=role))
            url, token = hub.url, hub.token
            log.info("demo hub with the simulator at %s", url)
        else:
            url, token = args.hub_url, args.token or ""
        folder = state_dir(hub_url=args.hub_url, data_dir=getattr(args, "data_dir", None), demo_db=args.db,
                           scratch=scratch)
        if room:  # its own outbox and cache: a room and a duty window may run side by side
            folder = folder.with_name(folder.name + ".room")
        if supervision:  # likewise the supervision desk
            folder = folder.with_name(folder.name + ".supervision")
        local = LocalState.open(folder)
        stack.callback(local.close)
        store = CaseStore()
        if not (room or supervision):
            store.set_view(OPENING_VIEW)  # before the cache fills it: its cases are sorted once, for this queue
        cached = local.cache.load_into(store, defer_history=True)  # the queue first: histories below
        feed = FeedConnection(url, token, store, client_name=CLIENT_NAME, outbox=local.outbox)
        if cached is not None:
            feed.mark_cached(cached.as_of)
            log.info("%d cases from the cache (seq %d), stale until the hub confirms", cached.cases, cached.last_seq)
        keeper = CacheKeeper(local.cache, store, as_of=lambda: time.time() - (feed.data_age_s or 0.0), hub_url=url)
        app = QApplication.instance()
        assert isinstance(app, QApplication), "prepare_application() first"
        window: MainWindow | RoomWindow | SupervisionWindow
        if room or supervision:  # the emergency room or the supervision desk: the same feed, store and outbox
            from console.room_window import RoomWindow  # imported when asked for: not on a duty desk's start
            from console.supervision_window import SupervisionWindow

            appearance = saved_appearance(args.lang)
            screen = RoomWindow if room else SupervisionWindow
            window = screen(store, feed, language=appearance.language, settings=QSettings())
            window.close_requested.connect(closing.set)
            stack.callback(window.deleteLater)
            stack.push_async_callback(keeper.close)
            stack.push_async_callback(feed.close)
            stack.callback(window.stop)
            window.show()
        else:
            station = Workstation(app, store, feed, settings=QSettings(), appearance=saved_appearance(args.lang))
            station.close_requested.connect(closing.set)
            stack.callback(lambda: station.window.deleteLater())
            stack.push_async_callback(keeper.close)  # after the feed has closed: saves its last seq
            stack.push_async_callback(feed.close)
            stack.callback(station.stop)
            station.show()
            window = station.window
        await _painted()
        store.finish_load()  # the cached cases not decoded for the first paint: before anything reads them all
        _show_local_problems(window, local)  # after it: cases that could not be decoded set the file aside
        await local.cache.restore_history(store)  # chunk by chunk, the window painted; before any event
        if cached is not None:
            settle()  # 100,000 cached cases need never be scanned by the collector again
        await feed.start()
        await keeper.start()
        if shown is not None:
            shown.set()
        await closing.wait()
    return 0


async def _painted() -> None:
    """One turn of Qt's loop after a window's `show()`: a zero timer fires once the events queued before it
    are done, the window's first paint among them."""
    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def done() -> None:
        if not painted.done():  # not cancelled meanwhile
            painted.set_result(None)

    QTimer.singleShot(0, done)
    await painted


def _show_local_problems(window: MainWindow | RoomWindow | SupervisionWindow, local: LocalState) -> None:
    """A damaged local file was moved aside (and logged): say so once, without a dialog."""
    if local.problems:
        text = QCoreApplication.translate(
            "ConsoleApp", "A local file of this workstation could not be read and was set aside; see the log.")
        window.status.showMessage(text, PROBLEM_SHOWN_MS)


def _stop_on_sigint(closing: asyncio.Event, stack: contextlib.AsyncExitStack) -> None:
    """Ctrl+C closes like the window does (Qt's loop lets Python handle signals every 200 ms)."""
    loop = asyncio.get_running_loop()
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: loop.call_soon_threadsafe(closing.set))
    except ValueError:  # not the main thread (tests): nothing to install
        return
    wake = QTimer(interval=200)
    wake.timeout.connect(lambda: None)
    wake.start()
    stack.callback(wake.stop)
    stack.callback(signal.signal, signal.SIGINT, previous)
