"""The examples in the review modules' docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "toolkit.review.po_edit",
    "toolkit.review.model",
    "toolkit.review.detail",
    "toolkit.review.pages",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
