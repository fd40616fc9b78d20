"""The examples in the docstrings of the store and the model's cells still hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from backend_client.store import batch
from views.models import case_cells


@pytest.mark.parametrize("module", [batch, case_cells], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
