"""The Typer application and the one place where errors become exit codes."""

from __future__ import annotations

import copy
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ..errors import ToolkitError
from .output import wrote as wrote  # commands import it from here too

if TYPE_CHECKING:
    from ..config import ProjectConfig


class ToolkitGroup(TyperGroup):
    """Maps ToolkitError to a plain message on stderr and its exit code (no traceback)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as exc:
            state = ctx.obj if isinstance(ctx.obj, State) else State()
            if state.debug:
                traceback.print_exc()
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:  # disk full, read-only or unwritable folders, /dev/null...
            state = ctx.obj if isinstance(ctx.obj, State) else State()
            if state.debug:
                traceback.print_exc()
            typer.echo(f"Error: {os_error_message(exc)}", err=True)
            raise typer.Exit(2) from None
        except RecursionError:  # a last resort: the stages name the file where they can
            typer.echo(
                "Error: an input is nested too deeply to process; simplify it "
                "(add --debug to see where).",
                err=True,
            )
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo(
                "Interrupted; files already written are complete, nothing is half-written.",
                err=True,
            )
            raise typer.Exit(130) from None


def os_error_message(exc: OSError) -> str:
    """One line for a file-system error no command anticipated: what failed, where, the fix."""
    import errno

    if exc.errno == errno.EPIPE:
        return "the output was closed before everything was written (a pipe into 'head'?)."
    where = exc.filename if exc.filename is not None else "a file"
    reason = exc.strerror or type(exc).__name__
    fixes = {
        errno.ENOSPC: "Free some disk space and rerun; files already written are complete.",
        errno.EDQUOT: "Free some disk space and rerun; files already written are complete.",
        errno.EACCES: "Check the permissions of that file and its folder.",
        errno.EPERM: "Check the permissions of that file and its folder.",
        errno.EROFS: "Write to a folder on a writable file system.",
        errno.ENOTDIR: "A part of that path is a file, not a folder.",
        errno.EISDIR: "That path is a folder; give a file name.",
    }
    fix = fixes.get(exc.errno or 0, "Check the path and rerun (add --debug for details).")
    return f"cannot use {where}: {reason}. {fix}"


class State:
    """Global options shared by every command."""

    def __init__(self, project: Path | None = None, debug: bool = False) -> None:
        self.project = project
        self.debug = debug

    def config(self) -> ProjectConfig:
        from ..config import load_config

        return load_config(self.project)


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
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    # Eager: runs before Click asks for a command, so `toolkit --version` alone works.
    if value:
        from .. import __version__

        typer.echo(f"toolkit {__version__}")
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
#: ``--format/-f`` for commands that print a result (see :func:`.output.output_format`).
FormatOption = Annotated[
    str,
    typer.Option(
        "--format", "-f", help="Output format: 'text' (default; 'table' also accepted) or 'json'."
    ),
]
#: The former name of :data:`FormatOption`.
TableFormatOption = FormatOption


def require_choice(value: str, choices: tuple[str, ...], option: str = "--format") -> str:
    """A usage error (exit 2) unless ``value`` is one of ``choices``."""
    if value not in choices:
        allowed = " or ".join(f"'{c}'" for c in choices)
        raise typer.BadParameter(f"use {allowed}", param_hint=option)
    return value


def state(ctx: typer.Context) -> State:
    """The global options of this invocation."""
    return ctx.obj if isinstance(ctx.obj, State) else State()


def fail_usage(message: str) -> None:
    """A usage error detected in the CLI layer itself."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(2)


#: Global options that take a value (the callback's; a test keeps this in step with it).
GLOBAL_VALUE_OPTIONS = frozenset({"--project", "-p"})


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


def main() -> None:
    """Console-script entry point."""
    from . import commands  # noqa: F401  (registers every command)

    app_for(command_name(sys.argv[1:]))(prog_name="toolkit")
    sys.exit(0)
