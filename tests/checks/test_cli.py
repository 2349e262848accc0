"""``toolkit check`` and the compile gate through the CLI: exit codes, text, JSON."""

from __future__ import annotations

import json
import re

import pytest

from toolkit.catalogs import update_catalogs
from toolkit.checks import available_checks
from toolkit.extract import extract_messages

from ..catalogs.helpers import translate

GOOD_LT = {
    "Hi %(first_name)s,": "Sveiki, %(first_name)s,",
    "%(num)d day left": ("Liko %(num)d diena", "Liko %(num)d dienos", "Liko %(num)d dienų"),
}


@pytest.fixture
def catalogs(project):
    extract_messages(project)
    update_catalogs(project)
    translate(project.po_path("lt"), "lt", GOOD_LT)
    return project


def _line(path, text):
    lines = path.read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line == text)


def test_clean_catalogs_exit_0_and_warnings_fail_only_when_asked(catalogs, cli):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "untranslated" in result.stdout
    assert cli("check", "--fail-on", "warning").exit_code == 1
    assert cli("check", "--ignore", "untranslated", "--fail-on", "warning").exit_code == 0


def test_error_exit_1_with_file_line_msgid_and_problem(catalogs, cli):
    translate(catalogs.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    result = cli("check", "--locale", "lt")
    assert result.exit_code == 1
    line = _line(catalogs.po_path("lt"), 'msgid "Hi %(first_name)s,"')
    assert f"locales/lt/LC_MESSAGES/messages.po:{line}: error [placeholders]" in result.stdout
    assert 'msgid "Hi %(first_name)s,"' in result.stdout
    assert "lacks %(first_name)s" in result.stdout
    assert "\x1b[" not in result.stdout  # no color codes off a terminal


def test_json_report_schema(catalogs, cli):
    translate(catalogs.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    result = cli("check", "--format", "json", "-l", "lt", "-l", "da")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1
    assert data["passed"] is False and data["fail_on"] == "error"
    assert [c["locale"] for c in data["catalogs"]] == ["lt", "da"]
    assert set(data["summary"]) == {"catalogs", "entries", "errors", "warnings", "by_check"}
    assert data["summary"]["errors"] == 1
    [error] = [f for f in data["findings"] if f["severity"] == "error"]
    assert error == {
        "check": "placeholders",
        "severity": "error",
        "locale": "lt",
        "path": "locales/lt/LC_MESSAGES/messages.po",
        "line": _line(catalogs.po_path("lt"), 'msgid "Hi %(first_name)s,"'),
        "msgctxt": None,
        "msgid": "Hi %(first_name)s,",
        "message": "msgstr lacks %(first_name)s and has %(vardas)s instead.",
    }
    assert set(data["checks"]) == {c.id for c in available_checks()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--select", "placeholder"), "Did you mean 'placeholders'?"),
        (("--ignore", "urls,bogus"), "unknown check id 'bogus'"),
        (("--format", "xml"), "use 'text' or 'json'"),
        (("--fail-on", "info"), "use 'error' or 'warning'"),
        (("--locale", "../etc"), "not a locale name"),
    ],
)
def test_usage_errors_exit_2(catalogs, cli, args, message):
    result = cli("check", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_malformed_catalog_exit_2(catalogs, cli):
    path = catalogs.po_path("da")
    path.write_text(path.read_text("utf-8") + '\nmsgid "broken\n', "utf-8")
    result = cli("check")
    assert result.exit_code == 2
    assert "messages.po:" in result.stderr and "malformed PO" in result.stderr


def test_list_checks(cli):
    result = cli("check", "--list-checks", "--format", "json")
    assert result.exit_code == 0
    ids = [c["id"] for c in json.loads(result.stdout)["checks"]]
    assert ids == [c.id for c in available_checks()]


def test_compile_refuses_errors_unless_forced(catalogs, cli):
    translate(catalogs.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"})
    result = cli("compile")
    assert result.exit_code == 1
    line = _line(catalogs.po_path("lt"), 'msgid "Hi %(first_name)s,"')
    assert f"locales/lt/LC_MESSAGES/messages.po:{line}: [placeholders]" in result.stderr
    assert "--force" in result.stderr
    assert not any(catalogs.mo_path(loc).exists() for loc in catalogs.locales)
    # warnings (untranslated entries) never block compile
    assert cli("compile", "--locale", "da").exit_code == 0
    result = cli("compile", "--force")
    assert result.exit_code == 0, result.output
    assert catalogs.mo_path("lt").exists()


def test_compile_ignores_errors_in_fuzzy_entries_it_leaves_out(catalogs, cli):
    translate(
        catalogs.po_path("lt"), "lt", {"Hi %(first_name)s,": "Sveiki, %(vardas)s,"}, fuzzy=True
    )
    assert cli("compile").exit_code == 0
    assert cli("compile", "--use-fuzzy").exit_code == 1


def test_docs_list_every_check():
    from pathlib import Path

    from .test_check_table import FAMILIES

    docs = (Path(__file__).parents[2] / "docs" / "checks.md").read_text("utf-8")
    for check in available_checks():
        if type(check).__module__.rsplit(".", 1)[-1] not in FAMILIES:
            continue  # documented by its own family (glossary.md)
        assert f"`{check.id}`" in docs, check.id


def test_text_report_same_with_and_without_rich(catalogs, cli, monkeypatch):
    # Off a terminal the report is written without Rich; with colors forced Rich writes the
    # same lines (and no emoji: ":100:" once came out as a 💯 emoji).
    path = catalogs.po_path("da")
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    padding = "".join(f"# note {n}\n" for n in range(95))
    path.write_text(header + padding + '\nmsgid "[b]Hi[/b] :smile:"\nmsgstr ""\n', "utf-8")
    assert _line(path, 'msgid "[b]Hi[/b] :smile:"') == 100
    plain = cli("check", "--locale", "da").stdout
    monkeypatch.setenv("FORCE_COLOR", "1")
    colored = cli("check", "--locale", "da").stdout
    assert "\x1b[" in colored and "\x1b[" not in plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == plain
    assert "locales/da/LC_MESSAGES/messages.po:100: warning [untranslated] not translated." in plain
    assert '      msgid "[b]Hi[/b] :smile:"\n' in plain


def test_a_finding_on_an_empty_context_names_it(catalogs, cli, monkeypatch):
    """``msgctxt ""`` is a context of its own (pgettext("", x) finds it, gettext(x) does not):
    its findings show it, in plain and in colored output (QA pass 73 left it out)."""
    path = catalogs.po_path("da")
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    path.write_text(header + 'msgctxt ""\nmsgid "Hi %(name)s"\nmsgstr "Hej %(navn)s"\n\n'
                    'msgid "Bye %(name)s"\nmsgstr "Farvel %(navn)s"\n', "utf-8")  # fmt: skip
    for colored in (False, True):
        if colored:
            monkeypatch.setenv("FORCE_COLOR", "1")
        shown = re.sub(r"\x1b\[[0-9;]*m", "", cli("check", "--locale", "da").stdout)
        assert '      msgctxt "" msgid "Hi %(name)s"\n' in shown
        assert '      msgid "Bye %(name)s"\n' in shown
