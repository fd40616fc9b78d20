"""Prometheus metrics of one hub, served at `/metrics` on the feed's own port (hub/server.py).

Each hub has its own registry (not the client library's global one), so several hubs in one
process (the tests, a demo) keep their figures apart. Counters and the commit histogram are
updated where things happen; the depths of queues are read when Prometheus scrapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

COMMIT_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
"""Seconds: a SQLite commit with fsync takes ~0.15 ms here, a group of 2,000 jobs some tens of ms."""


class QueueDepths(Collector):
    """Gauges read at scrape time from the hub's live state."""

    def __init__(self, writer_jobs: Callable[[], int], send_buffers: Callable[[], Iterable[int]],
                 head_seq: Callable[[], int]) -> None:
        self._writer_jobs = writer_jobs
        self._send_buffers = send_buffers
        self._head_seq = head_seq

    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield GaugeMetricFamily("hub_writer_queue_jobs", "Jobs (commands, timers, simulator steps) waiting for the "
                                "next log transaction", value=self._writer_jobs())
        buffers = list(self._send_buffers())
        send = GaugeMetricFamily("hub_send_queue_bytes", "Bytes waiting to be written to subscribers: the fullest "
                                 "one (max) and all of them (sum); past send_queue_bytes one is closed with 4503",
                                 labels=["of"])
        send.add_metric(["max"], max(buffers, default=0))
        send.add_metric(["sum"], sum(buffers))
        yield send
        yield GaugeMetricFamily("hub_log_head_seq", "The seq of the newest event in the log", value=self._head_seq())


class HubMetrics:
    """The figures of one hub; `render()` is the body of `/metrics`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.connections = Gauge("hub_connections", "Feed connections open now (greeted), by role", ["role"],
                                 registry=r)
        self.refused = Counter("hub_connections_refused", "Connections refused at hello, by reason", ["reason"],
                               registry=r)
        self.ended = Counter("hub_connections_ended", "Open connections the hub ended because their token was "
                             "revoked, rotated or ran out, by reason", ["reason"], registry=r)
        self.events = Counter("hub_events", "Events this hub committed to the log (rate() gives events/s)",
                              registry=r)
        self.commits = Histogram("hub_commit_seconds", "Time of one log transaction (a group commit, fsync "
                                 "included), from the writer's side", buckets=COMMIT_BUCKETS, registry=r)
        self.slow_closes = Counter("hub_slow_subscriber_closes", "Subscribers closed with 4503 (send queue full)",
                                   registry=r)

    def observe_commit(self, seconds: float, events: int) -> None:
        self.commits.observe(seconds)
        if events:
            self.events.inc(events)

    def watch(self, depths: QueueDepths) -> None:
        self.registry.register(depths)

    def render(self, accept: str | None) -> tuple[bytes, str]:
        """The body and content type for a scrape that sent `Accept: accept` (text or OpenMetrics, as asked)."""
        encode, content_type = choose_encoder(accept or "")
        return encode(self.registry), content_type
