"""The demo's hub as a child process: `python -m hub serve` on a free loopback port.

The hub runs in its own process, not in the console's: its database thread and the Qt event
loop then never share an interpreter (seen here: the in-process hub's commit thread and
qasync's Qt loop crashed the process about once in ten test runs), and the console talks to
it exactly as a workstation talks to a real hub. The child stops when the console closes
its stdin, so it cannot outlive a console that crashed.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0


class HubStartError(RuntimeError):
    """The hub process exited or said nothing useful before it served."""


class HubProcess:
    def __init__(
        self,
        db_url: str,
        *,
        simulate: bool = True,
        rate: float = 1.0,
        seed: int = 1,
        backfill_hours: float = 8.0,
        account: str = "duty-demo",
        role: str = "duty",
        port: int = 0,
    ) -> None:
        self.command = [
            sys.executable, "-m", "hub", "serve", "--db", db_url, "--port", str(port), "--seed", str(seed),
            "--rate", str(rate), "--backfill-hours", str(backfill_hours), "--demo-account", account,
            "--demo-role", role,
            "--exit-on-stdin-eof",
        ]
        if simulate:
            self.command.append("--simulate")
        self.url = ""
        self.token = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._errors: list[str] = []

    async def __aenter__(self) -> HubProcess:
        self._proc = subprocess.Popen(
            self.command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert self._proc.stderr is not None
        threading.Thread(target=self._drain, args=(self._proc.stderr, True), daemon=True).start()
        try:
            await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, self._read_banner),
                                   START_TIMEOUT_S)
        except BaseException:
            await self.__aexit__(None, None, None)
            raise
        assert self._proc.stdout is not None
        threading.Thread(target=self._drain, args=(self._proc.stdout, False), daemon=True).start()
        return self

    @property
    def pid(self) -> int | None:
        """The hub's process id while it runs (tests freeze it to see a silent hub)."""
        return self._proc.pid if self._proc is not None else None

    def _read_banner(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for raw in self._proc.stdout:
            line = raw.decode(errors="replace").strip()
            if line.startswith("token: "):
                self.token = line.removeprefix("token: ")
            elif line.startswith("hub serving "):
                self.url = line.split()[2]
            if self.url and self.token:
                return
        self._proc.wait()
        detail = self._errors[-1] if self._errors else f"exit status {self._proc.returncode}"
        raise HubStartError(f"the demo hub did not start: {detail}")

    def _drain(self, stream: IO[bytes], is_stderr: bool) -> None:
        for raw in stream:
            line = raw.decode(errors="replace").rstrip()
            if is_stderr:
                self._errors.append(line)
                del self._errors[:-20]
                log.info("hub: %s", line)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        proc = self._proc
        if proc is None:
            return
        if proc.stdin is not None:
            proc.stdin.close()  # the hub stops on EOF, shutting down cleanly
        try:
            await asyncio.get_running_loop().run_in_executor(None, proc.wait, 15)
        except subprocess.TimeoutExpired:
            proc.kill()
            await asyncio.get_running_loop().run_in_executor(None, proc.wait)
