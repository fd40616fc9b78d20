"""Every command line shown in the README and in docs/*.md is run here, or checked as far as a test can.

The commands are read from the documents themselves: the lines of ```sh blocks, and inline code
spans that start like a command (`make …`, `python …`, `.venv/bin/python …`, `main.py …`,
`cc-hub …`, `tools/…`, …). Each must have an entry in `EXERCISES` saying how it is exercised; a
documented command without one fails `test_every_documented_command_has_an_entry`, so a new line
in the docs comes with its test.

Commands run for real from a scratch folder (`hub.db`, `units.csv` there; HOME and the XDG folders
there too, so nothing touches the settings of the person running the tests), with
`.venv/bin/python` (and the Windows `.venv\\Scripts\\python`) meaning this interpreter, `TOKEN` a
token made by the documented `users add`, and port 8765 replaced by a free one (`--port 0`, then
the port the hub prints). Long-running ones (a hub, the console) are started, waited on until they
serve or connect, and stopped as a user would (Ctrl+C). Nothing sleeps: every wait reads a line
or polls a condition, with a timeout.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
START_S = 90.0
"""Upper bound on a process's start (a console imports Qt; the demo also starts its hub)."""
STOP_S = 30.0

COMMAND_START = re.compile(
    r"^(make |python|\.venv/bin/python|\.venv\\Scripts\\python|main\.py|cc-hub |QT_QPA_PLATFORM=\S+ make"
    r"|tools/|\.ci/|sudo |users add )"
)
SHELL_FENCES = {"```sh", "```bash", "```shell", "```console"}


def documented_commands() -> dict[str, list[str]]:
    """Every command line of the documents, whitespace-normalised, with where it stands (file:line)."""
    found: dict[str, list[str]] = {}

    def add(command: str, where: str) -> None:
        found.setdefault(" ".join(command.split()), []).append(where)

    for document in DOCUMENTS:
        name = document.relative_to(ROOT).as_posix()
        fence: str | None = None
        prose: list[str] = []  # the document with its fenced blocks blanked: inline spans may wrap lines
        for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("```"):
                fence = stripped if fence is None else None
                prose.append("")
                continue
            if fence is not None:
                prose.append("")
                command = re.split(r"\s+#\s", " " + stripped, maxsplit=1)[0].strip()
                if fence in SHELL_FENCES and command and not command.startswith("#"):
                    add(command, f"{name}:{number}")
                continue
            prose.append(line)
        text = "\n".join(prose)
        for match in re.finditer(r"(`+)((?:(?!\n\s*\n).)+?)\1", text, re.S):
            span = match.group(2).strip()
            if COMMAND_START.match(span):
                add(span, f"{name}:{text.count(chr(10), 0, match.start()) + 1}")
    return found


# --- running things ----------------------------------------------------------------------------


class Lines:
    """The lines a process writes on one stream, read on a thread; waited on with a timeout."""

    def __init__(self, stream: object) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def rest(self, timeout: float = STOP_S) -> list[str]:
        """Every line, once the process has ended (its stream closes)."""
        deadline = time.monotonic() + timeout
        while (line := self._queue.get(timeout=max(deadline - time.monotonic(), 0.001))) is not None:
            self.seen.append(line)
        self._queue.put(None)
        return self.seen

    def wait_for(self, pattern: str, timeout: float = START_S) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            for line in self.seen:
                if match := re.search(pattern, line):
                    return match
            remaining = deadline - time.monotonic()
            try:
                line = self._queue.get(timeout=max(remaining, 0.001))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r} in {timeout:g} s; got:\n"
                                     + "\n".join(self.seen[-20:])) from None
            if line is None:
                raise AssertionError(f"the process ended before printing {pattern!r}; it said:\n"
                                     + "\n".join(self.seen[-20:]))
            self.seen.append(line)


