"""The console script builds only the command it runs (``app_for``); nothing else changes."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from toolkit.cli import app
from toolkit.cli.application import GLOBAL_VALUE_OPTIONS, app_for, command_name


def top_level_names() -> list[str]:
    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ([], None),
        (["--help"], None),
        (["--version"], None),
        (["extract"], "extract"),
        (["--debug", "update", "-l", "da"], "update"),
        (["--project", "check", "status"], "status"),  # a folder named like a command
        (["-p", "some/dir", "compile"], "compile"),
        (["--project=some/dir", "glossary", "list"], "glossary"),
        (["--", "render"], "render"),
        (["--help", "status"], None),  # global help, whatever follows
        (["-h", "extract"], None),
        (["extract", "--help"], "extract"),
    ],
)
def test_command_name_skips_global_options_and_their_values(
    args: list[str], name: str | None
) -> None:
    assert command_name(args) == name


def test_global_value_options_are_the_callbacks_own() -> None:
    group = typer.main.get_command(app)
    takes_value = {
        opt for param in group.params if not getattr(param, "is_flag", False) for opt in param.opts
    }
    assert takes_value == GLOBAL_VALUE_OPTIONS


def test_every_command_and_group_builds_alone_with_the_same_parameters() -> None:
    full = typer.main.get_command(app)
    names = top_level_names()
    assert {"extract", "update", "compile", "check", "render-batch", "glossary"} <= set(names)
    for name in names:
        lean = typer.main.get_command(app_for(name))
        assert sorted(lean.commands) == [name]  # type: ignore[attr-defined]
        alone = lean.commands[name]  # type: ignore[attr-defined]
        whole = full.commands[name]  # type: ignore[attr-defined]
        assert [p.opts for p in alone.params] == [p.opts for p in whole.params]
        assert alone.help == whole.help
        assert [p.opts for p in lean.params] == [p.opts for p in full.params]


def test_unknown_words_get_the_whole_app_and_its_suggestions() -> None:
    assert app_for("extrct") is app
    assert app_for(None) is app
    result = subprocess.run(
        [sys.executable, "-c", "from toolkit.cli import main; main()", "extrct"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "No such command 'extrct'" in result.stderr
    assert "extract" in result.stderr.split("Did you mean", 1)[1]


def test_the_console_script_runs_the_command_it_names() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from toolkit.cli import main; main()", "extract", "--help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: toolkit extract [OPTIONS]")


@pytest.mark.parametrize(
    ("args", "option"),
    [(["check", "--project", "."], "--project"), (["compile", "-p", "."], "-p"),
     (["update", "--debug"], "--debug")],
)  # fmt: skip
def test_a_global_option_after_the_command_says_where_it_goes(args, option):
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert f"No such option: {option}" in result.stderr
    assert f"{option} is a global option: put it before the command" in result.stderr
