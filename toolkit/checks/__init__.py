"""``toolkit check``: quality checks of translated catalogs, the gate before ``compile``.

Checks are small declarations in a registry (see :mod:`toolkit.checks.base`), one module per
family. Every module of this package that is not infrastructure is imported on first use, so a
new family (the glossary rules, say) is one new module with ``@register`` classes in it.
"""

from __future__ import annotations

import importlib
import pkgutil

from .base import (
    SEVERITIES,
    CatalogCheck,
    Check,
    CheckContext,
    Entry,
    EntryCheck,
    Finding,
    Pair,
    Problem,
    Severity,
    register,
)
from .runner import (
    REPORT_VERSION,
    CatalogSummary,
    CheckReport,
    available_checks,
    check_catalogs,
    check_files,
    select_checks,
)

#: Modules of this package that hold machinery, not checks.
_INFRASTRUCTURE = frozenset({"base", "runner"})
_loaded = False


def load_builtin_checks() -> None:
    """Import every check module of this package once (they register themselves)."""
    global _loaded
    if _loaded:
        return
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name not in _INFRASTRUCTURE and not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    _loaded = True


__all__ = [
    "REPORT_VERSION",
    "SEVERITIES",
    "CatalogCheck",
    "CatalogSummary",
    "Check",
    "CheckContext",
    "CheckReport",
    "Entry",
    "EntryCheck",
    "Finding",
    "Pair",
    "Problem",
    "Severity",
    "available_checks",
    "check_catalogs",
    "check_files",
    "load_builtin_checks",
    "register",
    "select_checks",
]
