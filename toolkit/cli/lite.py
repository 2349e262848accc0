"""The hot catalog commands without Typer: ``extract``, ``update``, ``compile`` and ``check``.

These run many times a day, in CI and in editor hooks, on small projects where start-up is most
of the run: importing Typer (with its Click) and building a command from the function's
signature take ~25 ms of a ~90 ms ``toolkit compile``, more than ``pybabel compile`` needs in
all. So the console script first tries this parser: plain long options, ``-l``/``-f``/``-p``
with their value in the next word, ``--opt=value``, flags. It knows each command's options from
:data:`COMMANDS`, which a test keeps equal to the Typer commands' parameters, and calls the same
body (:mod:`.catalog_run`) as the Typer command does.

Anything else returns ``None`` and the Typer application runs the command line as always:
``--help`` anywhere, ``--version``, an unknown option or command, a missing value, a word
where none belongs, a value outside an option's choices (Click's usage message and exit 2),
``-lda``, ``--``. A command line either means the same to both or goes to Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: ``--option``: (parameter name, kind, choices); kind is 'flag', 'value' or 'multiple'.
Spec = dict[str, tuple[str, str, tuple[str, ...]]]

_LOCALE: Spec = {"--locale": ("locale", "multiple", ()), "-l": ("locale", "multiple", ())}


#: Each command this path runs: the name of its body in :mod:`.catalog_run`, its options.
COMMANDS: dict[str, tuple[str, Spec]] = {
    "extract": (
        "extract",
        {"--check": ("check", "flag", ()), "--keep-going": ("keep_going", "flag", ())},
    ),
    "update": (
        "update",
        {
            **_LOCALE,
            "--check": ("check", "flag", ()),
            "--plural-forms": ("plural_forms", "value", ("keep", "cldr")),
        },
    ),
    "compile": (
        "compile_",
        {
            **_LOCALE,
            "--use-fuzzy": ("use_fuzzy", "flag", ()),
            "--force": ("force", "flag", ()),
        },
    ),
    "check": (
        "check",
        {
            **_LOCALE,
            "--format": ("format", "value", ("text", "table", "json")),
            "-f": ("format", "value", ("text", "table", "json")),
            "--fail-on": ("fail_on", "value", ("error", "warning")),
            "--select": ("select", "value", ()),
            "--ignore": ("ignore", "value", ()),
            "--use-fuzzy": ("use_fuzzy", "flag", ()),
            "--list-checks": ("list_checks", "flag", ()),
            "--no-cache": ("no_cache", "flag", ()),
        },
    ),
}

#: The global options this path understands (``--version`` goes to Typer).
GLOBAL: Spec = {
    "--project": ("project", "value", ()),
    "-p": ("project", "value", ()),
    "--debug": ("debug", "flag", ()),
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
        if not words[0].startswith("-") or not _take(words, COMMANDS[name][1], options):
            return None  # a stray word, an unknown option or a value Click would refuse
    return name, globals_, options


def _take(words: list[str], spec: Spec, into: dict[str, Any]) -> bool:
    """Move the option at ``words[0]`` (and its value) into ``into``; False if it is not one
    this path handles exactly as Click does."""
    word = words.pop(0)
    option, equals, attached = word.partition("=")
    if option not in spec or (equals and not option.startswith("--")):
        return False
    name, kind, choices = spec[option]
    if kind == "flag":
        if equals:
            return False
        into[name] = True
        return True
    if equals:
        value = attached
    elif words:
        value = words.pop(0)  # Click takes the next word, even one starting with '-'
    else:
        return False
    if choices and value not in choices:
        return False
    if kind == "multiple":
        into.setdefault(name, []).append(value)
    else:
        into[name] = value
    return True


def run(args: list[str]) -> int | None:
    """Run a command line through this path and return its exit code, or ``None`` when the
    Typer application should run it (see the module's docstring)."""
    parsed = parse(args)
    if parsed is None:
        return None
    name, globals_, options = parsed
    from . import catalog_run
    from .guard import HANDLED, CommandExit, State, failure_code

    project = globals_.get("project")
    state = State(project=Path(project) if project is not None else None,
                  debug=globals_.get("debug", False))  # fmt: skip
    body = getattr(catalog_run, COMMANDS[name][0])
    try:
        body(state, **options)
    except CommandExit as exc:
        return exc.code
    except HANDLED as exc:
        return failure_code(exc, state.debug)
    return 0
