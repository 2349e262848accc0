"""Running one command line through both front ends: the Typer-free path and Typer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from toolkit.cli import app, lite


def through_lite(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple:
    """``(exit code, stdout, stderr)`` of the Typer-free path (``None`` for a command line
    it leaves to Typer)."""
    capsys.readouterr()
    code = lite.run(args)
    out, err = capsys.readouterr()
    return code, out, err


def through_typer(args: list[str]) -> tuple:
    """``(exit code, stdout, stderr)`` of the Typer application."""
    result = CliRunner().invoke(app, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
