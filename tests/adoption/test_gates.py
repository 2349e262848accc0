"""CI gates compare content, not the writing tool's noise; ``--version`` works alone."""

from __future__ import annotations

import doctest
import re

from typer.testing import CliRunner

import toolkit
import toolkit.catalogs.pofile
from toolkit.cli import app


def test_version_prints_without_a_command():
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"toolkit {toolkit.__version__}"


def test_same_content_doctest():
    assert doctest.testmod(toolkit.catalogs.pofile).failed == 0


def _age(path, version="Babel 0.0.1", year="1999"):
    text = path.read_text("utf-8")
    text = re.sub(r"Generated-By: [^\\]*", f"Generated-By: {version}", text)
    dates = r'"(POT-Creation-Date|PO-Revision-Date): [^\\]*'
    text = re.sub(dates, r'"\1: 1999-01-01 00:00+0000', text)
    text = re.sub(r"^(# .*?)\b20\d\d\b", rf"\g<1>{year}", text, flags=re.MULTILINE)
    path.write_text(text, "utf-8")


def test_check_gates_ignore_generated_by_and_dates(cli, project):
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    for path in [project.pot_path, *(project.po_path(loc) for loc in project.locales)]:
        _age(path)
    before = {p: p.read_bytes() for p in project.locales_path.rglob("*.po*")}
    extract = cli("extract", "--check")
    update = cli("update", "--check")
    assert extract.exit_code == 0, extract.output
    assert update.exit_code == 0, update.output
    # A real run leaves the files alone too: nothing but noise would change.
    assert cli("extract").exit_code == 0 and cli("update").exit_code == 0
    assert {p: p.read_bytes() for p in before} == before


def test_check_gate_still_fails_on_content(cli, project):
    assert cli("extract").exit_code == 0
    pot = project.pot_path
    pot.write_text(pot.read_text("utf-8").replace('msgid "', 'msgid "X', 1), "utf-8")
    assert cli("extract", "--check").exit_code == 1