@dataclass
class Running:
    proc: subprocess.Popen[str]
    out: Lines
    err: Lines

    def interrupt(self) -> int:
        """Ctrl+C, as a user stops it; its exit status. It must say nothing of a crash on its way out."""
        self.proc.send_signal(signal.SIGINT)
        status = self.proc.wait(STOP_S)
        said = "\n".join(self.err.rest())
        assert "Traceback" not in said, said[-3000:]
        return status

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(STOP_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Scratch:
    """The folder documented commands run in, with their environment."""

    folder: Path
    env: dict[str, str]
    started: list[Running] = field(default_factory=list)
    memo: dict[str, object] = field(default_factory=dict)

    def run(self, *args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(list(args), cwd=cwd or self.folder, env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)
        assert done.returncode == 0, f"{shlex.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        return done

    def hub(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "hub", *args, cwd=cwd)

    def start(self, *args: str, cwd: Path | None = None) -> Running:
        proc = subprocess.Popen(list(args), cwd=cwd or self.folder, env=self.env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        running = Running(proc, Lines(proc.stdout), Lines(proc.stderr))
        self.started.append(running)
        return running

    def once(self, key: str, make: Callable[[], object]) -> object:
        """A step several entries share (a served hub, a console run), done the first time it is asked."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    folder = tmp_path_factory.mktemp("documented")
    home = folder / "home"
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local"),
               XDG_CACHE_HOME=str(home / ".cache"), QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    work = Scratch(folder, env)
    try:
        yield work
    finally:
        for running in reversed(work.started):
            running.stop()


# --- the shared steps --------------------------------------------------------------------------


def alice_token(s: Scratch) -> str:
    """`python -m hub users add alice --role duty --db hub.db`: prints alice's token, once."""
    def make() -> str:
        done = s.hub("users", "add", "alice", "--role", "duty", "--db", "hub.db")
        token = done.stdout.strip()
        assert re.fullmatch(r"\S{20,}", token), f"users add printed {done.stdout!r}, not one token"
        listed = s.hub("users", "list", "--db", "hub.db").stdout
        assert re.search(r"^alice\tduty\tactive\t\S+$", listed, re.M), listed
        return token
    return str(s.once("alice", make))


def served_hub(s: Scratch) -> tuple[str, Running]:
    """`python -m hub serve --db hub.db --port 8765` on a free port (-v: the test sees who connects)."""
    def make() -> tuple[str, Running]:
        alice_token(s)
        hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "hub.db", "--port", "0", "-v")
        url = hub.out.wait_for(r"^hub serving (ws://127\.0\.0\.1:\d+/feed) ").group(1)
        return url, hub
    return s.once("hub", make)  # type: ignore[return-value]


def console_on_the_hub(s: Scratch) -> None:
    """`main.py --hub URL --token TOKEN`: connects (the hub says alice came in), then Ctrl+C ends it cleanly."""
    def make() -> None:
        url, hub = served_hub(s)
        console = s.start(sys.executable, "main.py", "--hub", url, "--token", alice_token(s), cwd=ROOT)
        hub.err.wait_for(r"alice \(duty\) connected from .*: (snapshot|replay)")
        assert console.proc.poll() is None, "the console ended by itself"
        assert console.interrupt() == 0, "\n".join(console.err.seen[-20:])
    s.once("console on the hub", make)


def established_to(port: int) -> bool:
    """A TCP connection to `port` on this machine is established (Linux: /proc/net/tcp)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as handle:
            for row in handle.read().splitlines()[1:]:
                fields = row.split()
                if fields[3] == "01" and int(fields[2].rsplit(":", 1)[1], 16) == port:
                    return True
    return False


def demo(s: Scratch, *args: str) -> None:
    """`main.py` with no --hub: its own hub with the simulator; the console connects to it; Ctrl+C ends both."""
    def make() -> None:
        if not Path("/proc/net/tcp").exists():
            pytest.skip("seeing the demo console connect needs Linux's /proc/net/tcp")
        console = s.start(sys.executable, "main.py", *args, cwd=ROOT)
        port = int(console.err.wait_for(r"demo hub with the simulator at ws://127\.0\.0\.1:(\d+)/feed").group(1))
        deadline = time.monotonic() + START_S
        while not established_to(port):
            assert console.proc.poll() is None, "\n".join(console.err.seen[-20:])
            assert time.monotonic() < deadline, f"the demo console never connected to its hub on port {port}"
            with contextlib.suppress(subprocess.TimeoutExpired):
                console.proc.wait(0.05)  # returns at once if the console ends
        assert console.interrupt() == 0, "\n".join(console.err.seen[-20:])
    s.once(f"demo {args}", make)


def make_prints(*args: str, env: dict[str, str] | None = None) -> list[str]:
    """What `make -n ARGS` would run (nothing is run): the project's Makefile has the target."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed here")
    # Under `make test` the suite runs inside make: a nested make would print "Entering directory"
    # and inherit the outer command line's variables.
    inherited = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "ARGS", "PYTEST_ARGS")
    clean = {k: v for k, v in (env or os.environ).items() if k not in inherited}
    done = subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, check=False, env=clean)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def make_run(s: Scratch, args: str = "", env: dict[str, str] | None = None) -> list[str]:
    """`make run ARGS=…` prints `.venv/bin/python main.py ARGS`; returns those ARGS."""
    last = make_prints("run", f"ARGS={args}", env=env)[-1]
    assert last.startswith(".venv/bin/python main.py"), last
    return shlex.split(last)[2:]


def exported_units(s: Scratch) -> Path:
    """`python -m hub units export units.csv --db hub.db`: the chart as the hub holds it."""
    def make() -> Path:
        alice_token(s)
        s.hub("units", "export", "units.csv", "--db", "hub.db")
        path = s.folder / "units.csv"
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("id,name,kind,parent_id"), lines[0]
        assert len(lines) > 611, "district, 14 streets and 596 committees at least"
        return path
    return s.once("export", make)  # type: ignore[return-value]


def imported_units(s: Scratch) -> None:
    """Edit the export, `units import units.csv --db hub.db`, and the edit is in the next export."""
    def make() -> None:
        path = exported_units(s)
        lines = path.read_text(encoding="utf-8").splitlines()
        street = next(i for i, line in enumerate(lines) if ",江川路街道" in line)
        lines[street] = lines[street].replace(",江川路街道", ",江川路街道（改）", 1)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        s.hub("units", "import", "units.csv", "--db", "hub.db")
        s.hub("units", "export", "after.csv", "--db", "hub.db")
        assert ",江川路街道（改）" in (s.folder / "after.csv").read_text(encoding="utf-8")
    s.once("import", make)


def audit(s: Scratch) -> None:
    """`python -m hub audit --db hub.db` lists the import just made, by the CLI, and its outcome."""
    imported_units(s)
    listed = s.hub("audit", "--db", "hub.db").stdout
    assert re.search(r"\tcli\(admin\)\tunits\.import\tok", listed), listed[:2000]


def simulate(s: Scratch) -> None:
    """`python -m hub simulate --token TOKEN --rate 20` into the served hub: it is let in as alice and
    runs on until Ctrl+C (at rate 20 the next request can be seconds away at night: not waited for)."""
    url, _ = served_hub(s)
    simulator = s.start(sys.executable, "-m", "hub", "simulate", "--hub", url, "--token", alice_token(s),
                        "--rate", "20")
    simulator.out.wait_for(rf"^simulating into {re.escape(url)} as alice \(rate x20, ")
    assert simulator.proc.poll() is None, "\n".join(simulator.err.rest())
    assert simulator.interrupt() in (0, 130)


