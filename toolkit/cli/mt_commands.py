"""translate, models list/install/remove: offline machine translation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .application import FormatOption, LocaleOption, app, state, wrote
from .guard import echo

if TYPE_CHECKING:
    from ..brands import BrandTerms
    from ..config import ProjectConfig

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
    format: FormatOption = "text",
) -> None:
    """Show installed model pairs, versions and sizes."""
    from ..mt.models import list_models
    from .output import output_format, print_models

    chosen = output_format(format)
    directory = _models_dir(ctx)
    print_models(list_models(directory), directory, chosen)


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
    from .output import size

    model = install_model(source, _models_dir(ctx))
    wrote(model.path, f"model {model.label}, {size(model.size)}")


@models_app.command("remove")
def models_remove(
    ctx: typer.Context,
    pair: Annotated[str, typer.Argument(help="The pair to remove, e.g. 'en:da'.")],
) -> None:
    """Remove an installed model pair."""
    from ..mt.models import remove_model

    for model in remove_model(pair, _models_dir(ctx)):
        echo(f"removed {model.path} (model {model.label})")


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
    """Machine-translate untranslated entries offline; results are fuzzy with provenance.

    The argos engine needs an installed model for each pair (en->da...): see 'toolkit models
    install FILE.argosmodel' and 'toolkit models list'. Segments already in the translation
    memory are reused without loading any model.
    """
    from ..errors import MissingModelError
    from ..mt import translate_catalog
    from ..mt.translate import refuse_unreadable
    from .output import print_translate_result

    config = state(ctx).config()
    targets = config.select_locales(locale)
    if len(targets) > 1:  # a bad catalog stops the run before any is written
        refuse_unreadable(config, targets)
    terms = {target: _terms(config, target) for target in targets}  # and so does a glossary
    missing: list[str] = []
    for target in targets:
        try:
            with _ProgressBar(target) as progress:
                result = translate_catalog(
                    config,
                    target,
                    terms=terms[target],
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
            echo(f"Error: {target}: {exc}", err=True)
            continue
        print_translate_result(config, result)
    if missing:
        echo(
            f"No model for {', '.join(missing)}: those catalogs were not translated "
            f"({len(targets) - len(missing)} of {len(targets)} locales done).",
            err=True,
        )
        raise typer.Exit(2)


def _terms(config: ProjectConfig, locale: str) -> BrandTerms:
    """The MT terms hook of ``locale``: protected brand names and the locale's glossary. A
    project without glossary files imports no glossary module (a rerun from memory is
    mostly start-up)."""
    from ..brands import brand_terms
    from ..glossary import has_glossary

    if not has_glossary(config, locale):
        return brand_terms(config)
    from ..glossary import load_glossary

    return brand_terms(config, load_glossary(config, locale))


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
