"""The hub's log lines: one readable line each on stderr, or one JSON object each (`serve --log-json`)
for a log collector. Never a token: the hub logs account names and addresses, never what a client
sent as its token (tests/hub/test_security_logs.py runs a whole session and looks)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
QUIET = ("websockets", "alembic")
"""Libraries whose INFO lines say nothing an operator acts on ("connection open", a 200 for every scrape of
/metrics, each migration plugin): warnings only."""


class JsonFormatter(logging.Formatter):
    """`{"ts": RFC 3339 UTC, "level", "logger", "message"[, "exception"]}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(*, verbose: bool = False, as_json: bool = False) -> None:
    """Root logging for the command line: warnings, or with `verbose` also who connects and leaves.

    The libraries' own INFO lines stay off (QUIET): the hub says who connected, as whom, from where, why
    it refused one and when one left."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if as_json else logging.Formatter(TEXT_FORMAT, TIME_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
