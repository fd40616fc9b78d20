"""Keep the wall up: run it as a child process and start it again whenever it dies.

    python main.py --wall --watchdog [the wall's other options]

A wall must never go dark. The watchdog starts `main.py --wall …` (the same options, without
`--watchdog`), and when the child ends by a crash or a signal (a segfault, `kill -9`, an
out-of-memory kill) it starts a new one after a short pause that grows while the child keeps
dying young (1 s, 2 s, 4 s … at most 30 s; back to 1 s after a child that ran a minute). A child
that exits with status 0 (closed on purpose, Ctrl+Q) or 2 (a bad layout or option: a restart
cannot fix it) ends the watchdog too. The restarted wall restores its page from its settings and
its data from the hub (a snapshot). Each start and each death is one line on stderr.

On a managed machine the same job can be the service manager's: see docs/wall.md for a
systemd unit and a Windows autostart entry.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

MAIN = Path(__file__).resolve().parent.parent / "main.py"
FINAL_STATUSES = (0, 2)
"""A child ending with these is not restarted: closed on purpose, or a usage error."""
MAX_PAUSE_S = 30.0
HEALTHY_AFTER_S = 60.0


def child_command(argv: Sequence[str]) -> list[str]:
    return [sys.executable, str(MAIN), *[a for a in argv if a != "--watchdog"]]


def watch(argv: Sequence[str], *, sleep: Callable[[float], None] = time.sleep,
          clock: Callable[[], float] = time.monotonic, max_starts: int | None = None) -> int:
    """Run the wall until it ends on purpose; returns its last exit status."""
    command = child_command(argv)
    pause = 1.0
    starts = 0
    child: subprocess.Popen[bytes] | None = None

    def stop(signum: int, _frame: object) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signum)
        raise SystemExit(0)

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    while True:
        started = clock()
        child = subprocess.Popen(command)
        starts += 1
        print(f"watchdog: wall started (pid {child.pid}, start {starts})", file=sys.stderr, flush=True)
        status = child.wait()
        if status in FINAL_STATUSES:
            print(f"watchdog: wall exited with status {status}; not restarting", file=sys.stderr, flush=True)
            return status
        lived = clock() - started
        pause = 1.0 if lived >= HEALTHY_AFTER_S else min(MAX_PAUSE_S, pause * 2 if starts > 1 else pause)
        how = f"signal {-status}" if status < 0 else f"status {status}"
        print(f"watchdog: wall died ({how}) after {lived:.0f} s; restarting in {pause:.0f} s",
              file=sys.stderr, flush=True)
        if max_starts is not None and starts >= max_starts:
            return status
        sleep(pause)
