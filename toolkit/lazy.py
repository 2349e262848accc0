"""Packages whose public names load their submodule on first use (PEP 562).

``toolkit.catalogs`` and ``toolkit.checks`` keep their flat public API (``from
toolkit.catalogs import read_catalog``) while a command imports only the parts it uses:
``compile`` of unchanged catalogs needs none, ``extract`` the PO writer but not the merge.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``name`` is imported from the submodule
    ``where[name]`` when first asked for, and kept on the package."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            if name.startswith("_"):  # dunder probes (copy, pickle, inspect): no file search
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            # A submodule, as an eagerly importing package would have it (``package.files``).
            try:
                return importlib.import_module(f".{name}", package)
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise  # the submodule exists and fails on one of its own imports
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f".{where[name]}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
