"""After a commit the whole-feed subscribers get its frames before the hub's bookkeeping; the others after it.

A whole-feed connection passes the committed bytes on and reads nothing of the hub's memory, so
it need not wait while the figures, the timers and the organisation fold the commit (`Writer.on_frames`);
a scoped desk and the simulator read that state, so they get the frames once it is folded.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hub.embedded import EmbeddedHub
from protocol import Case, CaseCreateArgs, decode_server
from protocol.codec import convert_args
from tests.hub.conftest import case_args, run_hub


class _Recorder:
    def __init__(self, name: str, whole_feed: bool, seen: list[tuple[str, list[int]]]) -> None:
        self.name = name
        self.whole_feed = whole_feed
        self._seen = seen

    def push(self, frames: list[bytes]) -> None:
        self._seen.append((self.name, [getattr(decode_server(f), "seq", -1) for f in frames]))


def test_whole_feed_subscribers_get_a_commit_before_its_bookkeeping_and_the_others_after(tmp_path: Path) -> None:
    seen: list[tuple[str, list[int]]] = []

    async def scenario(hub: EmbeddedHub) -> None:
        writer = hub.hub.writer
        folded = writer.before_fold

        def before_fold(old: dict[str, Case], changed: dict[str, Case], now: datetime) -> None:
            if any(cid not in old for cid in changed):  # the commit that creates the case (no timer tick)
                seen.append(("bookkeeping", [writer.head_seq]))
            folded(old, changed, now)

        writer.before_fold = before_fold
        hub.hub.live.update({_Recorder("wire", True, seen), _Recorder("reader", False, seen)})
        head = hub.hub.head_seq
        args = convert_args(case_args(hub), CaseCreateArgs)
        outcome = await hub.hub.run_internal("case.create", lambda b: hub.hub.cases.create(b, args, "test"))
        assert outcome.ok
        seqs = list(range(head + 1, hub.hub.head_seq + 1))
        assert seqs, "the command wrote events"
        ours = [(who, s) for who, s in seen if who == "bookkeeping" or set(s) & set(seqs)]  # no figures, no ticks
        assert ours == [("wire", seqs), ("bookkeeping", [head]), ("reader", seqs)]

    run_hub(f"sqlite:///{tmp_path / 'hub.db'}", scenario)
