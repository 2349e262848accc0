"""The examples in the interchange modules' docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["toolkit.interchange.units", "toolkit.interchange.xliff", "toolkit.interchange.tmx"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
