"""Data quoted in what a command prints cannot drive the terminal: control characters, lone
surrogates and bidi overrides are shown as escapes, and Rich markup in data is shown as text."""

from __future__ import annotations

import pytest

from toolkit.catalogs import update_catalogs
from toolkit.cli.guard import visible
from toolkit.extract import extract_messages

#: An OSC sequence (sets the window title), CSI "clear screen", a BEL and a bidi override.
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\u202e"


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if c in "\x1b\x07\x9b\u202e" or "\ud800" <= c <= "\udfff"]


def test_visible_escapes_what_drives_a_terminal_and_keeps_text():
    assert visible(f"id {HOSTILE}") == f"id {SHOWN}"
    assert visible("Åse Ølstrøm, 12,50 kr.\n\tok") == "Åse Ølstrøm, 12,50 kr.\n\tok"
    assert visible("8-bit CSI \x9b2J, CR \r, lone \ud800") == (
        "8-bit CSI \\x9b2J, CR \\r, lone \\ud800"
    )


@pytest.mark.parametrize("color", [False, True])
def test_check_findings_show_a_msgid_escaped(cli, project, monkeypatch, color):
    extract_messages(project)
    update_catalogs(project)
    po = project.po_path("da")
    # (JSON quoting, which shows the msgid, leaves C1 controls and bidi overrides raw)
    po.write_text(
        po.read_text("utf-8") + '\nmsgid "Hi %(name)s \u202eevil\x9b2J"\nmsgstr "Hej"\n', "utf-8"
    )
    if color:
        monkeypatch.setenv("FORCE_COLOR", "1")
    result = cli("check", "--locale", "da", "--no-cache")
    assert result.exit_code == 1
    assert 'msgid "Hi %(name)s \\u202eevil\\x9b2J"' in result.stdout
    assert _raw_controls(result.stdout.replace("\x1b[", "")) == []  # Rich's own colors aside


def test_tables_show_markup_and_controls_in_data_as_written(cli, project_dir):
    (project_dir / "glossaries").mkdir(exist_ok=True)
    (project_dir / "glossaries" / "da.csv").write_text(
        'source,target,rule,forms,note\n"[b]Bo\x1b[2J[/]",x,required,,\n', "utf-8"
    )
    result = cli("glossary", "list", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "[b]Bo\\x1b[2J[/]" in result.stdout
    assert _raw_controls(result.stdout) == []


def test_json_output_stays_json_with_control_characters_escaped(cli, project):
    """print_json went through echo, whose '\\x9b' escape is no JSON escape: check's JSON of
    a msgid with a C1 control did not parse. JSON now writes them as '\\u009b'."""
    import json

    extract_messages(project)
    update_catalogs(project)
    po = project.po_path("da")
    po.write_text(
        po.read_text("utf-8") + '\nmsgid "Hi %(name)s \u202eevil\x9b2J"\nmsgstr "Hej"\n', "utf-8"
    )
    result = cli("check", "--locale", "da", "--no-cache", "--format", "json")
    assert result.exit_code == 1
    assert _raw_controls(result.stdout) == []
    data = json.loads(result.stdout)
    msgids = {f["msgid"] for f in data["findings"]}
    assert "Hi %(name)s \u202eevil\x9b2J" in msgids
