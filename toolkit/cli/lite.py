"""The hot commands without Typer: ``extract``, ``update``, ``compile``, ``check``, ``translate``.

These run many times a day, in CI and in editor hooks, on small projects where start-up is most
of the run: importing Typer (with its Click) and building a command from the function's
signature take ~25 ms of a ~90 ms ``toolkit compile``, more than ``pybabel compile`` needs in
all. So the console script first tries this parser: plain long options, ``-l``/``-f``/``-p``
with their value in the next word, ``--opt=value``, flags. It knows each command's options from
:data:`COMMANDS`, which a test keeps equal to the Typer commands' parameters, and calls the same
body (:mod:`.catalog_run`, :mod:`.mt_run`) as the Typer command does. ``translate`` is here
because its rerun, every segment in the translation memory, is mostly start-up too.

Anything else returns ``None`` and the Typer application runs the command line as always:
``--help`` anywhere, ``--version``, an unknown option or command, a missing value, a word
where none belongs, a value outside an option's choices (Click's usage message and exit 2),
``-lda``, ``--``, a number Click would refuse or read differently (anything but plain digits
within the option's range). A command line either means the same to both or goes to Typer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal


@dataclass(frozen=True)
class Option:
    """What an option word means: the body's parameter, how it takes a value, its choices;
    ``within``: an integer option's inclusive range (Click's ``IntRange``)."""

    name: str
    kind: Literal["flag", "value", "multiple"]
    choices: tuple[str, ...] = ()
    within: tuple[int, int] | None = None


@dataclass(frozen=True)
class Command:
    """A command this path runs: its body (``module:function`` of this package) and its
    option words."""

    body: str
    options: dict[str, Option]


_LOCALE = {"--locale": Option("locale", "multiple"), "-l": Option("locale", "multiple")}
_FORMAT = Option("format", "value", ("text", "table", "json"))

COMMANDS: dict[str, Command] = {
    "extract": Command(
        "catalog_run:extract",
        {"--check": Option("check", "flag"), "--keep-going": Option("keep_going", "flag")},
    ),
    "update": Command(
        "catalog_run:update",
        {
            **_LOCALE,
            "--check": Option("check", "flag"),
            "--plural-forms": Option("plural_forms", "value", ("keep", "cldr")),
            "--no-fuzzy-matching": Option("no_fuzzy_matching", "flag"),
            "-N": Option("no_fuzzy_matching", "flag"),
            "--pot": Option("pot", "multiple"),
            "-i": Option("pot", "multiple"),
        },
    ),
    "compile": Command(
        "catalog_run:compile_",
        {**_LOCALE, "--use-fuzzy": Option("use_fuzzy", "flag"), "--force": Option("force", "flag")},
    ),
    "check": Command(
        "catalog_run:check",
        {
            **_LOCALE,
            "--format": _FORMAT,
            "-f": _FORMAT,
            "--fail-on": Option("fail_on", "value", ("error", "warning")),
            "--select": Option("select", "value"),
            "--ignore": Option("ignore", "value"),
            "--use-fuzzy": Option("use_fuzzy", "flag"),
            "--list-checks": Option("list_checks", "flag"),
            "--no-cache": Option("no_cache", "flag"),
        },
    ),
    "translate": Command(
        "mt_run:translate",
        {
            **_LOCALE,
            "--engine": Option("engine", "value"),
            "-e": Option("engine", "value"),
            "--include-fuzzy": Option("include_fuzzy", "flag"),
            "--dry-run": Option("dry_run", "flag"),
            "--source-locale": Option("source_locale", "value"),
            "--beam-size": Option("beam_size", "value", within=(1, 16)),
        },
    ),
}

#: The global options this path understands (``--version`` goes to Typer).
GLOBAL = {
    "--project": Option("project", "value"),
    "-p": Option("project", "value"),
    "--debug": Option("debug", "flag"),
}


def parse(args: list[str]) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """``(command, global options, command options)`` of a command line this path runs the
    way Click would, else ``None``."""
    if any(word in ("-h", "--help", "--") for word in args):
        return None
    words = list(args)
    globals_: dict[str, Any] = {}
    while words and words[0].startswith("-"):
        if not _take(words, GLOBAL, globals_):
            return None
    if not words or words[0] not in COMMANDS:
        return None
    name = words.pop(0)
    options: dict[str, Any] = {}
    while words:
        if not words[0].startswith("-") or not _take(words, COMMANDS[name].options, options):
            return None  # a stray word, an unknown option or a value Click would refuse
    return name, globals_, options


def _take(words: list[str], spec: dict[str, Option], into: dict[str, Any]) -> bool:
    """Move the option at ``words[0]`` (and its value) into ``into``; False if it is not one
    this path handles exactly as Click does."""
    word = words.pop(0)
    option, equals, attached = word.partition("=")
    if option not in spec or (equals and not option.startswith("--")):
        return False
    meaning = spec[option]
    if meaning.kind == "flag":
        if equals:
            return False
        into[meaning.name] = True
        return True
    if equals:
        value = attached
    elif words:
        value = words.pop(0)  # Click takes the next word, even one starting with '-'
    else:
        return False
    if meaning.choices and value not in meaning.choices:
        return False
    if meaning.within is not None:
        low, high = meaning.within
        # Click reads ' 4', '+4' and '0x4' its own way: only plain digits are taken here.
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            return False
        into[meaning.name] = int(value)
        return True
    if meaning.kind == "multiple":
        into.setdefault(meaning.name, []).append(value)
    else:
        into[meaning.name] = value
    return True


def run(args: list[str]) -> int | None:
    """Run a command line through this path and return its exit code, or ``None`` when the
    Typer application should run it (see the module's docstring)."""
    parsed = parse(args)
    if parsed is None:
        return None
    name, globals_, options = parsed
    import importlib

    from .guard import HANDLED, CommandExit, State, failure_code, interrupted

    project = globals_.get("project")
    state = State(project=Path(project) if project is not None else None,
                  debug=globals_.get("debug", False))  # fmt: skip
    module, _, function = COMMANDS[name].body.partition(":")
    body = getattr(importlib.import_module(f".{module}", __package__), function)
    try:
        body(state, **options)
    except CommandExit as exc:
        return exc.code
    except HANDLED as exc:
        return failure_code(exc, state.debug)
    except Exception:
        if interrupted():  # a library turned Ctrl-C/SIGTERM into its own error
            return failure_code(KeyboardInterrupt(), state.debug)
        raise
    return 0
