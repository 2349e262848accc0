"""Packages whose public names load their submodule on first use (PEP 562).

``toolkit.catalogs`` and ``toolkit.checks`` keep their flat public API (``from
toolkit.catalogs import read_catalog``) while a command imports only the parts it uses:
``compile`` of unchanged catalogs needs none, ``extract`` the PO writer but not the merge.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from types import ModuleType
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


def import_holding_interrupts(*names: str) -> list[ModuleType]:
    """Import the extension modules ``names`` with Ctrl-C and SIGTERM held until they are all
    in; a signal that came meanwhile is raised (``KeyboardInterrupt``) right after.

    A pybind11 module (ctranslate2, which imports torch when it is installed; DuckDB) runs
    Python code from C++ while it loads: a KeyboardInterrupt raised there cannot unwind
    through the C++ frames, and the process aborts (``terminate called after throwing an
    instance of 'pybind11::error_already_set'``, core dump, exit 134) instead of ending as an
    interrupt with its one line and exit 130 or 143. Only Python-level handlers are held (a
    signal whose handler is the default ends the process as always), and only in the main
    thread, where Python runs them.
    """
    from .fsutil import interrupts_held  # (the held-interrupt mechanism of file writes)

    with interrupts_held():
        return [importlib.import_module(name) for name in names]
