"""translate, models list/install/remove: offline machine translation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import LocaleOption, TableFormatOption, app, require_choice, state, wrote

if TYPE_CHECKING:
    from ..mt import TranslateResult

models_app = typer.Typer(
    help="Manage Argos Translate model packages (installed into TOOLKIT_MODELS_DIR, the "
    "project's models_dir, or the user data folder).",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")


def _models_dir(ctx: typer.Context) -> Path:
    """The models folder; the project config is optional for model commands."""
    from ..config import find_config_file, parse_config_file
    from ..mt.models import models_dir

    current = state(ctx)
    if current.project is not None:
        return models_dir(current.config())
    found = find_config_file(Path.cwd())
    return models_dir(parse_config_file(found) if found else None)


@models_app.command("list")
def models_list(
    ctx: typer.Context,
    format: TableFormatOption = "table",
) -> None:
    """Show installed model pairs, versions and sizes."""
    from .. import report
    from ..mt.models import list_models

    require_choice(format, ("table", "json"))
    directory = _models_dir(ctx)
    models = list_models(directory)
    if format == "json":
        rows = [
            {"pair": m.pair, "version": m.version, "size": m.size, "path": str(m.path)}
            for m in models
        ]
        typer.echo(report.to_json({"models_dir": str(directory), "models": rows}))
        return
    if not models:
        typer.echo(
            f"No models installed in {directory}. "
            "Install one with 'toolkit models install FILE.argosmodel' or 'en:da' (online)."
        )
        return
    report.print_table(
        f"Models in {directory}",
        ("pair", "version", "size", "folder"),
        [[m.pair, m.version, _size(m.size), m.path.name] for m in models],
    )


@models_app.command("install")
def models_install(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(help="A .argosmodel file, or a pair like 'en:da' (downloads; online)."),
    ],
) -> None:
    """Install an Argos package from a file (offline) or the Argos index (online)."""
    from ..mt.models import install_model

    model = install_model(source, _models_dir(ctx))
    wrote(model.path, f"model {model.label}, {_size(model.size)}")


@models_app.command("remove")
def models_remove(
    ctx: typer.Context,
    pair: Annotated[str, typer.Argument(help="The pair to remove, e.g. 'en:da'.")],
) -> None:
    """Remove an installed model pair."""
    from ..mt.models import remove_model

    for model in remove_model(pair, _models_dir(ctx)):
        typer.echo(f"removed {model.path} (model {model.label})")


@app.command()
def translate(
    ctx: typer.Context,
    locale: LocaleOption = None,
    engine: Annotated[
        str, typer.Option("--engine", "-e", help="MT engine: 'argos' (default) or 'apertium'.")
    ] = "argos",
    include_fuzzy: Annotated[
        bool,
        typer.Option(
            "--include-fuzzy",
            help="Also redo fuzzy entries that carry an 'mt:' comment (never human work).",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Show what would change; write nothing (no memory)."),
    ] = False,
    source_locale: Annotated[
        str | None,
        typer.Option("--source-locale", help="Language of the msgids (default: config)."),
    ] = None,
    beam_size: Annotated[
        int, typer.Option("--beam-size", min=1, max=16, help="Beam width for argos models.")
    ] = 4,
) -> None:
    """Machine-translate untranslated entries offline; results are fuzzy with provenance."""
    from ..brands import brand_terms
    from ..glossary import load_glossary
    from ..mt import translate_catalog
    from ..mt.models import MissingModelError

    config = state(ctx).config()
    targets = config.select_locales(locale)
    missing: list[str] = []
    for target in targets:
        try:
            with _ProgressBar(target) as progress:
                result = translate_catalog(
                    config,
                    target,
                    terms=brand_terms(config, load_glossary(config, target)),
                    engine=engine,
                    source_locale=source_locale,
                    include_fuzzy=include_fuzzy,
                    dry_run=dry_run,
                    beam_size=beam_size,
                    progress=progress,
                )
        except MissingModelError as exc:
            if len(targets) == 1:
                raise
            # Go on with the other locales; report every missing model, exit 2 at the end.
            missing.append(target)
            typer.echo(f"Error: {target}: {exc}", err=True)
            continue
        _print_result(config, result)
    if missing:
        typer.echo(
            f"No model for {', '.join(missing)}: those catalogs were not translated "
            f"({len(targets) - len(missing)} of {len(targets)} locales done).",
            err=True,
        )
        raise typer.Exit(2)


class _ProgressBar:
    """A Rich progress bar on stderr, shown on terminals for runs of 50+ segments."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._progress is None:
            from rich.console import Console

            console = Console(stderr=True)
            if total < 50 or not console.is_terminal:
                return
            from rich.progress import Progress

            self._progress = Progress(console=console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(f"translating {self.locale}", total=total)
        self._progress.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def _print_result(config: Any, result: TranslateResult) -> None:
    where = config.relative(result.path)
    if result.dry_run:
        for change in result.changes:
            typer.echo(f"{where}:{change.line or '?'}: {change.msgid!r}")
            for index, text in enumerate(change.strings):
                label = f"msgstr[{index}]" if len(change.strings) > 1 else "msgstr"
                typer.echo(f"    {label} {text!r}")
    for flagged in result.flagged:
        typer.echo(
            f"flagged {where}:{flagged.line or '?'}: {flagged.msgid!r}: "
            + "; ".join(flagged.reasons),
            err=True,
        )
    for msgid, problem in result.glossary_problems:
        typer.echo(f"glossary {where}: {msgid!r}: {problem}", err=True)
    summary = (
        f"{result.locale}: {result.translated} translated, {result.from_memory} from memory, "
        f"{result.skipped} skipped, {len(result.flagged)} flagged "
        f"({result.segments_translated} segments by {result.engine}, "
        f"{result.segments_from_memory} from memory)"
    )
    if result.dry_run:
        state = "would change" if result.written else "unchanged"
        typer.echo(f"dry run: {result.path} {state} ({summary})")
    else:
        wrote(result.path, summary, result.written)


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.1f} GB"
