"""Errors the toolkit raises, each carrying the exit code the CLI uses.

::

    ToolkitError (exit 2)
    ├── ConfigError          missing or invalid [tool.toolkit] configuration
    ├── InputError           bad command-line input: locale, path, data file
    │   ├── LocaleError      a locale Babel/CLDR does not know, or one that is a path
    │   └── RenderError      a message that cannot be rendered for this customer's data
    ├── CatalogError         a PO/POT/template file that cannot be read (path and line)
    ├── ModelError           a missing, broken or uninstallable MT model or engine
    ├── ClusterError         a Dask cluster that cannot run the job (address, files, versions)
    └── QAFailure (exit 1)   `check` / `compile` found errors in a catalog

Messages say what is wrong, where (file:line) and what to do.
"""

from __future__ import annotations

from pathlib import Path


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
        # "what." then "what to do": a message that ends with a quoted excerpt gets its stop.
        stop = "" if self.message.rstrip().endswith((".", "!", "?", ":", "\n")) else "."
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


def _display_path(path: Path) -> str:
    """``path`` relative to the current directory when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
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
