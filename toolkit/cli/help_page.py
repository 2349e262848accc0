"""``toolkit --help`` without importing Typer: the page as Typer prints it, kept here.

Typer (with its Click) is most of ``toolkit --help``'s start-up (~45 ms of ~90). The global
help page depends only on the commands' names and first help lines and on the width Click
formats it to, so it is stored for the two widths nearly every run gets: 78 columns (output
piped or sent to a file, and 80-column terminals) and 118 (terminals of 122 columns or more,
where ``max_content_width`` stops). Any other width, and every other command line, goes to
Typer. A test keeps the stored pages equal to what Typer prints; after changing a command's
name or help, write them again with ``python -m toolkit.cli.help_page``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The width Click formats to, ``max(min(columns, 120) - 2, 50)``, for the stored pages.
STORED_WIDTHS = (78, 118)
_PAGES = Path(__file__).with_name("help_pages")


def help_width() -> int:
    """The width Click would format help to: ``shutil.get_terminal_size()``'s columns (the
    ``COLUMNS`` variable, else the terminal's, else 80), capped by the application's
    ``max_content_width`` of 120, less 2, at least 50. (``shutil`` itself is not imported:
    with its compression modules it costs more than this whole path.)"""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
        columns = columns or 80
    return max(min(columns, 120) - 2, 50)


def stored_page(args: list[str]) -> str | None:
    """The help page for ``toolkit --help`` / ``toolkit -h`` at this width, if stored."""
    if args not in (["--help"], ["-h"]):
        return None
    width = help_width()
    if width not in STORED_WIDTHS:
        return None
    try:
        return (_PAGES / f"{width}.txt").read_text("utf-8")
    except OSError:
        return None  # (a partial install: Typer prints it)


def print_page(page: str) -> int:
    """Write ``page`` to stdout; the exit code (2 and one line on stderr when it cannot be
    written: a full disk, a closed pipe)."""
    try:
        sys.stdout.write(page)
        sys.stdout.flush()
    except OSError as exc:
        from .guard import failure_code

        # Nothing is left for the interpreter to flush (and fail on again) at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return failure_code(exc, debug=False)
    return 0


def typer_page(width: int) -> str:
    """The global help page as the Typer application prints it at ``width``."""
    import contextlib
    import io

    from typer._click import formatting

    from . import app

    out = io.StringIO()
    before, formatting.FORCED_WIDTH = formatting.FORCED_WIDTH, width
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            app(["--help"], prog_name="toolkit")
    finally:
        formatting.FORCED_WIDTH = before
    return out.getvalue()


def write_pages() -> None:
    """Store the pages Typer prints now (``python -m toolkit.cli.help_page``)."""
    _PAGES.mkdir(exist_ok=True)
    for width in STORED_WIDTHS:
        (_PAGES / f"{width}.txt").write_text(typer_page(width), "utf-8")
        print(f"wrote {_PAGES / f'{width}.txt'}")


if __name__ == "__main__":
    write_pages()
