"""The client's replica of the hub's state (pure Python, no Qt)."""

from backend_client.store.batch import ApplyResult, StoreBatch
from backend_client.store.case_store import CaseStore, OrderView, StoreEvent
from backend_client.store.queues import QUEUES, CaseFilter, Queue, UnitScope, queue_mask, recount
from backend_client.store.sort_keys import DEFAULT_SORT, SORT_KEYS

__all__ = [
    "DEFAULT_SORT", "QUEUES", "SORT_KEYS", "ApplyResult", "CaseFilter", "CaseStore", "OrderView", "Queue", "StoreBatch",
    "StoreEvent", "UnitScope", "queue_mask", "recount",
]
