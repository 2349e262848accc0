"""``toolkit check``: quality checks of translated catalogs, the gate before ``compile``.

Checks are small declarations in a registry (see :mod:`toolkit.checks.base`), one module per
family. Every module of this package that is not infrastructure is imported on first use, so a
new family (the glossary rules, say) is one new module with ``@register`` classes in it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
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

#: Where each public name lives, imported on first use: a report made from cached findings
#: (:mod:`.cache`) needs neither the checks nor their machinery.
_WHERE = {
    **dict.fromkeys(
        ("SEVERITIES", "Finding", "Severity", "REPORT_VERSION", "CatalogSummary", "CheckReport"),
        "report",
    ),
    **dict.fromkeys(
        ("CatalogCheck", "Check", "CheckContext", "Entry", "EntryCheck", "Pair", "Problem"),
        "base",
    ),
    "register": "base",
    **dict.fromkeys(
        ("available_checks", "check_catalogs", "check_files", "select_checks"), "runner"
    ),
}


__getattr__ = lazy_names(__name__, _WHERE)


#: Modules of this package that hold machinery, not checks.
_INFRASTRUCTURE = frozenset({"base", "runner", "report", "cache"})
_loaded = False


def load_builtin_checks() -> None:
    """Import every check module of this package once (they register themselves)."""
    global _loaded
    if _loaded:
        return
    import pkgutil

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
