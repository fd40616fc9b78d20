"""The case drill-down: one case in full (timeline, map, routing, supervision, related) and its actions.

`CaseDetailDock` (a dock for the main window) holds a `CaseDetailPanel`; `offer.py` says which
actions a case and a role allow, `privacy.py` who sees a requester's number.
"""

from views.case_detail.dock import CaseDetailDock
from views.case_detail.panel import CaseDetailPanel

__all__ = ["CaseDetailDock", "CaseDetailPanel"]
