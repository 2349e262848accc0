"""Output formats: text (Rich tables and plain lines) for people, JSON for pipelines.

The only place output is formatted: commands call the library, then one function here. Every
command that prints a result takes ``--format text|json`` (:func:`output_format`); a command
adds a format only where it has one more to give (``render --format html``). ``table``, the
older name of ``text`` for tabular commands, is still accepted.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .guard import echo, json_visible, message_visible, shown_path, visible, write_stdout
from .guard import wrote as wrote  # commands import it from here too

if TYPE_CHECKING:
    from ..checks import Check, CheckReport
    from ..config import ProjectConfig
    from ..glossary import Glossary
    from ..mt import TranslateResult
    from ..mt.models import InstalledModel
    from ..payments import PaymentData, PaymentOffer
    from ..render import RenderedMessage
    from ..render.batch import BatchResult, RowError
    from ..status import LocaleStatus


class Format(StrEnum):
    """Output formats; every command has ``text`` and ``json``."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"


#: Older names still accepted for ``--format`` (docs/architecture.md, "Output").
FORMAT_ALIASES = {"table": Format.TEXT}


def output_format(value: str, *extra: Format) -> Format:
    """The format a ``--format`` value names; a usage error (exit 2) for any other.

    >>> output_format("table"), output_format("html", Format.HTML)
    (<Format.TEXT: 'text'>, <Format.HTML: 'html'>)
    """
    allowed = (Format.TEXT, Format.JSON, *extra)
    chosen = FORMAT_ALIASES.get(value) or next((f for f in allowed if f.value == value), None)
    if chosen is None:
        names = [f"'{f.value}'" for f in allowed]
        listed = (
            " or ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " or " + names[-1]
        )
        import typer

        raise typer.BadParameter(f"use {listed} ('table' means 'text')", param_hint="--format")
    return chosen


def to_json(data: Any) -> str:
    """Stable, readable JSON (sorted keys, UTF-8 kept)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def print_json(data: Any) -> None:
    """``data`` as JSON on stdout (control characters in it as ``\\uXXXX`` escapes)."""
    write_stdout(json_visible(to_json(data)) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A Rich table on stdout; numeric columns right-aligned."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title)
    for index, name in enumerate(columns):
        numeric = bool(rows) and all(isinstance(r[index], (int, float)) for r in rows)
        table.add_column(name, justify="right" if numeric else "left")
    for row in rows:
        # Text, not markup: a glossary term "[/b]" is shown as written, not parsed (or refused).
        table.add_row(*(Text(visible(_cell(v))) for v in row))
    Console().print(table)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# status


def status_rows(statuses: Sequence[LocaleStatus]) -> list[list[object]]:
    """Rows of the status table."""
    return [
        [s.locale, s.total, s.translated, s.fuzzy, s.machine_translated, s.untranslated, s.percent]
        for s in statuses
    ]


STATUS_COLUMNS = ("locale", "total", "translated", "fuzzy", "machine", "untranslated", "%")


def print_status(
    statuses: Sequence[LocaleStatus], format: Format, config: ProjectConfig | None = None
) -> None:
    """``toolkit status``; with ``config``, paths from the project root, as ``check`` gives
    them."""
    if format is Format.JSON:
        rows = [s.as_dict() for s in statuses]
        if config is not None:
            for row, found in zip(rows, statuses, strict=True):
                row["path"] = config.relative(found.path)
        print_json({"locales": rows})
    else:
        print_table("Translation status", STATUS_COLUMNS, status_rows(statuses))


# check


def print_findings(report: CheckReport, relative: ProjectConfig | None = None) -> None:
    """``toolkit check`` as text: findings grouped by file, ``file:line: severity [check]``,
    the msgid, then one summary line; colored only on a terminal."""
    if not _colors_wanted():
        # The same lines without Rich (markup parsing costs ~0.1 ms a line; CI logs and pipes
        # get thousands of findings).
        _print_findings_plain(report, relative)
        return
    from rich.console import Console
    from rich.markup import escape

    # No emoji codes: Rich would show "messages.po:100:" as "messages.po💯".
    console = Console(highlight=False, soft_wrap=True, emoji=False)
    for path, summary, findings in _grouped_findings(report, relative):
        counts = _counts(summary.errors, summary.warnings)
        console.print(f"[bold]{escape(visible(path))}[/bold] ({summary.locale}: {counts})")
        for f in findings:
            color = "red" if f.severity == "error" else "yellow"
            where = escape(visible(f"{path}:{f.line}" if f.line else path))
            console.print(
                f"  {where}: [{color}]{f.severity}[/{color}] [dim]\\[{f.check}][/dim] "
                f"{escape(visible(f.message))}"
            )
            if f.msgid:
                context = f"msgctxt {_quoted(f.msgctxt)} " if f.msgctxt is not None else ""
                msgid = escape(visible(f"{context}msgid {_quoted(f.msgid)}"))
                console.print(f"      [dim]{msgid}[/dim]")
        console.print()
    where = _checked(report)
    if report.findings:
        console.print(f"{_counts(report.errors, report.warnings)} in {where}.")
    else:
        console.print(f"[green]No problems[/green] in {where}.")


def _colors_wanted() -> bool:
    """Whether Rich would color the output: a terminal, or a variable that forces it."""
    if any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stdout
        return False


def _grouped_findings(
    report: CheckReport, relative: ProjectConfig | None
) -> Iterator[tuple[str, Any, list[Any]]]:
    """``(path as shown, catalog summary, its findings)`` of each catalog with findings, in
    the report's catalog order."""

    names: dict[Path, str] = {}  # one path resolution per catalog, not per finding

    def shown(path: Path) -> str:
        if path not in names:
            names[path] = relative.relative(path) if relative is not None else str(path)
        return names[path]

    by_path: dict[str, list[Any]] = {}
    for finding in report.findings:
        by_path.setdefault(shown(finding.path), []).append(finding)
    for summary in report.catalogs:
        path = shown(summary.path)
        if path in by_path:
            yield path, summary, by_path[path]


