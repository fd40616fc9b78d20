"""A hub run as an operator runs it (`python -m hub serve …` in a process of its own), for the tests that read
what it prints and logs."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_S = 60.0


class ServedHub:
    """`python -m hub serve ARGS`; `url` once it serves, `stop()` ends it with Ctrl+C and returns its stderr."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "hub", "serve", "--port", "0", *args], cwd=cwd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=_env())
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._err = threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True)
        self._err.start()
        self.url = self._serving()

    @staticmethod
    def _read(stream: object, into: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            into.append(line)

    def _serving(self) -> str:
        found: list[str] = []

        def first_lines() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.stdout.append(line)
                if match := re.match(r"hub serving (wss?://\S+) ", line):
                    found.append(match.group(1))
                    return

        reader = threading.Thread(target=first_lines, daemon=True)
        reader.start()
        reader.join(START_S)
        if not found:
            self.proc.kill()
            raise AssertionError(f"the hub did not serve: {''.join(self.stdout)}{''.join(self.stderr)}")
        return found[0]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].split("/", 1)[0])

    def stop(self) -> str:
        """Ctrl+C, as an operator stops it; everything it wrote on stderr (its log)."""
        self.proc.send_signal(signal.SIGINT)
        rest, _ = self.proc.communicate(timeout=30)
        self.stdout.append(rest)
        self._err.join(30)
        return "".join(self.stderr)


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return env