def simulate_a_day(s: Scratch) -> None:
    """`python -m hub simulate --days 1 --speed max --db day.db`: the day starts on the virtual clock into a new
    day.db and its simulated hours pass (a whole day takes minutes: stopped with Ctrl+C once an hour is done;
    tests/hub/test_simulate_day.py runs shorter days to their end)."""
    day = s.start(sys.executable, "-m", "hub", "simulate", "--days", "1", "--speed", "max", "--db", "day.db")
    day.out.wait_for(r"^simulating 1 day\(s\) from 2026-11-24 00:00 \(Asia/Shanghai\) into day\.db \(seed 1, ")
    day.out.wait_for(r"^2026-11-24 01:00  seq \d+ ")
    assert day.interrupt() in (0, 130), "\n".join(day.err.seen[-20:])
    assert (s.folder / "day.db").exists()


def cap_import(s: Scratch) -> None:
    """`python -m hub cap import FILE…` into the served hub, as a commander: one line per file, and exit
    status 1 because one file is refused (with its reason)."""
    url, _ = served_hub(s)
    token = s.hub("users", "add", "cap-commander", "--role", "commander", "--db", "hub.db").stdout.strip()
    orange = ROOT / "resources" / "cap" / "shanghai_minhang_typhoon_orange.cap.xml"
    bad = ROOT / "tests" / "data" / "cap" / "bad" / "bad_severity.xml"
    done = subprocess.run([sys.executable, "-m", "hub", "cap", "import", str(orange), str(bad), "--hub", url,
                           "--token", token], cwd=s.folder, env=s.env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 1, (done.stdout, done.stderr)
    accepted, rejected = done.stdout.splitlines()
    assert re.fullmatch(rf"{re.escape(orange.name)}: accepted as WN\d{{4}}-0001, suggests plan typhoon-II "
                        r"\(typhoon II\)", accepted), accepted
    assert rejected.startswith("bad_severity.xml: rejected: info[0]: bad <severity>"), rejected


def auto_supervise(s: Scratch) -> None:
    """`serve --auto-supervise "orange=remind,red=supervise"` (default hub.db, in a folder of its own) serves."""
    folder = s.folder / "auto"
    folder.mkdir()
    hub = s.start(sys.executable, "-m", "hub", "serve", "--auto-supervise", "orange=remind,red=supervise",
                  "--port", "0", cwd=folder)
    hub.out.wait_for(r"^hub serving ws://127\.0\.0\.1:\d+/feed ")
    # 0 once its Ctrl+C handler is in place, 130 in the instant after the banner before it: both clean
    assert hub.interrupt() in (0, 130), "\n".join(hub.err.seen[-20:])
    assert (folder / "hub.db").exists()


def scoped_desk(s: Scratch) -> None:
    """`users add NAME --role duty --unit S310112001` makes a street sub-centre's desk."""
    alice_token(s)
    s.hub("users", "add", "jiangchuan-desk", "--role", "duty", "--unit", "S310112001", "--db", "hub.db")
    listed = s.hub("users", "list", "--db", "hub.db").stdout
    assert re.search(r"^jiangchuan-desk\tduty.*\tactive\t\S+$", listed, re.M), listed


def supervisor_token(s: Scratch) -> str:
    """`python -m hub users add NAME --role supervisor`: an account for the supervision desk (监督)."""
    def make() -> str:
        alice_token(s)
        token = s.hub("users", "add", "li.jiandu", "--role", "supervisor", "--db", "hub.db").stdout.strip()
        assert re.fullmatch(r"\S{20,}", token), token
        listed = s.hub("users", "list", "--db", "hub.db").stdout
        assert re.search(r"^li\.jiandu\tsupervisor\tactive\t\S+$", listed, re.M), listed
        return token
    return str(s.once("li.jiandu", make))


def supervisor_at_the_desk(s: Scratch) -> None:
    """`users add NAME --role supervisor`, then `main.py --supervision --hub URL --token TOKEN` connects as that
    supervisor (the hub says so) and Ctrl+C ends it cleanly."""
    def make() -> None:
        url, hub = served_hub(s)
        desk = s.start(sys.executable, "main.py", "--supervision", "--hub", url, "--token", supervisor_token(s),
                       cwd=ROOT)
        hub.err.wait_for(r"li\.jiandu \(supervisor\) connected from .*: (snapshot|replay)")
        assert desk.proc.poll() is None, "the desk ended by itself"
        assert desk.interrupt() == 0, "\n".join(desk.err.seen[-20:])
    s.once("supervision desk on the hub", make)


def cc_hub_users_add(s: Scratch) -> None:
    """`cc-hub users add NAME --role ROLE` (the installed script; default hub.db, a folder of its own)."""
    script = Path(sys.executable).with_name("cc-hub")
    if not script.exists():
        pytest.skip("the cc-hub script is not installed beside this Python (pip install -e .)")
    folder = s.folder / "cc-hub"
    folder.mkdir()
    done = s.run(str(script), "users", "add", "wang.li", "--role", "commander", cwd=folder)
    assert re.fullmatch(r"\S{20,}", done.stdout.strip())
    assert (folder / "hub.db").exists()


def help_of_main(s: Scratch) -> None:
    """`main.py` names the console: its --help lists how it starts."""
    shown = s.run(sys.executable, "main.py", "--help", cwd=ROOT).stdout
    assert "--hub" in shown and "--token" in shown and "--lang" in shown


def help_of_hub(s: Scratch) -> None:
    """`python -m hub` names the server: its --help lists the commands the docs show."""
    shown = s.hub("--help").stdout
    for command in ("serve", "simulate", "users", "units", "audit"):
        assert command in shown


def apt_packages(s: Scratch) -> None:
    """`sudo apt-get install …` (not run: root): the very packages the console names when one is missing."""
    from console.preflight import XCB_LIBRARIES

    line = next(c for c in documented_commands() if c.startswith("sudo apt-get install "))
    assert set(line.split()[3:]) == set(XCB_LIBRARIES.values())


def manual_install(s: Scratch) -> None:
    """`python -m venv .venv` and `pip install -e ".[test,dev]"` (not run: minutes and PyPI) are what
    `make` does on first use; the extras exist."""
    recipe = make_prints("-B", ".venv/.installed")
    assert any(re.search(r"-m venv \.venv$", line) for line in recipe), recipe
    assert any("-m pip install --quiet -e '.[test,dev,postgres]'" in line for line in recipe), recipe
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert {"test", "dev"} <= set(extras)


def pytest_runs(s: Scratch) -> None:
    """`python -m pytest` (this suite; not run again here): it collects from the project root."""
    done = s.run(sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                 "tests/test_architecture.py", cwd=ROOT)
    assert "test_architecture.py::" in done.stdout


def make_test(s: Scratch) -> None:
    """`make test` (run by .ci/run, not here: it is this suite): it runs pytest offscreen."""
    assert make_prints("test")[-1] == "QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} .venv/bin/python -m pytest "


def make_lint(s: Scratch) -> None:
    """`make lint` (run by .ci/run after the tests): ruff, mypy and import-linter."""
    shown = make_prints("lint")
    assert [line.split()[0] for line in shown[-3:]] == [".venv/bin/ruff", ".venv/bin/mypy", ".venv/bin/lint-imports"]


def make_bench(s: Scratch) -> None:
    """`make bench` (not run: minutes of measuring, compared with targets, never asserted in tests)."""
    assert make_prints("bench")[-1] == ".venv/bin/python bench/feed_throughput.py"
    assert (ROOT / "bench" / "feed_throughput.py").exists()


def make_native(s: Scratch) -> None:
    """`make native` (not run: `make test` has built it before this suite): it runs the build when a source
    changed (as `-W` says one did), and marks that it tried, whatever the build's outcome."""
    shown = make_prints("-W", "backend_client/store/case_store.py", "native")
    assert shown[-2].startswith(".venv/bin/python tools/build_native.py || echo")
    assert shown[-1].endswith("touch backend_client/store/_native/.tried")


def build_native_check(s: Scratch) -> None:
    """`tools/build_native.py --check` says whether the compiled store is current, by its exit status too."""
    from backend_client.store.native import fresh_build

    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_native.py"), "--check"], cwd=s.folder,
                          capture_output=True, text=True, timeout=60, check=False)
    current = fresh_build()
    assert done.returncode == (0 if current else 1), done.stderr
    assert ("the compiled store is current" if current else "it runs as Python") in done.stdout


