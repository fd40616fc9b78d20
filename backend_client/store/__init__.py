"""The client's replica of the hub's state (pure Python, no Qt)."""

from backend_client.store.batch import ApplyResult, StoreBatch
from backend_client.store.case_store import CaseStore, OrderView, StoreEvent
from backend_client.store.sort_keys import DEFAULT_SORT, SORT_KEYS

__all__ = ["DEFAULT_SORT", "SORT_KEYS", "ApplyResult", "CaseStore", "OrderView", "StoreBatch", "StoreEvent"]