def _checked(report: CheckReport) -> str:
    """``3 catalogs (774 entries)``: what the summary line says was checked."""
    entries = sum(c.entries for c in report.catalogs)
    catalogs = len(report.catalogs)
    return f"{catalogs} catalog{'s' if catalogs != 1 else ''} ({entries} entries)"


def _print_findings_plain(report: CheckReport, relative: ProjectConfig | None) -> None:
    lines: list[str] = []
    for path, summary, findings in _grouped_findings(report, relative):
        lines.append(f"{path} ({summary.locale}: {_counts(summary.errors, summary.warnings)})")
        for f in findings:
            where = f"{path}:{f.line}" if f.line else path
            lines.append(f"  {where}: {f.severity} [{f.check}] {f.message}")
            if f.msgid:
                context = f"msgctxt {_quoted(f.msgctxt)} " if f.msgctxt is not None else ""
                lines.append(f"      {context}msgid {_quoted(f.msgid)}")
        lines.append("")
    where = _checked(report)
    if report.findings:
        lines.append(f"{_counts(report.errors, report.warnings)} in {where}.")
    else:
        lines.append(f"No problems in {where}.")
    write_stdout(visible("\n".join(lines)) + "\n")


def _counts(errors: int, warnings: int) -> str:
    return (
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )


def _quoted(text: str, width: int = 70) -> str:
    flat = json.dumps(text, ensure_ascii=False)
    return flat if len(flat) <= width else flat[: width - 2] + '…"'


def print_checks(checks: Sequence[Check], format: Format = Format.TEXT) -> None:
    """The available checks (``toolkit check --list-checks``)."""
    if format is Format.JSON:
        print_json(
            {
                "checks": [
                    {"id": c.id, "severity": c.severity, "description": c.description}
                    for c in checks
                ]
            }
        )
        return
    rows = [[c.id, c.severity, c.description] for c in checks]
    print_table("Checks", ("id", "severity", "what it finds"), rows)


