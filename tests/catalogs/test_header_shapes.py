"""Header shapes msgfmt accepts that stopped the toolkit (QA pass 15, Flask-AppBuilder).

Poedit writes ``POT-Creation-Date: 2025-01-21`` (a date without a time): Babel's parser
raised, the catalog was "malformed PO" at its first entry's line, and as one unreadable
catalog stops a command, update, check, compile and status refused the whole project. A
catalog with Windows line endings compiled with Babel's rebuilt header (X-Generator dropped,
``Report-Msgid-Bugs-To: EMAIL@ADDRESS`` invented) instead of the header as written.
"""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.catalogs import read_po_file
from toolkit.catalogs.reader import read_po_entries
from toolkit.cli import app

HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: shop\\n"\n"POT-Creation-Date: {created}\\n"\n'
    '"PO-Revision-Date: {revised}\\n"\n"Language: fr\\n"\n"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset=utf-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n"X-Generator: Poedit 3.4\\n"\n\n'
    'msgid "Save"\nmsgstr "Enregistrer"\n'
)


def mo_catalog(path: Path) -> dict[object, str]:
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]


def project(tmp_path: Path, text: str, newline: str = "\n") -> Path:
    root = tmp_path / "shop"
    po = root / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "toolkit.toml").write_text('[tool.toolkit]\nlocales = ["fr"]\n', "utf-8")
    po.write_bytes(text.replace("\n", newline).encode("utf-8"))
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    return root


@pytest.mark.parametrize(("created", "revised"), [
    ("2025-01-21", "2025-01-22"),
    ("2025-01-21 10:11:12+0100", "2025-01-21T10:11"),
    ("someday", "2025-13-45"),
    # Babel's shape, but no real day, time or offset (QA pass 16)
    ("2026-02-30 10:00+0000", "2026-01-01 24:00+0000"),
    ("2026-01-01 10:60+0000", "2026-01-01 10:00+2500"),
    ("0000-00-00 00:00+0000", "2026-13-01 10:00+0000"),
])  # fmt: skip
def test_dates_msgfmt_accepts_do_not_stop_any_command(tmp_path, created, revised):
    root = project(tmp_path, HEADER.format(created=created, revised=revised))
    po = root / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    assert read_po_file(po, "fr").catalog["Save"].string == "Enregistrer"
    assert [e.msgid for e in read_po_entries(po, locale="fr").entries] == ["Save"]
    runner = CliRunner()
    for command in (["status"], ["check"], ["compile"]):
        result = runner.invoke(app, ["--project", str(root), *command])
        assert result.exit_code == 0, (command, result.stderr)
    reference = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(reference), str(po)], check=True)
    assert mo_catalog(po.with_suffix(".mo")) == mo_catalog(reference)
    assert f"PO-Revision-Date: {revised}\n" in mo_catalog(reference)[""]


def test_a_date_only_header_is_read_as_that_day(tmp_path):
    root = project(tmp_path, HEADER.format(created="2025-01-21", revised="2025-01-22"))
    catalog = read_po_file(root / "locales" / "fr" / "LC_MESSAGES" / "messages.po").catalog
    assert catalog.creation_date.isoformat().startswith("2025-01-21T00:00")
    assert str(catalog.revision_date).startswith("2025-01-22 00:00")


def test_a_crlf_catalog_compiles_with_its_header_as_written(tmp_path):
    root = project(tmp_path, HEADER.format(created="2025-01-21 10:00+0000",
                                           revised="2025-01-22 10:00+0000"), "\r\n")  # fmt: skip
    po = root / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    result = CliRunner().invoke(app, ["--project", str(root), "compile"])
    assert result.exit_code == 0, result.stderr
    reference = tmp_path / "msgfmt.mo"
    subprocess.run(["msgfmt", "-o", str(reference), str(po)], check=True)
    ours, theirs = mo_catalog(po.with_suffix(".mo")), mo_catalog(reference)
    assert ours == theirs
    assert "EMAIL@ADDRESS" not in ours[""]
