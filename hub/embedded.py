"""A hub inside another process: the demo's and the tests' way to run a real hub.

`async with EmbeddedHub("sqlite:///demo.db") as hub:` serves the feed on a free loopback
port, makes a duty account for the caller (`hub.token`) and, unless told otherwise, runs
the simulator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from hub import auth
from hub.collector import freeze_long_lived
from hub.core import Hub
from hub.emergency.inbox import INTERVAL_S
from hub.server import ServerOptions, bound_port, start_server
from hub.simulation import SimulationDriver
from protocol import FEED_PATH, LIMITS, Limits, Role


class EmbeddedHub:
    def __init__(
        self,
        db_url: str,
        *,
        simulate: bool = True,
        rate: float = 1.0,
        seed: int = 1,
        backfill_hours: float = 8.0,
        limits: Limits = LIMITS,
        host: str = "127.0.0.1",
        port: int = 0,
        token_file: Path | None = None,
        user: str = "duty-demo",
        role: Role = Role.DUTY,
        make_account: bool = True,
        clock: Callable[[], datetime] | None = None,
        plans_dir: Path | None = None,
        cap_inbox: Path | None = None,
        cap_inbox_interval_s: float = INTERVAL_S,
        server_options: ServerOptions | None = None,
        own_process: bool = False,
    ) -> None:
        self.hub = Hub(db_url, limits=limits, token_file=token_file, clock=clock or (lambda: datetime.now(UTC)),
                       plans_dir=plans_dir, cap_inbox=cap_inbox, cap_inbox_interval_s=cap_inbox_interval_s)
        self._host = host
        self._port = port
        self._user = user
        self._role = role
        self._simulate = simulate
        self._make_account = make_account
        self._driver_args = {"seed": seed, "rate": rate, "backfill_hours": backfill_hours}
        self._own_process = own_process
        """The process is the hub's (a benchmark standing for `serve`): freeze its state once open (hub/collector)."""
        self._server_cm = start_server(self.hub, host, port, options=server_options)
        self.driver: SimulationDriver | None = None
        self.url = ""
        self.token = ""
        self.port = 0

    def add_user(self, name: str, role: Role) -> str:
        """Create another account (e.g. a wall or an admin) and return its token."""
        return auth.add_user(self.hub.engine, name, role)

    async def __aenter__(self) -> EmbeddedHub:
        await self.hub.open()
        if self._own_process:
            freeze_long_lived()
        if self._make_account:
            self.token = self.add_user(self._user, self._role)
        server = await self._server_cm.__aenter__()
        self.port = bound_port(server)
        self.url = f"ws://{self._host}:{self.port}{FEED_PATH}"
        if self._simulate:
            self.driver = SimulationDriver(self.hub, **self._driver_args)  # type: ignore[arg-type]
            self.driver.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.driver is not None:
            await self.driver.stop()
        await self._server_cm.__aexit__(exc_type, exc, tb)
        await self.hub.close()
