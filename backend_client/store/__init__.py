"""The client's replica of the hub's state (Python, no Qt; compiled with mypyc where built: `native.py`)."""

from backend_client.store.native import use_native

NATIVE = use_native(__path__)
"""Whether the modules of `native.COMPILED` are the compiled ones (`tools/build_native.py`): decided before
they are imported, which the imports below do."""

from backend_client.store.batch import ApplyResult, StoreBatch  # noqa: E402
from backend_client.store.case_store import CaseStore, OrderView, StoreEvent  # noqa: E402
from backend_client.store.queues import QUEUES, CaseFilter, Queue, UnitScope, queue_mask, recount  # noqa: E402
from backend_client.store.sort_keys import DEFAULT_SORT, SORT_KEYS  # noqa: E402

__all__ = [
    "DEFAULT_SORT", "NATIVE", "QUEUES", "SORT_KEYS", "ApplyResult", "CaseFilter", "CaseStore", "OrderView", "Queue",
    "StoreBatch", "StoreEvent", "UnitScope", "queue_mask", "recount",
]
