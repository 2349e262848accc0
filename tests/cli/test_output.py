"""One format vocabulary: every command that prints a result takes --format text|json."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cli.output import Format, output_format

#: Commands with --format and the arguments they need besides it (no project needed).
NO_PROJECT = [
    ("payments", "--locale", "da"),
    ("models", "list"),
]
WITH_PROJECT = [("status",), ("check",), ("glossary", "list"), ("check", "--list-checks")]


def _formats(command: tuple[str, ...]) -> list[str]:
    """The --format values a command's help text names, in order."""
    group = typer.main.get_command(app)
    for name in command:
        group = group.commands[name]  # type: ignore[attr-defined]
    option = next(p for p in group.params if "--format" in getattr(p, "opts", ()))
    return re.findall(r"'(\w+)'", option.help)


@pytest.mark.parametrize(
    "command",
    [("payments",), ("models", "list"), ("status",), ("check",), ("glossary", "list"), ("render",)],
)
def test_help_names_text_then_json(command):
    formats = _formats(command)
    assert formats[0] == "text" and "json" in formats
    assert ("html" in formats) == (command == ("render",))


@pytest.mark.parametrize("command", NO_PROJECT)
def test_text_json_and_the_table_alias(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOOLKIT_MODELS_DIR", str(tmp_path / "models"))
    runner = CliRunner()
    text = runner.invoke(app, [*command, "--format", "text"])
    table = runner.invoke(app, [*command, "--format", "table"])
    assert text.exit_code == table.exit_code == 0, text.stderr
    assert text.stdout == table.stdout
    assert isinstance(json.loads(runner.invoke(app, [*command, "-f", "json"]).stdout), dict)
    bad = runner.invoke(app, [*command, "--format", "yaml"])
    assert bad.exit_code == 2 and "use 'text' or 'json'" in bad.stderr


@pytest.mark.parametrize("command", WITH_PROJECT)
def test_project_commands_share_the_vocabulary(command, cli):
    for step in ("extract", "update"):
        assert cli(step).exit_code == 0
    assert cli(*command, "--format", "text").exit_code in (0, 1)
    data = cli(*command, "--format", "json")
    assert isinstance(json.loads(data.stdout), dict)
    assert cli(*command, "--format", "yaml").exit_code == 2


def test_output_format_names_the_choices():
    assert output_format("json") is Format.JSON
    with pytest.raises(typer.BadParameter, match="use 'text', 'json' or 'html'"):
        output_format("xml", Format.HTML)
