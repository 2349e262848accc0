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


def print_findings(report: Any, relative: Any = None) -> None:
    """``toolkit check`` as text: findings grouped by file, ``file:line: severity [check]``,
    the msgid, then one summary line; colored only on a terminal."""
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)

    def shown(path: Any) -> str:
        return relative.relative(path) if relative is not None else str(path)

    by_path: dict[str, list[Any]] = {}
    for finding in report.findings:
        by_path.setdefault(shown(finding.path), []).append(finding)
    for summary in report.catalogs:
        path = shown(summary.path)
        if path not in by_path:
            continue
        counts = _counts(summary.errors, summary.warnings)
        console.print(f"[bold]{escape(path)}[/bold] ({summary.locale}: {counts})")
        for f in by_path[path]:
            color = "red" if f.severity == "error" else "yellow"
            where = f"{path}:{f.line}" if f.line else path
            console.print(
                f"  {escape(where)}: [{color}]{f.severity}[/{color}] [dim]\\[{f.check}][/dim] "
                f"{escape(f.message)}"
            )
            if f.msgid:
                context = f"msgctxt {_quoted(f.msgctxt)} " if f.msgctxt else ""
                console.print(f"      [dim]{escape(context)}msgid {escape(_quoted(f.msgid))}[/dim]")
        console.print()
    entries = sum(c.entries for c in report.catalogs)
    catalogs = len(report.catalogs)
    where = f"{catalogs} catalog{'s' if catalogs != 1 else ''} ({entries} entries)"
    if report.findings:
        console.print(f"{_counts(report.errors, report.warnings)} in {where}.")
    else:
        console.print(f"[green]No problems[/green] in {where}.")


def _counts(errors: int, warnings: int) -> str:
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def _quoted(text: str, width: int = 70) -> str:
    flat = json.dumps(text, ensure_ascii=False)
    return flat if len(flat) <= width else flat[: width - 2] + '…"'


def print_checks(checks: Sequence[Any]) -> None:
    """The available checks (``toolkit check --list-checks``)."""
    rows = [[c.id, c.severity, c.description] for c in checks]
    print_table("Checks", ("id", "severity", "what it finds"), rows)
