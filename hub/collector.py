"""The hub process's long-lived objects, kept out of the cyclic collector's way.

After `Hub.open()` the process holds what it keeps for its whole life: the modules, the
directory and organisation, and the state replayed from the log (every open case). A full
collection (generation 2) walks every tracked object, and with those it took 20–70 ms on this
2-core machine with a fresh log, longer with 100,000 cases loaded: a pause of the event loop
that every subscriber's next frame waits for, the largest part of the feed's p99 latency at
1,000 events/s (docs/architecture.md, "Commit to subscriber").

`freeze_long_lived()` collects once, then moves every object alive at that moment to the
permanent generation (`gc.freeze()`), which later collections do not walk. Called once, by the
process that is the hub's own (`python -m hub serve`, and the benchmarks that stand for it),
right after the hub opened and before any client connects:

* what it froze is the hub's for its life; a frozen case that is replaced later is freed by its
  reference count as before (cases hold no reference cycles), only cyclic garbage among the
  frozen objects would stay, and the collection just before the freeze leaves none;
* garbage made afterwards (connections, their tasks, commits) is collected as before, by the
  ordinary generations (tests/hub/test_collector.py);
* a hub embedded in another process (the demo inside the console, the tests) does not call it:
  the process is not the hub's to freeze.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Collect once, then exempt every object alive now from later collections (see the module's notes)."""
    gc.collect()
    gc.freeze()
