"""``toolkit --help`` prints from a listing of the commands (no parameters built): the page
must be the one the whole application prints, groups and panels included."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
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
