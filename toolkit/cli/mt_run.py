"""The body of ``toolkit translate``, free of Typer.

The Typer command (:mod:`.mt_commands`) parses the options and calls it; so does the
Typer-free path (:mod:`.lite`), which runs the same command line without importing Typer: a
rerun that finds every segment in the translation memory is mostly start-up.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from .guard import CommandExit, State, echo

if TYPE_CHECKING:
    from ..brands import BrandTerms
    from ..config import ProjectConfig


def translate(
    state: State,
    *,
    locale: list[str] | None = None,
    engine: str = "argos",
    include_fuzzy: bool = False,
    dry_run: bool = False,
    source_locale: str | None = None,
    beam_size: int = 4,
) -> None:
    """``toolkit translate``."""
    from ..errors import MissingModelError
    from ..mt import translate_catalog
    from ..mt.translate import refuse_unreadable
    from .output import print_translate_result

    config = state.config()
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
        raise CommandExit(2)


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


def _maybe_terminal() -> bool:
    """Whether Rich could call stderr a terminal: it is one, or the environment forces it."""
    try:
        if sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False
    return any(os.environ.get(name) for name in ("FORCE_COLOR", "TTY_COMPATIBLE"))


class _ProgressBar:
    """A Rich progress bar on stderr, shown on terminals for runs of 50+ segments."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._progress: Any = None
        self._task: Any = None
        self._off = False

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if self._off:
            return
        if self._progress is None:
            if total < 50 or not _maybe_terminal():
                self._off = True  # (Rich's import alone is ~50 ms of a run)
                return
            from rich.console import Console

            console = Console(stderr=True)
            if not console.is_terminal:
                self._off = True
                return
            from rich.progress import Progress

            self._progress = Progress(console=console, transient=True)
            self._progress.start()
            self._task = self._progress.add_task(f"translating {self.locale}", total=total)
        self._progress.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
