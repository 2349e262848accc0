"""check: the QA gate for catalogs."""

from __future__ import annotations

from typing import Annotated

import typer

from .app import app, state

LocaleOption = Annotated[
    list[str] | None,
    typer.Option("--locale", "-l", help="Locale to check (repeatable; default: all configured)."),
]


def _ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


@app.command()
def check(
    ctx: typer.Context,
    locale: LocaleOption = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: 'text' or 'json'.")
    ] = "text",
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
    from .. import report as output
    from ..checks import available_checks, check_catalogs

    if format not in ("text", "json"):
        raise typer.BadParameter("use 'text' or 'json'", param_hint="--format")
    if fail_on not in ("error", "warning"):
        raise typer.BadParameter("use 'error' or 'warning'", param_hint="--fail-on")
    if list_checks:
        checks = available_checks()
        if format == "json":
            typer.echo(
                output.to_json(
                    {
                        "checks": [
                            {"id": c.id, "severity": c.severity, "description": c.description}
                            for c in checks
                        ]
                    }
                )
            )
        else:
            output.print_checks(checks)
        return
    from ..project_locales import command_targets

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
    if format == "json":
        data = result.as_dict(config)
        data["fail_on"] = fail_on
        data["passed"] = not failed
        typer.echo(output.to_json(data))
    else:
        output.print_findings(result, config)
    if failed:
        raise typer.Exit(1)
