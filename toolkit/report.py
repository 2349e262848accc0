"""Output formats: Rich tables for people, JSON for pipelines. The only place they live."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def to_json(data: Any) -> str:
    """Stable, readable JSON (sorted keys, UTF-8 kept)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Rich table on stdout; numeric columns right-aligned."""
    table = Table(title=title)
    for index, name in enumerate(columns):
        numeric = bool(rows) and all(isinstance(r[index], (int, float)) for r in rows)
        table.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    Console().print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def status_rows(statuses: Sequence[Any]) -> list[list[object]]:
    """Rows of the status table."""
    return [
        [s.locale, s.total, s.translated, s.fuzzy, s.machine_translated, s.untranslated, s.percent]
        for s in statuses
    ]


STATUS_COLUMNS = ("locale", "total", "translated", "fuzzy", "machine", "untranslated", "%")
