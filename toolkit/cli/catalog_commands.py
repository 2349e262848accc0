"""init, extract, update, compile, status: the gettext catalog pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from . import catalog_run
from .application import DiskLocaleOption, FormatOption, LocaleOption, app, state, wrote
from .guard import echo, shown_path

if TYPE_CHECKING:
    from ..adopt import Adoption


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new content project.")] = Path(
        "."
    ),
    locale: Annotated[
        list[str] | None,
        typer.Option("--locale", "-l", help="Target locale (repeatable; default: the locales "
                     "of the app's catalogs, or da, nb, lt for a new project)."),
    ] = None,
    source_locale: Annotated[
        str, typer.Option("--source-locale", help="Language the source messages are written in.")
    ] = "en",
) -> None:
    """Scaffold a content project: toolkit.toml, templates/ (one example), glossaries/.

    In an app that already has gettext catalogs (a Flask app's translations/), toolkit.toml
    is written for them instead: their folder, domain and locales, the app's templates, POT,
    babel.cfg and pybabel keywords; no example template.
    """
    from ..adopt import detect
    from ..scaffold import refuse_configured

    refuse_configured(directory)  # before a search of the folder
    notes: list[str] = []
    adoption = detect(directory, source_locale, notes) if directory.is_dir() else None
    if adoption is not None:
        _adopt(directory, adoption, locale, source_locale)
        return
    for note in notes:  # (a bounded search that found no catalogs: said before scaffolding)
        echo(f"note: {note}")
    from ..scaffold import init_project

    for path, new in init_project(
        directory, locales=locale or ["da", "nb", "lt"], source=source_locale
    ):
        if new:
            wrote(path, "new")
        else:
            echo(f"kept {shown_path(path)} (already there, left as it is)")
    from ..scaffold import next_steps

    echo("Next:")
    for command in next_steps(directory, locale or ["da", "nb", "lt"], source_locale):
        echo(f"  {command}")


def _adopt(directory: Path, adoption: Adoption, locale: list[str] | None, source: str) -> None:
    from ..scaffold import adopt_project

    written = adopt_project(directory, adoption, locales=locale, source=source)
    count = len(locale or adoption.locales)
    echo(
        f"found the app's catalogs: {adoption.locales_dir}/<locale>/LC_MESSAGES/"
        f"{adoption.domain}.po ({len(adoption.locales)} locales"
        + (f"; {count} configured" if locale else "") + ")"
        + (f", its POT {adoption.app_pot}" if adoption.app_pot else "")
        + (f", templates in {adoption.templates_dir}" if adoption.templates_dir else "")
        + (f", {adoption.mapping}" if adoption.mapping else "")
    )  # fmt: skip
    for note in adoption.notes:
        echo(f"note: {note}")
    for path, new in written:
        if new:
            wrote(path, "new")
        else:
            echo(f"kept {shown_path(path)} (already there, left as it is)")
    import shlex

    project = "" if directory == Path(".") else f" --project {shlex.quote(str(directory))}"
    own = adoption.pot_file or f"{adoption.locales_dir}/{adoption.domain}.pot".removeprefix("./")
    if directory != Path("."):  # --pot paths are read from the current folder
        own = str(directory / own)
        if adoption.app_pot:
            adoption.app_pot = str(directory / adoption.app_pot)
    echo("Next:")
    if adoption.app_pot:
        echo(f"  (extract {adoption.app_pot} again with the app's own pybabel command first: "
             "update merges it as it is)")  # fmt: skip
    for command in (
        f"toolkit{project} extract",
        adoption.update_command(project, own),
        f"toolkit{project} check",
        f"toolkit{project} compile",
    ):
        echo(f"  {command}")


CheckOption = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Write nothing; exit 1 if the files are out of date (a CI gate).",
    ),
]


@app.command()
def extract(
    ctx: typer.Context,
    check: CheckOption = False,
    keep_going: Annotated[
        bool,
        typer.Option(
            "--keep-going",
            help="Write the POT from the files that parse, list the others and exit 1 "
            "(default: report every broken file, write nothing, exit 2).",
        ),
    ] = False,
) -> None:
    """Extract every customer-facing string into locales/<domain>.pot."""
    catalog_run.extract(state(ctx), check=check, keep_going=keep_going)


@app.command()
def update(
    ctx: typer.Context,
    locale: LocaleOption = None,
    check: CheckOption = False,
    plural_forms: Annotated[
        str | None,
        typer.Option(
            "--plural-forms",
            help="'keep' each catalog's own valid Plural-Forms (default), or 'cldr': convert "
            "catalogs to CLDR's rule, mapping forms (unmappable texts kept, entry fuzzy).",
        ),
    ] = None,
    no_fuzzy_matching: Annotated[
        bool,
        typer.Option(
            "--no-fuzzy-matching",
            "-N",
            help="Do not give new strings the translation of a similar old one (as pybabel "
            "-N; much faster on very large catalogs with many changed strings).",
        ),
    ] = False,
    pot: Annotated[
        list[str] | None,
        typer.Option(
            "--pot",
            "-i",
            metavar="FILE",
            help="Merge from this template instead of locales/<domain>.pot (as pybabel -i): "
            "e.g. one pybabel extracted from the Python code as well as the templates. "
            "Repeat it to merge from several as one (the app's POT and the toolkit's own).",
        ),
    ] = None,
) -> None:
    """Create or merge each locale's PO from the POT; translations are never lost."""
    catalog_run.update(
        state(ctx),
        locale=locale,
        check=check,
        plural_forms=plural_forms,
        no_fuzzy_matching=no_fuzzy_matching,
        pot=pot,
    )


@app.command(name="compile")
def compile_(
    ctx: typer.Context,
    locale: DiskLocaleOption = None,
    use_fuzzy: Annotated[
        bool, typer.Option("--use-fuzzy", help="Include fuzzy (unreviewed) translations.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Compile even if 'toolkit check' finds errors.")
    ] = False,
) -> None:
    """Compile each locale's PO into messages.mo; refuses catalogs with check errors."""
    catalog_run.compile_(state(ctx), locale=locale, use_fuzzy=use_fuzzy, force=force)


@app.command()
def status(
    ctx: typer.Context, locale: DiskLocaleOption = None, format: FormatOption = "text"
) -> None:
    """Coverage per locale: translated, fuzzy, machine-translated, untranslated."""
    from ..project_locales import status_with_missing
    from .output import output_format, print_status

    chosen = output_format(format)
    config = state(ctx).config()
    statuses, notes = status_with_missing(config, locale)
    print_status(statuses, chosen, config)
    for note in notes:
        echo(f"note: {note}", err=True)


@app.command()
def showcase(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the HTML pages.")] = Path(
        "out"
    ),
    locale: DiskLocaleOption = None,
    from_po: Annotated[
        bool, typer.Option("--from-po", help="Read translations from the .po files (preview).")
    ] = False,
    use_fuzzy: Annotated[
        bool,
        typer.Option("--use-fuzzy", help="Show fuzzy (e.g. machine-translated) entries too."),
    ] = False,
) -> None:
    """Render every message in every locale into OUT/ with an index.html side by side."""
    from ..project_locales import showcase_targets
    from ..showcase import build_showcase

    config = state(ctx).config()
    targets, notes = showcase_targets(config, locale)
    for note in notes:
        echo(f"note: {note}", err=True)
    result = build_showcase(config, out, locales=targets, from_po=from_po, use_fuzzy=use_fuzzy)
    for failure in result.failures:
        echo(f"could not render {failure}", err=True)
    for page, count in sorted(result.missing.items()):
        echo(f"{page}: {count} strings not translated", err=True)
    for name, why in result.skipped:
        echo(f"skipped {name}: {why}", err=True)
    what = f"{len(result.pages)} pages; open it in a browser"
    if not result.pages:
        what = "0 pages: nothing to show" + (
            f" ({len(result.skipped)} template(s) skipped, listed above)" if result.skipped
            else f" (no templates, articles or FAQs in {state(ctx).config().templates_dir}/)"
        )
    wrote(result.index, what)
    if result.failures:
        raise typer.Exit(1)