def ci_run(s: Scratch) -> None:
    """`.ci/run` (CI's own entry, not run here): executable, and it runs `make test` then `make lint`."""
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert text.index("make test") < text.index("make lint")


def shell_tool(name: str) -> Callable[[Scratch], None]:
    def check(s: Scratch) -> None:
        script = ROOT / "tools" / name
        assert os.access(script, os.X_OK), f"tools/{name} is not executable"
        s.run("bash", "-n", str(script))
    check.__doc__ = (f"`tools/{name}` (not run: it rewrites files of the project in place): executable and "
                     "valid shell")
    return check


def demo_via_make(args: str = "", env: dict[str, str] | None = None) -> Callable[[Scratch], None]:
    def check(s: Scratch) -> None:
        demo(s, *make_run(s, args, env))
    check.__doc__ = f"`make run` prints `main.py {args}`; that runs as the demo, offscreen"
    return check


def console_via_make(s: Scratch) -> None:
    """`make run ARGS="--hub ws://host:8765/feed --token TOKEN"`: make passes both to main.py, which connects."""
    assert make_run(s, "--hub ws://host:8765/feed --token TOKEN") == ["--hub", "ws://host:8765/feed", "--token",
                                                                      "TOKEN"]
    console_on_the_hub(s)


def wall_token(s: Scratch) -> str:
    """`python -m hub users add wall-1 --role wall --db hub.db`: a read-only account for a wall."""
    def make() -> str:
        token = s.hub("users", "add", "wall-1", "--role", "wall", "--db", "hub.db").stdout.strip()
        assert re.fullmatch(r"\S{20,}", token), token
        assert re.search(r"^wall-1\twall\tactive\t\S+$", s.hub("users", "list", "--db", "hub.db").stdout, re.M)
        return token
    return str(s.once("wall-1", make))


def wall_on_the_hub(s: Scratch) -> None:
    """`main.py --wall --hub URL --token TOKEN --screen 1`: offscreen has one screen, so --screen 1 is refused
    in one line (exit 2); on screen 0 the wall connects as wall-1 and Ctrl+C ends it cleanly."""
    def make() -> None:
        url, hub = served_hub(s)
        token = wall_token(s)
        refused = subprocess.run([sys.executable, "main.py", "--wall", "--hub", url, "--token", token, "--screen", "1"],
                                 cwd=ROOT, env=s.env, capture_output=True, text=True, timeout=START_S, check=False)
        assert refused.returncode == 2 and "--screen 1: this display has screens 0 to 0" in refused.stderr, \
            refused.stderr
        wall = s.start(sys.executable, "main.py", "--wall", "--hub", url, "--token", token, "--screen", "0", cwd=ROOT)
        hub.err.wait_for(r"wall-1 \(wall\) connected from .*: (snapshot|replay)")
        assert wall.proc.poll() is None, "the wall ended by itself"
        assert wall.interrupt() == 0, "\n".join(wall.err.seen[-20:])
    s.once("wall on the hub", make)


