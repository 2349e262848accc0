from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    ["toolkit.retention.periods", "toolkit.retention.metrics", "toolkit.retention.sql",
     "toolkit.retention.data"],
)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
