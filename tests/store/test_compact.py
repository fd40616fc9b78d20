"""The store holds what repeats across decoded cases once, and every case still reads and encodes as sent."""

from __future__ import annotations

import gc
from datetime import timedelta

from backend_client.session import FeedSession
from backend_client.store import CaseStore
from backend_client.store.compact import EMPTY
from protocol import CaseStatus, decode_server, encode
from protocol.events import Trace
from protocol.messages import SnapshotBegin, SnapshotChunk, SnapshotEnd
from tests.store.store_helpers import T0, case, created, updated


def test_decoded_cases_share_names_instants_and_empty_lists_and_encode_as_sent() -> None:
    sent = [case(n, unit_name="江川路街道绿化市容所", committee_name="春申居委会",
                 history=(Trace(at=T0 + timedelta(minutes=n), actor="hotline", action="create",
                                status=CaseStatus.RECEIVED),))
            for n in range(40)]
    store = CaseStore()
    session = FeedSession(store, token="t", client_name="t")
    for frame in (encode(SnapshotBegin(as_of_seq=0, total=30)), encode(SnapshotChunk(items=sent[:30])),
                  encode(SnapshotEnd(as_of_seq=0)), *(encode(created(n - 29, sent[n])) for n in range(30, 40))):
        assert session.on_message(decode_server(frame)) is None
    held = [c for c in map(store.get, (c.id for c in sent)) if c is not None]
    assert held == sent
    assert [encode(c) for c in held] == [encode(c) for c in sent]  # byte for byte: the snapshot cache writes them
    assert len({id(c.category_zh) for c in held}) == len({id(c.street_name) for c in held}) == 1
    assert len({id(c.unit_name) for c in held}) == len({id(c.history[0].actor) for c in held}) == 1
    assert all(c.flags is EMPTY and c.co_unit_ids is EMPTY and c.history[0].photos is EMPTY
               for c in held)
    first = held[0]
    assert first.history[0].at is first.received_at  # one instant, sent twice

    assert session.on_message(updated(11, first.id, unit_id="u1", unit_name="江川路街道绿化市容所",
                                      trace=Trace(at=T0, actor="hotline", action="dispatch",
                                                  status=CaseStatus.DISPATCHED))) is None
    patched = store.get(first.id)
    assert patched is not None and patched.unit_name is held[1].unit_name
    assert [t.action for t in patched.history] == ["create", "dispatch"]
    assert EMPTY == []  # the shared empty list was never changed


def test_histories_give_the_collector_nothing_to_track_however_many_steps_arrive() -> None:
    """Every update makes a case a new history: as tuples of untracked traces they leave the collector's
    lists at its next pass, so its passes do not grow with the cases' stories (the queue's stalls)."""
    store = CaseStore()
    session = FeedSession(store, token="t", client_name="t")
    sent = [case(n) for n in range(50)]
    for frame in (SnapshotBegin(as_of_seq=0, total=50), SnapshotChunk(items=sent), SnapshotEnd(as_of_seq=0)):
        assert session.on_message(decode_server(encode(frame))) is None
    for seq in range(1, 201):
        sent_case = sent[seq % 50]
        trace = Trace(at=T0 + timedelta(minutes=seq), actor="wang.li", action="note", status=CaseStatus.RECEIVED)
        assert session.on_message(updated(seq, sent_case.id, version=2 + seq // 50, trace=trace)) is None
    gc.collect()
    held = list(store.cases())
    assert sum(len(c.history) for c in held) == 200
    assert [c.id for c in held if gc.is_tracked(c.history)] == []