def wall_gallery(s: Scratch) -> None:
    """`tools/wall_gallery.py` writes a picture of every page of the shipped layout (small, offscreen)."""
    out = s.folder / "gallery"
    s.run(sys.executable, str(ROOT / "tools" / "wall_gallery.py"), "--size", "960x540", "--scale", "1",
          "--out-dir", str(out))
    assert sorted(p.name for p in out.glob("*.png")) == ["wall_intake_en.png", "wall_overview_en.png",
                                                         "wall_rankings_en.png"]


# --- docs/data-import.md: real 311 data in and out ------------------------------------------------

SERVICE_REQUESTS = "resources/data/service_requests"


def _sample(name: str) -> str:
    return str(ROOT / SERVICE_REQUESTS / name)


def baltimore_imported(s: Scratch) -> None:
    """`hub import` of the Baltimore sample (the repository's files, the database in the scratch folder): the
    counts the document shows, the reject file beside it; a second import changes nothing."""
    def make() -> None:
        rejects = s.folder / "baltimore.rejects.csv"
        args = ("import", _sample("baltimore_311_sample.csv"), "--mapping", _sample("baltimore.toml"),
                "--db", "baltimore.db", "--rejects", str(rejects))
        out = s.hub(*args).stdout
        assert "3000 rows, 1376 cases imported, 0 already imported, 1624 rejected" in out, out
        assert "1469  unknown category" in out
        assert rejects.read_text(encoding="utf-8").startswith("line,source_id,reason")
        assert "0 cases imported, 1376 already imported" in s.hub(*args).stdout
    s.once("baltimore imported", make)


def baltimore_served(s: Scratch) -> None:
    """`serve --db baltimore.db` serves the imported centre (here on a free port), and Ctrl+C ends it."""
    baltimore_imported(s)
    hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "baltimore.db", "--port", "0")
    hub.out.wait_for(r"^hub serving ws://127\.0\.0\.1:\d+/feed \(log \S+, seq 13\d\d\)")
    assert hub.interrupt() in (0, 130), "\n".join(hub.err.seen[-20:])  # as auto_supervise: both clean


def exported(*args: str, expect: str) -> Callable[[Scratch], None]:
    def check(s: Scratch) -> None:
        baltimore_imported(s)
        out = s.hub("export", *args, "--db", "baltimore.db").stdout
        assert re.search(expect, out), out
        assert (s.folder / args[1]).stat().st_size > 0
    check.__doc__ = f"`hub export {' '.join(args)}` from the imported Baltimore database prints /{expect}/"
    return check


def nyc_centre(s: Scratch) -> None:
    """`hub import … --centre-only --db nyc.db`: the NYC centre without its cases."""
    def make() -> None:
        out = s.hub("import", _sample("nyc_311_sample.csv"), "--mapping", _sample("nyc.toml"), "--centre-only",
                    "--db", "nyc.db", "--rejects", str(s.folder / "nyc.rejects.csv")).stdout
        assert "centre set up from 1000 rows (250 rejected); no case imported" in out, out
    s.once("nyc centre", make)


def nyc_token(s: Scratch) -> str:
    """`users add alice --role duty --db nyc.db`: prints a token."""
    def make() -> str:
        nyc_centre(s)
        token = s.hub("users", "add", "alice", "--role", "duty", "--db", "nyc.db").stdout.strip()
        assert re.fullmatch(r"\S{20,}", token), token
        return token
    return str(s.once("nyc token", make))


def nyc_served(s: Scratch) -> tuple[str, Running]:
    """`serve --db nyc.db` on a free port: the NYC centre with no case yet."""
    def make() -> tuple[str, Running]:
        nyc_token(s)
        hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "nyc.db", "--port", "0")
        url = hub.out.wait_for(r"^hub serving (ws://127\.0\.0\.1:\d+/feed) \(log \S+, seq 0\)").group(1)
        return url, hub
    return s.once("nyc hub", make)  # type: ignore[return-value]


def nyc_replayed(s: Scratch) -> None:
    """`hub replay … --speed 60 --token TOKEN` into the served NYC hub, here its first 20 requests at x600000
    (their steps span ten days, closures included: 2.4 minutes even at x6000): every step is accepted and the
    run says so."""
    url, _ = nyc_served(s)
    out = s.hub("replay", _sample("nyc_311_sample.csv"), "--mapping", _sample("nyc.toml"), "--speed", "600000",
                "--hub", url, "--token", nyc_token(s), "--limit", "20").stdout
    assert re.search(r"replaying 20 requests .* at x600000", out), out
    assert re.search(r"^replayed (\d+) of \1 steps \(\d+ commands, 0 refused\)$", out, re.M), out


# --- docs/operations.md: security and operations, in a folder of their own (alice there is another account) ----


def ops_folder(s: Scratch) -> Path:
    folder = s.folder / "ops"
    folder.mkdir(exist_ok=True)
    return folder


def ops_users(s: Scratch) -> str:
    """`users add alice --expires-in 90`, `users rotate alice`, `users list`: the list shows the expiry, the
    rotated token differs from the first; returns the token in force."""
    def make() -> str:
        from datetime import UTC, datetime, timedelta

        folder = ops_folder(s)
        first = s.hub("users", "add", "alice", "--role", "duty", "--expires-in", "90", "--db", "hub.db",
                      cwd=folder).stdout.strip()
        listed = s.hub("users", "list", "--db", "hub.db", cwd=folder).stdout
        expiry = re.search(r"^alice\tduty\tactive\t(\S+)$", listed, re.M)
        assert expiry, listed
        left = datetime.fromisoformat(expiry.group(1)) - datetime.now(UTC)
        assert timedelta(days=89) < left <= timedelta(days=90), left
        rotated = s.hub("users", "rotate", "alice", "--db", "hub.db", cwd=folder).stdout.strip()
        assert re.fullmatch(r"\S{20,}", rotated) and rotated != first
        listed = s.hub("users", "list", "--db", "hub.db", cwd=folder).stdout
        assert re.search(r"^alice\tduty\tactive\t\S+$", listed, re.M), listed
        return rotated
    return str(s.once("ops users", make))