def print_check_report(
    report: CheckReport, config: ProjectConfig, format: Format, *, fail_on: str, failed: bool
) -> None:
    """``toolkit check``: the findings as text, or the JSON report with the verdict."""
    if format is Format.JSON:
        data = report.as_dict(config)
        data["fail_on"] = fail_on
        data["passed"] = not failed
        print_json(data)
    else:
        print_findings(report, config)


# models and translate


def size(value: float) -> str:
    """A file size for people.

    >>> size(512), size(3 * 1024 * 1024)
    ('512 B', '3 MB')
    """
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def print_models(models: Sequence[InstalledModel], directory: Path, format: Format) -> None:
    """``toolkit models list``."""
    if format is Format.JSON:
        rows = [
            {"pair": m.pair, "version": m.version, "size": m.size, "path": str(m.path)}
            for m in models
        ]
        print_json({"models_dir": str(directory), "models": rows})
        return
    if not models:
        echo(
            f"No models installed in {directory}. "
            "Install one with 'toolkit models install FILE.argosmodel' or 'en:da' (online)."
        )
        return
    print_table(
        f"Models in {directory}",
        ("pair", "version", "size", "folder"),
        [[m.pair, m.version, size(m.size), m.path.name] for m in models],
    )


def _clipped(text: str, limit: int = 300) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text):,} characters)"


def print_translate_result(config: ProjectConfig, result: TranslateResult) -> None:
    """``toolkit translate``: dry-run changes, flagged entries, glossary problems, summary."""
    where = config.relative(result.path)
    if result.dry_run:
        for change in result.changes:
            echo(f"{where}:{change.line or '?'}: {change.msgid!r}")
            for index, text in enumerate(change.strings):
                label = f"msgstr[{index}]" if len(change.strings) > 1 else "msgstr"
                echo(f"    {label} {text!r}")
    for flagged in result.flagged:  # (a 100,000-word msgid: a line, not a megabyte)
        echo(
            f"flagged {where}:{flagged.line or '?'}: {_clipped(repr(flagged.msgid))}: "
            + "; ".join(_clipped(reason) for reason in flagged.reasons[:3])
            + (f"; and {len(flagged.reasons) - 3} more" if len(flagged.reasons) > 3 else ""),
            err=True,
        )
    for msgid, problem in result.glossary_problems:
        echo(f"glossary {where}: {_clipped(repr(msgid))}: {_clipped(problem)}", err=True)
    human = f"{result.from_human} from human translations, " if result.from_human else ""
    summary = (
        f"{result.locale}: {result.translated} translated, {result.from_memory} from memory, "
        f"{human}{result.skipped} skipped, {len(result.flagged)} flagged "
        f"({result.segments_translated} segments by {result.engine}, "
        f"{result.segments_from_memory} from memory)"
    )
    if result.superseded:
        summary += (
            f"; {result.superseded} left as saved on disk meanwhile (translated or removed "
            "while this run worked)"
        )
    if result.dry_run:
        state = "would change" if result.written else "unchanged"
        echo(f"dry run: {shown_path(result.path)} {state} ({summary})")
    else:
        wrote(result.path, summary, result.written)


# render


def print_rendered(message: RenderedMessage, format: Format) -> None:
    """``toolkit render``: the parts (text), the html part, or JSON on stdout; the locale chain
    and warnings on stderr (text and html)."""
    if format is Format.JSON:
        print_json(message.as_dict())
        return
    if format is Format.HTML:
        if "html" not in message.parts:
            from ..errors import InputError

            raise InputError(
                f"'{message.template}' has no html part (parts: {', '.join(message.parts)}).",
                hint="Use --format text or json.",
            )
        echo(message_visible(message.parts["html"]), escaped=False)
    else:
        for index, (part, text) in enumerate(message.parts.items()):
            shown = message_visible(text)  # (bidi isolates are the message's, kept)
            echo(f"{'' if index == 0 else chr(10)}[{part}]\n{shown}", escaped=False)
        if message.sms is not None:
            echo(
                f"\n[sms: {message.sms.encoding}, {message.sms.units} units, "
                f"{message.sms.segments} segment(s)]"
            )
    served = ", ".join(f"{k}: {v}" for k, v in message.served_by.items()) or "none"
    echo(
        f"locale {message.chain.locale}: chain {' -> '.join(message.chain.chain)}; "
        f"strings served by {served}",
        err=True,
    )
    for warning in message.warnings:
        echo(f"warning: {warning}", err=True)


