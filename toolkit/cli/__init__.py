"""The ``toolkit`` command line: parses options, calls the library, prints results.

Each command lives in a module of this package and calls one library function; heavy modules
(machine translation above all) are imported inside the command functions only. The hot
catalog commands and ``translate`` run without importing Typer when their command line allows
(:mod:`.lite`), and so does ``toolkit --help`` (:mod:`.help_page`).
"""

from __future__ import annotations

import sys


def _started_as_command() -> bool:
    """Whether this process is the ``toolkit`` console script or ``python -m toolkit`` (not
    a program or test that imports the package, nor a worker multiprocessing spawned, whose
    main module is the script's again, named ``__mp_main__``: it never calls main())."""
    main = sys.modules.get("__main__")
    if getattr(main, "__name__", None) != "__main__":
        return False
    main_file = str(getattr(main, "__file__", None) or "")
    name = main_file.replace("\\", "/").rsplit("/", 2)
    return name[-1] in ("toolkit", "toolkit.exe") or name[-2:] == ["toolkit", "__main__.py"]


#: Ctrl-C or SIGTERM while the command's modules load (before :func:`main` installs its
#: handlers) printed a KeyboardInterrupt traceback: until then both signals wait, and come
#: once the handlers are in place (one line, exit 130 or 143).
_HELD = _started_as_command()
if _HELD:
    import signal

    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    else:  # (no signal masks on Windows)
        _HELD = False


from typing import TYPE_CHECKING, Any  # noqa: E402 (after the signals are held)

if TYPE_CHECKING:
    from typer import Typer

    app: Typer


#: The commands :mod:`.lite` runs (a test keeps this equal to its table).
LITE_COMMANDS = frozenset({"extract", "update", "compile", "check", "translate"})


def _release_signals() -> None:
    global _HELD
    if _HELD:
        import signal

        _HELD = False
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def main() -> None:
    """Console-script entry point: the Typer-free path when it applies, else the Typer app."""
    from .guard import (
        install_interrupt_handlers,
        interrupt_code,
        interrupted_message,
        restore_interrupt_handlers,
    )

    args = sys.argv[1:]
    if args and args[0] in ("--help", "-h"):  # the global help page, as Typer prints it
        from .help_page import print_page, stored_page

        page = stored_page(args)
        if page is not None:
            _release_signals()
            sys.exit(print_page(page))
    install_interrupt_handlers()
    try:
        _release_signals()  # a signal that came while loading is raised here, handled below
        code = None
        if LITE_COMMANDS.intersection(args):  # other command lines do not even import it
            from .lite import run

            code = run(args)
        if code is None:
            from .application import main as typer_main

            try:
                typer_main()
            except SystemExit as done:  # (Typer's own exit: its code, once output is flushed)
                if isinstance(done.code, str):  # sys.exit("message"), as Python prints it
                    sys.stderr.write(f"{done.code}\n")
                code = 1 if isinstance(done.code, str) else done.code
    except KeyboardInterrupt:  # before a command's own error handling took over (start-up)
        sys.stderr.write(interrupted_message() + "\n")
        code = interrupt_code()
    finally:
        restore_interrupt_handlers()
    sys.exit(_output_flushed(code))


def _output_flushed(code: int | None) -> int | None:
    """``code``, once what stdout still holds is written. Output that cannot be written (a
    full disk, ``> /dev/full``) left its data in the buffer after the command's error line:
    Python's own flush at exit then printed "Exception ignored ... OSError" and exited 120
    (QA pass 75). The rest goes nowhere now; a failure no command reported is one line, 2."""
    import os

    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        except (OSError, ValueError):
            pass
        if not code:
            from .guard import echo, os_error_message

            echo(f"Error: {os_error_message(exc)}", err=True)
            return 2
    return code


def __getattr__(name: str) -> Any:
    # ``from toolkit.cli import app`` builds the Typer application with every command; the
    # console script does not need it for the commands of the Typer-free path.
    if name == "app":
        from . import commands  # noqa: F401  (registers every command on ``app``)
        from .application import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