async def _hello(url: str, token: str, origin: str | None = None, **connect_args: Any) -> dict[str, Any]:
    """Hello as `token` (from `origin`, a browser's); when welcomed, one case.create: the hub's last answer."""
    import json

    from websockets.asyncio.client import connect
    from websockets.typing import Origin, Subprotocol

    async with connect(url, subprotocols=[Subprotocol("cc.v1")], origin=Origin(origin) if origin else None,
                       **connect_args) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token, "client": "docs"}))
        answer: dict[str, Any] = json.loads(await ws.recv())
        if answer.get("type") == "welcome":
            await ws.send(json.dumps({"type": "command", "id": f"docs-{time.monotonic_ns()}", "name": "case.create",
                                      "args": {"channel": "hotline_12345", "category_code": "01001",
                                               "street_code": "310112001", "description": "docs", "lon": 121.38,
                                               "lat": 31.02}}))
            while answer.get("type") != "command.result":
                answer = json.loads(await ws.recv())
            assert answer["ok"], answer
        return answer


def ops_who_may_connect(s: Scratch) -> None:
    """`serve --allow-origin https://wall.example.org --max-connections-per-account 8`: that origin's browser and
    the console (no Origin) are let in and their commands answered, another origin is refused with 403."""
    import asyncio

    from websockets.exceptions import InvalidStatus

    def make() -> None:
        token = ops_users(s)
        hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "hub.db", "--allow-origin",
                      "https://wall.example.org", "--max-connections-per-account", "8", "--port", "0",
                      cwd=ops_folder(s))
        url = hub.out.wait_for(r"^hub serving (ws://127\.0\.0\.1:\d+/feed) ").group(1)
        assert asyncio.run(_hello(url, token))["type"] == "command.result"
        assert asyncio.run(_hello(url, token, "https://wall.example.org"))["type"] == "command.result"
        with pytest.raises(InvalidStatus, match="403"):
            asyncio.run(_hello(url, token, "https://elsewhere.example.com"))
        assert hub.interrupt() in (0, 130)
    s.once("ops who may connect", make)


def ops_tls(s: Scratch) -> None:
    """`serve --cert hub.crt --key hub.key` (a certificate made for the test): it serves wss:// and a client that
    trusts the certificate is welcomed."""
    import asyncio
    import ssl

    from tests.hub.test_security_tls import make_certificate

    folder = ops_folder(s)
    make_certificate(folder)
    hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "hub.db", "--cert", "hub.crt", "--key", "hub.key",
                  "--port", "0", cwd=folder)
    url = hub.out.wait_for(r"^hub serving (wss://127\.0\.0\.1:\d+/feed) ").group(1)
    trusting = ssl.create_default_context(cafile=str(folder / "hub.crt"))
    assert asyncio.run(_hello(url, ops_users(s), ssl=trusting))["type"] == "command.result"
    assert hub.interrupt() in (0, 130)


def ops_verify(s: Scratch) -> None:
    """`audit --verify --db hub.db` after the commands above: the chain holds, exit 0, with its head hash."""
    ops_who_may_connect(s)
    done = s.hub("audit", "--verify", "--db", "hub.db", cwd=ops_folder(s))
    assert re.fullmatch(r"audit chain intact: [1-9]\d* rows, head hash [0-9a-f]{64}\n", done.stdout), done.stdout


def ops_log_json(s: Scratch) -> None:
    """`serve -v --log-json`: every line on stderr is a JSON object, and one says alice connected."""
    import asyncio
    import json

    hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "hub.db", "-v", "--log-json", "--port", "0",
                  cwd=ops_folder(s))
    url = hub.out.wait_for(r"^hub serving (ws://127\.0\.0\.1:\d+/feed) ").group(1)
    asyncio.run(_hello(url, ops_users(s)))
    hub.err.wait_for(r'"message": "alice \(duty\) connected from 127\.0\.0\.1:\d+: (snapshot|replay)"')
    assert hub.interrupt() in (0, 130)
    entries = [json.loads(line) for line in hub.err.seen if line.strip()]
    assert entries and all({"ts", "level", "logger", "message"} <= set(entry) for entry in entries)


def ops_backup(s: Scratch) -> re.Match[str]:
    """`backup --db hub.db hub-backup.db` (after commands were committed): it says the log and seq it copied."""
    def make() -> re.Match[str]:
        ops_who_may_connect(s)
        said = s.hub("backup", "--db", "hub.db", "hub-backup.db", cwd=ops_folder(s)).stdout
        copied = re.fullmatch(r"backed up hub\.db to hub-backup\.db: log (\w+) at seq ([1-9]\d*), \d+ cases, "
                              r"\d+ audit rows, \d+ bytes\n", said)
        assert copied, said
        return copied
    return s.once("ops backup", make)  # type: ignore[return-value]


def ops_restore(s: Scratch) -> None:
    """`serve --db hub-backup.db --port 8765` (a free port): the restored hub serves the same log at the same seq."""
    copied = ops_backup(s)
    hub = s.start(sys.executable, "-m", "hub", "serve", "--db", "hub-backup.db", "--port", "0", cwd=ops_folder(s))
    hub.out.wait_for(rf"^hub serving ws://127\.0\.0\.1:\d+/feed \(log {copied.group(1)}, seq {copied.group(2)}\)")
    assert hub.interrupt() in (0, 130)


