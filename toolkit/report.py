"""Moved to :mod:`toolkit.cli.output`, the one place output formats live; kept importable."""

from __future__ import annotations

from .cli.output import (
    STATUS_COLUMNS,
    print_checks,
    print_findings,
    print_table,
    status_rows,
    to_json,
)

__all__ = [
    "STATUS_COLUMNS",
    "print_checks",
    "print_findings",
    "print_table",
    "status_rows",
    "to_json",
]
