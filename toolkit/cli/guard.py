"""What every command shares without Typer: the global options, its own exit, and the one place
where errors become a message and an exit code.

Both front ends use it: the Typer application (:mod:`.application`) and the Typer-free path of the
catalog commands (:mod:`.lite`), so an error reads and exits the same whichever ran.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ToolkitError

if TYPE_CHECKING:
    from ..config import ProjectConfig


class State:
    """Global options shared by every command."""

    def __init__(self, project: Path | None = None, debug: bool = False) -> None:
        self.project = project
        self.debug = debug

    def config(self) -> ProjectConfig:
        from ..config import load_config

        return load_config(self.project)


class CommandExit(Exception):
    """A command ends with this exit code (1: a gate failed, findings...), its output printed."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


#: Exceptions a command may end with that get one plain line instead of a traceback.
HANDLED = (ToolkitError, OSError, RecursionError, KeyboardInterrupt, UnicodeEncodeError)

INTERRUPTED_MESSAGE = "Interrupted; files already written are complete, nothing is half-written."
_interrupts: list[int] = []  # the signals that came (see install_interrupt_handlers)


def interrupted_message() -> str:
    """The line an interrupted command ends with, naming the files it wrote before the
    interrupt (each complete) when it wrote any."""
    from ..fsutil import written_so_far

    count, first = written_so_far()
    if not count:
        return INTERRUPTED_MESSAGE
    shown = ", ".join(_shown_path(p) for p in first) + (", ..." if count > len(first) else "")
    files = "1 file" if count == 1 else f"{count} files"
    return (
        f"Interrupted after writing {files} ({shown}): each is complete, nothing is "
        "half-written."
    )


def _shown_path(path: Path) -> str:
    """``path`` from the current folder when it is inside it, else as it is."""
    try:
        shown = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if shown.startswith("..") else shown


def install_interrupt_handlers() -> None:
    """Ctrl-C and SIGTERM (a CI timeout, ``kill``, a container stopping) raise
    KeyboardInterrupt, so every command unwinds the same way: temp files removed, forked
    helpers stopped, a group of files finished first, one line and exit 130 (143 for SIGTERM,
    see :func:`interrupt_code`). Each signal is
    noted too: a library that turns the interrupt into its own error (DuckDB raises
    ``RuntimeError: Query interrupted``) still ends as an interrupt. Handlers someone else
    installed (or SIG_IGN for a background job's Ctrl-C) are left alone."""
    import signal

    for signum, expected in ((signal.SIGINT, signal.default_int_handler),
                             (signal.SIGTERM, signal.SIG_DFL)):  # fmt: skip
        if signal.getsignal(signum) is expected:
            signal.signal(signum, _interrupt)


def _interrupt(signum: int, frame: object) -> None:
    _interrupts.append(signum)
    raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether Ctrl-C or SIGTERM has come during this run."""
    return bool(_interrupts)


def interrupt_code() -> int:
    """The exit code of an interrupted run, as a shell reports a process the signal ended:
    130 for Ctrl-C (128 + SIGINT), 143 for SIGTERM (128 + 15)."""
    import signal

    return 128 + int(_interrupts[-1] if _interrupts else signal.SIGINT)


def restore_interrupt_handlers() -> None:
    """The default dispositions again, as the process ends: a signal that comes while the
    interpreter shuts down ends it quietly instead of printing 'Exception ignored'."""
    import signal

    # Both signals wait while the handlers change: one that came between the two (a SIGTERM
    # while SIGINT's was already restored) raised KeyboardInterrupt in here, a traceback. One
    # that came meanwhile is delivered after, with the default action: the run is over.
    block = getattr(signal, "pthread_sigmask", None)
    held = block(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if block else None
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(signum) is _interrupt:
                signal.signal(signum, signal.SIG_DFL)
    finally:
        if block is not None:
            block(signal.SIG_SETMASK, held)


#: What no line printed for a person carries raw: control characters but tab and newline
#: (ESC starts the sequences that recolour, clear or retitle a terminal; CR overwrites the
#: line), C1 controls (8-bit CSI), lone surrogates, and the bidi embeddings, overrides and
#: isolates that reorder what a terminal shows. Data (a customer id, a msgid, a path) may hold
#: any of them.
_CONTROL_RANGE = "\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff"
_UNSAFE = f"[{_CONTROL_RANGE}\u202a-\u202e\u2066-\u2069]"


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile``, on first use: the lone-surrogate range alone takes ~0.7 ms to compile,
    on every start-up of every command, for text that is nearly always printable."""
    return re.compile(pattern)