def print_strict_problems(problems: Sequence[str]) -> None:
    """``render --strict``: one ``strict: reason`` line per problem on stderr."""
    for problem in problems:
        echo(f"strict: {problem}", err=True)


def print_row_error(customers: Path, error: RowError) -> None:
    """One failed row of ``toolkit render-batch``, on stderr."""
    echo(f"{customers}:{error.row}: {error.where}: {error.reason}", err=True)


def print_batch_result(
    result: BatchResult, *, target: Path | None, errors: Path | None, unshown: int
) -> None:
    """``toolkit render-batch``: failed rows not shown, what was written, the rate."""
    rate = result.rows / result.seconds if result.seconds else 0.0
    summary = (
        f"{result.rendered} messages, {result.failed} failed rows, "
        f"{result.seconds:.1f} s ({rate:.0f} rows/s)"
    )
    if unshown > 0:
        echo(
            f"... and {unshown} more failed rows"
            + (f" (all in {errors})" if errors else " (use --errors FILE)"),
            err=True,
        )
    if target is None:
        echo(summary, err=True)
    else:
        wrote(target, summary)
    if errors is not None:
        wrote(errors, f"{result.failed} failed rows")


# payments

_RECURRING_LABELS = {
    "yes": "yes",
    "no": "no",
    "via_sepa_dd": "via SEPA DD",
    "psp_dependent": "depends on PSP",
    "unknown": "unknown",
}


def print_payment_offer(
    offer: PaymentOffer, data: PaymentData, format: Format, *, recurring: bool
) -> None:
    """``toolkit payments``."""
    if format is Format.JSON:
        payload = offer.as_dict()
        payload["recurring_only"] = recurring
        for entry in payload["methods"]:
            entry["recurring_detail"] = data.methods[entry["id"]].recurring_detail
        print_json(payload)
        return
    where = offer.territory or "no territory"
    market = data.markets.get(offer.territory or "")
    currency = market.currency if market else None
    rows = [
        [
            m.name,
            m.kind,
            _RECURRING_LABELS[data.methods[m.id].recurring_detail],
            _currencies(m.currencies, currency),
            m.description,
        ]
        for m in offer.methods
    ]
    print_table(
        f"Payment methods for {offer.locale} ({where}), as of {offer.as_of}",
        ("method", "kind", "recurring", "currencies", "description"),
        rows,
    )
    if offer.fallback:
        echo(f"No payment data for {where}: showing international card schemes and PayPal.")


def _currencies(codes: tuple[str, ...], local: str | None) -> str:
    """Short currency cell: long lists name the market's currency and count the rest.

    >>> _currencies(("EUR", "USD", "SEK", "NOK"), "NOK"), _currencies((), None)
    ('NOK (+3 more)', 'any')
    """
    if not codes:
        return "any"
    if len(codes) <= 3 or local not in codes:
        return ", ".join(codes)
    return f"{local} (+{len(codes) - 1} more)"


# glossary


def print_glossaries(glossaries: Iterable[tuple[str, Glossary]], format: Format) -> None:
    """``toolkit glossary list``: one table per locale, or one JSON object by locale."""
    data = {}
    for name, glossary in glossaries:
        if format is Format.JSON:
            data[name] = [
                {**term.row(), "origin": term.origin, "preferred": term.preferred}
                for term in glossary
            ]
            continue
        print_table(
            f"Glossary {name} ({len(glossary)} terms)",
            ("source", "rule", "target", "forms", "where"),
            [[t.source, t.rule, t.target or t.source, ", ".join(t.forms), t.origin]
             for t in glossary],  # fmt: skip
        )
    if format is Format.JSON:
        print_json(data)
