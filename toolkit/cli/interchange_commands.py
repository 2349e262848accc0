"""xliff export/import and memory export/import: exchange with vendors and TMSs."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .application import app, require_choice, state, wrote
from .guard import echo, json_visible

xliff_app = typer.Typer(
    help="Send a locale's catalog to translators as XLIFF 1.2/2.1 and merge their work back.",
    no_args_is_help=True,
)
app.add_typer(xliff_app, name="xliff")
memory_app = typer.Typer(
    help="Exchange the translation memory (and approved catalog entries) as TMX 1.4b.",
    no_args_is_help=True,
)
app.add_typer(memory_app, name="memory")


class XliffVersion(StrEnum):
    v12 = "1.2"
    v21 = "2.1"


class ApprovalState(StrEnum):
    translated = "translated"
    reviewed = "reviewed"


class TmFormat(StrEnum):
    tmx = "tmx"


MemoryOption = Annotated[
    Path | None,
    typer.Option(
        "--memory",
        help="Translation memory file (default: $TOOLKIT_MEMORY or the user cache).",
    ),
]


@xliff_app.command("export")
def xliff_export(
    ctx: typer.Context,
    locale: Annotated[str, typer.Option("--locale", "-l", help="Target locale to export.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="XLIFF file to write ('-': standard output).")
    ],
    select: Annotated[
        str,
        typer.Option(
            "--state",
            help="Entries to export: comma-separated untranslated, fuzzy, translated, or all.",
        ),
    ] = "untranslated,fuzzy",
    version: Annotated[
        XliffVersion, typer.Option("--version", help="XLIFF version: 1.2 or 2.1.")
    ] = XliffVersion.v12,
) -> None:
    """Write one locale's entries as XLIFF, with context, notes, length budgets and MT marks."""
    from ..interchange import export_xliff

    config = state(ctx).config()
    to_stdout = str(out) == "-"
    if not to_stdout:
        config.refuse_as_output(out)
    result = export_xliff(config, locale, out, states=select, version=version.value)
    if not result.units:
        echo(
            f"nothing to export: no {select} entries in {result.locale}; wrote no file",
            err=to_stdout,
        )
        return
    if to_stdout:
        return
    wrote(out, f"XLIFF {result.version}, {result.locale}, {result.units} entries", result.written)


@xliff_app.command("import")
def xliff_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="An XLIFF 1.2 or 2.x file from a vendor or TMS.")],
    approve: Annotated[
        ApprovalState,
        typer.Option(
            "--state",
            help="Least unit state that imports as approved (not fuzzy): translated or reviewed.",
        ),
    ] = ApprovalState.translated,
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", help="Expected locale (default: the file's target)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; write nothing.")
    ] = False,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Report format: 'text' or 'json'.")
    ] = "text",
) -> None:
    """Merge translated units back into the PO; refuse stale units; check what was imported.

    Exit 1 when a unit was refused, or held back as fuzzy because the check found an error
    in it.
    """
    from .. import report
    from ..interchange import import_xliff
    from ..interchange.xliff import summary

    require_choice(format, ("text", "json"))
    config = state(ctx).config()
    result = import_xliff(config, file, locale=locale, state=approve.value, dry_run=dry_run)
    if format == "json":
        echo(json_visible(report.to_json(result.as_dict(config))), escaped=False)
    else:
        for unit in result.units:
            if unit.outcome in ("refused", "held"):
                where = f"{file}:{unit.line}" if unit.line else str(file)
                echo(f"{unit.outcome} {where}: unit {unit.unit_id} {unit.msgid!r}: "
                           f"{unit.reason}", err=True)  # fmt: skip
        if result.findings:
            report.print_findings(result.checks, config)
        what = f"{result.locale}: {summary(result)}"
        if dry_run:
            verb = "would change" if result.differs else "unchanged"
            echo(f"dry run: {config.relative(result.path)} {verb} ({what})")
        else:
            wrote(result.path, what, result.written)
    if result.refused or result.errors or result.count("held"):
        raise typer.Exit(1)


@memory_app.command("export")
def memory_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="TMX file to write.")],
    format: Annotated[
        TmFormat, typer.Option("--format", "-f", help="File format: tmx.")
    ] = TmFormat.tmx,
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", help="Only this target locale (default: every one)."),
    ] = None,
    memory: MemoryOption = None,
    no_catalogs: Annotated[
        bool,
        typer.Option("--no-catalogs", help="Leave out the approved entries of the catalogs."),
    ] = False,
) -> None:
    """Write the translation memory and the approved catalog entries as TMX 1.4b."""
    from ..interchange import export_tmx

    config = state(ctx).config()
    config.refuse_as_output(out)
    result = export_tmx(
        config, out, locale=locale, memory_path=memory, include_catalogs=not no_catalogs
    )
    what = (
        f"TMX 1.4b, {result.machine} machine, {result.human} human, {result.catalog} catalog units"
    )
    if result.skipped:
        what += f", {result.skipped} MT rows without a language pair left out"
    wrote(out, what, result.written)


@memory_app.command("import")
def memory_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A TMX file (TMX 1.4b) from a vendor or TMS.")],
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", help="Only translations into this locale."),
    ] = None,
    memory: MemoryOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be added; write nothing.")
    ] = False,
) -> None:
    """Add a TMX file's translation units to the translation memory.

    Exit 1 when a pair was left out for a placeholder, tag or link its source lacks (or the
    other way round); exit 2 when no unit of the file can be used."""
    from ..interchange import import_tmx

    config = state(ctx).config()
    result = import_tmx(config, file, locale=locale, memory_path=memory, dry_run=dry_run)
    for line, reason in result.skipped:
        where = f"{file}:{line}" if line else str(file)
        echo(f"skipped {where}: {reason}", err=True)
    what = (
        f"{result.units} units read: {result.human_added} human and {result.machine_added} "
        f"machine translations added, {result.known} already known, "
        f"{len(result.skipped)} skipped"
    )
    if dry_run:
        echo(f"dry run: {result.memory} ({what})")
    else:
        wrote(result.memory, what, bool(result.human_added or result.machine_added))
    if result.unsafe:  # a vendor's pair with a broken placeholder or a script: say so
        raise typer.Exit(1)
