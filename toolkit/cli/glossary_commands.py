"""glossary import/export/list: style-guide glossaries and TBX exchange."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .application import FormatOption, LocaleOption, app, state, wrote
from .guard import echo

glossary_app = typer.Typer(
    help="Style-guide glossaries (glossaries/<locale>.csv): list them, import and export TBX.",
    no_args_is_help=True,
)
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("import")
def glossary_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A TBX file (TBX 2008 <martif> or TBX v3).")],
    locale: Annotated[
        list[str] | None,
        typer.Option(
            "--locale",
            "-l",
            help="Target locale to import (repeatable; default: configured locales in the file).",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace the locale's glossary instead of merging."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and show counts; write nothing.")
    ] = False,
) -> None:
    """Import terms from TBX into glossaries/<locale>.csv (merged by source term)."""
    from ..glossary.exchange import import_tbx

    config = state(ctx).config()
    for result in import_tbx(config, file, locale, replace_existing=replace, dry_run=dry_run):
        what = (
            f"{result.locale}: {result.added} added, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.kept} kept"
        )
        if result.skipped_global:
            what += f", {result.skipped_global} already in _global.csv"
        if dry_run:
            echo(f"dry run: {config.relative(result.path)} ({what})")
        else:
            wrote(result.path, what, result.written)


@glossary_app.command("export")
def glossary_export(
    ctx: typer.Context,
    locale: Annotated[str, typer.Option("--locale", "-l", help="Target locale to export.")],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="TBX file to write (default: standard output)."),
    ] = None,
    no_global: Annotated[
        bool, typer.Option("--no-global", help="Leave out the rows of _global.csv.")
    ] = False,
) -> None:
    """Export a locale's glossary (with _global.csv) as TBX for Weblate, Crowdin, Smartling."""
    from ..fsutil import write_bytes_atomic
    from ..glossary.exchange import export_tbx

    config = state(ctx).config()
    data = export_tbx(config, locale, include_global=not no_global)
    if out is None or str(out) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    config.refuse_as_output(out)
    wrote(
        out,
        f"TBX, {data.count(b'<termEntry ')} terms",
        write_bytes_atomic(out, data, follow_links=True),
    )


@glossary_app.command("list")
def glossary_list(
    ctx: typer.Context,
    locale: LocaleOption = None,
    format: FormatOption = "text",
) -> None:
    """Show each locale's glossary as it applies (global rows merged in); validates the files."""
    from ..glossary import load_glossary
    from .output import output_format, print_glossaries

    chosen = output_format(format)
    config = state(ctx).config()
    print_glossaries(
        ((name, load_glossary(config, name)) for name in config.select_locales(locale)), chosen
    )
