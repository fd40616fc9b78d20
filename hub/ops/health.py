"""`/healthz` on the feed's port: 200 while the hub can take and publish commands, else 503.

A load balancer or a supervisor (systemd, Kubernetes) polls it; the body says why in JSON.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Protocol


class _Writer(Protocol):
    @property
    def running(self) -> bool: ...

    @property
    def queued_jobs(self) -> int: ...


class _Hub(Protocol):
    log_id: str

    @property
    def writer(self) -> _Writer: ...

    @property
    def head_seq(self) -> int: ...


def check(hub: _Hub, connections: int) -> tuple[HTTPStatus, str]:
    """The status and JSON body of `/healthz`."""
    writer = hub.writer
    ok = writer.running
    body = {"status": "ok" if ok else "failing", "log_id": hub.log_id, "head_seq": hub.head_seq,
            "writer": "running" if ok else "stopped", "queued_jobs": writer.queued_jobs,
            "connections": connections}
    return (HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE), json.dumps(body) + "\n"
