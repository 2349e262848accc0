"""check: the QA gate for catalogs."""

from __future__ import annotations

from typing import Annotated

import typer

from . import catalog_run
from .application import DiskLocaleOption, FormatOption, app, state


@app.command()
def check(
    ctx: typer.Context,
    locale: DiskLocaleOption = None,
    format: FormatOption = "text",
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="Exit 1 on findings this severe or worse: 'error' or 'warning'."
        ),
    ] = "error",
    select: Annotated[
        str | None, typer.Option("--select", help="Run only these checks (comma-separated ids).")
    ] = None,
    ignore: Annotated[
        str | None, typer.Option("--ignore", help="Skip these checks (comma-separated ids).")
    ] = None,
    use_fuzzy: Annotated[
        bool,
        typer.Option("--use-fuzzy", help="Fuzzy entries ship (as with 'compile --use-fuzzy')."),
    ] = False,
    list_checks: Annotated[
        bool, typer.Option("--list-checks", help="List the checks with their ids and exit.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Check every catalog again instead of reusing the findings of unchanged ones.",
        ),
    ] = False,
) -> None:
    """Check translations for errors that break messages and for warnings; exit 1 on errors."""
    catalog_run.check(
        state(ctx),
        locale=locale,
        format=format,
        fail_on=fail_on,
        select=select,
        ignore=ignore,
        use_fuzzy=use_fuzzy,
        list_checks=list_checks,
        no_cache=no_cache,
    )