def _escaped(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def visible(text: str) -> str:
    r"""``text`` with the characters of :data:`_UNSAFE` shown as escapes (``\x1b``,
    ``\u202e``), so that a message quoting data says what the data holds and does nothing
    to the terminal.

    >>> print(visible("id c1\x1b]0;pwned\x07 (Åse)"))
    id c1\x1b]0;pwned\x07 (Åse)
    """
    if text.isprintable():
        return text
    return _compiled(_UNSAFE).sub(_escaped, text)


#: What a rendered message printed for a person must not carry raw: the controls of
#: :data:`_UNSAFE`, but not the bidi marks right-to-left text and isolated values use.
_CONTROLS = f"[{_CONTROL_RANGE}]"


def message_visible(text: str) -> str:
    r"""A rendered message as printed: control characters escaped (the renderer already
    removes them from customer data), bidi isolates and marks kept as the customer gets them.

    >>> message_visible("Hej \u2066Zoë\u2069\tok\x1b[2J") == "Hej \u2066Zoë\u2069\tok\\x1b[2J"
    True
    """
    if text.isprintable():
        return text
    return _compiled(_CONTROLS).sub(_escaped, text)


def json_visible(text: str) -> str:
    r"""JSON text with the characters :func:`visible` escapes written as JSON's ``\uXXXX``
    (they can only stand inside its strings): the same data, valid JSON, inert in a terminal.

    >>> print(json_visible('{"id": "c1\x9b2J\u202e"}'))
    {"id": "c1\u009b2J\u202e"}
    """
    if text.isprintable():
        return text
    return _compiled(_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(message: str = "", err: bool = False, *, escaped: bool = True) -> None:
    """One line on stdout (or stderr), as ``typer.echo`` prints it (flushed), with the
    characters :func:`visible` escapes shown as escapes, on a terminal or not (a msgid with
    ``ESC[2J`` cannot clear the screen or a CI log's viewer); ``escaped=False`` for text made
    safe already (:func:`json_visible`)."""
    line = (visible(message) if escaped else message) + "\n"
    if not err:
        write_stdout(line)
        return
    if sys.stderr is not None:  # (closed at start: nowhere to say it)
        sys.stderr.write(line)
        sys.stderr.flush()


def write_stdout(text: str) -> None:
    """``text`` on stdout, all of it: under ``python -u`` or ``PYTHONUNBUFFERED`` stdout is
    an unbuffered file whose text layer writes once and drops what a pipe did not take (a
    check report of 500 KB into 'head' lost all but 64 KB and exited 0, QA pass 74); written
    in a loop, the closed pipe is an error, which ends the command with 141 as documented."""
    import io

    if sys.stdout is None:  # started with stdout closed ('toolkit check >&-'): nowhere to write
        return
    raw = getattr(sys.stdout, "buffer", None)
    if not isinstance(raw, io.RawIOBase):  # buffered (the usual case) or a test's stream
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    sys.stdout.flush()
    view = memoryview(text.encode(sys.stdout.encoding or "utf-8", sys.stdout.errors or "strict"))
    while view:
        written = raw.write(view)
        view = view[written or 0 :]


def wrote(path: Path, what: str, changed: bool = True) -> None:
    """Every command that writes prints what it wrote, as a path from the current folder
    where the file is below it (``wrote locales/da/LC_MESSAGES/messages.po (...)``, as
    pybabel and git print), else as given. (Findings and errors name files from the project
    root, the same path when the command runs there.)"""
    verb = "wrote" if changed else "unchanged"
    echo(f"{verb} {shown_path(path)} ({what})")


def shown_path(path: Path) -> str:
    """``path`` relative to the current folder when it is below it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the current folder, no current
        # folder, or a link that loops
        return str(path)


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def local_path(value: str, option: str, *, hint: str = "", reads: bool = False) -> Path:
    """``value`` of an option that names a local file or folder: a ``file:///abs`` URL is
    its path; another URL (``s3://...``) is refused, where ``Path`` would have made a folder
    named ``s3:`` in the current one."""
    from ..errors import InputError

    match = _URL.match(value)
    if match is None:
        return Path(value)
    rest = value[match.end() :]
    if match.group(1).lower() == "file":
        if rest.startswith("localhost/"):
            rest = rest[len("localhost") :]
        if rest.startswith("/"):
            from urllib.parse import unquote

            return Path(unquote(rest))
    does = "reads" if reads else "writes"
    raise InputError(
        f"{option} {value}: a URL, where this command {does} a local file or folder.",
        hint=hint or "Give a local path.",
    )


def is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def failure_code(exc: BaseException, debug: bool) -> int:
    """Print what ended a command (one of :data:`HANDLED`) and return its exit code."""
    import traceback

    if isinstance(exc, ToolkitError):
        if debug:
            traceback.print_exception(exc)
        echo(f"Error: {exc}", err=True)
        return exc.exit_code
    if isinstance(exc, OSError) and reader_is_gone(exc):
        return SIGPIPE_CODE  # the reader ('head') has what it wanted: no message, as git or grep
    if isinstance(exc, OSError):  # disk full, read-only or unwritable folders, /dev/null...
        if debug:
            traceback.print_exception(exc)
        echo(f"Error: {os_error_message(exc)}", err=True)
        return 2
    if isinstance(exc, UnicodeEncodeError) and _output_encoding(exc):
        # PYTHONIOENCODING=latin-1 (or an ASCII locale) and a Lithuanian text (QA pass 75)
        character = exc.object[exc.start : exc.start + 1] if isinstance(exc.object, str) else ""
        echo(
            f"Error: the output's encoding ({exc.encoding}) cannot write {character!r} "
            f"(U+{ord(character or '?'):04X}); set PYTHONIOENCODING=utf-8 (or a UTF-8 locale, "
            "LANG=C.UTF-8) and rerun.",
            err=True,
        )
        return 2
    if isinstance(exc, RecursionError):  # a last resort: the stages name the file where they can
        echo(
            "Error: an input is nested too deeply to process; simplify it "
            "(add --debug to see where).",
            err=True,
        )
        return 2
    if isinstance(exc, KeyboardInterrupt):
        echo(interrupted_message(), err=True)
        return interrupt_code()
    raise exc


def _output_encoding(exc: UnicodeEncodeError) -> bool:
    """Whether ``exc`` is a write into stdout or stderr in an encoding that cannot hold the
    text (not an encoding error of the command's own work, which stays a traceback)."""
    import codecs

    try:
        wanted = codecs.lookup(exc.encoding).name
    except LookupError:
        return False
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        try:
            if encoding and codecs.lookup(encoding).name == wanted and wanted != "utf-8":
                return True
        except LookupError:
            continue
    return False


#: The exit code of a command whose output was closed by its reader: 128 + SIGPIPE, what a
#: shell reports for a process that SIGPIPE ended (``git log | head``: 141 under pipefail).
SIGPIPE_CODE = 141


def reader_is_gone(exc: OSError) -> bool:
    """Whether ``exc`` is a write into a standard output or error whose reader closed the pipe
    (``toolkit check | head``). Then nothing more can be shown; the interpreter's own flush
    at exit is sent to /dev/null, so Python adds no "Exception ignored" lines either. A broken
    pipe into another program (msgfmt) is not this, and keeps its error message."""
    import errno
    import select

    if exc.errno != errno.EPIPE:
        return False
    gone = False
    for stream in (sys.stdout, sys.stderr):
        try:
            descriptor = stream.fileno()
            poller = select.poll()
            poller.register(descriptor, select.POLLOUT)
            closed = any(events & select.POLLERR for _, events in poller.poll(0))
        except (AttributeError, ValueError, OSError):  # not a real file (a test runner)
            continue
        if closed:
            gone = True
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, descriptor)
            os.close(null)
    return gone


def os_error_message(exc: OSError) -> str:
    """One line for a file-system error no command anticipated: what failed, where, the fix."""
    import errno

    if exc.errno == errno.EPIPE:
        return "the output was closed before everything was written (a pipe into 'head'?)."
    where = exc.filename if exc.filename is not None else "a file"
    temp = re.fullmatch(r"\.(.+)\.[0-9a-f]{12}\.tmp", os.path.basename(str(where)))
    if temp:  # the temp file written next to the target (fsutil.new_temp_file): the target
        where = os.path.join(os.path.dirname(str(where)), temp.group(1))
    reason = exc.strerror or type(exc).__name__
    fixes = {
        errno.ENOSPC: "Free some disk space and rerun; files already written are complete.",
        errno.EDQUOT: "Free some disk space and rerun; files already written are complete.",
        errno.EACCES: "Check the permissions of that file and its folder.",
        errno.EPERM: "Check the permissions of that file and its folder.",
        errno.EROFS: "Write to a folder on a writable file system.",
        errno.ENOTDIR: "A part of that path is a file, not a folder.",
        errno.EISDIR: "That path is a folder; give a file name.",
        errno.EEXIST: "A file is in the way where a folder is needed.",
    }
    fix = fixes.get(exc.errno or 0, "Check the path and rerun (add --debug for details).")
    return f"cannot use {where}: {reason}. {fix}"


def require_choice(value: str, choices: tuple[str, ...], option: str = "--format") -> str:
    """A usage error (exit 2) unless ``value`` is one of ``choices``."""
    if value not in choices:
        import typer

        allowed = " or ".join(f"'{c}'" for c in choices)
        raise typer.BadParameter(f"use {allowed}", param_hint=option)
    return value
