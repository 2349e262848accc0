"""The Typer application: the global options, and each command built only when it runs.

Errors become messages and exit codes in :mod:`.guard`, shared with :mod:`.lite`."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from .guard import HANDLED, CommandExit, State, echo, failure_code, interrupted
from .guard import os_error_message as os_error_message  # tests import it from here
from .guard import require_choice as require_choice  # commands import it from here too
from .output import wrote as wrote  # commands import it from here too


class ToolkitGroup(TyperGroup):
    """Maps ToolkitError (and the other :data:`.guard.HANDLED`) to a plain message on stderr
    and its exit code (no traceback), as the Typer-free path (:mod:`.lite`) does."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except CommandExit as exc:
            raise typer.Exit(exc.code) from None
        except HANDLED as exc:
            debug = ctx.obj.debug if isinstance(ctx.obj, State) else False
            raise typer.Exit(failure_code(exc, debug)) from None
        except Exception as exc:
            if interrupted() and getattr(exc, "exit_code", None) is None:
                # A library turned Ctrl-C/SIGTERM into its own error (DuckDB's RuntimeError).
                debug = ctx.obj.debug if isinstance(ctx.obj, State) else False
                raise typer.Exit(failure_code(KeyboardInterrupt(), debug)) from None
            # Click's "No such option: --project" for a global option written after the
            # command: say where it goes (Typer vendors Click, so its exceptions are matched
            # by what they carry, not imported).
            option = getattr(exc, "option_name", None)
            if option in GLOBAL_OPTIONS and isinstance(getattr(exc, "message", None), str):
                exc.message += (  # type: ignore[attr-defined]
                    f" ({option} is a global option: put it before the command, as in "
                    f"'toolkit {option}{' DIR' if option in GLOBAL_VALUE_OPTIONS else ''} "
                    f"{ctx.invoked_subcommand or 'COMMAND'} ...')"
                )
            raise


app = typer.Typer(
    cls=ToolkitGroup,
    name="toolkit",
    help="Write to customers in their own language: extract, translate offline, check, "
    "compile and render localized retention messages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain Click help and usage errors: Rich's help formatter costs more start-up time than
    # the rest of the CLI together (--help is a benchmark goal: <= 1.2x pybabel --help).
    rich_markup_mode=None,
    # Up to 120 columns where the terminal has them (Click stops at 80): command summaries
    # are cut to the width.
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
)


def _print_version(value: bool) -> None:
    # Eager: runs before Click asks for a command, so `toolkit --version` alone works.
    if value:
        from .. import __version__

        echo(f"toolkit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _global_options(
    ctx: typer.Context,
    project: Annotated[
        Path | None,
        typer.Option(
            "--project",
            "-p",
            help="Content project folder (default: found by walking up from the current one).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    ctx.obj = State(project=project, debug=debug)


#: ``--locale/-l`` as most commands take it.
LocaleOption = Annotated[
    list[str] | None,
    typer.Option("--locale", "-l", help="Target locale (repeatable; default: all configured)."),
]
#: ``--locale/-l`` for the commands that cover every catalog on disk without it.
DiskLocaleOption = Annotated[
    list[str] | None,
    typer.Option(
        "--locale", "-l",
        help="Target locale (repeatable; default: every catalog in the locales folder, and "
        "configured locales without one are noted).",
    ),
]  # fmt: skip
#: ``--format/-f`` for commands that print a result (see :func:`.output.output_format`).
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="Output format: 'text' (default; 'table' also accepted) or 'json'."
    ),
]
#: The former name of :data:`FormatOption`.
TableFormatOption = FormatOption


def state(ctx: typer.Context) -> State:
    """The global options of this invocation."""
    return ctx.obj if isinstance(ctx.obj, State) else State()


def fail_usage(message: str) -> None:
    """A usage error detected in the CLI layer itself."""
    echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


#: Global options that take a value (the callback's; a test keeps this in step with it).
GLOBAL_VALUE_OPTIONS = frozenset({"--project", "-p"})
#: Every global option of the callback.
GLOBAL_OPTIONS = GLOBAL_VALUE_OPTIONS | {"--debug", "--version"}


def command_name(args: list[str]) -> str | None:
    """The command word of a command line: the first argument that is neither a global option
    nor a global option's value (``None`` for ``toolkit``, ``toolkit --help``, ``toolkit
    --help status``: global help lists every command)."""
    words = iter(args)
    for word in words:
        if word == "--":
            return next(words, None)
        if word in ("-h", "--help"):
            return None
        if word in GLOBAL_VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def app_for(name: str | None) -> typer.Typer:
    """``app`` with only the command (or command group) ``name``, or the whole app when
    ``name`` is not one of its commands (help, typos: Click's own messages and suggestions).

    Typer turns every registered command into a Click command, inspecting its signature and
    type hints, before parsing anything: ~20 ms for all of them, of ~90 ms start-up. One
    command line runs one command, so only that one is built.
    """
    from typer.main import get_command_name

    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    lean = copy.copy(app)
    lean.registered_commands = commands
    lean.registered_groups = groups
    return lean


def help_only(args: list[str]) -> bool:
    """Whether the command line only asks for the global help (``toolkit``, ``toolkit --help``,
    ``toolkit --project x -h``): no command runs, whatever the commands' parameters are."""
    return command_name(args) is None and (not args or bool({"-h", "--help"} & set(args)))


def listing(typer_app: typer.Typer) -> typer.Typer:
    """``typer_app`` for its help page alone: each command (and each group's) keeps its name,
    help and panel, but its callback takes no parameters. The global help lists commands by
    name and first help line; Typer would otherwise build every command's parameters from
    its signature and type hints to print it (~25 ms of ``toolkit --help``'s ~75)."""
    lean = copy.copy(typer_app)
    lean.registered_commands = [_listed(c) for c in typer_app.registered_commands]
    lean.registered_groups = []
    for group in typer_app.registered_groups:
        listed = copy.copy(group)
        if group.typer_instance is not None:
            listed.typer_instance = listing(group.typer_instance)
        lean.registered_groups.append(listed)
    return lean


def _listed(command: Any) -> Any:
    callback = command.callback
    if callback is None:
        return command

    def stub() -> None:  # pragma: no cover - never invoked: only the help is printed
        raise AssertionError("a help listing runs no command")

    stub.__name__, stub.__doc__ = callback.__name__, callback.__doc__
    listed = copy.copy(command)
    listed.callback = stub
    return listed


def main() -> None:
    """Console-script entry point."""
    from . import commands  # noqa: F401  (registers every command)

    args = sys.argv[1:]
    chosen = app_for(command_name(args))
    (listing(chosen) if help_only(args) else chosen)(prog_name="toolkit")
    sys.exit(0)
