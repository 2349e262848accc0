from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

from .helpers import msgfmt_check


def test_full_pipeline_through_the_cli(cli, project_dir):
    for command in ("extract", "update", "compile"):
        result = cli(command)
        assert result.exit_code == 0, result.stderr
        assert "wrote " in result.stdout
    for locale in ("da", "nb", "lt"):
        po = project_dir / "locales" / locale / "LC_MESSAGES" / "messages.po"
        msgfmt_check(po)
        assert po.with_suffix(".mo").exists()
    again = cli("extract")
    assert "unchanged" in again.stdout


def test_init_scaffolds_a_working_project(tmp_path):
    runner = CliRunner()
    target = tmp_path / "new"
    result = runner.invoke(app, ["init", str(target), "--locale", "da", "--locale", "lt"])
    assert result.exit_code == 0, result.stderr
    assert (target / "toolkit.toml").exists()
    for command in ("extract", "update", "compile"):
        step = runner.invoke(app, ["--project", str(target), command])
        assert step.exit_code == 0, step.stderr
    assert (target / "locales/lt/LC_MESSAGES/messages.mo").exists()
    status = runner.invoke(app, ["--project", str(target), "status", "--format", "json"])
    assert [row["locale"] for row in json.loads(status.stdout)["locales"]] == ["da", "lt"]
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2 and "already exists" in again.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["update", "--locale", "../../etc"], "not a locale name"),
        (["update", "--locale", "xx_ZZ"], "Unknown locale"),
        (["compile", "--locale", "dk"], "da_DK"),
        (["status", "--format", "xml"], "table"),
    ],
)
def test_bad_input_exit_2_with_one_clear_message(cli, args, needle):
    cli("extract")
    result = cli(*args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_no_project_is_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["extract"])
    assert result.exit_code == 2
    assert "toolkit init" in result.stderr


def test_malformed_po_cli(cli, project_dir):
    cli("extract")
    cli("update")
    po = project_dir / "locales/da/LC_MESSAGES/messages.po"
    po.write_text(po.read_text("utf-8") + 'msgid "x"\nmsgstr "unterminated\n', "utf-8")
    before = po.read_bytes()
    result = cli("update")
    assert result.exit_code == 2
    assert "messages.po:" in result.stderr and "malformed PO" in result.stderr
    assert po.read_bytes() == before


def test_debug_shows_traceback(cli):
    result = cli("--debug", "update", "--locale", "../x")
    assert result.exit_code == 2
    assert "Traceback" in result.stderr


def test_help_does_not_import_the_mt_stack():
    code = (
        "import sys\n"
        "from toolkit.cli import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(' '.join(m for m in ('argostranslate', 'ctranslate2', 'ctranslate2._ext', 'torch',"
        " 'stanza') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_console_script_help():
    exe = Path(sys.executable).parent / "toolkit"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for command in ("extract", "update", "compile", "status", "init"):
        assert command in out.stdout


def test_every_command_has_help_text_and_is_documented():
    import typer.main

    group = typer.main.get_command(app)
    readme = (Path(__file__).parents[2] / "README.md").read_text("utf-8")
    docs = "".join(p.read_text("utf-8") for p in (Path(__file__).parents[2] / "docs").glob("*.md"))
    for name, command in group.commands.items():
        assert command.help, f"'toolkit {name}' has no help text"
        assert f"toolkit {name}" in readme + docs, f"'toolkit {name}' is not documented"


def test_check_mode_is_a_ci_gate_and_writes_nothing(cli, project_dir):
    pot = project_dir / "locales" / "messages.pot"
    result = cli("extract", "--check")
    assert result.exit_code == 1 and "out of date" in result.stderr
    assert not pot.exists()
    cli("extract")
    cli("update")
    assert cli("extract", "--check").exit_code == 0
    assert cli("update", "--check").exit_code == 0
    faq = project_dir / "templates" / "faq" / "general.yaml"
    faq.write_text(faq.read_text("utf-8") + "  - question: New?\n    answer: Yes.\n", "utf-8")
    before = pot.read_bytes()
    assert cli("extract", "--check").exit_code == 1
    assert pot.read_bytes() == before
    cli("extract")
    po = project_dir / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    before_po = po.read_bytes()
    stale = cli("update", "--check")
    assert stale.exit_code == 1 and "da/LC_MESSAGES/messages.po" in stale.stderr
    assert po.read_bytes() == before_po
    # The fix named is the command that was run: --locale sv creates sv's catalog.
    missing = cli("update", "--check", "--locale", "sv")
    assert "Run 'toolkit update --locale sv' and commit the result." in missing.stderr


def test_written_files_are_shown_from_the_current_folder(cli, project_dir, monkeypatch):
    """update and compile name what they wrote as a path from where the user stands (as
    pybabel does), not as an absolute path; a file outside the current
    folder keeps its full path."""
    monkeypatch.chdir(project_dir)
    assert cli("extract").stdout.startswith("wrote locales/messages.pot (")
    for command, name in (("update", "messages.po"), ("compile", "messages.mo")):
        result = cli(command)
        assert result.exit_code == 0, result.stderr
        assert f"wrote locales/da/LC_MESSAGES/{name} (da: " in result.stdout
        assert str(project_dir) not in result.stdout
    monkeypatch.chdir(project_dir / "templates")
    result = cli("compile", "--force")  # the same MO bytes: "unchanged <path> (...)"
    assert f" {project_dir}/locales/da/LC_MESSAGES/messages.mo (da: " in result.stdout


@pytest.mark.parametrize("keywords", ["", 'keywords = ["lazy_gettext"]\n'])
def test_an_extract_without_messages_says_what_it_looked_for(tmp_path, keywords):
    """With lazy_gettext configured already, the note still told to add lazy_gettext to
    'keywords' (privacyidea, whose templates have no gettext call at all; QA pass 26)."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.html").write_text("<p>{{ title }}</p>\n", "utf-8")
    (tmp_path / "toolkit.toml").write_text(f'locales = ["da"]\n{keywords}', "utf-8")
    result = CliRunner().invoke(app, ["--project", str(tmp_path), "extract"])
    assert result.exit_code == 0, result.stderr
    assert "note: no messages in 1 file:" in result.stderr
    if keywords:
        assert "the configured keywords (lazy_gettext)" in result.stderr
        assert "need them in 'keywords'" not in result.stderr
    else:
        assert "(_gettext, lazy_gettext) need them in 'keywords'" in result.stderr
