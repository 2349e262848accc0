"""The bodies of the hot catalog commands (extract, update, compile, check), free of Typer.

The Typer commands (:mod:`.catalog_commands`, :mod:`.check_commands`) parse the options and
call these; so does the Typer-free path (:mod:`.lite`) that runs the same command lines without
importing Typer. Both give the same output and exit codes; ``CommandExit`` carries a non-zero
exit code out of a body.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .guard import CommandExit, State, echo, require_choice, shown_path, wrote

if TYPE_CHECKING:
    from ..catalogs.update_cache import UpdateResult
    from ..config import ProjectConfig


def extract(state: State, *, check: bool = False, keep_going: bool = False) -> None:
    """``toolkit extract``."""
    from ..extract import extract_messages

    config = state.config()
    result = extract_messages(config, dry_run=check, keep_going=keep_going)
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    what = f"{result.messages} message{'s' if result.messages != 1 else ''} from {files}"
    for skipped in result.skipped:
        echo(f"skipped {skipped}", err=True)
    if check:
        report_check([result.path] if result.written else [], "toolkit extract")
    else:
        wrote(result.path, what, result.written)
    if result.files == 0 and not result.skipped:
        echo(
            "note: no source files (.j2, .html, .txt, .md, .yaml...) were found in the "
            "templates folder: check 'templates_dir' and 'templates_exclude'.",
            err=True,
        )
    elif result.messages == 0 and result.files > 0:
        if config.keywords:  # (lazy_gettext may be configured already: say what is known)
            named = ", ".join(sorted(config.keywords))
            advice = (
                f"no call of gettext, _, ngettext or the configured keywords ({named}) and no "
                "{% trans %} block was found; if the templates call other functions, add "
                "them to 'keywords', with the argument numbers of each call (as pybabel's "
                "-k; see docs/catalogs.md)."
            )
        else:
            advice = (
                "templates that call their own gettext functions (_gettext, lazy_gettext) "
                "need them in 'keywords' in the configuration (as pybabel's -k; see "
                "docs/catalogs.md)."
            )
        echo(f"note: no messages in {files}: {advice}", err=True)
    if result.skipped:
        echo(f"{len(result.skipped)} source file(s) skipped; fix them and rerun.", err=True)
        raise CommandExit(1)


def report_check(stale: list[Path], fix: str) -> None:
    """What ``--check`` prints: the files out of date (exit 1), or ``up to date``."""
    if stale:
        for path in stale:
            echo(f"out of date: {shown_path(path)}", err=True)  # as the wrote lines name them
        echo(f"Run '{fix}' and commit the result.", err=True)
        raise CommandExit(1)
    echo("up to date")


def spacing_note(config: ProjectConfig, spaced: list[UpdateResult], given_pot: bool) -> str:
    """What ``update`` says of new strings the catalogs had translated but for white space:
    the whitespace settings still trimming, to compare with the app's Jinja; re-spaced
    template text once none trims, or for a POT the toolkit did not extract (``--pot``)."""
    counts = ", ".join(f"{r.locale}: {r.spacing_only}" for r in spaced)
    said = f"new strings that the catalogs had translated but for white space ({counts})"
    trimming = [
        name for name, value in (("jinja_trimmed", config.jinja_trimmed),
                                 ("jinja_trim_blocks", config.jinja_trim_blocks),
                                 ("jinja_lstrip_blocks", config.jinja_lstrip_blocks))
        if value
    ]  # fmt: skip
    if not trimming or given_pot:
        return (
            f"{said}: their text was re-spaced since it was translated (the old translations "
            "are offered as fuzzy where fuzzy matching found them); review them"
        )
    if config.jinja_trimmed:
        advice = (
            "if the app's Jinja keeps {% trans %} text as written, set jinja_trimmed = false "
            "(and jinja_trim_blocks, jinja_lstrip_blocks as the app has them; docs/catalogs.md)"
        )
    else:  # {% trans %} kept as written already: the block settings, or re-spaced text
        advice = (
            f"if the app's Jinja does not set trim_blocks or lstrip_blocks, set "
            f"{' and '.join(f'{name} = false' for name in trimming)} (docs/catalogs.md); "
            "otherwise their text was re-spaced since it was translated"
        )
    return (
        f"{said}: the templates are extracted with other whitespace settings than the ones "
        f"the translations were made with, or re-spaced; {advice}"
    )


def update(
    state: State,
    *,
    locale: list[str] | None = None,
    check: bool = False,
    plural_forms: str | None = None,
    no_fuzzy_matching: bool = False,
    pot: list[str] | None = None,
) -> None:
    """``toolkit update``."""
    from ..catalogs.update_cache import update_catalogs_cached

    if plural_forms is not None:
        require_choice(plural_forms, ("keep", "cldr"), "--plural-forms")
    results = update_catalogs_cached(
        state.config(),
        locale,
        dry_run=check,
        plural_forms=plural_forms,
        fuzzy_matching=not no_fuzzy_matching,
        pot=[Path(each) for each in pot] if pot else None,
    )
    if check:
        # The same command as was run, without --check (--locale sv creates sv's catalog).
        fix = " ".join(["toolkit update", *(f"--locale {name}" for name in locale or ()),
                        *(word for each in pot or () for word in ("--pot", each))])  # fmt: skip
        report_check([r.path for r in results if r.written], fix)
        return
    for r in results:
        what = (
            f"{r.locale}: {r.total} entries, {r.new} new, {r.fuzzy_matched} fuzzy-matched, "
            f"{r.obsolete} obsolete"
            + (", created" if r.created else "")
            + (f"; {r.plural_forms}" if r.plural_forms else "")
            + (
                f"; fuzzy matching stopped at its work limit: {r.fuzzy_skipped} new strings "
                "were not compared with old ones and are untranslated"
                + (" (the old translations stay as obsolete #~ entries)" if r.obsolete else "")
                if r.fuzzy_skipped
                else ""
            )
        )
        wrote(r.path, what, r.written)
    spaced = [r for r in results if r.spacing_only]
    if spaced:
        echo(f"note: {spacing_note(state.config(), spaced, bool(pot))}", err=True)
    from ..project_locales import beside_other_domains

    for note in beside_other_domains(state.config(), [r.path for r in results if r.created]):
        echo(f"note: {note}", err=True)
    from ..project_locales import beside_same_language

    for note in beside_same_language(
        state.config(), [(r.locale, r.path) for r in results if r.created]
    ):
        echo(f"note: {note}", err=True)
    if results and all(r.created for r in results):
        from ..adopt import catalogs_elsewhere

        config = state.config()
        elsewhere = catalogs_elsewhere(config.root, config.locales_path, config.domain)
        if elsewhere:
            echo(f"note: {elsewhere}", err=True)
    source = state.config().source_locale
    for r in results:
        if r.created and r.locale == source:  # (QA pass 78: translators edited it for nothing)
            echo(f"note: {state.config().relative(r.path)} is a catalog of the source locale "
                 f"'{source}': render serves its customers the source text and never reads "
                 "it (one of a regional variant of it is read)", err=True)  # fmt: skip


def compile_(
    state: State, *, locale: list[str] | None = None, use_fuzzy: bool = False, force: bool = False
) -> None:
    """``toolkit compile``."""
    from ..compile import compile_catalogs
    from ..project_locales import command_targets

    config = state.config()
    targets, notes = command_targets(config, locale)
    for note in notes:
        echo(f"note: {note}", err=True)
    if not targets:
        return
    for r in compile_catalogs(config, targets, use_fuzzy=use_fuzzy, force=force):
        skipped = f", {r.skipped_fuzzy} fuzzy left out" if r.skipped_fuzzy else ""
        if r.skipped_partial:
            skipped += f", {r.skipped_partial} partly translated plural(s) left out"
        count = f"{r.messages} message" + ("" if r.messages == 1 else "s")
        wrote(r.path, f"{r.locale}: {count}{skipped}", r.written)


def _ids(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def check(
    state: State,
    *,
    locale: list[str] | None = None,
    format: str = "text",
    fail_on: str = "error",
    select: str | None = None,
    ignore: str | None = None,
    use_fuzzy: bool = False,
    list_checks: bool = False,
    no_cache: bool = False,
) -> None:
    """``toolkit check``."""
    from ..project_locales import command_targets
    from .output import output_format, print_check_report, print_checks

    chosen = output_format(format)
    require_choice(fail_on, ("error", "warning"), "--fail-on")
    if list_checks:
        from ..checks import available_checks

        print_checks(available_checks(), chosen)
        return
    config = state.config()
    targets, notes = command_targets(config, locale)
    for note in notes:
        echo(f"note: {note}", err=True)
    if not targets and notes:
        echo("No catalogs to check yet.")
        return
    from ..checks.cache import check_catalogs_cached

    result = check_catalogs_cached(
        config,
        targets or None,
        select=_ids(select),
        ignore=_ids(ignore),
        use_fuzzy=use_fuzzy,
        cache=not no_cache,
    )
    failed = result.failed("warning" if fail_on == "warning" else "error")
    print_check_report(result, config, chosen, fail_on=fail_on, failed=failed)
    if failed:
        raise CommandExit(1)
