"""Numbers of the contract, with their defaults. docs/protocol.md has one row per field."""

import msgspec


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """Limits the hub enforces; sent to clients in `welcome`."""

    max_frame_bytes: int = 1 << 20
    """Largest frame accepted, either way; a larger one closes the connection with 1009."""
    hello_timeout_s: float = 10.0
    """Time a new connection has to send its `hello`; then 4408."""
    bad_frames_per_minute: int = 20
    """Bad frames tolerated in any 60 s window; one more closes with 4429."""
    ping_interval_s: float = 20.0
    """The hub pings every client this often."""
    ping_timeout_s: float = 20.0
    """A ping unanswered this long drops the connection (1011); the client resumes."""
    send_queue_bytes: int = 8 << 20
    """Bytes waiting to be written to one subscriber; past it, 4503 and the client resumes."""
    replay_window: int = 200_000
    """Most events the hub replays; a client further behind gets a snapshot."""
    snapshot_chunk_items: int = 500
    """Items per `snapshot.chunk`."""
    max_batch_args: int = 1000
    """Most items a single command may name (pooled commands)."""
    figures_interval_s: float = 2.0
    """The hub sends `figures` at most this often (and at each centre-local hour)."""


LIMITS = Limits()
