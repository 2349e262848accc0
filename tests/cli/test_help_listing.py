"""``toolkit --help`` prints a stored page (no Typer) or from a listing of the commands (no
parameters built): the page must be the one the whole application prints, groups and panels
included, at the width Click would use."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app, help_page
from toolkit.cli.application import help_only, listing


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_the_listing_prints_the_same_help_page(args: list[str]) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, args, prog_name="toolkit")
    listed = runner.invoke(listing(app), args, prog_name="toolkit")
    assert listed.output == whole.output
    assert listed.exit_code == whole.exit_code
    assert "translate" in listed.output and "models" in listed.output


def test_the_listing_leaves_the_application_whole() -> None:
    before = [c.callback for c in app.registered_commands]
    listing(app)
    assert [c.callback for c in app.registered_commands] == before
    result = CliRunner().invoke(app, ["check", "--help"], prog_name="toolkit")
    assert "--select" in result.output


@pytest.mark.parametrize(
    ("args", "only_help"),
    [
        (["--help"], True),
        ([], True),
        (["--project", "x", "-h"], True),
        (["--help", "status"], True),  # (global help, as Click prints it)
        (["status", "--help"], False),
        (["--version"], False),
    ],
)
def test_only_a_bare_help_request_uses_the_listing(args: list[str], only_help: bool) -> None:
    assert help_only(args) is only_help


# --- the stored page: ``toolkit --help`` without importing Typer --------------------------

@pytest.mark.parametrize("width", help_page.STORED_WIDTHS)
def test_the_stored_pages_are_what_typer_prints(width: int) -> None:
    stored = (Path(help_page.__file__).with_name("help_pages") / f"{width}.txt").read_text()
    assert stored == help_page.typer_page(width), (
        "a command's name or help changed: run 'python -m toolkit.cli.help_page'"
    )


SCRIPT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('typer imported:', 'typer' in sys.modules, file=sys.stderr))\n"
    "sys.argv = ['toolkit', *sys.argv[1:]]\n"
    "from toolkit.cli import main\n"
    "main()\n"
)


def help_run(args: list[str], columns: str | None, **kwargs) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], env=env,
                          capture_output=True, text=True, **kwargs)  # fmt: skip


@pytest.mark.parametrize(
    ("columns", "width", "stored"),
    [(None, 78, True), ("80", 78, True), ("200", 118, True), ("122", 118, True),
     ("100", 98, False), ("40", 50, False), ("x", 78, True), ("0", 78, True)],
)  # fmt: skip
@pytest.mark.parametrize("option", ["--help", "-h"])
def test_the_help_page_is_typers_at_every_width(
    columns: str | None, width: int, stored: bool, option: str
) -> None:
    done = help_run([option], columns)
    assert done.returncode == 0, done.stderr
    assert done.stdout == help_page.typer_page(width)
    assert f"typer imported: {not stored}" in done.stderr


def test_in_a_terminal_the_terminals_width_counts() -> None:
    main, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 130, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, "--help"], env=env,
                               stdout=follower, stderr=subprocess.PIPE)  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, err = process.communicate()
    os.close(main)
    shown = b"".join(chunks).decode().replace("\r\n", "\n")
    assert shown == help_page.typer_page(118)
    assert b"typer imported: False" in err


@pytest.mark.parametrize("columns", [None, "80", "121", "500", "51", "-3", "abc"])
def test_the_width_is_clicks(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    expected = max(min(shutil.get_terminal_size().columns, 120) - 2, 50)
    assert help_page.help_width() == expected


@pytest.mark.parametrize(
    "args", [["--help", "status"], ["--project", "x", "--help"], ["-h", "-h"], ["--helpx"]]
)
def test_other_help_requests_go_to_typer(args: list[str]) -> None:
    assert help_page.stored_page(args) is None


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_help_page_that_cannot_be_written_is_one_line_and_exit_2() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", SCRIPT, "--help"], stdout=full,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if not line.startswith("typer imported")]
    assert lines == [
        "Error: cannot use a file: No space left on device. Free some disk space and rerun; "
        "files already written are complete."
    ]
