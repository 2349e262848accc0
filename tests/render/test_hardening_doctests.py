"""The examples in the docstrings of the modules issue 18 added or hardened hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["toolkit.render.links", "toolkit.render.filters", "toolkit.fsutil"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
