"""init, extract, update, compile, status: the gettext catalog pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, state, wrote

LocaleOption = Annotated[
    list[str] | None,
    typer.Option("--locale", "-l", help="Target locale (repeatable; default: all configured)."),
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output format: 'table' or 'json'.")
]


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new content project.")] = Path(
        "."
    ),
    locale: LocaleOption = None,
    source_locale: Annotated[
        str, typer.Option("--source-locale", help="Language the source messages are written in.")
    ] = "en",
) -> None:
    """Scaffold a content project: toolkit.toml, templates/, glossaries/, locales/."""
    from ..scaffold import init_project

    for path in init_project(directory, locales=locale or ["da", "nb", "lt"], source=source_locale):
        wrote(path, "new")


@app.command()
def extract(ctx: typer.Context) -> None:
    """Extract every customer-facing string into locales/<domain>.pot."""
    from ..extract import extract_messages

    result = extract_messages(state(ctx).config())
    wrote(result.path, f"{result.messages} messages from {result.files} files", result.written)


@app.command()
def update(ctx: typer.Context, locale: LocaleOption = None) -> None:
    """Create or merge each locale's PO from the POT; translations are never lost."""
    from ..catalogs import update_catalogs

    for r in update_catalogs(state(ctx).config(), locale):
        what = (
            f"{r.locale}: {r.total} entries, {r.new} new, {r.fuzzy_matched} fuzzy-matched, "
            f"{r.obsolete} obsolete" + (", created" if r.created else "")
        )
        wrote(r.path, what, r.written)


@app.command(name="compile")
def compile_(
    ctx: typer.Context,
    locale: LocaleOption = None,
    use_fuzzy: Annotated[
        bool, typer.Option("--use-fuzzy", help="Include fuzzy (unreviewed) translations.")
    ] = False,
) -> None:
    """Compile each locale's PO into messages.mo (fuzzy entries left out by default)."""
    from ..compile import compile_catalogs

    for r in compile_catalogs(state(ctx).config(), locale, use_fuzzy=use_fuzzy):
        skipped = f", {r.skipped_fuzzy} fuzzy left out" if r.skipped_fuzzy else ""
        wrote(r.path, f"{r.locale}: {r.messages} messages{skipped}", r.written)


@app.command()
def status(ctx: typer.Context, locale: LocaleOption = None, format: FormatOption = "table") -> None:
    """Coverage per locale: translated, fuzzy, machine-translated, untranslated."""
    from .. import report
    from ..status import catalog_status

    if format not in ("table", "json"):
        raise typer.BadParameter("use 'table' or 'json'", param_hint="--format")
    statuses = catalog_status(state(ctx).config(), locale)
    if format == "json":
        typer.echo(report.to_json({"locales": [s.as_dict() for s in statuses]}))
    else:
        report.print_table(
            "Translation status", report.STATUS_COLUMNS, report.status_rows(statuses)
        )
