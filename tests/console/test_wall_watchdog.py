"""The wall never goes dark: `main.py --wall --watchdog` starts the wall again when it is killed,
and stops for good when the wall is closed on purpose or cannot start (a bad layout)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WAIT_S = 60


def watchdog(tmp_path: Path, *extra: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    # No hub answers on port 9: the wall keeps trying, alive, which is all the watchdog needs.
    command = [sys.executable, "main.py", "--wall", "--watchdog", "--windowed", "640x360",
               "--hub", "ws://127.0.0.1:9/feed", "--token", "x", *extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)


def lines(proc: subprocess.Popen[str]) -> Iterator[str]:
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("watchdog:"):
            yield line.strip()


def test_a_killed_wall_is_started_again(tmp_path: Path) -> None:
    proc = watchdog(tmp_path)
    try:
        said = lines(proc)
        first = next(said)
        started = re.fullmatch(r"watchdog: wall started \(pid (\d+), start 1\)", first)
        assert started, first
        os.kill(int(started.group(1)), signal.SIGKILL)
        died = next(said)
        assert re.fullmatch(r"watchdog: wall died \(signal 9\) after \d+ s; restarting in 1 s", died), died
        again = re.fullmatch(r"watchdog: wall started \(pid (\d+), start 2\)", next(said))
        assert again and again.group(1) != started.group(1)
    finally:
        proc.terminate()
        proc.wait(WAIT_S)
    assert proc.returncode == 0, "SIGTERM stops the watchdog and its wall"


@pytest.mark.timeout(90)
def test_a_bad_layout_is_not_restarted_forever(tmp_path: Path) -> None:
    layout = tmp_path / "wall.toml"
    layout.write_text('[wall]\nlanguage = "fr"\n', encoding="utf-8")
    proc = watchdog(tmp_path, "--layout", str(layout))
    try:
        _, err = proc.communicate(timeout=WAIT_S)
    finally:
        proc.kill()
    assert proc.returncode == 2
    assert "wall.toml:2: wall.language: must be one of en, zh_CN" in err
    assert "watchdog: wall exited with status 2; not restarting" in err
    assert err.count("wall started") == 1
