"""Errors the toolkit raises, each carrying the exit code the CLI uses.

::

    ToolkitError (exit 2)
    ├── ConfigError          missing or invalid [tool.toolkit] configuration
    ├── InputError           bad command-line input: locale, path, data file
    │   ├── LocaleError      a locale Babel/CLDR does not know, or one that is a path
    │   └── RenderError      a message that cannot be rendered for this customer's data
    ├── CatalogError         a PO/POT/template file that cannot be read (path and line)
    │   └── UnreadableCatalogs   several catalogs that cannot be read, each with its line
    ├── ModelError           a missing, broken or uninstallable MT model or engine
    ├── ClusterError         a Dask cluster that cannot run the job (address, files, versions)
    └── QAFailure (exit 1)   `check` / `compile` found errors in a catalog

Messages say what is wrong, where (file:line) and what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple, TypeVar

_Key = TypeVar("_Key")
_Read = TypeVar("_Read")


class ToolkitError(Exception):
    """Root of every error the toolkit reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if not self.hint:
            return self.message
        if self.message.endswith("\n"):  # a list of problems, a line each: the hint below
            return f"{self.message}{self.hint}"
        # "what." then "what to do": a message that ends with a quoted excerpt gets its stop.
        stop = "" if self.message.rstrip().endswith((".", "!", "?", ":", "…", "\n")) else "."
        return f"{self.message}{stop} {self.hint}"


class ConfigError(ToolkitError):
    """The project configuration is missing or invalid."""


class InputError(ToolkitError):
    """Input given on the command line or in a data file is unusable."""


class LocaleError(InputError):
    """A locale that is unknown or malformed."""


class RenderError(InputError):
    """A message that cannot be rendered for this customer (missing field, bad value, unsafe
    template code): the message names the template, part and line."""


class CatalogError(ToolkitError):
    """A catalog or source file that cannot be read, with its location."""

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            shown = _display_path(self.path)
            where = f"{shown}:{line}: " if line else f"{shown}: "
        super().__init__(f"{where}{message}", hint=hint)


class Unreadable(NamedTuple):
    """Why one catalog cannot be read (a :class:`CatalogError`'s ``path:line: message`` and
    hint), kept so the catalogs after it are still read and every bad one is reported.
    Plain data: it travels back from a forked child."""

    message: str
    hint: str | None
    path: str | None = None
    line: int | None = None

    @classmethod
    def of(cls, error: CatalogError) -> Unreadable:
        path = str(error.path) if error.path is not None else None
        return cls(error.message, error.hint, path, error.line)


class UnreadableCatalogs(CatalogError):
    """Every catalog of a run that cannot be read, one ``file:line: why`` a line; a single
    one reads exactly as its own :class:`CatalogError`."""

    def __init__(self, failures: Sequence[Unreadable], *, nothing: str) -> None:
        self.failures = list(failures)
        first = self.failures[0]
        if len(self.failures) == 1:
            super().__init__(first.message, hint=first.hint)
        else:
            # One hint for all when they share it; else each line says what to do about it.
            hints = {failure.hint for failure in self.failures}
            shared = hints.pop() if len(hints) == 1 else None
            lines = "".join(
                f"  {failure.message}\n"
                if shared is not None or not failure.hint
                else f"  {failure.message}\n    {failure.hint}\n"
                for failure in self.failures
            )
            super().__init__(
                f"{len(self.failures)} catalogs cannot be read; {nothing}:\n{lines}",
                hint=shared,
            )
        # The first catalog's place, as its own CatalogError gives it (messages have it).
        self.path = Path(first.path) if first.path is not None else None
        self.line = first.line

    def __str__(self) -> str:
        if len(self.failures) == 1:
            return super().__str__()
        return (self.message + (self.hint or "")).rstrip("\n")  # the hint on its own line


def read_each(
    items: Iterable[tuple[_Key, Path]],
    read: Callable[[_Key, Path], _Read],
    *,
    nothing: str,
) -> list[_Read | Unreadable]:
    """``read(key, path)`` for each catalog, in order. A catalog that cannot be read gives its
    :class:`Unreadable` and the next ones are still read, so that every bad one can be
    reported (:func:`raise_unreadable`); what :func:`set_aside` does not set aside ends it."""
    done: list[_Read | Unreadable] = []
    failures: list[Unreadable] = []
    for key, path in items:
        try:
            done.append(read(key, path))
        except CatalogError as exc:
            failures.append(set_aside(exc, path, failures, nothing=nothing))
            done.append(failures[-1])
    return done


def raise_unreadable(results: Iterable[object], *, nothing: str) -> None:
    """:class:`UnreadableCatalogs` for the :class:`Unreadable` among ``results``, if any."""
    failures = [result for result in results if isinstance(result, Unreadable)]
    if failures:
        raise UnreadableCatalogs(failures, nothing=nothing)


def set_aside(
    error: CatalogError, path: Path, earlier: Sequence[Unreadable], *, nothing: str
) -> Unreadable:
    """``error`` as an :class:`Unreadable` when it is about the catalog ``path`` itself (the
    caller reads the next catalogs, to report every bad one). Any other error (a glossary
    file, a setting) ends the run, after the catalogs already set aside: they came first."""
    if error.path == path:
        return Unreadable.of(error)
    if earlier:
        raise UnreadableCatalogs(earlier, nothing=nothing) from error
    raise error


def _display_path(path: Path) -> str:
    """``path`` relative to the current directory when it lies inside it (its folder
    resolved, not the file itself: a symbolic link is named, not its target)."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class ModelError(ToolkitError):
    """A machine-translation model or engine that cannot be used."""


class MissingModelError(ModelError):
    """No installed model (direct or through the pivot) translates the pair."""


class QAFailure(ToolkitError):
    """Quality checks found problems at or above the failing severity."""

    exit_code = 1


class ClusterError(ToolkitError):
    """A Dask cluster that cannot run a job: unreachable, missing files, mismatched versions."""
