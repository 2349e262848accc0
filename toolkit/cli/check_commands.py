"""check: the QA gate for catalogs."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import FormatOption, LocaleOption, app, require_choice, state


def _ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


@app.command()
def check(
    ctx: typer.Context,
    locale: LocaleOption = None,
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
) -> None:
    """Check translations for errors that break messages and for warnings; exit 1 on errors."""
    from ..checks import available_checks, check_catalogs
    from ..project_locales import command_targets
    from .output import output_format, print_check_report, print_checks

    chosen = output_format(format)
    require_choice(fail_on, ("error", "warning"), "--fail-on")
    if list_checks:
        print_checks(available_checks(), chosen)
        return
    config = state(ctx).config()
    targets, notes = command_targets(config, locale)
    for note in notes:
        typer.echo(f"note: {note}", err=True)
    if not targets and notes:
        typer.echo("No catalogs to check yet.")
        return
    result = check_catalogs(
        config, targets or None, select=_ids(select), ignore=_ids(ignore), use_fuzzy=use_fuzzy
    )
    failed = result.failed("warning" if fail_on == "warning" else "error")
    print_check_report(result, config, chosen, fail_on=fail_on, failed=failed)
    if failed:
        raise typer.Exit(1)
