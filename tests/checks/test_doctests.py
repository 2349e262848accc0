"""The examples in the check modules' docstrings hold."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "toolkit.checks.base",
    "toolkit.checks.runner",
    "toolkit.checks.msgfmt",
    "toolkit.checks.typography",
    "toolkit.checks.length",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
