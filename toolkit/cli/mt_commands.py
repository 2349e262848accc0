"""translate, models list/install/remove: offline machine translation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from . import mt_run
from .application import FormatOption, LocaleOption, app, state, wrote
from .guard import echo

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
    memory are reused without loading any model, and an entry whose whole text a human
    translation in the memory has (a vendor's TMX: 'toolkit memory import') is filled with it
    first.
    """
    mt_run.translate(
        state(ctx),
        locale=locale,
        engine=engine,
        include_fuzzy=include_fuzzy,
        dry_run=dry_run,
        source_locale=source_locale,
        beam_size=beam_size,
    )