def ops_pg_dump(s: Scratch) -> None:
    """`pg_dump` then `pg_restore` into a new database (on the test PostgreSQL, when there is one): the restored
    database holds the same log and knows the same token."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed here")

    def make() -> None:
        import sqlalchemy as sa

        from hub import auth
        from hub.db import database
        from protocol import Role
        from tests.hub.conftest import fresh_postgres

        with fresh_postgres() as source_url, fresh_postgres() as target_url:
            engine = database.open_engine(source_url)
            log_id = database.prepare(engine)
            token = auth.add_user(engine, "alice", Role.DUTY)
            engine.dispose()
            libpq = [sa.make_url(u).set(drivername="postgresql").render_as_string(hide_password=False)
                     for u in (source_url, target_url)]
            s.run("pg_dump", "--format=custom", "--file=hub.dump", libpq[0], cwd=ops_folder(s))
            s.run("pg_restore", f"--dbname={libpq[1]}", "hub.dump", cwd=ops_folder(s))
            engine = database.open_engine(target_url)
            assert database.prepare(engine) == log_id
            account = auth.lookup(engine, token)
            engine.dispose()
            assert account is not None and account.name == "alice"
    s.once("ops pg_dump", make)


def ops_help(s: Scratch) -> None:
    """`python -m hub serve`, `python -m hub audit`, `python -m hub backup`: each names the options this page shows,
    and `backup` refuses a PostgreSQL URL by naming pg_dump."""
    serve = s.hub("serve", "--help").stdout
    for option in ("--allow-origin", "--max-connections-per-account", "--log-json", "--cert", "--key"):
        assert option in serve
    assert "--verify" in s.hub("audit", "--help").stdout
    refused = subprocess.run([sys.executable, "-m", "hub", "backup", "--db", "postgresql+psycopg://hub@dbhost/hub",
                              "out.db"], cwd=ops_folder(s), env=s.env, capture_output=True, text=True, timeout=60,
                             check=False)
    assert refused.returncode == 2 and "pg_dump --format=custom" in refused.stderr, refused.stderr


def soak_help(s: Scratch) -> None:
    """`bench/soak.py` (not run: 29 minutes of a day at 50x): its --help names the options docs/operations.md shows."""
    shown = s.run(sys.executable, str(ROOT / "bench" / "soak.py"), "--help").stdout
    for option in ("--hours", "--rate", "--consoles", "--procs", "--cut-every-s", "--command-every-s", "--quick",
                   "--out"):
        assert option in shown, option


def soak_quick(s: Scratch) -> None:
    """`bench/soak.py --quick` (its JSON in the scratch folder): 15 simulated minutes, 6 consoles behind the fault
    proxy; every console agrees with the hub, the log has no gap, each command given is in the log exactly once and
    none is lost, and the links were struck and resumed. Its RSS figures are measured, not asserted."""
    import json

    out = s.folder / "soak.json"
    s.run(sys.executable, str(ROOT / "bench" / "soak.py"), "--quick", "--out", str(out), timeout=600)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert all(result["checks"].values()), result["checks"]
    commands = result["verification"]["commands"]
    assert commands["given"] > 0 and commands["lost"] == 0 and commands["applied_twice"] == 0, commands
    assert commands["applied_exactly_once"] == commands["given"] - commands["refused"], commands
    assert result["reconnects"]["total"] > 0 and result["time"]["hours_simulated"] == 0.25, result["reconnects"]


EXERCISES: dict[str, Callable[[Scratch], None]] = {
    # README: the two commands
    "make run": demo_via_make(),
    "make test": make_test,
    'make run ARGS="--lang zh_CN"': demo_via_make("--lang zh_CN"),
    'make run ARGS="--hub ws://host:8765/feed --token TOKEN"': console_via_make,
    "sudo apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 "
    "libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1": apt_packages,
    "QT_QPA_PLATFORM=offscreen make run": demo_via_make(env=dict(os.environ, QT_QPA_PLATFORM="offscreen")),
    # README: Windows and macOS by hand (the POSIX equivalent)
    "python -m venv .venv": manual_install,
    '.venv\\Scripts\\python -m pip install -e ".[test,dev]"': manual_install,
    ".venv\\Scripts\\python main.py": lambda s: demo(s),
    ".venv\\Scripts\\python -m pytest": pytest_runs,
    # README: a hub on its own
    ".venv/bin/python -m hub users add alice --role duty --db hub.db": alice_token,
    ".venv/bin/python -m hub serve --db hub.db --port 8765": served_hub,
    ".venv/bin/python -m hub simulate --token TOKEN --rate 20": simulate,
    ".venv/bin/python main.py --hub ws://127.0.0.1:8765/feed --token TOKEN": console_on_the_hub,
    "users add NAME --role duty --unit S310112001": scoped_desk,
    ".venv/bin/python -m hub units export units.csv --db hub.db": exported_units,
    ".venv/bin/python -m hub units import units.csv --db hub.db": imported_units,
    ".venv/bin/python -m hub audit --db hub.db": audit,
    '.venv/bin/python -m hub serve --auto-supervise "orange=remind,red=supervise"': auto_supervise,
    # README: development
    "make lint": make_lint,
    "make bench": make_bench,
    ".ci/run": ci_run,
    "make native": make_native,
    "tools/build_native.py --check": build_native_check,
    "tools/screenshots.sh": shell_tool("screenshots.sh"),
    "tools/update_translations.sh": shell_tool("update_translations.sh"),
    # docs/architecture.md
    "main.py": help_of_main,
    "main.py --hub ws://HOST:8765/feed --token TOKEN": console_on_the_hub,
    "python -m hub": help_of_hub,
    # docs/protocol.md
    "cc-hub users add NAME --role ROLE": cc_hub_users_add,
    "python -m hub users add NAME --role supervisor": supervisor_at_the_desk,
    "python -m hub units import FILE": imported_units,
    "python -m hub units export FILE": exported_units,
    "python -m hub cap import FILE…": cap_import,
    # docs/console.md
    "main.py --lang zh_CN": lambda s: demo(s, "--lang", "zh_CN"),
    # README and docs/wall.md: the video wall
    "main.py --wall": lambda s: demo(s, "--wall"),
    "make run ARGS=--wall": demo_via_make("--wall"),
    ".venv/bin/python -m hub users add wall-1 --role wall --db hub.db": wall_token,
    ".venv/bin/python main.py --wall --hub ws://127.0.0.1:8765/feed --token TOKEN --screen 1": wall_on_the_hub,
    "tools/wall_gallery.py": wall_gallery,
    # README and docs/console.md: the emergency room
    "main.py --room": lambda s: demo(s, "--room"),
    "make run ARGS=--room": demo_via_make("--room"),
    # README and docs/console.md: the supervision desk
    "main.py --supervision": lambda s: demo(s, "--supervision"),
    "make run ARGS=--supervision": demo_via_make("--supervision"),
    # docs/data-import.md: real 311 data in and out
    ".venv/bin/python -m hub import resources/data/service_requests/baltimore_311_sample.csv --mapping "
    "resources/data/service_requests/baltimore.toml --db baltimore.db": baltimore_imported,
    ".venv/bin/python -m hub serve --db baltimore.db --port 8765": baltimore_served,
    ".venv/bin/python -m hub import resources/data/service_requests/nyc_311_sample.csv --mapping "
    "resources/data/service_requests/nyc.toml --centre-only --db nyc.db": nyc_centre,
    ".venv/bin/python -m hub users add alice --role duty --db nyc.db": nyc_token,
    ".venv/bin/python -m hub serve --db nyc.db --port 8765": nyc_served,
    ".venv/bin/python -m hub replay resources/data/service_requests/nyc_311_sample.csv --mapping "
    "resources/data/service_requests/nyc.toml --speed 60 --token TOKEN": nyc_replayed,
    ".venv/bin/python -m hub export kpis kpis_by_unit.csv --db baltimore.db":
        exported("kpis", "kpis_by_unit.csv", expect=r"^exported the KPIs of 8 units to kpis_by_unit.csv$"),
    ".venv/bin/python -m hub export kpis kpis_by_category.csv --by category --db baltimore.db":
        exported("kpis", "kpis_by_category.csv", "--by", "category", expect=r"KPIs of 19 categories"),
    ".venv/bin/python -m hub export cases cases.csv --db baltimore.db":
        exported("cases", "cases.csv", expect=r"^exported 1376 cases to cases.csv$"),
    ".venv/bin/python -m hub export cases cases.json --format open311 --db baltimore.db":
        exported("cases", "cases.json", "--format", "open311", expect=r"1376 cases \(Open311 GeoReport v2\)"),
    # docs/operations.md: security and operations
    "python -m hub users add alice --role duty --expires-in 90 --db hub.db": ops_users,
    "python -m hub users rotate alice --db hub.db": ops_users,
    "python -m hub users list --db hub.db": ops_users,
    "python -m hub serve --db hub.db --allow-origin https://wall.example.org --max-connections-per-account 8":
        ops_who_may_connect,
    "python -m hub serve --db hub.db --cert hub.crt --key hub.key": ops_tls,
    "python -m hub audit --verify --db hub.db": ops_verify,
    "python -m hub serve --db hub.db -v --log-json": ops_log_json,
    "python -m hub backup --db hub.db hub-backup.db": ops_backup,
    "python -m hub serve --db hub-backup.db --port 8765": ops_restore,
    "pg_dump --format=custom --file=hub.dump postgresql://hub@dbhost/hub": ops_pg_dump,
    "pg_restore --dbname=postgresql://hub@dbhost/hub_restored hub.dump": ops_pg_dump,
    "python -m hub serve": ops_help,
    "python -m hub audit": ops_help,
    "python -m hub backup": ops_help,
    ".venv/bin/python bench/soak.py": soak_help,
    ".venv/bin/python bench/soak.py --quick": soak_quick,
    # docs/alarms.md: a day on the virtual clock
    ".venv/bin/python -m hub simulate --days 1 --speed max --db day.db": simulate_a_day,
}
"""How each documented command is exercised: run for real where a test can, else checked (and why not run)."""


def test_every_documented_command_has_an_entry() -> None:
    documented = documented_commands()
    missing = {command: where for command, where in documented.items() if command not in EXERCISES}
    assert not missing, "documented commands no test exercises (add each to EXERCISES):\n" + "\n".join(
        f"  {', '.join(where)}: {command}" for command, where in missing.items())
    stale = set(EXERCISES) - set(documented)
    assert not stale, f"EXERCISES has commands no document shows any more: {sorted(stale)}"


KNOWN_FAULTS: dict[str, str] = {}
"""Documented commands that run but show a fault a user sees; strict: the entry fails once it is fixed."""


@pytest.mark.parametrize("command", [
    pytest.param(command, marks=pytest.mark.xfail(strict=True, reason=KNOWN_FAULTS[command]))
    if command in KNOWN_FAULTS else command
    for command in EXERCISES
])
def test_documented_command(command: str, scratch: Scratch) -> None:
    EXERCISES[command](scratch)
